/**
 * The siting algorithms on coverage matrices, against answers known by hand or by enumerating every K-subset
 * (test/fixtures/siting/brute-force.ts): greedy, swap, exact (HiGHS), the bounds, set covering, relocation.
 */
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataDependentBound, GREEDY_GUARANTEE, residualBound } from '../../src/core/siting/bound';
import { coverageValue, matrixFromLists } from '../../src/core/siting/coverage-matrix';
import { groupDemand, modelCandidates, solveMaxCoverage, solveMinSites } from '../../src/core/siting/exact';
import { lazyGreedy } from '../../src/core/siting/greedy';
import { highsSolver } from '../../src/core/siting/highs-solver';
import type { MipSolver } from '../../src/core/siting/mip';
import { bestRelocations } from '../../src/core/siting/relocate';
import { minSites } from '../../src/core/siting/set-cover';
import { swapImprove } from '../../src/core/siting/swap';
import { bestCoverage, covered, fewestSites, isSwapOptimal, randomInstance, rng, type Instance } from '../fixtures/siting/brute-force';

let solver: MipSolver;
beforeAll(async () => {
  solver = highsSolver(await loadHighs());
});

const matrixOf = (instance: Instance) => matrixFromLists(instance.lists, instance.weight.length);
const weightOf = (instance: Instance) => Float64Array.from(instance.weight);
const zoneOf = (instance: Instance) => (instance.zone ? Int32Array.from(instance.zone) : null);

/*
 * Greedy's classic trap, by hand. Rows a = 20, b = 20 people in the middle, c = 19 and d = 19 at the sides.
 * X reaches {a, b} (40): the best single site. Y reaches {a, c} and Z reaches {b, d} (39 each).
 * With K = 2 greedy takes X, then Y or Z adds 19: 59. The best pair is {Y, Z}: 78.
 */
const trap: Instance = {
  lists: [
    [0, 1], // X
    [0, 2], // Y
    [1, 3], // Z
  ],
  weight: [20, 20, 19, 19],
};

describe('greedy, swap and exact on a case where greedy is provably suboptimal', () => {
  it('greedy takes the best single site first and ends at 59', () => {
    const g = lazyGreedy(matrixOf(trap), weightOf(trap), 2);
    expect([...g.order]).toEqual([0, 1]);
    expect([...g.gains]).toEqual([40, 19]);
    expect(g.value).toBe(59);
  });

  it('the optimum by enumeration is 78, so greedy is suboptimal here', () => {
    expect(bestCoverage(trap, 2)).toEqual({ value: 78, set: [1, 2] });
  });

  it('one exchange (X out, Z in) repairs it', () => {
    const s = swapImprove(matrixOf(trap), weightOf(trap), [0, 1]);
    expect(s.value).toBe(78);
    expect([...s.selected].sort()).toEqual([1, 2]);
    expect(s.moves).toEqual([{ out: 0, in: 2, gain: 19 }]);
    expect(s.converged).toBe(true);
  });

  it('the integer program finds 78', () => {
    const e = solveMaxCoverage(matrixOf(trap), weightOf(trap), 2, solver);
    expect(e.status).toBe('optimal');
    expect(e.value).toBe(78);
    expect([...e.selected]).toEqual([1, 2]);
  });

  it('the data-dependent bound from greedy covers the optimum, and is tighter than greedy ÷ (1 − 1/e)', () => {
    // At {X, Y}: gains Z = 19 (d), nothing else: bound = 59 + 19 + 0 = 78.
    const b = dataDependentBound(matrixOf(trap), weightOf(trap), [0, 1], 2);
    expect(b.value).toBe(59);
    expect(b.topGains).toEqual([19]);
    expect(b.bound).toBe(78);
    expect(b.bound).toBeLessThan(59 / GREEDY_GUARANTEE);
  });
});

