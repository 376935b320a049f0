/**
 * What a command is, for the registry: a name, a one-line summary for `healthshed --help`, its own help text,
 * and a run function that writes through `io` and returns the exit code. Commands throw InputError for bad
 * input; the runner prints its message as the one line on stderr and exits with 2.
 */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths are read from. */
  cwd: string;
  /** The environment (HEALTHSHED_MEMORY_MB); process.env when not given. */
  env?: NodeJS.ProcessEnv;
}

export interface CliCommand {
  name: string;
  summary: string;
  help: string;
  run: (args: string[], io: CliIo) => Promise<number>;
}

/** Exit code for bad input (missing file, broken plan, unknown option). */
export const EXIT_INPUT = 2;
/** Exit code for a failure that is not the input's fault. */
export const EXIT_INTERNAL = 1;

/** Bad input: the message is one line saying what and where. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The first line of an error message, with runs of whitespace collapsed, so stderr gets exactly one line. */
export function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
