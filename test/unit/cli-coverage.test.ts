import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { facility, fc, road, settlement } from './coverage-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-coverage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command in this process (src/cli/main.ts run): the same exit code, stdout and stderr as `healthshed …`. */
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed(['coverage', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}
const write = (name: string, value: unknown): string => {
  writeFileSync(join(dir, name), JSON.stringify(value));
  return name;
};

// The hand-checked fixtures of the engine tests, as files: 1 km east at 5 km/h is 12 minutes, and so on.
const facilities = write(
  'facilities.geojson',
  fc([facility('c', 'village_clinic', 0, 0), facility('t', 'township_centre', 0, 0, { status: 'suggested' })]),
);
const population = write(
  'population.geojson',
  fc([
    settlement('e1000', 1000, 0, 100),
    settlement('w1000', -1000, 0, 200),
    settlement('n1300', 0, 1300, 400),
    settlement('s2400', 0, -2400, 800),
    settlement('e2600', 2600, 0, 1600),
    settlement('w2600', -2600, 0, 3200),
  ]),
);

describe('healthshed coverage', () => {
  it('counts the people within each circle, per tier and any tier', async () => {
    const r = await cli(['--facilities', facilities, '--population', population, '--minutes', '15,30', '--walk-kmh', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.population_total).toBe(6300);
    expect(out.tiers.village_clinic['15']).toEqual({ covered: 300, share: 300 / 6300 });
    expect(out.tiers.village_clinic['30'].covered).toBe(1500);
    expect(out.any['30'].covered).toBe(1500);
    // The suggested township centre does not count.
    expect(out.tiers.township_centre['30'].covered).toBe(0);
  });

  it('writes minutes per point and the service areas', async () => {
    const r = await cli(['--facilities', facilities, '--population', population, '--times', 'times.csv', '--areas', 'areas.geojson']);
    expect(r.code).toBe(0);
    const csv = readFileSync(join(dir, 'times.csv'), 'utf8');
    // CRLF like every CSV the app and the CLI write (one CSV writer, src/core/io/csv-write.ts).
    expect(
      csv.startsWith('\ufeffid,minutes_county_hospital,minutes_township_centre,minutes_village_clinic,minutes_emergency_station\r\n'),
    ).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = csv.slice(0, -2).split('\r\n').slice(1);
    expect(rows).toHaveLength(6);
    expect(Number(rows[0]!.split(',')[3])).toBeCloseTo(12, 1);
    // Beyond the largest circle a time is still measured, up to the two-hour search horizon: 2,600 m at 5 km/h.
    expect(Number(rows[4]!.split(',')[3])).toBeCloseTo((2600 / 5000) * 60, 2);
    const areas = JSON.parse(readFileSync(join(dir, 'areas.geojson'), 'utf8'));
    expect(
      areas.features.map((f: { properties: { tier: string; minutes: number } }) => `${f.properties.tier}:${f.properties.minutes}`),
    ).toEqual(['village_clinic:15', 'village_clinic:30']);
  });

  it('computes network travel times when given roads', async () => {
    const roads = write(
      'roads.geojson',
      fc([
        road('AB', '国道', [0, 0], [6000, 0]),
        road('BC', '村道', [6000, 0], [9000, 0]),
        road('AD', '乡道', [0, 0], [0, -2000]),
        road('DC', '乡道', [0, -2000], [9000, -2000], [9000, 0]),
      ]),
    );
    const people = write(
      'people.geojson',
      fc([settlement('mid-AB', 3000, 0, 10), settlement('B', 6000, 0, 20), settlement('near-C', 9000, 100, 40)]),
    );
    const r = await cli([
      '--facilities',
      facilities,
      '--population',
      people,
      '--roads',
      roads,
      '--mode',
      'network',
      '--minutes',
      '5,15,30',
      '--walk-kmh',
      '6',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect([out.any['5'].covered, out.any['15'].covered, out.any['30'].covered]).toEqual([10, 30, 70]);
  });

  it.each([
    [['--population', 'population.geojson'], /--facilities is required/],
    [['--facilities', 'missing.geojson', '--population', 'population.geojson'], /missing\.geojson.*not found/],
    [
      ['--facilities', 'facilities.geojson', '--population', 'population.geojson', '--mode', 'car'],
      /--mode must be one of buffer, network, terrain/,
    ],
    [['--facilities', 'facilities.geojson', '--population', 'population.geojson', '--mode', 'network'], /needs --roads/],
    [['--facilities', 'facilities.geojson', '--population', 'population.geojson', '--minutes', '15,abc'], /--minutes must be numbers/],
    [['--facilities', 'facilities.geojson', '--population', 'population.geojson', '--walk-kmh', '0'], /not usable/],
    [['--facilities', 'facilities.geojson', '--population', 'population.geojson', '--out', 'no-such-dir/out.json'], /cannot write/],
  ])('refuses bad input %j with one line and exit code 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
