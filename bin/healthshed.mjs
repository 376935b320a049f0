#!/usr/bin/env node
/**
 * The package's `healthshed` command. The command line is TypeScript (src/cli/main.ts, on src/core like the
 * app), so this registers tsx's loader in this process and then runs it; both are found relative to this file,
 * so the command works from any directory. tsx is a runtime dependency (not a devDependency) for this reason:
 * the command works after `npm ci` and after `npm ci --omit=dev` alike, with no build step to go stale.
 */
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
