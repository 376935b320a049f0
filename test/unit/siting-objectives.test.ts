/**
 * Every siting objective on the sample county data/shangyou (buffer and network mode), with what the answer claims
 * recounted independently: a fresh CoverageEngine with the suggested sites added as facilities gives each person's
 * minutes, and the test computes the mean, the worst, the people within the threshold and what capacity allows in
 * plain loops of its own. The brute-force optima of each objective are in siting-median/center/capacitated tests.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { DEFAULT_CAPACITY_OPTIONS } from '../../src/core/access/capacity';
import { BudgetError, sitingBytes } from '../../src/core/budget';
import { facilityPropsById, facilityUnits } from '../../src/core/access/sites';
import { DEFAULT_SFCA_OPTIONS, fairnessOf } from '../../src/core/fairness/index';
import { sitingSpread } from '../../src/core/fairness/siting-spread';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { Tier } from '../../src/core/model';
import { highsSolver, suggestSites, type MipSolver, type SitingResult } from '../../src/core/siting/index';
import { MINUTES_SLACK } from '../../src/core/travel/minutes';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES, type TravelSettings } from '../../src/core/travel/settings';

const root = resolve(import.meta.dirname, '../..');
const data = (path: string) => resolve(root, 'data/shangyou', path);
const TIER: Tier = 'township_centre';
const MINUTES = 30;

let facilities: FeatureCollection<Point>;
let population: FeatureCollection<Point>;
let roads: FeatureCollection;
let zones: FeatureCollection;
let solver: MipSolver;
beforeAll(async () => {
  const read = async (layer: string) => (await readFlatGeobuf(new Uint8Array(readFileSync(data(`${layer}.fgb`))))) as FeatureCollection;
  [facilities, population, roads, zones] = (await Promise.all(['facilities', 'population', 'roads', 'townships'].map(read))) as [
    FeatureCollection<Point>,
    FeatureCollection<Point>,
    FeatureCollection,
    FeatureCollection,
  ];
  solver = highsSolver(await loadHighs());
});

const settingsFor = (mode: 'buffer' | 'network'): TravelSettings => ({ ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [15, 30] });

function engineWith(settings: TravelSettings, sites: { lon: number; lat: number }[] = []): CoverageEngine {
  const added: Feature<Point>[] = sites.map((s, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    properties: { id: `new-${i}`, name: `new ${i}`, tier: TIER, status: 'planned' },
  }));
  return new CoverageEngine(
    { population, facilities: { type: 'FeatureCollection', features: [...facilities.features, ...added] }, roads, zones: zones as never },
    settings,
    TIME_HORIZON_MINUTES,
  );
}

/** Each person's minutes to the tier, as a fresh engine has them, and the figures computed from them here. */
function recount(engine: CoverageEngine) {
  const { people, x } = engine.points;
  const times = engine.times[TIER];
  const list: { minutes: number; people: number }[] = [];
  for (let i = 0; i < people.length; i++)
    if (people[i]! > 0 && Number.isFinite(x[i]!)) list.push({ minutes: times[i]!, people: people[i]! });
  const total = list.reduce((a, p) => a + p.people, 0);
  const capped = list.map((p) => ({ ...p, minutes: Math.min(p.minutes, TIME_HORIZON_MINUTES) }));
  return {
    mean: capped.reduce((a, p) => a + p.people * p.minutes, 0) / total,
    worst: Math.max(...list.map((p) => p.minutes)),
    within: list.filter((p) => Math.fround(p.minutes) <= MINUTES + MINUTES_SLACK).reduce((a, p) => a + p.people, 0) / total,
    beyond60: list.filter((p) => p.minutes > 60).reduce((a, p) => a + p.people, 0) / total,
  };
}

