/** Entry point of the `healthshed` command (bin/healthshed.mjs, or `npm run cli --`). */
import { runCli } from './run';

// `healthshed ratios … | head` closes stdout early; that is the reader's choice, not an error to print.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
