/**
 * A throwaway PostgreSQL cluster for the anchors: initdb in a temporary folder, the server listening only on
 * a unix socket in that folder (no TCP port), stopped and removed at the end, on an error or on Ctrl-C.
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup';
import { aptInstall } from './install';
import { isRoot, run } from './proc';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed server version (Debian's layout), or null. */
function serverVersion(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ?? null;
}

const hasExtension = (version: string, name: string): boolean => existsSync(`/usr/share/postgresql/${version}/extension/${name}.control`);

export interface PostgresAvailability {
  version: string | null;
  /** Why PostGIS / pgRouting cannot run (null: it can). */
  postgis: string | null;
  pgrouting: string | null;
}

/** Finds the server and its extensions, installing what is missing when allowed. */
export function ensurePostgres(allowInstall: boolean): PostgresAvailability {
  let version = serverVersion();
  if (!version) {
    const why = aptInstall(['postgresql'], allowInstall);
    version = serverVersion();
    if (!version) return { version: null, postgis: why ?? 'no PostgreSQL server found', pgrouting: why ?? 'no PostgreSQL server found' };
  }
  const missing = [
    ...(hasExtension(version, 'postgis') ? [] : [`postgresql-${version}-postgis-3`]),
    ...(hasExtension(version, 'pgrouting') ? [] : [`postgresql-${version}-pgrouting`]),
  ];
  const why = aptInstall(missing, allowInstall);
  return {
    version,
    postgis: hasExtension(version, 'postgis') ? null : (why ?? 'PostGIS not found'),
    pgrouting: hasExtension(version, 'pgrouting') ? null : (why ?? 'pgRouting not found'),
  };
}

export class ThrowawayCluster {
  readonly dir: string;
  readonly #bin: string;
  readonly #stop: () => void;

  private constructor(bin: string, dir: string, stop: () => void) {
    this.#bin = bin;
    this.dir = dir;
    this.#stop = stop;
  }

  /** initdb and start a cluster of `version`; as root the server runs as the `postgres` system user. */
  static start(version: string): ThrowawayCluster {
    const bin = join(PG_ROOT, version, 'bin');
    const dir = mkdtempSync(join(tmpdir(), 'healthshed-anchors-pg-'));
    const data = join(dir, 'data');
    // initdb refuses to run as root: the cluster belongs to the postgres user, the client stays root.
    const asOwner = (command: string, args: string[]): [string, string[]] =>
      isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    if (isRoot()) {
      chownSync(dir, Number(run('id', ['-u', 'postgres']).trim()), Number(run('id', ['-g', 'postgres']).trim()));
    }
    const stop = onCleanup('PostgreSQL cluster', () => {
      try {
        if (existsSync(join(data, 'postmaster.pid'))) run(...asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    run(...asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']));
    // Single-threaded queries (the engine is single-threaded, and the machine is shared); durability off.
    const options = [
      `-k ${dir}`,
      "-c listen_addresses=''",
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_parallel_workers_per_gather=0',
      '-c max_parallel_maintenance_workers=0',
      '-c shared_buffers=512MB',
      '-c work_mem=256MB',
      '-c maintenance_work_mem=512MB',
    ].join(' ');
    run(...asOwner(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', options, 'start']));
    return new ThrowawayCluster(bin, dir, stop);
  }

  /** Runs an SQL script (psql, stops at the first error) and returns its unaligned, tuples-only output. */
  psql(script: string): string {
    return run(
      join(this.#bin, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', this.dir, '-U', 'postgres', '-d', 'postgres', '-f', '-'],
      { input: script },
    );
  }

  /** Runs statements with \timing on: the server-reported milliseconds of each, and the output without them. */
  timed(script: string): { ms: number[]; out: string } {
    const raw = this.psql(`\\timing on\n${script}`);
    const ms: number[] = [];
    const out: string[] = [];
    for (const line of raw.split('\n')) {
      const m = /^Time: ([\d.]+) ms/.exec(line);
      if (m) ms.push(Number(m[1]));
      else if (line) out.push(line);
    }
    return { ms, out: out.join('\n') };
  }

  /** Stops the server and removes the folder. */
  stop(): void {
    this.#stop();
  }
}
