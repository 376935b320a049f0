/**
 * Every command of the command line on every bad input it meets: a missing file, an unreadable file (no read
 * permission, or a directory), an output path that cannot be written, and content that is not what it should be.
 * Each exits 2 with exactly one line on stderr naming the file and the reason, prints nothing on stdout, and
 * leaves no output file (nor a temporary one) behind; an earlier output stays as it was. Permissions are checked
 * as an unprivileged user when the tests run as root (root reads anything): those command lines run together in
 * one process of that user's (cli-batch.mjs); every other one runs in this process (src/cli/main.ts run).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main';

const root = resolve(import.meta.dirname, '../..');
const batch = resolve(import.meta.dirname, 'cli-batch.mjs');
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-errors-'));
chmodSync(dir, 0o755);
afterAll(() => {
  chmodSync(join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** Root reads and writes anything: the permission cases run as `nobody` then. */
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

copyFileSync(resolve(root, 'data/shangyou/facilities.fgb'), join(dir, 'facilities.fgb'));
copyFileSync(resolve(root, 'data/shangyou/population.fgb'), join(dir, 'population.fgb'));
copyFileSync(resolve(root, 'data/plans/shangyou.json'), join(dir, 'plan.json'));
writeFileSync(join(dir, 'garbage.geojson'), '{"type": "FeatureCollection", "features": [');
writeFileSync(join(dir, 'secret.fgb'), readFileSync(join(dir, 'facilities.fgb')));
chmodSync(join(dir, 'secret.fgb'), 0o000);
mkdirSync(join(dir, 'folder.fgb'));
mkdirSync(join(dir, 'locked'));
chmodSync(join(dir, 'locked'), 0o555);
writeFileSync(join(dir, 'a-file'), 'not a directory');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** What the unprivileged command lines gave, by their arguments (filled in beforeAll when running as root). */
const unprivileged = new Map<string, Result>();

async function cli(args: string[], options: { unprivileged?: boolean } = {}): Promise<Result> {
  if (options.unprivileged && AS_ROOT) {
    const result = unprivileged.get(JSON.stringify(args));
    if (!result) throw new Error(`not among the command lines run as nobody: ${args.join(' ')}`);
    return result;
  }
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

function expectOneLine(result: Result, pattern: RegExp): void {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^healthshed: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
}

/** Each command with its usual arguments around the input file under test. */
const COMMANDS: { name: string; args: (input: string) => string[]; out: string }[] = [
  { name: 'coverage', out: 'coverage.json', args: (f) => ['coverage', '--facilities', f, '--population', 'population.fgb'] },
  {
    name: 'ratios',
    out: 'ratios.json',
    args: (f) => ['ratios', '--facilities', f, '--population', 'population.fgb', '--plan', 'plan.json'],
  },
  {
    name: 'site',
    out: 'site.json',
    args: (f) => ['site', '--facilities', f, '--population', 'population.fgb', '--tier', 'village_clinic', '--minutes', '15', '--k', '1'],
  },
  { name: 'access', out: 'access.json', args: (f) => ['access', '--facilities', f, '--population', 'population.fgb'] },
  { name: 'export', out: 'export.geojson', args: (f) => ['export', '--in', f] },
];

/** The command lines that must run as another user: reading a file it may not read, writing where it may not write. */
const UNPRIVILEGED = COMMANDS.flatMap(({ args, out }) => [
  [...args('secret.fgb'), '--out', out],
  [...args('facilities.fgb'), '--out', `locked/${out}`],
]);

beforeAll(() => {
  if (!AS_ROOT) return;
  const result = spawnSync(process.execPath, [batch, JSON.stringify(UNPRIVILEGED)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    uid: NOBODY,
    gid: NOBODY,
    env: { ...process.env, HOME: dir },
  });
  if (result.status !== 0) throw new Error(`cli-batch.mjs as nobody exited ${result.status}: ${result.stderr}`);
  (JSON.parse(result.stdout) as Result[]).forEach((r, i) => unprivileged.set(JSON.stringify(UNPRIVILEGED[i]), r));
}, 120_000);

/** Files other than the inputs: outputs and temporary files left behind. */
function leftovers(): string[] {
  const inputs = new Set([
    'facilities.fgb',
    'population.fgb',
    'plan.json',
    'garbage.geojson',
    'secret.fgb',
    'folder.fgb',
    'locked',
    'a-file',
  ]);
  return readdirSync(dir).filter((f) => !inputs.has(f) && !f.startsWith('kept-'));
}

describe.each(COMMANDS)('healthshed $name on bad input', { timeout: 120_000 }, ({ name, args, out }) => {
  const withOut = (f: string, o: string) => [...args(f), '--out', o];

  it('a missing file', async () => {
    expectOneLine(await cli(withOut('nope.fgb', out)), /nope\.fgb.*(not found|does not exist)/);
    expect(leftovers()).toEqual([]);
  });

  it('a file it may not read, and a directory', async () => {
    expectOneLine(await cli(withOut('secret.fgb', out), { unprivileged: true }), /secret\.fgb.*permission denied/);
    expectOneLine(await cli(withOut('folder.fgb', out)), /folder\.fgb.*(directory|cannot be read)/);
    expect(leftovers()).toEqual([]);
  });

  it('content that is not what the option expects', async () => {
    expectOneLine(await cli(withOut('garbage.geojson', out)), /garbage\.geojson/);
    expect(leftovers()).toEqual([]);
  });

  it('an output path that cannot be written, leaving no partial file', async () => {
    expectOneLine(await cli(withOut('facilities.fgb', `no-such-dir/${out}`)), /cannot write \(its directory does not exist\)/);
    expectOneLine(await cli(withOut('facilities.fgb', `a-file/${out}`)), /cannot write \(a part of the path is a file/);
    expectOneLine(await cli(withOut('facilities.fgb', `locked/${out}`), { unprivileged: true }), /cannot write \(permission denied\)/);
    expect(readdirSync(join(dir, 'locked'))).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('an earlier output stays whole when a later run fails, and a good run replaces it atomically', async () => {
    const kept = `kept-${out}`;
    writeFileSync(join(dir, kept), 'earlier result\n');
    expectOneLine(await cli(withOut('garbage.geojson', kept)), /garbage\.geojson/);
    expect(readFileSync(join(dir, kept), 'utf8')).toBe('earlier result\n');
    const good = await cli(withOut('facilities.fgb', kept));
    expect(good.code, good.stderr).toBe(0);
    const text = readFileSync(join(dir, kept), 'utf8');
    expect(text).not.toBe('earlier result\n');
    if (name !== 'export' || kept.endsWith('.geojson')) expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    rmSync(join(dir, kept));
  });
});

it('an unknown command or option is one line too', async () => {
  expectOneLine(await cli(['nonsense']), /unknown command "nonsense"/);
  expectOneLine(await cli(['coverage', '--bogus', '1']), /bogus/);
  expect(existsSync(join(dir, 'coverage.json'))).toBe(false);
});
