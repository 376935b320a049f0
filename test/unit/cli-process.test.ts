/**
 * The `healthshed` command as its own process, as a user starts it: the exit code and stderr the shell sees,
 * the environment, a link to the command (npm's node_modules/.bin), and a reader that closes the pipe early.
 * Every other command-line test runs the same code in-process (src/cli/main.ts run) for speed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = resolve(root, 'bin/healthshed.mjs');
const data = (path: string) => resolve(root, 'data', path);
const fixture = (path: string) => resolve(root, 'test/fixtures/access', path);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string } = {}) {
  const result = spawnSync(process.execPath, [options.command ?? bin, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    timeout: 60_000,
    env: options.env ?? process.env,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

function expectOneLineError(result: ReturnType<typeof cli>, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('healthshed as a process', { timeout: 60_000 }, () => {
  it('prints its help and exits 0, also through a link to the command from another directory', () => {
    const link = join(dir, 'healthshed');
    symlinkSync(bin, link);
    const help = cli(['--help'], { command: link, cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^healthshed: county health-facility planning from the command line\n/);
    expect(help.stdout).toMatch(/Commands:\n {2}access/);
  });

  it('an unknown command or a bad option: exit 2 and one line on stderr', () => {
    expectOneLineError(cli(['frobnicate']), /^healthshed: unknown command "frobnicate"/);
    // From access-cli.test.ts: the installed command as a user meets it.
    const base = ['--facilities', fixture('facilities.geojson'), '--population', fixture('population.geojson')];
    expectOneLineError(cli(['access', ...base, '--mode', 'drive']), /--mode must be one of buffer, network, terrain, got "drive"/);
  });

  it('reads its memory budget from HEALTHSHED_MEMORY_MB in its environment', () => {
    const args = ['coverage', '--facilities', data('shangyou/facilities.fgb'), '--population', data('shangyou/population.fgb')];
    expectOneLineError(
      cli(args, { env: { ...process.env, HEALTHSHED_MEMORY_MB: 'plenty' } }),
      /^healthshed: coverage: HEALTHSHED_MEMORY_MB must be a positive number of MB, got "plenty"$/,
    );
  });

  it('writes --out relative to its working directory and exits 0', () => {
    const result = cli(
      [
        'ratios',
        '--facilities',
        data('shangyou/facilities.fgb'),
        '--population',
        data('shangyou/population.fgb'),
        '--plan',
        data('plans/shangyou.json'),
        '--out',
        'ratios.json',
      ],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'ratios.json'))).toBe(true);
    expect(
      (JSON.parse(readFileSync(join(dir, 'ratios.json'), 'utf8')) as { county: { population: number } }).county.population,
    ).toBeGreaterThan(0);
  });

  it('a reader that closes stdout early (`healthshed ratios … | head`) is no error: exit 0, nothing on stderr', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'ratios',
        '--facilities',
        data('shangyou/facilities.fgb'),
        '--population',
        data('shangyou/population.fgb'),
        '--plan',
        data('plans/shangyou.json'),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // The reader is gone before the command writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
    expect(stderr).toBe('');
    expect(signal).toBeNull();
    expect(code).toBe(0);
  });
});
