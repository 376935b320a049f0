import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';

const root = resolve(import.meta.dirname, '../..');
const data = (path: string) => resolve(root, 'data', path);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-ratios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command in this process (src/cli/main.ts run): the same exit code, stdout and stderr as `healthshed …`. */
async function cli(args: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed([...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: cwd });
  return { code, stdout, stderr };
}

const shangyou = [
  '--facilities',
  data('shangyou/facilities.fgb'),
  '--population',
  data('shangyou/population.fgb'),
  '--plan',
  data('plans/shangyou.json'),
];

/** The command failed with exactly one line on stderr, which matches `pattern`. */
function expectOneLineError(result: Awaited<ReturnType<typeof cli>>, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

interface Report {
  plan: { county: string; source: string };
  county: {
    population: number;
    ratios: Record<string, { value: number | null }>;
    indicators: {
      indicator_id: string;
      value: number | null;
      target: number | null;
      comparator: string | null;
      kind: string | null;
      status: string;
    }[];
  };
  zones: { code: string; name: string; population: number; indicators: { indicator_id: string; status: string }[] }[];
  rules: { rule: string; status: string; violations: { code: string; lonlat: [number, number] | null }[] }[];
  gaps: {
    today: { indicator_id: string; add: number | null }[];
    projected: { population: number; gaps: { indicator_id: string; add: number | null }[] } | null;
  };
}

// Each case starts Node and tsx (about half a second), so allow for a loaded machine.
describe('healthshed ratios', { timeout: 30_000 }, () => {
  let run: Awaited<ReturnType<typeof cli>>;
  let report: Report;
  beforeAll(async () => {
    run = await cli(['ratios', ...shangyou, '--zones', data('shangyou/townships.fgb'), '--population-2025', '280000']);
    report = JSON.parse(run.stdout || '{}') as Report;
  }, 30_000);

  it('prints the county beds per 1000 people, equal to the sum of beds over the people', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const facilities = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/facilities.fgb'))));
    const population = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/population.fgb'))));
    const counted = facilities.features.filter((f) => ['existing', 'planned'].includes(String(f.properties!.status)));
    const beds = counted.reduce((sum, f) => sum + Number(f.properties!.beds), 0);
    const people = population.features.reduce((sum, f) => sum + Number(f.properties!.population), 0);
    expect(beds).toBeGreaterThan(0);
    expect(report.county.population).toBe(people);
    const bedsIndicator = report.county.indicators.find((i) => i.indicator_id === 'beds_per_1000')!;
    expect(bedsIndicator.value).toBeCloseTo((beds / people) * 1000, 10);
    expect(report.county.ratios.beds_per_1000!.value).toBe(bedsIndicator.value);
  });

  it('gives each indicator’s value, target, comparator, kind and status, for the county and every township', () => {
    const plan = JSON.parse(readFileSync(data('plans/shangyou.json'), 'utf8')) as {
      source: string;
      indicators: { id: string; target_2025: number; comparator: string; kind: string }[];
    };
    expect(report.plan.source).toBe(plan.source);
    expect(report.plan.county).toBe('上犹县');
    const ids = ['beds_per_1000', 'physicians_per_1000', 'nurses_per_1000', 'gps_per_10000'];
    expect(report.county.indicators.map((i) => i.indicator_id)).toEqual(ids);
    for (const indicator of report.county.indicators) {
      const source = plan.indicators.find((i) => i.id === indicator.indicator_id)!;
      expect(indicator).toMatchObject({ target: source.target_2025, comparator: source.comparator, kind: source.kind });
      expect(['met', 'short', 'over_cap', 'no_data', 'no_target']).toContain(indicator.status);
    }
    expect(report.zones).toHaveLength(15);
    expect(report.zones.reduce((sum, z) => sum + z.population, 0)).toBe(report.county.population);
    for (const zone of report.zones) expect(zone.indicators.map((i) => i.indicator_id)).toEqual(ids);
  });

  it('includes the rule checks and the gaps for today and for the given population', () => {
    expect(report.rules.map((r) => r.rule)).toEqual([
      'township_centre_per_township',
      'village_clinic_per_village',
      'gps_per_township_centre',
      'infectious_beds_by_population',
      'level2_county_hospital',
    ]);
    // The sample leaves about 10 % of villages without a clinic on purpose.
    const villages = report.rules.find((r) => r.rule === 'village_clinic_per_village')!;
    expect(villages.violations.length).toBeGreaterThan(0);
    for (const v of villages.violations) expect(v.lonlat).toHaveLength(2);
    const todayBeds = report.gaps.today.find((g) => g.indicator_id === 'beds_per_1000')!;
    const laterBeds = report.gaps.projected!.gaps.find((g) => g.indicator_id === 'beds_per_1000')!;
    expect(report.gaps.projected!.population).toBe(280_000);
    expect(laterBeds.add! - todayBeds.add!).toBe(Math.ceil(7.5 * 280) - Math.ceil((7.5 * report.county.population) / 1000));
  });

  it('reads GeoJSON as well, runs from any directory, and writes --out atomically', async () => {
    const facilitiesJson = join(dir, 'facilities.geojson');
    writeFileSync(facilitiesJson, JSON.stringify({ type: 'FeatureCollection', features: [] }));
    const outDir = mkdtempSync(join(dir, 'out-'));
    const result = await cli(['ratios', ...shangyou.slice(2), '--facilities', facilitiesJson, '--out', 'report.json'], outDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(readdirSync(outDir)).toEqual(['report.json']);
    const written = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as Report;
    // No facilities: no beds is no data, not 0 per 1000.
    expect(written.county.indicators.find((i) => i.indicator_id === 'beds_per_1000')).toMatchObject({ value: null, status: 'no_data' });
  });

  it('documents its options and output under --help', async () => {
    const help = await cli(['ratios', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--facilities', '--population', '--zones', '--plan', '--population-2025', '--out', 'Output'])
      expect(help.stdout).toContain(option);
    const overview = await cli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/ratios\s/);
  });
});

describe('healthshed ratios on bad input', { timeout: 30_000 }, () => {
  it('a missing file: exit 2, one line naming it', async () => {
    const missing = join(dir, 'nope.fgb');
    expectOneLineError(
      await cli(['ratios', ...shangyou.slice(0, 1), missing, ...shangyou.slice(2)]),
      new RegExp(`facilities ${missing}: file not found`),
    );
  });

  it('a plan that is not JSON: exit 2, one line', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "county": { "zh": "上犹县" },\n  "indicators": [ oops ] }');
    expectOneLineError(
      await cli(['ratios', ...shangyou.slice(0, 4), '--plan', broken]),
      /^healthshed: plan .*broken\.json: plan: not valid JSON/,
    );
  });

  it('a plan with a wrong value: exit 2, one line with the path in the plan', async () => {
    const bad = join(dir, 'bad-plan.json');
    writeFileSync(
      bad,
      JSON.stringify({
        county: { zh: '上犹县' },
        indicators: [
          { id: 'beds_per_1000', target_2025: 'abc', comparator: '>=' },
          { id: 'x', comparator: '≈' },
        ],
      }),
    );
    expectOneLineError(
      await cli(['ratios', ...shangyou.slice(0, 4), '--plan', bad]),
      /bad-plan\.json: indicators\[0\]\.target_2025: expected a number or null, got "abc" \(and 1 more problem\)$/,
    );
  });

  it('the wrong geometry, an unreadable FlatGeobuf, bad JSON in a layer: exit 2, one line each', async () => {
    expectOneLineError(
      await cli(['ratios', '--facilities', data('shangyou/townships.fgb'), ...shangyou.slice(2)]),
      /facilities .*townships\.fgb: feature 0 \(and 14 more\) has a Polygon geometry \(expected Point\)/,
    );
    const garbage = join(dir, 'garbage.fgb');
    writeFileSync(garbage, 'this is not flatgeobuf');
    expectOneLineError(
      await cli(['ratios', '--facilities', garbage, ...shangyou.slice(2)]),
      /facilities .*garbage\.fgb: not a readable FlatGeobuf file/,
    );
    const badJson = join(dir, 'bad.geojson');
    writeFileSync(badJson, '{"type": "FeatureCollection", "features": [');
    expectOneLineError(
      await cli(['ratios', ...shangyou.slice(0, 2), '--population', badJson, ...shangyou.slice(4)]),
      /population .*bad\.geojson: not valid JSON/,
    );
    expectOneLineError(
      await cli(['ratios', ...shangyou, '--zones', data('shangyou/facilities.fgb')]),
      /zones .*: feature 0 .*has a Point geometry \(expected Polygon or MultiPolygon\)/,
    );
  });

  it('missing or unknown options and bad numbers: exit 2, one line', async () => {
    expectOneLineError(await cli(['ratios', ...shangyou.slice(0, 4)]), /--plan is required/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--colour', 'red']), /unknown option --colour/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--population-2025', 'lots']), /--population-2025 must be a positive number/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--statuses', 'existing,imagined']), /unknown status "imagined"/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--out', join(dir, 'no-such-dir', 'x.json')]), /--out .*cannot write/);
    expectOneLineError(await cli(['frobnicate']), /unknown command "frobnicate"/);
    expectOneLineError(await cli([]), /no command given/);
  });
});
