import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever it is cloned. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** ../shared beside the repository (CI clones it there), or HEALTHSHED_SHARED when set. */
export function sharedDir(): string {
  const dir = process.env.HEALTHSHED_SHARED ?? resolve(REPO_ROOT, '..', 'shared');
  if (!existsSync(resolve(dir, 'data', 'townships.csv'))) {
    throw new Error(`shared data not found at ${dir}: clone the project beside shared/ or set HEALTHSHED_SHARED`);
  }
  return dir;
}
