/**
 * Writes a command's result where it was asked for: stdout, or a file written atomically (a temporary file in
 * the same directory, then a rename), so a reader never sees half a file and a failed run leaves the old one.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, type CliIo } from './command';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (code ?? 'write failed');
    throw new InputError(`--out ${path}: cannot write (${reason})`);
  }
}

/** JSON on stdout, or into `out` (relative to io.cwd) when given. */
export async function emitJson(value: unknown, out: string | undefined, io: CliIo): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (out === undefined) io.stdout(text);
  else await writeFileAtomic(resolve(io.cwd, out), text);
}
