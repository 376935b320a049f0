import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { parsePlan } from '../../src/core/plans/plan';
import { buildRatiosReport } from '../../src/core/ratios/report';

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
  population: {
    year: number;
    basis: string;
    rate: number | null;
    age_shares: string;
    census_2020: number;
    county: number;
    file: string | null;
  };
  county: {
    population: number;
    population_2020: number;
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
  zones: {
    code: string;
    name: string;
    population: number;
    population_2020: number;
    indicators: {
      indicator_id: string;
      status: string | null;
      target_scope: string;
      need: { at_target: number; current: number; difference: number } | null;
    }[];
  }[];
  rules: {
    rule: string;
    basis: string;
    status: string;
    violations: { code: string; lonlat: [number, number] | null }[];
    findings: { code: string; lonlat: [number, number] | null }[];
  }[];
  gaps: { indicator_id: string; add: number | null; population: number | null }[];
}

/** The sample's counted beds (existing and planned) and its 2020 people, per township and for the county, read here from the layers. */
async function shangyouCounts() {
  const facilities = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/facilities.fgb'))));
  const population = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/population.fgb'))));
  const counted = facilities.features.filter((f) => ['existing', 'planned'].includes(String(f.properties!.status)));
  const byTownship = new Map<string, { beds: number; people: number }>();
  const at = (code: unknown) => {
    const key = String(code);
    if (!byTownship.has(key)) byTownship.set(key, { beds: 0, people: 0 });
    return byTownship.get(key)!;
  };
  for (const f of counted) at(f.properties!.township).beds += Number(f.properties!.beds);
  for (const p of population.features) at(p.properties!.township).people += Number(p.properties!.population);
  return {
    facilities,
    population,
    beds: counted.reduce((sum, f) => sum + Number(f.properties!.beds), 0),
    people: population.features.reduce((sum, f) => sum + Number(f.properties!.population), 0),
    byTownship,
  };
}

