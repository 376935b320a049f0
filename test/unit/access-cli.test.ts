import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Geodesic } from 'geographiclib-geodesic';
import type { FeatureCollection, Point } from 'geojson';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { runCli } from '../../src/cli/run';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';

const root = resolve(import.meta.dirname, '../..');
const data = (path: string) => resolve(root, 'data', path);
const fixture = (path: string) => resolve(root, 'test/fixtures/access', path);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The installed command in its own process, as a user runs it. */
/** The command in this process (src/cli/main.ts run): the same exit code, stdout and stderr as `healthshed …`. */
async function cli(args: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed(['access', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: cwd });
  return { code, stdout, stderr };
}

/** The same runner in this process: much quicker than starting Node and tsx for each case. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['access', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

/** The command failed with exactly one line on stderr, which matches `pattern`. */
function expectOneLineError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

const SCOPES = ['any', 'county_hospital', 'township_centre', 'village_clinic'] as const;

interface Area {
  population: number;
  within_reach: number;
  served: number;
  unserved_in_reach: number;
  out_of_reach: number;
}

interface Report {
  mode: string;
  minutes: number;
  population_total: number;
  points: number;
  scopes: Record<
    (typeof SCOPES)[number],
    {
      facilities: number;
      capacity: Area & {
        facilities: { id: string; capacity: number | null; served: number }[];
        zones: (Area & { code: string })[];
        unzoned: Area;
      };
      catchments: {
        population_total: number;
        unassigned: { people: number };
        facilities: { id: string; population: number }[];
        zones: { code: string; population: number; facilities: { people: number }[] }[];
      };
      sfca: Record<
        'physicians' | 'beds',
        { county: { per_1000: number | null; population: number; supply_total: number }; zones: { per_1000: number | null }[] }
      >;
    }
  >;
  referral: Record<
    'village_to_township' | 'township_to_county',
    { count: number; over_limit: number; rows: { from_id: string; to_id: string | null; minutes: number | null; over_limit: boolean }[] }
  >;
  settings: Record<string, unknown>;
  problems: { population: unknown[]; facilities: unknown[]; roads: unknown[] };
}

const shangyou = [
  '--facilities',
  data('shangyou/facilities.fgb'),
  '--population',
  data('shangyou/population.fgb'),
  '--zones',
  data('shangyou/townships.fgb'),
];

function checkInvariants(report: Report) {
  for (const scope of SCOPES) {
    const s = report.scopes[scope];
    const c = s.capacity;
    for (const area of [c, ...c.zones, c.unzoned]) {
      expect(area.served).toBeLessThanOrEqual(area.within_reach + 1e-6);
      expect(area.within_reach).toBeLessThanOrEqual(area.population + 1e-6);
      expect(area.served + area.unserved_in_reach + area.out_of_reach).toBeCloseTo(area.population, 6);
    }
    expect(c.population).toBe(report.population_total);
    expect(c.zones.reduce((sum, z) => sum + z.population, 0) + c.unzoned.population).toBe(report.population_total);
    for (const f of c.facilities) if (f.capacity !== null) expect(f.served).toBeLessThanOrEqual(f.capacity + 1e-6);
    const k = s.catchments;
    expect(k.population_total).toBe(report.population_total);
    if (s.facilities > 0) {
      expect(k.facilities.reduce((sum, f) => sum + f.population, 0) + k.unassigned.people).toBeCloseTo(report.population_total, 6);
      for (const z of k.zones) expect(z.facilities.reduce((sum, f) => sum + f.people, 0)).toBeCloseTo(z.population, 6);
    }
  }
}

