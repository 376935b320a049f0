/**
 * Entry point of the `healthshed` command (bin/healthshed.mjs, or `npm run cli --`). `run` is the whole command
 * with its process state injected (argv, output streams, working directory, environment), so tests run it in
 * their own process; only when this module is the program does it touch `process`.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './run';

/** Somewhere text goes: a stream (process.stdout) or a function. */
export type Sink = ((text: string) => void) | { write(text: string): unknown };

export interface RunIo {
  stdout: Sink;
  stderr: Sink;
  /** Directory relative paths are read from; process.cwd() when not given. */
  cwd?: string;
  /** The environment (HEALTHSHED_MEMORY_MB …); process.env when not given. */
  env?: NodeJS.ProcessEnv;
}

const writer = (sink: Sink) => (typeof sink === 'function' ? sink : (text: string) => void sink.write(text));

/** Runs `healthshed <argv…>` and resolves to its exit code; all output goes to `io`. */
export async function run(argv: string[], io: RunIo): Promise<number> {
  return runCli(argv, {
    stdout: writer(io.stdout),
    stderr: writer(io.stderr),
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  });
}

/** The program: process.argv in, process.exitCode out. */
export async function main(): Promise<void> {
  // `healthshed ratios … | head` closes stdout early; that is the reader's choice, not an error to print.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  });
}

/** True when this process was started as the command: `node bin/healthshed.mjs` (or a link to it), or `tsx src/cli/main.ts`. */
function isProgram(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const real = (path: string): string | undefined => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  const started = real(script);
  const entries = [import.meta.url, new URL('../../bin/healthshed.mjs', import.meta.url).href].map((url) => real(fileURLToPath(url)));
  return started !== undefined && entries.includes(started);
}

if (isProgram()) await main();