describe.each(['buffer', 'network'] as const)('siting objectives on 上犹 in %s mode', (mode) => {
  const settings = settingsFor(mode);
  let engine: CoverageEngine;
  const results = {} as Record<'coverage' | 'median' | 'center', SitingResult>;
  beforeAll(() => {
    engine = engineWith(settings);
    for (const objective of ['coverage', 'median', 'center'] as const)
      results[objective] = suggestSites(engine, { tier: TIER, minutes: MINUTES, k: 3, objective, tradeoffK: 4, zones });
  });

  it.each(['coverage', 'median', 'center'] as const)(
    '%s: the effects before and after are what a fresh engine with the sites counts',
    (objective) => {
      const r = results[objective];
      expect(r.suggestions).toHaveLength(3);
      const before = recount(engine);
      const after = recount(engineWith(settings, r.suggestions));
      for (const [claimed, truth] of [
        [r.effects!.before, before],
        [r.effects!.after, after],
      ] as const) {
        expect(claimed.mean_minutes).toBeCloseTo(truth.mean, 4);
        expect(claimed.covered_share).toBeCloseTo(truth.within, 9);
        expect(claimed.share_beyond_60).toBeCloseTo(truth.beyond60, 9);
        if (truth.worst > TIME_HORIZON_MINUTES) expect(claimed.worst_minutes).toBeNull();
        else expect(claimed.worst_minutes).toBeCloseTo(truth.worst, 4);
      }
      // The people the suggestions promise within the threshold are the people the engine then counts.
      expect(r.covered_after.share).toBeCloseTo(after.within, 9);
    },
  );

  it('each township’s mean trip before and after is the mean a fresh engine gives its people', () => {
    const r = results.median;
    const townshipMeans = (e: CoverageEngine) => {
      const sum = new Map<string, { people: number; minutes: number }>();
      const { people, zone, zoneCodes } = e.points;
      const times = e.times[TIER];
      for (let i = 0; i < people.length; i++) {
        if (!(people[i]! > 0) || zone[i]! < 0) continue;
        const code = zoneCodes[zone[i]!]!;
        const s = sum.get(code) ?? { people: 0, minutes: 0 };
        s.people += people[i]!;
        s.minutes += people[i]! * Math.min(times[i]!, TIME_HORIZON_MINUTES);
        sum.set(code, s);
      }
      return sum;
    };
    for (const [effects, e] of [
      [r.effects!.before, engine],
      [r.effects!.after, engineWith(settings, r.suggestions)],
    ] as const) {
      const truth = townshipMeans(e);
      for (const t of effects.townships) {
        const s = truth.get(t.code);
        if (!s) expect(t.mean_minutes).toBeNull();
        else expect(t.mean_minutes).toBeCloseTo(s.minutes / s.people, 4);
      }
      expect(effects.townships.filter((t) => t.mean_minutes !== null).length).toBe(truth.size);
    }
  });

  it('p-median: its value is the mean after, its bound is below it, and no other objective has a lower mean', () => {
    const o = results.median.objective;
    expect(o.kind).toBe('median');
    expect(o.value).toBeCloseTo(results.median.effects!.after.mean_minutes!, 9);
    expect(o.before).toBeCloseTo(results.median.effects!.before.mean_minutes!, 9);
    expect(o.bound!).toBeLessThanOrEqual(o.value! + 1e-9);
    expect(o.value!).toBeLessThan(o.before!);
    for (const other of [results.coverage, results.center]) expect(o.value!).toBeLessThanOrEqual(other.effects!.after.mean_minutes! + 1e-9);
    // Ranked by the trips they shorten: each rank's mean is the mean with the sites above it built.
    const means = results.median.suggestions.map((s) => s.mean_minutes_after!);
    expect([...means].sort((a, b) => b - a)).toEqual(means);
    expect(means[2]).toBeCloseTo(o.value!, 9);
  });

  it('p-center: its value is the worst time after (or the horizon), its bound below it, and no other objective does better', () => {
    const r = results.center;
    const o = r.objective;
    expect(o.bound!).toBeLessThanOrEqual(o.value! + 1e-6);
    const worstAfter = r.effects!.after.worst_minutes ?? TIME_HORIZON_MINUTES;
    expect(o.value).toBeCloseTo(worstAfter, 4);
    for (const other of [results.coverage, results.median])
      expect(worstAfter).toBeLessThanOrEqual((other.effects!.after.worst_minutes ?? TIME_HORIZON_MINUTES) + 1e-6);
  });

  it('trade-off: each curve at K is what that objective picks for K, and coverage is greedy coverage', () => {
    const curves = results.coverage.tradeoff!;
    expect(curves.map((c) => c.objective)).toEqual(['coverage', 'median', 'center']);
    for (const c of curves) expect(c.points.map((p) => p.k)).toEqual([0, 1, 2, 3, 4]);
    // Greedy maximal coverage's own curve (the coverage matrix) and the trade-off's (the minutes) agree.
    const coverage = curves[0]!;
    for (const p of coverage.points) expect(p.covered_share).toBeCloseTo(results.coverage.curve[p.k]!.share!, 9);
    // p-center's curve at K = 3 is the p-center answer for K = 3.
    expect(curves[2]!.points[3]!.worst_minutes ?? TIME_HORIZON_MINUTES).toBeCloseTo(results.center.objective.value!, 4);
  });
});

