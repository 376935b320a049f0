/**
 * Debian packages for the anchors, installed the way scripts/system-deps.sh installs the tests' (apt-get as
 * root, or through passwordless sudo), or reported as the reason an anchor is skipped.
 */
import { spawnSync } from 'node:child_process';
import { isRoot, onPath } from './proc';

let updated = false;

function sudoPrefix(): string[] | null {
  if (isRoot()) return [];
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0) return ['sudo'];
  return null;
}

/**
 * Installs `packages` unless `allowed` is false; returns null when done, else why not (one line).
 */
export function aptInstall(packages: readonly string[], allowed: boolean): string | null {
  if (packages.length === 0) return null;
  if (!allowed) return `not installed: ${packages.join(' ')} (--no-install)`;
  if (!onPath('apt-get')) return `not installed: ${packages.join(' ')} (no apt-get here)`;
  const sudo = sudoPrefix();
  if (!sudo) return `not installed: ${packages.join(' ')} (needs root or passwordless sudo)`;
  console.log(`installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) =>
    spawnSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], { env, encoding: 'utf8' });
  if (!updated) {
    apt(['update', '-qq']);
    updated = true;
  }
  const result = apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  if (result.status !== 0) return `apt-get install ${packages.join(' ')} failed: ${result.stderr.trim().split('\n').pop() ?? ''}`;
  return null;
}
