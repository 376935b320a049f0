/**
 * The p-median objective (least person-minutes to the nearest site or kept facility) on small instances, against
 * the optimum found by enumerating every allowed subset of at most K candidates, with each subset's value counted
 * here from per-row minutes (not by the code under test): greedy + interchange, the Lagrangian lower bound and
 * the exact MIP (HiGHS).
 */
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random';
import { highsSolver } from '../../src/core/siting/highs-solver';
import { solveMedianExact } from '../../src/core/siting/median-exact';
import type { MipSolver } from '../../src/core/siting/mip';
import { minutesMatrixFromLists, type TimeProblem } from '../../src/core/siting/objective-types';
import { medianGreedy, medianInterchange, medianLagrangian, medianLowerBound, medianValue } from '../../src/core/siting/p-median';

let solver: MipSolver;
beforeAll(async () => {
  solver = highsSolver(await loadHighs());
});

/** An instance as plain data: per candidate, [row, minutes] pairs; per row, people and today's minutes. */
interface Instance {
  lists: [number, number][][];
  weight: number[];
  base: number[];
  horizon: number;
  zone: number[] | null;
  allowed: number[] | null;
}

const problemOf = (x: Instance): TimeProblem => ({
  matrix: minutesMatrixFromLists(x.lists, x.weight.length),
  weight: Float64Array.from(x.weight),
  base: Float64Array.from(x.base),
  horizon: x.horizon,
});
const constraintsOf = (x: Instance) => ({
  zone: x.zone ? Int32Array.from(x.zone) : null,
  allowed: x.allowed ? Uint8Array.from(x.allowed) : null,
});

/** Person-minutes of a set, from a dense table of per-row minutes built here. */
function valueOf(x: Instance, selected: readonly number[]): number {
  const time = x.base.slice();
  for (const j of selected) for (const [row, m] of x.lists[j]!) time[row] = Math.min(time[row]!, Math.fround(m));
  return time.reduce((sum, t, row) => sum + x.weight[row]! * t, 0);
}

/** The least value over every allowed subset of at most k candidates (at most one per township when zoned). */
function bruteForce(x: Instance, k: number): { value: number; best: number[] } {
  const n = x.lists.length;
  let best = { value: valueOf(x, []), best: [] as number[] };
  for (let mask = 1; mask < 1 << n; mask++) {
    const set: number[] = [];
    for (let j = 0; j < n; j++) if (mask & (1 << j)) set.push(j);
    if (set.length > k) continue;
    if (x.allowed && set.some((j) => x.allowed![j] !== 1)) continue;
    if (x.zone) {
      const zones = set.map((j) => x.zone![j]!).filter((z) => z >= 0);
      if (new Set(zones).size !== zones.length) continue;
    }
    const v = valueOf(x, set);
    if (v < best.value) best = { value: v, best: set };
  }
  return best;
}

/**
 * Places in a 12 × 12 km square at 5 km/h (12 min/km): candidates, people in clusters, a few kept facilities
 * that set today's time (capped at the horizon), some people far off whom no candidate reaches. A pair is kept
 * only when it beats today's time, as timeProblemFor keeps them. `whole`: minutes rounded, for many ties.
 */