describe('exact answers and capacity on 上犹 (buffer)', () => {
  const settings = settingsFor('buffer');

  it('p-median with HiGHS: the exact mean is at most the heuristic mean and proven', () => {
    const engine = engineWith(settings);
    const heuristic = suggestSites(engine, { tier: TIER, minutes: MINUTES, k: 4, objective: 'median' });
    const exact = suggestSites(engine, { tier: TIER, minutes: MINUTES, k: 4, objective: 'median', solver });
    expect(exact.objective.exact?.status).toBe('optimal');
    expect(exact.objective.proven_optimal).toBe(true);
    expect(exact.objective.value!).toBeLessThanOrEqual(heuristic.objective.value! + 1e-9);
    expect(heuristic.objective.bound!).toBeLessThanOrEqual(exact.objective.value! + 1e-9);
    expect(recount(engineWith(settings, exact.suggestions)).mean).toBeCloseTo(exact.objective.value!, 4);
  });

  it('capacitated coverage: no site serves more than its capacity, and the served total is feasible', () => {
    const engine = engineWith(settings);
    const sitePeople = 3000;
    const r = suggestSites(engine, {
      tier: TIER,
      minutes: MINUTES,
      k: 3,
      objective: 'capacitated',
      capacity: { ...DEFAULT_CAPACITY_OPTIONS, unknown: 'unlimited', sitePeople, units: facilityUnits(facilities.features) },
      solver,
    });
    const o = r.objective;
    expect(o.capacity?.site_people).toBe(sitePeople);
    for (const s of r.suggestions) expect(s.served!).toBeLessThanOrEqual(sitePeople + 1e-6);
    // Served within capacity ≤ people within the threshold with the sites, and ≤ today's served + K × capacity.
    const within = recount(engineWith(settings, r.suggestions)).within * r.population.total;
    expect(o.value!).toBeLessThanOrEqual(within + 1e-6);
    expect(o.value!).toBeLessThanOrEqual(o.before! + 3 * sitePeople + 1e-6);
    expect(o.value!).toBeGreaterThan(o.before!);
    expect(o.bound!).toBeGreaterThanOrEqual(o.value! - 1e-6);
    expect(r.suggestions.reduce((a, s) => a + s.served!, 0)).toBeCloseTo(o.value! - o.before!, 4);
  });

  it('a budget of sites and a target share: says whether K sites reach the target', () => {
    const engine = engineWith(settings);
    const few = suggestSites(engine, { tier: TIER, minutes: MINUTES, k: 1, targetShare: 0.8, solver });
    const many = suggestSites(engine, { tier: TIER, minutes: MINUTES, k: 60, targetShare: 0.6, solver });
    expect(few.set_cover!.budget.fits).toBe(false);
    expect(few.set_cover!.budget.best_share).toBeCloseTo(few.covered_after.share!, 9);
    expect(many.set_cover!.budget.fits).toBe(true);
    expect(many.set_cover!.exact!.count!).toBeLessThanOrEqual(60);
  });
});

