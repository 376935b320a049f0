/**
 * Writes a command's result where it was asked for: stdout, or a file written atomically (a temporary file in
 * the same directory, then a rename), so a reader never sees half a file and a failed run leaves the old one.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, type CliIo } from './command';

export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (error) {
    // The temporary file may not exist (the directory is missing or a file): nothing to clean then.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new InputError(`--out ${path}: cannot write (${writeFailure(error)})`);
  }
}

/** Why a file could not be written, in plain words. */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    default:
      return code ?? 'write failed';
  }
}

/** JSON on stdout, or into `out` (relative to io.cwd) when given. */
export async function emitJson(value: unknown, out: string | undefined, io: CliIo): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (out === undefined) io.stdout(text);
  else await writeFileAtomic(resolve(io.cwd, out), text);
}
