/**
 * Fairness measures (issue 17): every figure recomputed here from the per-settlement minutes the session answers
 * with its coverage, by plain loops written differently from the core (sorting people by minutes for the
 * percentile, counting the people beyond a threshold one settlement at a time), on 上犹县 in buffer and network
 * mode, with people beyond the two-hour horizon and a township with nobody; the Gini and the deciles against
 * textbook formulas on hand-made numbers.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeAccess, facilityPropsById } from '../../src/core/access/index';
import { CoverageEngine } from '../../src/core/coverage/engine';
import type { TierOrAny } from '../../src/core/coverage/report';
import {
  decileMeans,
  DEFAULT_SFCA_OPTIONS,
  sfcaAccess,
  sfcaSpread,
  tierTimes,
  timeFairness,
  weightedGini,
  type TimeStats,
} from '../../src/core/fairness/index';
import { batch, removeFacility } from '../../src/core/history/index';
import { TIERS, type CountyDataset } from '../../src/core/model';
import { CountySession } from '../../src/core/session/county-session';
import type { CoverageResponse, FairnessAnswer, SessionSource } from '../../src/core/session/types';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES, type TravelSettings } from '../../src/core/travel/settings';

const DATA = resolve(__dirname, '../../data');
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};
let version = 0;
const ask = (settings: TravelSettings) => ({ version: ++version, settings, uncoveredTier: 'any' as const });

/** Slow enough on every road that some people are beyond two hours in network mode too. */
const SLOW_ROADS: TravelSettings = {
  ...DEFAULT_TRAVEL_SETTINGS,
  mode: 'network',
  roadKmh: Object.fromEntries(Object.keys(DEFAULT_TRAVEL_SETTINGS.roadKmh).map((k) => [k, 4])),
  defaultRoadKmh: 4,
  offroadKmh: 3,
};

interface Person {
  minutes: number;
  people: number;
}

/** The expected figures of a group of settlements, by sorting and counting (not the core's loop). */
function expected(group: readonly Person[], horizon: number): TimeStats {
  const peopled = group.filter((p) => p.people > 0);
  const total = peopled.reduce((s, p) => s + p.people, 0);
  if (total === 0)
    return {
      people: 0,
      mean_minutes: null,
      mean_is_lower_bound: false,
      p90_minutes: null,
      p90_beyond_horizon: false,
      share_beyond_30: null,
      share_beyond_60: null,
      share_beyond_horizon: null,
    };
  const beyond = (limit: number) => peopled.filter((p) => !(p.minutes <= limit + 1e-6)).reduce((s, p) => s + p.people, 0);
  const capped = peopled.map((p) => ({ t: p.minutes <= horizon + 1e-6 ? p.minutes : Infinity, people: p.people }));
  const mean = capped.reduce((s, p) => s + p.people * Math.min(p.t, horizon), 0) / total;
  // The 90th percentile: the first time, in order, by which 90 % of the people are counted.
  const sorted = [...capped].sort((a, b) => a.t - b.t);
  let seen = 0;
  let p90 = Infinity;
  for (const p of sorted) {
    seen += p.people;
    if (seen / total >= 0.9 - 1e-12) {
      p90 = p.t;
      break;
    }
  }
  return {
    people: total,
    mean_minutes: mean,
    mean_is_lower_bound: beyond(horizon) > 0,
    p90_minutes: Number.isFinite(p90) ? p90 : null,
    p90_beyond_horizon: !Number.isFinite(p90),
    share_beyond_30: beyond(30) / total,
    share_beyond_60: beyond(60) / total,
    share_beyond_horizon: beyond(horizon) / total,
  };
}

function expectStats(actual: TimeStats, wanted: TimeStats): void {
  expect(actual.people).toBeCloseTo(wanted.people, 6);
  for (const key of ['mean_minutes', 'p90_minutes', 'share_beyond_30', 'share_beyond_60', 'share_beyond_horizon'] as const) {
    if (wanted[key] === null) expect(actual[key], key).toBeNull();
    else expect(actual[key], key).toBeCloseTo(wanted[key], 9);
  }
  expect(actual.mean_is_lower_bound).toBe(wanted.mean_is_lower_bound);
  expect(actual.p90_beyond_horizon).toBe(wanted.p90_beyond_horizon);
}

/** Each settlement's people and township, read from the layer the session loaded. */
function settlements(dataset: CountyDataset) {
  return dataset.population.features.map((f) => {
    const p = f.properties as unknown as { population: number; township: string };
    return { people: Number(p.population), township: String(p.township) };
  });
}

