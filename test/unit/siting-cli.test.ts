/**
 * `healthshed site` on the sample county data/shangyou, as a planner runs it, with the people it promises
 * recounted independently: a fresh CoverageEngine with the suggested sites added as facilities.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { Tier } from '../../src/core/model';
import type { SitingResult } from '../../src/core/siting/index';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';

const root = resolve(import.meta.dirname, '../..');
const data = (path: string) => resolve(root, 'data/shangyou', path);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-site-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command in this process (src/cli/main.ts run): the same exit code, stdout and stderr as `healthshed …`. */
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed(['site', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

const base = ['--facilities', data('facilities.fgb'), '--population', data('population.fgb')];

function expectOneLineError(result: Awaited<ReturnType<typeof cli>>, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

let facilities: FeatureCollection<Point>;
let population: FeatureCollection<Point>;
let roads: FeatureCollection;
beforeAll(async () => {
  const read = async (layer: string) => (await readFlatGeobuf(new Uint8Array(readFileSync(data(`${layer}.fgb`))))) as FeatureCollection;
  [facilities, population, roads] = (await Promise.all(['facilities', 'population', 'roads'].map(read))) as [
    FeatureCollection<Point>,
    FeatureCollection<Point>,
    FeatureCollection,
  ];
});

/** People within `minutes` of a facility of `tier` with these sites added, counted by a fresh engine. */
function recount(sites: { lon: number; lat: number }[], tier: Tier, minutes: number, settings: TravelSettings): number {
  const added: Feature<Point>[] = sites.map((s, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    properties: { id: `new-${i}`, name: `new ${i}`, tier, status: 'planned' },
  }));
  const engine = new CoverageEngine(
    { population, facilities: { type: 'FeatureCollection', features: [...facilities.features, ...added] }, roads },
    { ...settings, thresholds: [minutes] },
  );
  let sum = 0;
  for (let i = 0; i < engine.points.count; i++) if (engine.times[tier][i]! <= minutes + 1e-6) sum += engine.points.people[i]!;
  return sum;
}

describe('healthshed site', { timeout: 60_000 }, () => {
  it('K = 3 village clinics at 15 minutes: the people it promises are the people a fresh engine counts', async () => {
    const r = await cli([...base, '--tier', 'village_clinic', '--minutes', '15', '--k', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as SitingResult;
    expect(out.suggestions).toHaveLength(3);
    const buffer = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' as const };
    const before = recount([], 'village_clinic', 15, buffer);
    expect(out.population.already_covered).toBe(before);
    for (let rank = 1; rank <= 3; rank++) {
      const after = recount(out.suggestions.slice(0, rank), 'village_clinic', 15, buffer);
      expect(after - before).toBe(out.suggestions[rank - 1]!.cumulative);
    }
    expect(out.suggestions.every((s) => s.newly_covered > 0 && s.kind === 'settlement')).toBe(true);
    expect(out.quality.upper_bound).toBeGreaterThanOrEqual(out.covered_after.people - out.population.already_covered);
  });

  it('does the same in network mode, with the exact optimum, the fewest sites for a target and relocations', async () => {
    const network = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' as const };
    const before = recount([], 'village_clinic', 5, network);
    const total = population.features.reduce((s, f) => s + (f.properties as { population: number }).population, 0);
    // Three points above today's share within 5 minutes: settlements live off the road (a walk to it), so one new
    // clinic per township adds a few points, not the whole county.
    const target = Math.ceil((before / total + 0.03) * 100) / 100;
    const r = await cli([
      ...base,
      '--roads',
      data('roads.fgb'),
      '--zones',
      data('townships.fgb'),
      '--mode',
      'network',
      '--tier',
      'village_clinic',
      '--minutes',
      '5',
      '--k',
      '4',
      '--exact',
      '--target-share',
      String(target),
      '--relocate',
      '--one-per-township',
    ]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as SitingResult;
    expect(out.population.total).toBe(total);
    expect(recount(out.suggestions, 'village_clinic', 5, network) - before).toBe(out.suggestions.at(-1)!.cumulative);
    const townships = out.suggestions.map((s) => s.township);
    expect(new Set(townships).size).toBe(townships.length);
    const exact = out.quality.exact!;
    expect(exact.status).toBe('optimal');
    expect(exact.value).toBeGreaterThanOrEqual(out.quality.swap_value!);
    expect(out.quality.swap_value!).toBeGreaterThanOrEqual(out.quality.greedy_value);
    expect(exact.greedy_gap).toBeCloseTo((exact.value - out.quality.greedy_value) / exact.value, 12);
    const sc = out.set_cover!;
    const needed = recount(sc.exact!.sites, 'village_clinic', 5, network);
    expect(needed).toBeGreaterThanOrEqual(target * total);
    expect(sc.exact!.count).toBeLessThanOrEqual(sc.greedy!.count);
    expect(out.relocation!.length).toBeGreaterThan(0);
    const move = out.relocation![0]!;
    const moved = facilities.features.filter((f) => (f.properties as { id: string }).id !== move.facility_id);
    const engine = (features: Feature<Point>[]) =>
      new CoverageEngine({ population, facilities: { type: 'FeatureCollection', features }, roads }, { ...network, thresholds: [5] });
    const count = (e: CoverageEngine) => e.points.people.reduce((s, p, i) => s + (e.times.village_clinic[i]! <= 5 + 1e-6 ? p : 0), 0);
    const to: Feature<Point> = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [move.to!.lon, move.to!.lat] },
      properties: { id: 'moved', tier: 'village_clinic' },
    };
    expect(count(engine([...moved, to])) - count(engine(facilities.features))).toBe(move.net);
  });

  it('respects excluded areas and writes --out', async () => {
    const first = JSON.parse((await cli([...base, '--tier', 'village_clinic', '--minutes', '15', '--k', '1'])).stdout) as SitingResult;
    const top = first.suggestions[0]!;
    const d = 0.001;
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [top.lon - d, top.lat - d],
          [top.lon + d, top.lat - d],
          [top.lon + d, top.lat + d],
          [top.lon - d, top.lat + d],
          [top.lon - d, top.lat - d],
        ],
      ],
    };
    writeFileSync(
      join(dir, 'exclude.geojson'),
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: polygon }] }),
    );
    const out = join(dir, 'site.json');
    const r = await cli([
      ...base,
      '--tier',
      'village_clinic',
      '--minutes',
      '15',
      '--k',
      '1',
      '--exclude',
      join(dir, 'exclude.geojson'),
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const second = JSON.parse(readFileSync(out, 'utf8')) as SitingResult;
    expect(second.candidates.excluded).toBe(1);
    expect(second.suggestions[0]!.id).not.toBe(top.id);
  });

  it('documents its options and output', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const word of [
      '--tier',
      '--minutes',
      '--k',
      '--mode',
      '--candidates',
      '--grid-m',
      '--one-per-township',
      '--exclude',
      '--exact',
      '--target-share',
      '--relocate',
      '--out',
      'suggestions[]',
      'upper_bound',
      'curve[]',
    ])
      expect(r.stdout).toContain(word);
  });

  it.each([
    [['--tier', 'clinic', '--minutes', '15', '--k', '3'], /--tier must be one of/],
    [['--tier', 'village_clinic', '--minutes', '15'], /--k is required/],
    [['--tier', 'village_clinic', '--minutes', '0', '--k', '3'], /--minutes must be a positive/],
    [['--tier', 'village_clinic', '--minutes', '15', '--k', '2.5'], /--k must be a whole number/],
    [['--tier', 'village_clinic', '--minutes', '15', '--k', '3', '--mode', 'network'], /needs --roads/],
    [['--tier', 'village_clinic', '--minutes', '15', '--k', '3', '--one-per-township'], /needs --zones/],
    [['--tier', 'village_clinic', '--minutes', '15', '--k', '3', '--target-share', '1.5'], /--target-share must be a share/],
    [['--tier', 'village_clinic', '--minutes', '15', '--k', '3', '--candidates', 'villages'], /settlements or grid/],
    [['--tier', 'village_clinic', '--minutes', '15', '--k', '3', '--exclude', 'missing.geojson'], /cannot read/],
  ])('bad input %j exits 2 with one line', async (args, pattern) => {
    expectOneLineError(await cli([...base, ...args]), pattern);
  });

  it('names an exclusion file that holds no polygons', async () => {
    writeFileSync(
      join(dir, 'points.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [114, 26] } }],
      }),
    );
    expectOneLineError(
      await cli([...base, '--tier', 'village_clinic', '--minutes', '15', '--k', '1', '--exclude', join(dir, 'points.geojson')]),
      /feature 0: a Point is not an area/,
    );
  });
});