describe('the residual bound', () => {
  it('is tighter than the sum of the largest gains when the leftover candidates overlap', () => {
    // Rows a = 100, c = 100, b = 60; A reaches a, C reaches c, five candidates each reach b. K = 2.
    // Greedy takes A and C (200). Gains left: 60 five times, so the gains bound is 200 + 60 + 60 = 320. Greedy adds
    // only 60 on top (the five overlap): the residual bound is 200 + 60 / (1 − 1/e) ≈ 294.9, below 320 and below
    // 200 / (1 − 1/e) ≈ 316.4.
    const m = matrixFromLists([[0], [1], [2], [2], [2], [2], [2]], 3);
    const w = Float64Array.from([100, 100, 60]);
    const g = lazyGreedy(m, w, 2);
    expect([...g.order]).toEqual([0, 1]);
    expect(dataDependentBound(m, w, g.order, 2).bound).toBe(320);
    const r = residualBound(m, w, g.order, 2);
    expect(r.residual).toBe(60);
    expect(r.bound).toBeCloseTo(200 + 60 / (1 - 1 / Math.E), 9);
    expect(r.bound).toBeLessThan(200 / GREEDY_GUARANTEE);
  });

  it.each([200, 201, 202, 203])('seed %i: never falls below the optimum', (seed) => {
    const instance = randomInstance(seed, 10, 12);
    const m = matrixOf(instance);
    const w = weightOf(instance);
    for (const k of [1, 2, 3]) {
      const g = lazyGreedy(m, w, k);
      expect(residualBound(m, w, g.order, k).bound).toBeGreaterThanOrEqual(bestCoverage(instance, k).value - 1e-9);
    }
  });
});

describe('people count once', () => {
  it('two sites reaching the same people cover them once', () => {
    const m = matrixFromLists([[0, 1], [0, 1], [2]], 3);
    const w = Float64Array.from([100, 50, 10]);
    expect(coverageValue(m, w, [0, 1])).toBe(150);
    // Greedy does not take the twin: its marginal gain is 0 once the first is in.
    const g = lazyGreedy(m, w, 2);
    expect([...g.order]).toEqual([0, 2]);
    expect(g.value).toBe(160);
    expect(solveMaxCoverage(m, w, 2, solver).value).toBe(160);
  });

  it('rows worth nothing (already covered) add nothing, and greedy stops when nothing is left to gain', () => {
    const m = matrixFromLists([[0], [1], [2]], 3);
    const w = Float64Array.from([0, 7, 0]);
    const g = lazyGreedy(m, w, 3);
    expect([...g.order]).toEqual([1]);
    expect(g.stop).toBe('saturated');
  });

  it('merging rows reached by the same candidates keeps the totals', () => {
    const m = matrixFromLists([[0, 1, 2], [1, 2, 3], [3]], 5);
    const w = Float64Array.from([1, 2, 3, 4, 5]);
    const groups = groupDemand(m, w, modelCandidates(m, w, {}));
    // Rows 1 and 2 share {0, 1}; row 4 is reached by nobody.
    expect(groups.count).toBe(3);
    expect([...groups.weight].sort()).toEqual([1, 4, 5]);
  });
});

