/**
 * Writes a command's results where they were asked for: stdout, or files. Every output of a run (--out, --times,
 * --areas, --points, --facilities-out …) goes into one OutputSet and is committed together at the end: each is
 * first written to a temporary file beside its target, and only when all of them were written are they renamed
 * into place. If any write fails, no named output file is created or replaced and the temporary files are
 * removed; stdout is printed only after the files are in place. A reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { link, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, oneLine, type CliIo } from './command';

/** Why a file could not be written, in plain words. */
function writeFailure(error: unknown): string {
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

const tempName = (path: string, tag: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${tag}`);

/** JSON text, turning a too-deep value into an InputError rather than a stack overflow blamed on the output. */
export function jsonText(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent);
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw new InputError(`the result is nested too deeply to write as JSON (${oneLine(error.message)})`);
    throw error;
  }
}

interface Pending {
  /** The option that named the file, for messages: "--out", "--times". */
  option: string;
  /** As given on the command line. */
  given: string;
  /** Absolute. */
  path: string;
  data: string | Uint8Array;
}

/**
 * The outputs of one run, committed all or nothing. `prefix` starts error messages ("coverage: ").
 */
export class OutputSet {
  readonly #files: Pending[] = [];
  #stdout = '';

  constructor(
    private readonly io: CliIo,
    private readonly prefix = '',
  ) {}

  /** A file to write at commit; two options naming the same file are refused. */
  file(option: string, given: string, data: string | Uint8Array): this {
    const path = resolve(this.io.cwd, given);
    const twin = this.#files.find((f) => f.path === path);
    if (twin) throw new InputError(`${this.prefix}${twin.option} and ${option} name the same file ${given}`);
    this.#files.push({ option, given, path, data });
    return this;
  }

  /** JSON (indented by 2) into `out`, or on stdout when `out` is undefined. */
  json(value: unknown, out: string | undefined, option = '--out'): this {
    const text = `${jsonText(value, 2)}\n`;
    if (out === undefined) this.#stdout += text;
    else this.file(option, out, text);
    return this;
  }

  /** Text for stdout, printed after the files are in place. */
  stdout(text: string): this {
    this.#stdout += text;
    return this;
  }

  /** Writes every file to a temporary file, then renames them all; on any failure, leaves every target as it was. */
  async commit(): Promise<void> {
    const temps: { file: Pending; tmp: string }[] = [];
    // A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to as it is, last: renaming a file over it
    // would replace the device itself (as root, /dev/null would become a plain file).
    const streams: Pending[] = [];
    const cleanup = async (paths: string[]) => {
      await Promise.all(paths.map((p) => rm(p, { force: true }).catch(() => undefined)));
    };
    // 1. Temporary files beside the targets (so the rename stays on one file system).
    for (const file of this.#files) {
      const tmp = tempName(file.path, 'tmp');
      try {
        const target = await stat(file.path).catch(() => null);
        if (target && (target.isCharacterDevice() || target.isFIFO())) {
          streams.push(file);
          continue;
        }
        if (target && !target.isFile()) throw Object.assign(new Error('not a file'), { code: target.isDirectory() ? 'EISDIR' : 'EEXIST' });
        temps.push({ file, tmp });
        await writeFile(tmp, file.data);
      } catch (error) {
        await cleanup(temps.map((t) => t.tmp));
        const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it is not a regular file' : writeFailure(error);
        throw new InputError(`${this.prefix}${file.option} ${file.given}: cannot write (${reason})`);
      }
    }
    // 2. Keep a link to each file being replaced, so a failed rename can put the earlier ones back.
    const backups = new Map<string, string>();
    for (const { file } of temps) {
      const backup = tempName(file.path, 'bak');
      if (
        await link(file.path, backup).then(
          () => true,
          () => false,
        )
      )
        backups.set(file.path, backup);
    }
    // 3. Rename into place.
    const done: Pending[] = [];
    for (const { file, tmp } of temps) {
      try {
        await rename(tmp, file.path);
        done.push(file);
      } catch (error) {
        for (const earlier of done) {
          const backup = backups.get(earlier.path);
          if (backup) await rename(backup, earlier.path).catch(() => undefined);
          else await rm(earlier.path, { force: true }).catch(() => undefined);
        }
        await cleanup([...temps.map((t) => t.tmp), ...backups.values()]);
        throw new InputError(`${this.prefix}${file.option} ${file.given}: cannot write (${writeFailure(error)})`);
      }
    }
    await cleanup([...backups.values()]);
    for (const file of streams) {
      try {
        await writeFile(file.path, file.data);
      } catch (error) {
        throw new InputError(`${this.prefix}${file.option} ${file.given}: cannot write (${writeFailure(error)})`);
      }
    }
    if (this.#stdout !== '') this.io.stdout(this.#stdout);
  }
}
