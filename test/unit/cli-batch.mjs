#!/usr/bin/env node
/**
 * Runs several `healthshed` command lines one after another in this one process (src/cli/main.ts run, as
 * bin/healthshed.mjs loads it) and prints their exit codes, stdout and stderr as JSON. For tests that need a
 * process of their own for a reason other than the command itself: another user's permissions (cli-errors).
 * Usage: node test/unit/cli-batch.mjs '[["coverage", "--facilities", …], …]'  (relative paths from the cwd)
 */
import { register } from 'tsx/esm/api';

register();
const { run } = await import(new URL('../../src/cli/main.ts', import.meta.url).href);
const results = [];
for (const args of JSON.parse(process.argv[2] ?? '[]')) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  results.push({ code, stdout, stderr });
}
process.stdout.write(JSON.stringify(results));