/** The figures the session should give for a tier, recomputed from the minutes coverage answered. */
function check(answer: FairnessAnswer, coverage: CoverageResponse, dataset: CountyDataset, tier: TierOrAny): void {
  const horizon = answer.time.horizon;
  const minutes = coverage.times[tier];
  const rows = settlements(dataset).map((s, i) => ({ ...s, minutes: minutes[i]! }));
  expectStats(answer.time.county, expected(rows, horizon));
  const codes = dataset.townships.features.map((z) => z.properties.code);
  expect(answer.time.townships.map((t) => t.code)).toEqual(codes);
  for (const t of answer.time.townships)
    expectStats(
      t,
      expected(
        rows.filter((r) => r.township === t.code),
        horizon,
      ),
    );
  // Beyond 30 minutes is the complement of the coverage panel's "within 30" for the tier.
  const within30 = tier === 'any' ? coverage.report.summary.county.any['30'] : coverage.report.summary.county.tiers[tier]['30'];
  expect(answer.time.county.share_beyond_30).toBeCloseTo(1 - within30!.covered / coverage.report.summary.population_total, 9);
  // The worst township: the longest mean; ties by more people, then code.
  const peopled = answer.time.townships.filter((t) => t.people > 0);
  // 上犹工业园区 has no settlement: a township with nobody has no figures and is never the worst.
  expect(
    answer.time.townships.filter((t) => t.people === 0).map((t) => [t.name, t.mean_minutes, t.p90_minutes, t.share_beyond_30]),
  ).toEqual([['上犹工业园区', null, null, null]]);
  const worst = [...peopled].sort((a, b) => b.mean_minutes! - a.mean_minutes! || b.people - a.people || a.code.localeCompare(b.code))[0];
  expect(answer.time.worst?.code).toBe(worst?.code);
  expect(answer.time.worst?.mean_minutes).toBe(worst?.mean_minutes);
}

