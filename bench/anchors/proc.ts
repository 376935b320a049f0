/** Running the anchors' programs: synchronous child processes, their output as text, failures as errors. */
import { spawnSync } from 'node:child_process';

export interface RunOptions {
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a program to its end and returns its stdout; throws with the tail of stderr when it fails. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    input: options.input,
    cwd: options.cwd,
    env: options.env ?? process.env,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(`${command} ${args.slice(0, 4).join(' ')}… exited ${result.status ?? result.signal}:\n${tail}`);
  }
  return result.stdout;
}

/** Whether a command is on the PATH. */
export const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v '${command}'`]).status === 0;

export const isRoot = (): boolean => process.getuid?.() === 0;
