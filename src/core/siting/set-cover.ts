/**
 * The other question planners ask: not "where do K sites do most" but "how few sites bring coverage to X %".
 * That is partial set covering: greedy (add the site that covers most until the target is met; within a
 * factor ln(n) + 1 of the fewest) and, when the instance is small, the exact fewest by integer programming.
 */
import type { SiteConstraints } from './constraints';
import { solveMinSites, type ExactResult } from './exact';
import { lazyGreedy } from './greedy';
import type { MipSolver } from './mip';
import type { CoverageMatrix, SitingHooks } from './types';

export interface MinSitesOptions extends SiteConstraints {
  solver?: MipSolver | null;
  timeLimitSeconds?: number;
  hooks?: SitingHooks;
}

export interface MinSitesResult {
  /** Weight to newly cover. */
  required: number;
  /** Greedy's sites in order, or null when greedy ran out of useful candidates before the target. */
  greedy: { count: number; value: number; order: Int32Array; gains: Float64Array } | null;
  /** The best greedy got to when it fell short (or met the target). */
  greedyReached: number;
  exact: ExactResult | null;
}

/** Greedy, then (with a solver) the exact fewest sites whose coverage reaches `required`. */
export function minSites(matrix: CoverageMatrix, weight: Float64Array, required: number, options: MinSitesOptions = {}): MinSitesResult {
  const g = lazyGreedy(matrix, weight, Infinity, { ...options, target: required, phase: 'set_cover' });
  const met = g.value >= required - 1e-9 * Math.max(1, required);
  const greedy = met ? { count: g.order.length, value: g.value, order: g.order, gains: g.gains } : null;
  const exact = options.solver
    ? solveMinSites(matrix, weight, required, options.solver, {
        ...options,
        start: greedy?.order ?? null,
        timeLimitSeconds: options.timeLimitSeconds,
        shouldStop: options.hooks?.shouldStop,
      })
    : null;
  return { required, greedy, greedyReached: g.value, exact };
}