describe.each([
  ['buffer', { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' as const }],
  ['network', { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' as const }],
  ['network on slow roads', SLOW_ROADS],
])('fairness of 上犹县 in %s', (_label, settings) => {
  it('mean, 90th percentile, beyond 30/60 minutes and the worst township, per tier, from the minutes coverage answered', async () => {
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('shangyou');
    const coverage = await session.coverage(ask(settings));
    let beyondSeen = false;
    for (const tier of [...TIERS, 'any'] as const) {
      const answer = await session.fairness({ tier, sfca: DEFAULT_SFCA_OPTIONS });
      expect(answer.tier).toBe(tier);
      expect(answer.mode).toBe(settings.mode);
      expect(answer.time.horizon).toBe(TIME_HORIZON_MINUTES);
      expect(answer.modelled).toBe(true);
      check(answer, coverage, dataset, tier);
      if (answer.time.county.mean_is_lower_bound) beyondSeen = true;
    }
    // Buffer at walking speed and the slow roads leave people beyond two hours of some tier; the lower bound is said.
    if (settings.mode === 'buffer' || settings === SLOW_ROADS) expect(beyondSeen).toBe(true);
  });

  it('follows an edit, and evaluate gives another scenario the figures a session of it would give', async () => {
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('shangyou');
    await session.coverage(ask(settings));
    const request = { tier: 'township_centre' as const, sfca: DEFAULT_SFCA_OPTIONS };
    const before = await session.fairness(request);
    // Every township centre but the first goes: many people travel much further.
    const centres = dataset.facilities.features.filter((f) => f.properties.tier === 'township_centre').slice(1);
    const edited = await session.edit(batch(centres.map((f) => removeFacility(f.properties.id))), ask(settings));
    const after = await session.fairness(request);
    const afterDataset = {
      ...dataset,
      facilities: { ...dataset.facilities, features: dataset.facilities.features.filter((f) => !centres.includes(f)) },
    };
    check(after, edited.coverage, afterDataset, 'township_centre');
    expect(after.time.county.mean_minutes!).toBeGreaterThan(before.time.county.mean_minutes!);
    // The baseline evaluated beside the edited session: its figures, as before the edit.
    const evaluated = await session.evaluate(dataset.facilities, request);
    expect(evaluated.fairness).toEqual(before);
    expect((await session.evaluate(dataset.facilities)).fairness).toBeNull();
  });

  it('2SFCA per township, Gini and deciles from the access module’s own scores, and a township with nobody', async () => {
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('shangyou');
    await session.coverage(ask(settings));
    const answer = await session.fairness({ tier: 'township_centre', sfca: DEFAULT_SFCA_OPTIONS });
    // A fresh engine, and the access module's full computation (capacity, catchments, referral and 2SFCA).
    const engine = new CoverageEngine({ ...dataset, zones: dataset.townships }, settings, TIME_HORIZON_MINUTES);
    engine.computeAll();
    const access = computeAccess(engine, facilityPropsById(dataset.facilities.features), { minutes: 30 });
    const scores = access.scopes.any!.sfca.physicians.access;
    const zones = access.json.scopes.any!.sfca.physicians.zones;
    const rows = settlements(dataset);
    for (const t of answer.sfca.townships) {
      const mine = rows.flatMap((r, i) => (r.township === t.code && r.people > 0 ? [{ p: r.people, a: scores[i]! * 1000 }] : []));
      const people = mine.reduce((s, r) => s + r.p, 0);
      expect(t.people).toBeCloseTo(people, 6);
      if (people === 0) {
        // 上犹工业园区 has no settlement: no score, never a zero.
        expect(t.per_1000).toBeNull();
        continue;
      }
      expect(t.per_1000).toBeCloseTo(mine.reduce((s, r) => s + r.p * r.a, 0) / people, 9);
      expect(t.per_1000).toBeCloseTo(zones.find((z) => z.code === t.code)!.per_1000!, 9);
    }
    expect(answer.sfca.townships.filter((t) => t.per_1000 === null).map((t) => t.name)).toEqual(['上犹工业园区']);
    expect(answer.sfca.county_per_1000).toBeCloseTo(access.json.scopes.any!.sfca.physicians.county.per_1000!, 9);
    // Gini by the double sum over townships.
    const peopled = answer.sfca.townships.filter((t) => t.people > 0);
    const x = peopled.map((t) => t.per_1000!);
    const w = peopled.map((t) => t.people);
    const W = w.reduce((s, v) => s + v, 0);
    const mu = x.reduce((s, v, i) => s + v * w[i]!, 0) / W;
    let pairs = 0;
    for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) pairs += w[i]! * w[j]! * Math.abs(x[i]! - x[j]!);
    expect(answer.sfca.gini).toBeCloseTo(pairs / (2 * W * W * mu), 12);
    // Deciles person by person: every resident carries the township's score (populations are whole people).
    expect(w.every((v) => Number.isInteger(v))).toBe(true);
    const persons = new Float64Array(W);
    let k = 0;
    for (const i of x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!)) persons.fill(x[i]!, k, (k += w[i]!));
    const tenth = W / 10;
    const whole = Math.floor(tenth);
    const sliceMean = (at: (n: number) => number) => {
      let sum = 0;
      for (let n = 0; n < whole; n++) sum += at(n);
      return (sum + (tenth - whole) * at(whole)) / tenth;
    };
    const worstDecile = sliceMean((n) => persons[n]!);
    const bestDecile = sliceMean((n) => persons[W - 1 - n]!);
    expect(answer.sfca.worst_decile_per_1000).toBeCloseTo(worstDecile, 9);
    expect(answer.sfca.best_decile_per_1000).toBeCloseTo(bestDecile, 9);
    expect(answer.sfca.decile_ratio).toBeCloseTo(bestDecile / worstDecile, 9);
    const lowest = peopled.reduce((a, b) => (b.per_1000! < a.per_1000! ? b : a));
    expect(answer.sfca.worst?.code).toBe(lowest.code);
    // Beds instead of physicians, with stepped decay: the same scores as the access module's.
    const beds = sfcaAccess(engine, facilityPropsById(dataset.facilities.features), {
      minutes: 45,
      basis: 'beds',
      decay: 'stepped',
      scope: 'township_centre',
    });
    const bedsAccess = computeAccess(engine, facilityPropsById(dataset.facilities.features), { minutes: 45, decay: 'stepped' });
    expect(Array.from(beds.access)).toEqual(Array.from(bedsAccess.scopes.township_centre!.sfca.beds.access));

    // A township with nobody: its settlements emptied, it has no figures, is never the worst, and the county is the rest.
    const empty = engine.points.zoneCodes.indexOf(answer.time.worst!.code);
    const points = { ...engine.points, people: engine.points.people.map((p, i) => (engine.points.zone[i] === empty ? 0 : p)) };
    const times = tierTimes(engine, 'township_centre');
    const fair = timeFairness(points, times, TIME_HORIZON_MINUTES);
    expectStats(fair.townships[empty]!, expected([], TIME_HORIZON_MINUTES));
    expect(fair.worst?.code).not.toBe(engine.points.zoneCodes[empty]);
    const rest = rows.flatMap((r, i) => (engine.points.zone[i] === empty ? [] : [{ minutes: times[i]!, people: r.people }]));
    expectStats(fair.county, expected(rest, TIME_HORIZON_MINUTES));
    const spread = sfcaSpread(points, scores);
    expect(spread.townships[empty]!.per_1000).toBeNull();
    expect(spread.worst?.code).not.toBe(engine.points.zoneCodes[empty]);
    const others = spread.townships.filter((t) => t.per_1000 !== null);
    expect(spread.gini).toBeCloseTo(
      weightedGini(
        others.map((t) => t.per_1000!),
        others.map((t) => t.people),
      )!,
      12,
    );
  });
});

describe('the spread between townships on hand-made numbers', () => {
  /** Textbook Gini of a list of equal-weight values: G = 2 Σ i·x_(i) / (n Σ x) − (n + 1) / n, i from 1, sorted ascending. */
  const textbook = (values: number[]): number => {
    const x = [...values].sort((a, b) => a - b);
    const n = x.length;
    const sum = x.reduce((s, v) => s + v, 0);
    return (2 * x.reduce((s, v, i) => s + (i + 1) * v, 0)) / (n * sum) - (n + 1) / n;
  };
  const expand = (values: number[], weights: number[]) => values.flatMap((v, i) => Array<number>(weights[i]!).fill(v));

  it('the population-weighted Gini equals the textbook Gini of the people listed one by one', () => {
    expect(weightedGini([1, 2, 3, 4], [1, 1, 1, 1])).toBeCloseTo(0.25, 12);
    expect(textbook([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
    for (const [values, weights] of [
      [
        [1, 5, 2],
        [2, 1, 3],
      ],
      [
        [0.3, 0.3, 2.1, 0, 7],
        [10, 4, 1, 6, 2],
      ],
      [
        [3, 3, 3],
        [5, 1, 9],
      ],
    ] as [number[], number[]][])
      expect(weightedGini(values, weights)).toBeCloseTo(textbook(expand(values, weights)), 12);
    // Everything with one of n people: (n − 1) / n; nobody with any supply: no Gini.
    expect(weightedGini([0, 0, 0, 9], [1, 1, 1, 1])).toBeCloseTo(0.75, 12);
    expect(weightedGini([0, 0], [3, 4])).toBeNull();
    expect(weightedGini([5, 1], [0, 0])).toBeNull();
  });

  it('deciles are tenths of the people, a township split where the tenth ends', () => {
    // 50 people: the worst tenth is the 5 of score 0.5, the best tenth 5 of the 15 with score 4.
    expect(decileMeans([2, 0.5, 4, 1], [20, 5, 15, 10])).toEqual({ worst: 0.5, best: 4 });
    // The worst tenth is 3 people at 0.5 and 2 at 1; the best 5 at 4.
    const split = decileMeans([0.5, 1, 2, 4], [3, 10, 20, 17])!;
    const people = expand([0.5, 1, 2, 4], [3, 10, 20, 17]).sort((a, b) => a - b);
    expect(split.worst).toBeCloseTo(people.slice(0, 5).reduce((s, v) => s + v, 0) / 5, 12);
    expect(split.best).toBeCloseTo(people.slice(-5).reduce((s, v) => s + v, 0) / 5, 12);
    expect(decileMeans([1], [0])).toBeNull();
  });

  it('no finite ratio when the worst decile has nothing within reach', () => {
    const points = {
      count: 3,
      people: Float64Array.from([100, 50, 0]),
      zone: Int32Array.from([0, 1, 2]),
      zoneCodes: ['a', 'b', 'c'],
      zoneNames: ['甲', '乙', '丙'],
    } as unknown as Parameters<typeof sfcaSpread>[0];
    const spread = sfcaSpread(points, [0, 0.002, 0.5]);
    expect(spread.worst_decile_per_1000).toBe(0);
    expect(spread.decile_ratio).toBeNull();
    expect(spread.best_decile_per_1000).toBeCloseTo(2, 12);
    expect(spread.worst).toEqual({ code: 'a', name: '甲', per_1000: 0 });
    // The township with nobody has no score, whatever its settlements' scores.
    expect(spread.townships[2]!.per_1000).toBeNull();
  });
});