describe('against enumeration on random instances', () => {
  const seeds = Array.from({ length: 12 }, (_, i) => 100 + i);

  it.each(seeds)('seed %i: exact = brute force, greedy ≥ (1 − 1/e)·OPT, swap is a local optimum, bound ≥ OPT', (seed) => {
    const instance = randomInstance(seed, 9, 14);
    const m = matrixOf(instance);
    const w = weightOf(instance);
    for (const k of [1, 2, 3, 4]) {
      const opt = bestCoverage(instance, k).value;
      const g = lazyGreedy(m, w, k);
      expect(covered(instance, [...g.order])).toBe(g.value);
      expect(g.value).toBeGreaterThanOrEqual(GREEDY_GUARANTEE * opt - 1e-9);
      const s = swapImprove(m, w, g.order);
      expect(s.value).toBeGreaterThanOrEqual(g.value);
      expect(s.value).toBe(covered(instance, [...s.selected]));
      expect(isSwapOptimal(instance, [...s.selected])).toBe(true);
      const e = solveMaxCoverage(m, w, k, solver, { start: s.selected });
      expect(e.status).toBe('optimal');
      expect(e.value).toBe(opt);
      expect(e.selected.length).toBeLessThanOrEqual(k);
      const b = dataDependentBound(m, w, g.order, k);
      expect(b.bound).toBeGreaterThanOrEqual(opt);
    }
  });

  it.each(seeds)('seed %i: with at most one site per township, every method respects it and exact = brute force', (seed) => {
    const instance = randomInstance(seed, 9, 14, 3);
    const m = matrixOf(instance);
    const w = weightOf(instance);
    const zone = zoneOf(instance)!;
    const oneEach = (set: ArrayLike<number>) => {
      const zones = Array.from(set, (j) => zone[j]!).filter((z) => z >= 0);
      return new Set(zones).size === zones.length;
    };
    for (const k of [2, 3]) {
      const opt = bestCoverage(instance, k).value;
      const g = lazyGreedy(m, w, k, { zone });
      expect(oneEach(g.order)).toBe(true);
      expect(g.value).toBeGreaterThanOrEqual(0.5 * opt - 1e-9);
      const s = swapImprove(m, w, g.order, { zone });
      expect(oneEach(s.selected)).toBe(true);
      expect(isSwapOptimal(instance, [...s.selected])).toBe(true);
      const e = solveMaxCoverage(m, w, k, solver, { zone });
      expect(oneEach(e.selected)).toBe(true);
      expect(e.value).toBe(opt);
      expect(dataDependentBound(m, w, g.order, k, { zone }).bound).toBeGreaterThanOrEqual(opt);
    }
  });

  it.each(seeds)('seed %i: fewest sites for a target, greedy ≥ exact = brute force', (seed) => {
    const instance = randomInstance(seed, 9, 14);
    const m = matrixOf(instance);
    const w = weightOf(instance);
    const all = covered(
      instance,
      instance.lists.map((_, j) => j),
    );
    const next = rng(seed);
    for (const fraction of [0.5, 0.8, 1, next()]) {
      const required = Math.round(fraction * all);
      const fewest = fewestSites(instance, required)!;
      const r = minSites(m, w, required, { solver });
      expect(r.greedy).not.toBeNull();
      expect(r.greedy!.value).toBeGreaterThanOrEqual(required);
      expect(r.greedy!.count).toBeGreaterThanOrEqual(fewest);
      expect(r.exact!.status).toBe('optimal');
      expect(r.exact!.value).toBe(fewest);
      expect(covered(instance, [...r.exact!.selected])).toBeGreaterThanOrEqual(required);
    }
    const impossible = solveMinSites(m, w, all + 1, solver);
    expect(impossible.status).toBe('infeasible');
  });
});

describe('relocation', () => {
  /*
   * Rows 0..7. Existing facilities: F0 reaches {0, 1}, F1 reaches {1, 2}, F2 reaches {3}.
   * Candidates: C0 reaches {4, 5}, C1 reaches {3, 6}, C2 reaches {0, 7}.
   */
  const people = [5, 9, 4, 6, 8, 7, 3, 2];
  const facilities = [[0, 1], [1, 2], [3]];
  const candidates = [
    [4, 5],
    [3, 6],
    [0, 7],
  ];

  /** People covered with one facility moved to a candidate, counted from scratch. */
  const coveredWith = (lists: number[][]) =>
    covered(
      { lists, weight: people },
      lists.map((_, i) => i),
    );

  it('matches moving each facility to each candidate and counting from scratch', () => {
    const count = new Array<number>(people.length).fill(0);
    const only = new Array<number>(people.length).fill(-1);
    facilities.forEach((rows, f) =>
      rows.forEach((d) => {
        count[d]!++;
        only[d] = f;
      }),
    );
    const moves = bestRelocations({
      matrix: matrixFromLists(candidates, people.length),
      uncovered: Float64Array.from(people, (p, d) => (count[d] === 0 ? p : 0)),
      people: Float64Array.from(people),
      owner: Int32Array.from(only, (f, d) => (count[d] === 1 ? f : -1)),
      facilityCount: facilities.length,
    });
    const today = coveredWith(facilities);
    for (const move of moves) {
      const f = move.facility;
      const options = candidates.map((c) => coveredWith([...facilities.filter((_, i) => i !== f), c]) - today);
      const best = Math.max(...options);
      expect(move.net).toBe(best);
      expect(options[move.candidate]).toBe(best);
    }
    // F1 alone covers row 2 (4 people), F0 alone row 0 (5): moving F1 to C0 loses 4 and gains rows 4 and 5
    // (15): net +11, the best move; F0 to C0 nets +10; F2 (alone on row 3, 6) to C0 nets +9.
    expect(moves[0]).toEqual({ facility: 1, lost: 4, candidate: 0, gained: 15, net: 11 });
    expect(moves[1]).toEqual({ facility: 0, lost: 5, candidate: 0, gained: 15, net: 10 });
    expect(moves[2]).toEqual({ facility: 2, lost: 6, candidate: 0, gained: 15, net: 9 });
    expect(moves.map((m) => m.net)).toEqual([...moves.map((m) => m.net)].sort((a, b) => b - a));
  });
});