// Each case starts Node and tsx (about half a second), so allow for a loaded machine.
describe('healthshed ratios', { timeout: 30_000 }, () => {
  let run: Awaited<ReturnType<typeof cli>>;
  let report: Report;
  beforeAll(async () => {
    run = await cli(['ratios', ...shangyou, '--zones', data('shangyou/townships.fgb')]);
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

  it('judges the county only: townships carry a need (target × people / 1000 − own) and no status', () => {
    const beds = report.county.indicators.find((i) => i.indicator_id === 'beds_per_1000')!;
    for (const zone of report.zones)
      for (const z of zone.indicators) {
        expect(z.status, `${zone.name} ${z.indicator_id}`).toBeNull();
        expect(z.target_scope).toBe('county');
      }
    for (const zone of report.zones.filter((z) => z.population > 0)) {
      const need = zone.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.need!;
      expect(need.at_target).toBeCloseTo((beds.target! * zone.population) / 1000, 9);
      expect(need.difference).toBeCloseTo(need.at_target - need.current, 9);
    }
  });

  it('--format text says what the JSON says: the county’s verdict and gap, the townships’ needs as context', async () => {
    const text = await cli(['ratios', ...shangyou, '--zones', data('shangyou/townships.fgb'), '--format', 'text']);
    expect(text.code, text.stderr).toBe(0);
    const [countyPart, townshipPart] = text.stdout.split('\nBy township\n');
    expect(townshipPart).toBeDefined();
    const bedsGap = report.gaps.find((g) => g.indicator_id === 'beds_per_1000')!.add!;
    expect(bedsGap).toBeGreaterThan(0);
    expect(countyPart).toContain(
      `beds_per_1000: ${report.county.ratios.beds_per_1000!.value!.toFixed(2)} · target =7.50 · short by ${bedsGap} beds`,
    );
    expect(countyPart).toContain(`beds_per_1000 add ${bedsGap} beds`);
    // No township line says met / short / over: those words belong to the county.
    const townshipLines = townshipPart!.split('\n').filter((line) => line.startsWith('    '));
    expect(townshipLines.length).toBeGreaterThan(report.zones.length);
    for (const line of townshipLines) expect(line).not.toMatch(/\b(met|short|over)\b/);
    for (const zone of report.zones.filter((z) => z.population > 0)) {
      const need = zone.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.need!;
      expect(townshipPart).toContain(
        `need (context): ${Math.ceil(need.at_target - 1e-9).toLocaleString('en')} beds at the county target, has ${need.current.toLocaleString('en')}`,
      );
    }
    const bad = await cli(['ratios', ...shangyou, '--format', 'xml']);
    expectOneLineError(bad, /--format must be json or text/);
  });

  it('includes the rule checks and the gaps, for the 2020 census by default, and says so', async () => {
    expect(report.rules.map((r) => r.rule)).toEqual([
      'township_centre_per_township',
      'village_clinic_per_village',
      'gps_per_township_centre',
      'infectious_beds_by_population',
      'level2_county_hospital',
    ]);
    // The sample leaves about 10 % of villages without a clinic on purpose. 上犹's plan states no clinic per
    // village (another plan's norm), so they are findings for information, never violations.
    const villages = report.rules.find((r) => r.rule === 'village_clinic_per_village')!;
    expect(villages).toMatchObject({ basis: 'other_plans', status: 'information', violations: [] });
    expect(villages.findings.length).toBeGreaterThan(0);
    for (const v of villages.findings) expect(v.lonlat).toHaveLength(2);
    const { beds, people } = await shangyouCounts();
    expect(report.population).toMatchObject({ year: 2020, basis: 'census2020', rate: null, census_2020: people, county: people });
    expect(report.population.age_shares).toBe('census2020_county_shares');
    expect(report.county.population_2020).toBe(people);
    const bedsGap = report.gaps.find((g) => g.indicator_id === 'beds_per_1000')!;
    expect(bedsGap.population).toBe(people);
    expect(bedsGap.add).toBe(Math.ceil((7.5 * people) / 1000) - beds);
  });

  it('--year 2025 --growth -0.01: every ratio and need divides by the grown people, as the core computes, and the JSON says so', async () => {
    const grown = await cli(['ratios', ...shangyou, '--zones', data('shangyou/townships.fgb'), '--year', '2025', '--growth', '-0.01']);
    expect(grown.code, grown.stderr).toBe(0);
    const r = JSON.parse(grown.stdout) as Report;
    const { beds, people, byTownship, facilities, population } = await shangyouCounts();
    const factor = 0.99 ** 5;
    expect(r.population).toMatchObject({ year: 2025, basis: 'growth', rate: -0.01, census_2020: people });
    expect(r.population.county).toBeCloseTo(people * factor, 6);
    expect(r.county.population_2020).toBe(people);
    const value = r.county.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.value!;
    expect(value).toBeCloseTo((beds / (people * factor)) * 1000, 10);
    expect(value).toBeGreaterThan(report.county.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.value!);
    for (const zone of r.zones) {
      const own = byTownship.get(zone.code) ?? { beds: 0, people: 0 };
      expect(zone.population_2020).toBe(own.people);
      expect(zone.population).toBeCloseTo(own.people * factor, 6);
      if (own.people === 0) continue;
      const need = zone.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.need!;
      expect(need.at_target).toBeCloseTo((7.5 * own.people * factor) / 1000, 9);
      expect(need.current).toBe(own.beds);
    }
    expect(r.gaps.find((g) => g.indicator_id === 'beds_per_1000')!.add).toBe(Math.ceil((7.5 * people * factor) / 1000 - 1e-9) - beds);
    // The same numbers as the core gives for the same setting.
    const townships = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/townships.fgb'))));
    const plan = parsePlan(JSON.parse(readFileSync(data('plans/shangyou.json'), 'utf8')));
    if (!plan.ok) throw new Error(plan.errors.join('; '));
    const core = buildRatiosReport(
      { facilities, population, zones: townships, plan: plan.plan },
      { population: { basis: 'growth', year: 2025, rate: -0.01 } },
    );
    expect(JSON.parse(JSON.stringify(core.county))).toEqual(r.county);
    expect(JSON.parse(JSON.stringify(core.gaps))).toEqual(r.gaps);
    expect(JSON.parse(JSON.stringify(core.population))).toEqual(r.population);
  });

  it('--year 2025 --population-table: each township divides by the table’s people', async () => {
    const { beds, byTownship } = await shangyouCounts();
    const rows = report.zones.map((z, i) => ({ code: z.code, people: (byTownship.get(z.code)?.people ?? 0) + 100 * (i + 1) }));
    const table = join(dir, 'people-2025.csv');
    writeFileSync(table, `乡镇代码,人口\n${rows.map((x) => `${x.code},${x.people}`).join('\n')}\n`);
    const result = await cli([
      'ratios',
      ...shangyou,
      '--zones',
      data('shangyou/townships.fgb'),
      '--year',
      '2025',
      '--population-table',
      table,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const r = JSON.parse(result.stdout) as Report;
    const total = rows.reduce((sum, x) => sum + x.people, 0);
    expect(r.population).toMatchObject({ year: 2025, basis: 'table', file: 'people-2025.csv', county: total });
    expect(r.county.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.value).toBeCloseTo((beds / total) * 1000, 10);
    for (const zone of r.zones) expect(zone.population).toBe(rows.find((x) => x.code === zone.code)!.people);
    // A table that leaves out a township with people is refused in one line.
    writeFileSync(
      table,
      `code,population\n${rows
        .slice(1)
        .map((x) => `${x.code},${x.people}`)
        .join('\n')}\n`,
    );
    expectOneLineError(
      await cli(['ratios', ...shangyou, '--zones', data('shangyou/townships.fgb'), '--year', '2025', '--population-table', table]),
      /--population-table .*people-2025\.csv: .* has no row/,
    );
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
    for (const option of [
      '--facilities',
      '--population',
      '--zones',
      '--plan',
      '--year',
      '--growth',
      '--population-table',
      '--out',
      '--format',
      'Output',
    ])
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
    expectOneLineError(await cli(['ratios', ...shangyou, '--growth', '-0.01']), /--growth needs --year/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--year', '2025', '--growth']), /option --growth needs a value/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--year', '2025']), /--year needs --growth R or --population-table FILE/);
    expectOneLineError(
      await cli(['ratios', ...shangyou, '--year', '2019', '--growth', '0.01']),
      /--year: expected a year after 2020 up to 2050/,
    );
    expectOneLineError(
      await cli(['ratios', ...shangyou, '--year', '2025', '--growth', '5']),
      /--growth: expected a yearly rate .*found "5"/,
    );
    expectOneLineError(await cli(['ratios', ...shangyou, '--year', '2025', '--growth', 'lots']), /--growth: expected a yearly rate/);
    expectOneLineError(
      await cli(['ratios', ...shangyou, '--year', '2025', '--growth', '0.01', '--population-table', 'x.csv']),
      /--growth and --population-table: give one of them/,
    );
    expectOneLineError(await cli(['ratios', ...shangyou, '--statuses', 'existing,imagined']), /unknown status "imagined"/);
    expectOneLineError(await cli(['ratios', ...shangyou, '--out', join(dir, 'no-such-dir', 'x.json')]), /--out .*cannot write/);
    expectOneLineError(await cli(['frobnicate']), /unknown command "frobnicate"/);
    expectOneLineError(await cli([]), /no command given/);
  });
});