function randomInstance(
  seed: number,
  options: { candidates: number; rows: number; kept: number; zones: number; whole: boolean },
): Instance {
  const rng = seededRandom(seed);
  const horizon = 60;
  const minutesOf = (ax: number, ay: number, bx: number, by: number) => {
    const m = Math.hypot(ax - bx, ay - by) * 12;
    return options.whole ? Math.round(m) : m;
  };
  const cand = Array.from({ length: options.candidates }, () => [rng.uniform(0, 12), rng.uniform(0, 12)] as const);
  const kept = Array.from({ length: options.kept }, () => [rng.uniform(0, 12), rng.uniform(0, 12)] as const);
  const centres = Array.from({ length: 4 }, () => [rng.uniform(0, 12), rng.uniform(0, 12)] as const);
  const rows = Array.from({ length: options.rows }, (_, r) => {
    if (r % 9 === 8) return [40 + rng.uniform(0, 5), 40] as const; // far off: nobody reaches them
    const [cx, cy] = centres[r % centres.length]!;
    return [cx + rng.normal() * 1.5, cy + rng.normal() * 1.5] as const;
  });
  const weight = rows.map(() => Math.round(rng.uniform(1, 50)));
  const base = rows.map(([x, y]) => Math.fround(Math.min(horizon, ...kept.map(([kx, ky]) => minutesOf(x, y, kx, ky)))));
  const lists = cand.map(([cx, cy]) =>
    rows.flatMap(([x, y], r): [number, number][] => {
      const m = Math.fround(minutesOf(x, y, cx, cy));
      return m <= horizon && m < base[r]! ? [[r, m]] : [];
    }),
  );
  const zone = options.zones > 0 ? cand.map((_, j) => (j % 5 === 4 ? -1 : Math.floor(rng.next() * options.zones))) : null;
  return { lists, weight, base, horizon, zone, allowed: null };
}

/*
 * Greedy's trap, by hand, on a line (minutes = distance): 10 people at 0, 10 at 10, 1 at 5; candidates at 0, 5, 10;
 * nobody served today (horizon 20). Alone, 5 is best (50 + 50 + 0 = 100 against 105 for an end). With K = 2
 * greedy keeps 5 and adds 0: 0 + 50 + 0 = 50. The best pair is {0, 10}: 0 + 0 + 5 = 5.
 */
const line: Instance = {
  lists: [
    [
      [0, 0],
      [1, 10],
      [2, 5],
    ],
    [
      [0, 5],
      [1, 5],
      [2, 0],
    ],
    [
      [0, 10],
      [1, 0],
      [2, 5],
    ],
  ],
  weight: [10, 10, 1],
  base: [20, 20, 20],
  horizon: 20,
  zone: null,
  allowed: null,
};

describe('p-median by hand', () => {
  it('counts person-minutes with the base as the always-open option', () => {
    const p = problemOf(line);
    expect(medianValue(p, [])).toBe(21 * 20);
    expect(medianValue(p, [1])).toBe(100);
    expect(medianValue(p, [0, 2])).toBe(5);
  });

  it('greedy falls into the trap, interchange gets out, the MIP and the bound agree with the optimum', () => {
    const p = problemOf(line);
    const g = medianGreedy(p, 2);
    expect(Array.from(g.order)).toEqual([1, 0]);
    expect(Array.from(g.values)).toEqual([100, 50]);
    const s = medianInterchange(p, g.order);
    expect(Array.from(s.selected).sort()).toEqual([0, 2]);
    expect(s.value).toBe(5);
    expect(s.converged).toBe(true);
    expect(s.moves).toBe(1);
    const exact = solveMedianExact(p, 2, solver);
    expect(exact.status).toBe('optimal');
    expect(Array.from(exact.selected).sort()).toEqual([0, 2]);
    expect(exact.value).toBe(5);
    const lb = medianLowerBound(p, 2, { upper: s.value });
    expect(lb.bound).toBeLessThanOrEqual(5);
    expect(lb.bound).toBeGreaterThan(5 - 1e-6);
  });

  it('keeps at most one site per township: with 0 and 10 in one township the best pair takes 5', () => {
    const x: Instance = { ...line, zone: [0, -1, 0] };
    const p = problemOf(x);
    const opt = bruteForce(x, 2);
    // {0, 5}: 0 + 50 + 0 = 50, as {5, 10}; the lower index wins the tie.
    expect(opt.value).toBe(50);
    const c = constraintsOf(x);
    const s = medianInterchange(p, medianGreedy(p, 2, c).order, c);
    expect(s.value).toBe(50);
    expect(new Set(s.selected).has(0) && new Set(s.selected).has(2)).toBe(false);
    const exact = solveMedianExact(p, 2, solver, c);
    expect(exact.value).toBe(50);
    // A start breaking the rule (worth 5, below the feasible optimum) is not taken as the incumbent.
    const fromBad = solveMedianExact(p, 2, solver, { ...c, start: [0, 2] });
    expect(fromBad.status).toBe('optimal');
    expect(fromBad.value).toBe(50);
    expect(medianLowerBound(p, 2, c).bound).toBeLessThanOrEqual(50);
  });

  it('a kept facility nearer than every site leaves its people alone, and stops greedy when nothing helps', () => {
    // Row 0 is 2 minutes from a kept facility; site 0 would be 3: not a pair at all. Row 1 nobody reaches.
    const x: Instance = { lists: [[], [[2, 4]]], weight: [7, 5, 3], base: [2, 30, 9], horizon: 30, zone: null, allowed: null };
    const p = problemOf(x);
    expect(medianValue(p, [])).toBe(7 * 2 + 5 * 30 + 3 * 9);
    const g = medianGreedy(p, 2);
    expect(Array.from(g.order)).toEqual([1]);
    expect(g.values[0]).toBe(valueOf(x, [1]));
    const exact = solveMedianExact(p, 2, solver);
    expect(exact.value).toBe(valueOf(x, [1]));
  });
});

