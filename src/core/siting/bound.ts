/**
 * How far from the best possible a set of sites can be, without solving the problem.
 *
 * - The a-priori guarantee: greedy covers at least (1 − 1/e) ≈ 63 % of the optimum with K sites (Nemhauser,
 *   Wolsey & Fisher 1978); with at most one site per township (a partition matroid) the guarantee is 1/2.
 * - The data-dependent bound: for any set S, coverage is submodular, so
 *   OPT ≤ f(S) + Σ_{j ∈ OPT} Δ_j(S) ≤ f(S) + the sum of the K largest marginal gains Δ_j(S) over candidates
 *   that could be in an optimal set together (with the township rule, at most one per township).
 * - The residual bound: OPT ≤ f(S ∪ OPT) = f(S) + (the gain of OPT's K sites on top of S) ≤ f(S) + R / g, where
 *   R is what greedy adds with K more sites on top of S and g its guarantee. When S is good, little is left to
 *   add and this is tight; the sum of the K largest gains is not when many candidates overlap (grid cells).
 */
import { isAllowed, type SiteConstraints } from './constraints';
import { marginalGains } from './coverage-matrix';
import { lazyGreedy } from './greedy';
import type { CoverageMatrix } from './types';

export const GREEDY_GUARANTEE = 1 - 1 / Math.E;
const GREEDY_GUARANTEE_MATROID = 0.5;

/** The a-priori factor greedy is proven to reach: (1 − 1/e), or 1/2 under the one-per-township rule. */
export function greedyGuarantee(onePerTownship: boolean): number {
  return onePerTownship ? GREEDY_GUARANTEE_MATROID : GREEDY_GUARANTEE;
}

export interface DataBound {
  /** f(S): the weight S covers. */
  value: number;
  /** The upper bound on the optimum with k sites. */
  bound: number;
  /** The gains summed into it, largest first. */
  topGains: number[];
}

/** The data-dependent upper bound on the best coverage with k sites, from the set `selected`. */
export function dataDependentBound(
  matrix: CoverageMatrix,
  weight: Float64Array,
  selected: ArrayLike<number>,
  k: number,
  constraints: SiteConstraints = {},
): DataBound {
  const covered = new Uint8Array(matrix.demand);
  let value = 0;
  for (let s = 0; s < selected.length; s++) {
    const j = selected[s]!;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) {
      const d = matrix.rows[q]!;
      if (covered[d] === 0) {
        covered[d] = 1;
        value += weight[d]!;
      }
    }
  }
  const gains = marginalGains(matrix, weight, covered);
  const pool: number[] = [];
  const zone = constraints.zone ?? null;
  const bestPerZone = new Map<number, number>();
  for (let j = 0; j < matrix.candidates; j++) {
    const g = gains[j]!;
    if (!(g > 0) || !isAllowed(constraints, j)) continue;
    const z = zone ? zone[j]! : -1;
    if (z < 0) pool.push(g);
    else bestPerZone.set(z, Math.max(bestPerZone.get(z) ?? 0, g));
  }
  pool.push(...bestPerZone.values());
  pool.sort((a, b) => b - a);
  const topGains = pool.slice(0, k);
  return { value, bound: value + topGains.reduce((a, b) => a + b, 0), topGains };
}

/** f(S) + (what greedy adds with k more sites on top of S) ÷ greedy's guarantee: an upper bound on OPT. */
export function residualBound(
  matrix: CoverageMatrix,
  weight: Float64Array,
  selected: ArrayLike<number>,
  k: number,
  constraints: SiteConstraints = {},
): { value: number; residual: number; bound: number } {
  const covered = new Uint8Array(matrix.demand);
  let value = 0;
  for (let s = 0; s < selected.length; s++) {
    const j = selected[s]!;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) {
      const d = matrix.rows[q]!;
      if (covered[d] === 0) {
        covered[d] = 1;
        value += weight[d]!;
      }
    }
  }
  // OPT's own sites need not avoid S's townships: the residual greedy starts with no township used.
  const residual = lazyGreedy(matrix, weight, k, { ...constraints, covered }).value;
  return { value, residual, bound: value + residual / greedyGuarantee(Boolean(constraints.zone)) };
}