describe('healthshed site --objective', () => {
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runHealthshed(['site', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root });
    return { code, stdout, stderr };
  };
  const base = [
    '--facilities',
    data('facilities.fgb'),
    '--population',
    data('population.fgb'),
    '--tier',
    TIER,
    '--minutes',
    '30',
    '--k',
    '2',
  ];

  it('answers the same p-median as the core, with the effects', async () => {
    const r = await cli([...base, '--objective', 'median']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as SitingResult;
    const core = suggestSites(engineWith(settingsFor('buffer')), { tier: TIER, minutes: MINUTES, k: 2, objective: 'median' });
    expect(json.objective.kind).toBe('median');
    expect(json.suggestions.map((s) => s.id)).toEqual(core.suggestions.map((s) => s.id));
    expect(json.objective.value).toBeCloseTo(core.objective.value!, 9);
  });

  it('refuses an unknown objective and a bad capacity in one line', async () => {
    const bad = await cli([...base, '--objective', 'fastest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--objective must be one of coverage, median, center, capacitated, got "fastest"/);
    const capacity = await cli([...base, '--objective', 'capacitated', '--site-capacity', 'lots']);
    expect(capacity.code).toBe(2);
    expect(capacity.stderr).toMatch(/--site-capacity must be a number of people ≥ 0/);
  });
});

describe('the minutes matrix under a memory budget', () => {
  it('refuses a time objective whose candidate → person minutes would not fit, before they are built, and says what', () => {
    const engine = engineWith(settingsFor('buffer'));
    const ask = { tier: TIER, minutes: 15, k: 3, lockExisting: false, candidates: 'grid', gridMetres: 300 } as const;
    const free = suggestSites(engine, { ...ask, effects: false });
    // Room for the coverage matrix at 15 minutes with a margin, not for every person's minutes within two hours.
    const coverageBytes = sitingBytes({
      candidates: free.candidates.count,
      demand: free.population.total > 0 ? engine.points.count : 0,
      pairs: free.candidates.pairs,
    });
    const budget = Math.ceil(coverageBytes * 1.2);
    expect(() => suggestSites(engine, { ...ask, effects: false, memoryBudget: budget })).not.toThrow();
    let refused: unknown = null;
    try {
      suggestSites(engine, { ...ask, objective: 'median', memoryBudget: budget });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BudgetError);
    expect((refused as BudgetError).problem.zh).toContain('个候选点');
  });
});

describe('what sites do to the 2SFCA spread between townships', () => {
  it('before is the fairness panel’s figure; after is a fresh engine with the sites staffed like the tier’s median', () => {
    const settings = settingsFor('network');
    const engine = engineWith(settings);
    const result = suggestSites(engine, { tier: TIER, minutes: MINUTES, k: 3, objective: 'median', effects: false });
    const dataset = { population, facilities: facilities as never, roads, townships: zones as never };
    const spread = sitingSpread(engine, dataset, result, DEFAULT_SFCA_OPTIONS)!;
    // The tier's median physicians, counted here from the facility file.
    const physicians = facilities.features
      .filter((f) => f.properties?.['tier'] === TIER && typeof f.properties?.['physicians'] === 'number')
      .map((f) => f.properties!['physicians'] as number)
      .sort((a, b) => a - b);
    const mid = physicians.length >> 1;
    const median = physicians.length % 2 ? physicians[mid]! : (physicians[mid - 1]! + physicians[mid]!) / 2;
    expect(spread.staffed_as.physicians).toBe(median);
    const before = fairnessOf(engine, facilityPropsById(facilities.features), TIER, DEFAULT_SFCA_OPTIONS).sfca;
    expect(spread.before.gini).toBe(before.gini);
    const added = result.suggestions.map((s, i) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
      properties: { id: `x-${i}`, name: s.name, tier: TIER, status: 'planned', physicians: median },
    }));
    const all = { type: 'FeatureCollection' as const, features: [...facilities.features, ...added] };
    const afterEngine = new CoverageEngine({ population, facilities: all, roads, zones: zones as never }, settings, TIME_HORIZON_MINUTES);
    const after = fairnessOf(afterEngine, facilityPropsById(all.features), TIER, DEFAULT_SFCA_OPTIONS).sfca;
    expect(spread.after.gini).toBeCloseTo(after.gini!, 12);
    expect(spread.after.county_per_1000).toBeCloseTo(after.county_per_1000!, 9);
    // More physicians within reach of the county's people than before.
    expect(spread.after.county_per_1000!).toBeGreaterThan(spread.before.county_per_1000!);
  });
});