describe('p-median against brute force on random instances', () => {
  const cases = Array.from({ length: 60 }, (_, i) => ({
    seed: 100 + i,
    candidates: 6 + (i % 7),
    rows: 25 + (i % 4) * 5,
    kept: i % 3,
    zones: i % 4 === 3 ? 3 : 0,
    whole: i % 2 === 1,
    k: 1 + (i % 4),
  }));

  it('greedy + interchange is never better than the optimum and usually equal; the MIP equals it; the bound is below', () => {
    let equal = 0;
    let boundSum = 0;
    for (const c of cases) {
      const x = randomInstance(c.seed, c);
      if (c.seed % 5 === 0) x.allowed = x.lists.map((_, j) => (j % 4 === 1 ? 0 : 1));
      const p = problemOf(x);
      const cons = constraintsOf(x);
      const opt = bruteForce(x, c.k);
      const label = `seed ${c.seed}`;
      const g = medianGreedy(p, c.k, cons);
      // Each greedy value is the set's own value, and it only falls.
      g.values.forEach((v, i) => expect(v, label).toBeCloseTo(valueOf(x, Array.from(g.order.subarray(0, i + 1))), 6));
      for (let i = 1; i < g.values.length; i++) expect(g.values[i]!, label).toBeLessThan(g.values[i - 1]!);
      const s = medianInterchange(p, g.order, cons);
      expect(s.converged, label).toBe(true);
      expect(s.value, label).toBeCloseTo(valueOf(x, Array.from(s.selected)), 6);
      expect(s.value, label).toBeGreaterThanOrEqual(opt.value - 1e-6);
      // Feasible: allowed, one per township.
      for (const j of s.selected) if (x.allowed) expect(x.allowed[j], label).toBe(1);
      if (x.zone) {
        const zs = Array.from(s.selected, (j) => x.zone![j]!).filter((z) => z >= 0);
        expect(new Set(zs).size, label).toBe(zs.length);
      }
      if (Math.abs(s.value - opt.value) <= 1e-6 * Math.max(1, opt.value)) equal++;
      // Half from the heuristic's start, half finding its own; a few from a poor start (the first allowed sites).
      const poor = x.lists
        .map((_, j) => j)
        .filter((j) => !x.allowed || x.allowed[j] === 1)
        .slice(0, c.k);
      const start = c.seed % 2 === 0 ? s.selected : c.seed % 7 === 0 ? (x.zone ? null : poor) : null;
      const exact = solveMedianExact(p, c.k, solver, { ...cons, start });
      expect(exact.status, label).toBe('optimal');
      expect(exact.value, label).toBeCloseTo(opt.value, 4);
      expect(exact.bound!, label).toBeLessThanOrEqual(opt.value + 1e-6 * Math.max(1, opt.value));
      const lb = medianLowerBound(p, c.k, { ...cons, upper: s.value });
      expect(lb.bound, label).toBeLessThanOrEqual(opt.value);
      boundSum += lb.bound / opt.value;
    }
    expect(equal).toBeGreaterThanOrEqual(cases.length * 0.9);
    // Tight in practice: on average within 0.5 % of the optimum.
    expect(boundSum / cases.length).toBeGreaterThan(0.995);
  });

  it('never takes an infeasible start as its incumbent (the best set ignoring the township rule)', () => {
    let tested = 0;
    for (let seed = 900; seed < 960; seed++) {
      const x = randomInstance(seed, { candidates: 10, rows: 24, kept: seed % 2, zones: 2, whole: seed % 2 === 0 });
      const k = 2 + (seed % 2);
      const free = bruteForce({ ...x, zone: null }, k);
      const ruled = bruteForce(x, k);
      if (!(free.value < ruled.value - 1e-6)) continue;
      tested++;
      const exact = solveMedianExact(problemOf(x), k, solver, { ...constraintsOf(x), start: free.best });
      expect(exact.value, `seed ${seed}`).toBeCloseTo(ruled.value, 4);
    }
    expect(tested).toBeGreaterThan(10);
  });

  it('rules out only candidates that no subset as good as the upper value uses', () => {
    let ruledOut = 0;
    let total = 0;
    for (let seed = 700; seed < 740; seed++) {
      const x = randomInstance(seed, { candidates: 10, rows: 24, kept: seed % 3, zones: seed % 4 === 0 ? 3 : 0, whole: seed % 2 === 0 });
      const p = problemOf(x);
      const cons = constraintsOf(x);
      const k = 1 + (seed % 3);
      const heuristic = medianInterchange(p, medianGreedy(p, k, cons).order, cons).value;
      // Upper values at the heuristic and a little above it (a weaker incumbent rules out less, never wrongly).
      for (const upper of [heuristic, heuristic * 1.02]) {
        const { out } = medianLagrangian(p, k, { ...cons, upper, fix: true });
        total += out.length;
        ruledOut += out.reduce((a, b) => a + b, 0);
        const n = x.lists.length;
        for (let mask = 1; mask < 1 << n; mask++) {
          const set: number[] = [];
          for (let j = 0; j < n; j++) if (mask & (1 << j)) set.push(j);
          if (set.length > k || !set.some((j) => out[j] === 1)) continue;
          if (x.zone) {
            const zs = set.map((j) => x.zone![j]!).filter((z) => z >= 0);
            if (new Set(zs).size !== zs.length) continue;
          }
          expect(valueOf(x, set), `seed ${seed}, {${set.join(', ')}} uses a ruled-out site`).toBeGreaterThan(upper);
        }
      }
    }
    // It does rule candidates out (else the exact solve gains nothing from it).
    expect(ruledOut).toBeGreaterThan(total / 4);
  });

  it('the bound holds for many multipliers and no upper value given, however few the iterations', () => {
    for (let seed = 500; seed < 540; seed++) {
      const x = randomInstance(seed, { candidates: 8, rows: 20, kept: seed % 2, zones: seed % 3 === 0 ? 2 : 0, whole: true });
      const p = problemOf(x);
      const cons = constraintsOf(x);
      for (const k of [1, 2, 3]) {
        const opt = bruteForce(x, k).value;
        for (const iterations of [1, 5, 40, 400])
          expect(medianLowerBound(p, k, { ...cons, iterations }).bound, `seed ${seed}`).toBeLessThanOrEqual(opt);
      }
    }
  });

  it('cancels through shouldStop and reports progress in its phases', () => {
    const p = problemOf(randomInstance(7, { candidates: 10, rows: 30, kept: 0, zones: 0, whole: false }));
    const phases = new Set<string>();
    const onProgress = (e: { phase: string }) => phases.add(e.phase);
    const g = medianGreedy(p, 3, { hooks: { onProgress } });
    medianInterchange(p, g.order, { hooks: { onProgress } });
    expect([...phases].sort()).toEqual(['greedy', 'interchange']);
    expect(() => medianGreedy(p, 3, { hooks: { shouldStop: () => true } })).toThrow(/cancelled during greedy/);
    expect(() => medianInterchange(p, g.order, { hooks: { shouldStop: () => true } })).toThrow(/cancelled during interchange/);
  });
});