describe('healthshed access on the sample county', { timeout: 60_000 }, () => {
  let buffer: Awaited<ReturnType<typeof cli>>;
  let report: Report;
  const csv = join(dir, 'points.csv');
  const areas = join(dir, 'areas.geojson');
  const out = join(dir, 'access.json');
  beforeAll(async () => {
    buffer = await cli([...shangyou, '--points', csv, '--areas', areas, '--boundary', data('shangyou/boundary.fgb'), '--out', out]);
    report = JSON.parse(existsSync(out) ? readFileSync(out, 'utf8') : '{}') as Report;
  }, 60_000);

  it('exits 0 and writes the JSON with every scope and both referral legs', async () => {
    expect(buffer.code, buffer.stderr).toBe(0);
    expect(buffer.stderr).toBe('');
    expect(buffer.stdout).toBe('');
    expect(Object.keys(report).sort()).toEqual([
      'decay',
      'minutes',
      'mode',
      'points',
      'population_total',
      'problems',
      'referral',
      'scopes',
      'settings',
    ]);
    expect(report).toMatchObject({ mode: 'buffer', minutes: 30, decay: 'none', points: 147 });
    expect(Object.keys(report.scopes).sort()).toEqual([...SCOPES].sort());
    // Every facility of the committed layer is in the "any" scope.
    const committed = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/facilities.fgb'))));
    expect(report.scopes.any.facilities).toBe(committed.features.length);
    expect(report.scopes.township_centre.capacity.zones).toHaveLength(15);
    // One referral row per village-tier facility, and one per township centre, counted in the layer.
    const ofTier = (tier: string) => committed.features.filter((f) => f.properties!['tier'] === tier).length;
    expect(report.referral.village_to_township.count).toBe(ofTier('village_clinic'));
    expect(report.referral.township_to_county.count).toBe(ofTier('township_centre'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps served ≤ within reach ≤ total everywhere, and catchments that add up to the county', async () => {
    const population = await readFlatGeobuf(new Uint8Array(readFileSync(data('shangyou/population.fgb'))));
    expect(report.population_total).toBe(population.features.reduce((s, f) => s + Number(f.properties!['population']), 0));
    checkInvariants(report);
    // 2SFCA conserves supply: the county's mean × its people is the supply of facilities with anyone in reach.
    const s = report.scopes.any.sfca.physicians.county;
    expect((s.per_1000! * s.population) / 1000).toBeLessThanOrEqual(s.supply_total + 1e-6);
  });

  it('writes one CSV row per settlement, with a BOM and the promised columns', () => {
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    for (const column of ['id', 'nearest_facility', 'minutes', 'served_share', 'sfca_physicians_per_1000', 'sfca_beds_per_1000'])
      expect(parsed.meta.fields).toContain(column);
    expect(parsed.data).toHaveLength(147);
    expect(new Set(parsed.data.map((r) => r['id'])).size).toBe(147);
    const served = parsed.data.reduce((sum, r) => sum + Number(r['served_people']), 0);
    expect(served).toBeCloseTo(report.scopes.any.capacity.served, 0);
    for (const r of parsed.data) {
      const share = Number(r['served_share']);
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
      expect(r['nearest_facility']).not.toBe('');
    }
  });

  it('writes the catchment polygons of the tier asked for', () => {
    const fc = JSON.parse(readFileSync(areas, 'utf8')) as {
      features: { properties: { facility_id: string; method: string; population: number } }[];
    };
    expect(fc.features.length).toBeGreaterThan(140);
    expect(fc.features.every((f) => f.properties.method === 'voronoi')).toBe(true);
    const sum = fc.features.reduce((s, f) => s + f.properties.population, 0);
    expect(sum).toBeLessThanOrEqual(report.population_total);
  });

  it('runs in network mode with roads, the stepped decay and a township tier', async () => {
    const csvTc = join(dir, 'tc.csv');
    const result = await cli([
      ...shangyou,
      '--roads',
      data('shangyou/roads.fgb'),
      '--mode',
      'network',
      '--decay',
      'stepped',
      '--tier',
      'township_centre',
      '--points',
      csvTc,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const net = JSON.parse(result.stdout) as Report;
    expect(net).toMatchObject({ mode: 'network', decay: 'stepped' });
    checkInvariants(net);
    const rows = net.referral.village_to_township.rows;
    for (let k = 1; k < rows.length; k++) {
      const [a, b] = [rows[k - 1]!.minutes, rows[k]!.minutes];
      if (a !== null && b !== null) expect(a).toBeGreaterThanOrEqual(b);
      else expect(b === null ? a : 0).toBeNull();
    }
    for (const r of rows) expect(r.over_limit).toBe(r.minutes === null || r.minutes > 60);
    const parsed = Papa.parse<Record<string, string>>(readFileSync(csvTc, 'utf8').slice(1), { header: true, skipEmptyLines: true });
    expect(new Set(parsed.data.map((r) => r['tier']))).toEqual(new Set(['township_centre']));
    expect(parsed.data.every((r) => r['nearest_facility']!.startsWith('TC-'))).toBe(true);
  });
});

describe('healthshed access on a hand-checked GeoJSON fixture', { timeout: 60_000 }, () => {
  // TC-1 (2 physicians, 5 beds) with v1 (150 people) 500 m east and v2 (100) 1 km west; v3 (50) 20 km north at
  // VC-9 (1 physician, beds unknown). VC-2 is only suggested and does not count.
  const args = ['--facilities', fixture('facilities.geojson'), '--population', fixture('population.geojson')];

  it('serves the nearer village first, up to 2 physicians × 100 people', async () => {
    const csv = join(dir, 'fixture.csv');
    const out = await run([...args, '--people-per-physician', '100', '--points', csv, '--tier', 'township_centre']);
    expect(out.code, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout) as Report;
    expect(r.scopes.township_centre.capacity).toMatchObject({
      population: 300,
      within_reach: 250,
      served: 200,
      unserved_in_reach: 50,
      out_of_reach: 50,
    });
    expect(r.scopes.any.capacity).toMatchObject({ within_reach: 300, served: 250 });
    expect(r.scopes.any.facilities).toBe(2);
    // Townships from the codes on the points, as no --zones was given.
    expect(r.scopes.any.capacity.zones.map((z) => [z.code, z.population])).toEqual([
      ['T1', 250],
      ['T2', 50],
    ]);
    // VC-9 → TC-1 is about 20 km: some 240 minutes at 5 km/h, flagged; to 0.05 min of the ellipsoid's geodesic
    // (GeographicLib), which the engine's transverse Mercator follows to a few parts in a million. No county
    // hospital: unreachable.
    expect(r.referral.village_to_township.rows).toEqual([expect.objectContaining({ from_id: 'VC-9', to_id: 'TC-1', over_limit: true })]);
    const at = (id: string) =>
      (JSON.parse(readFileSync(fixture('facilities.geojson'), 'utf8')) as FeatureCollection<Point>).features.find(
        (f) => f.properties?.['id'] === id,
      )!.geometry.coordinates;
    const [from, to] = [at('VC-9'), at('TC-1')];
    const metres = Geodesic.WGS84.Inverse(from[1]!, from[0]!, to[1]!, to[0]!).s12!;
    expect(Math.abs(r.referral.village_to_township.rows[0]!.minutes! - (metres / 5000) * 60)).toBeLessThan(0.05);
    expect(r.referral.township_to_county.rows).toEqual([
      expect.objectContaining({ from_id: 'TC-1', to_id: null, minutes: null, over_limit: true }),
    ]);
    const rows = Papa.parse<Record<string, string>>(readFileSync(csv, 'utf8').slice(1), { header: true }).data.filter((row) => row['id']);
    expect(rows.map((row) => [row['id'], row['name'], row['served_people'], row['served_share']])).toEqual([
      ['v1', '甲村, "东"', '150', '1'],
      ['v2', '乙村', '50', '0.5'],
      ['v3', '丙村', '0', '0'],
    ]);
  });

  it('writes no NaN or Infinity in its CSVs: unreachable minutes and shares over nobody are empty cells', async () => {
    // No county hospital: every settlement is out of that tier's reach, and its shares are over nobody.
    for (const tier of SCOPES) {
      const points = join(dir, `fixture-${tier}.csv`);
      const facilities = join(dir, `fixture-facilities-${tier}.csv`);
      const out = await run([...args, '--people-per-physician', '100', '--points', points, '--facilities-out', facilities, '--tier', tier]);
      expect(out.code, out.stderr).toBe(0);
      for (const file of [points, facilities]) {
        const text = readFileSync(file, 'utf8');
        expect(text, `${tier} ${file}`).not.toMatch(/NaN|Infinity/i);
        const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
        expect(parsed.errors).toEqual([]);
        for (const row of parsed.data)
          for (const [key, cell] of Object.entries(row))
            expect(cell, `${tier} ${key}`).not.toMatch(/^(nan|[-+]?inf(inity)?|null|undefined)$/i);
      }
      if (tier === 'county_hospital') {
        const rows = Papa.parse<Record<string, string>>(readFileSync(points, 'utf8').slice(1), { header: true, skipEmptyLines: true }).data;
        expect(rows).toHaveLength(3);
        for (const row of rows) expect(row['minutes'], row['id']).toBe('');
      }
    }
  });

  it('writes each facility with its catchment population and capacity figures (--facilities-out), read back by GDAL', async () => {
    const file = join(dir, 'facilities-access.fgb');
    const out = await run([...args, '--people-per-physician', '100', '--facilities-out', file]);
    expect(out.code, out.stderr).toBe(0);
    const csv = spawnSync('ogr2ogr', ['-f', 'CSV', '/vsistdout/', file], { encoding: 'utf8' }).stdout;
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const pick = (r: Record<string, string>) => [
      r['id'],
      r['catchment_population'],
      r['capacity'],
      r['served'],
      r['in_reach'],
      r['unserved_in_reach'],
    ];
    // v1 (150) and v2 (100) are nearest TC-1, v3 (50) sits at VC-9; TC-1 serves 2 × 100 of its 250 in reach.
    // VC-2 is only suggested: in the file, with no figures.
    expect(rows.map(pick)).toEqual([
      ['TC-1', '250', '200', '200', '250', '50'],
      ['VC-9', '50', '100', '50', '50', '0'],
      ['VC-2', '', '', '', '', ''],
    ]);
    expect(rows[0]!['name']).toBe('甲镇卫生院');
  });

  it('sizes by beds when asked, and lets a facility with no data serve no one under --unknown-capacity zero', async () => {
    const out = await run([...args, '--basis', 'beds', '--people-per-bed', '10', '--unknown-capacity', 'zero']);
    expect(out.code, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout) as Report;
    expect(r.scopes.any.capacity).toMatchObject({ served: 50 });
    expect(r.scopes.any.capacity.facilities.map((f) => [f.id, f.capacity, f.served])).toEqual([
      ['TC-1', 50, 50],
      ['VC-9', null, 0],
    ]);
  });
});

describe('healthshed access on bad input', { timeout: 60_000 }, () => {
  const base = ['--facilities', fixture('facilities.geojson'), '--population', fixture('population.geojson')];
  it('exits 2 with one line for each kind of mistake', async () => {
    expectOneLineError(
      await run(['--facilities', join(dir, 'nope.fgb'), '--population', fixture('population.geojson')]),
      /facilities .*nope\.fgb: file not found/,
    );
    // Once from the installed command in its own process, as a user meets it.
    expectOneLineError(await cli([...base, '--mode', 'drive']), /--mode must be one of buffer, network, terrain, got "drive"/);
    expectOneLineError(await run(['--population', fixture('population.geojson')]), /--facilities is required/);
    expectOneLineError(await run([...base, '--minutes', 'half']), /--minutes must be a positive number, got "half"/);
    expectOneLineError(await run([...base, '--minutes', '0']), /--minutes must be a positive number/);
    expectOneLineError(await run([...base, '--people-per-bed=-3']), /--people-per-bed must be a positive number/);
    expectOneLineError(await run([...base, '--mode', 'drive']), /--mode must be one of buffer, network, terrain, got "drive"/);
    expectOneLineError(await run([...base, '--mode', 'network']), /--mode network needs --roads/);
    expectOneLineError(await run([...base, '--decay', 'linear']), /--decay must be one of none, stepped, gaussian/);
    expectOneLineError(
      await run([...base, '--tier', 'hospital']),
      /--tier must be one of any, county_hospital, township_centre, village_clinic/,
    );
    expectOneLineError(await run([...base, '--basis', 'nurses']), /--basis must be one of physicians, beds/);
    expectOneLineError(await run([...base, '--frobnicate', '1']), /unknown option --frobnicate/);
    expectOneLineError(
      await run([...base, '--points', join(dir, 'missing-dir', 'p.csv')]),
      /--points .*cannot write \(its directory does not exist\)/,
    );
    expectOneLineError(
      await run([
        '--facilities',
        fixture('population.geojson'),
        '--population',
        fixture('facilities.geojson'),
        '--roads',
        fixture('facilities.geojson'),
      ]),
      /roads .*Point geometry/,
    );
  });

  it('documents every option and every output field in --help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    const source = readFileSync(resolve(root, 'src/cli/commands/access.ts'), 'utf8');
    const options = [...source.matchAll(/^ {4}'?([a-z-]+)'?: \{ type: 'string' \}/gm)].map((m) => m[1]!);
    expect(options.length).toBeGreaterThan(15);
    for (const option of options) expect(help.stdout).toContain(`--${option}`);
    for (const field of [
      'served_share',
      'unserved_in_reach',
      'out_of_reach',
      'mean_minutes',
      'per_1000',
      'over_limit',
      'straight_km',
      'sfca_beds_per_1000',
    ])
      expect(help.stdout).toContain(field);
  });
});
