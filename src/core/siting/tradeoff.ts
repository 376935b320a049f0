/**
 * The trade-off a leadership meeting weighs: each objective's picks for K = 1..N side by side, with what each K
 * does to coverage within the threshold, the mean trip and the longest trip, on the engine's minutes.
 */
import type { SiteConstraints } from './constraints';
import type { TimeProblem } from './objective-types';
import { solveCenter } from './p-center';
import { medianGreedy } from './p-median';
import type { SitingObjective, TradeoffCurve } from './report';
import { prefixFigures, rowMinutesAfter, timeFigures, type TimeFigures } from './time-effects';
import { checkStop, type SitingHooks } from './types';

/**
 * Each objective's picks for K = 1..N and what they do to coverage, the mean and the worst time: maximal coverage's
 * and p-median's greedy picks (nested, so one run gives every K), p-center's answer for each K, and capacitated
 * coverage's picks when that was asked.
 */
export function tradeoffCurves(
  problem: TimeProblem,
  n: number,
  threshold: number,
  coverageOrder: Int32Array,
  capacityOrder: Int32Array | null,
  constraints: SiteConstraints,
  hooks: SitingHooks,
): TradeoffCurve[] {
  const today = timeFigures(problem, Float64Array.from(problem.base), threshold);
  const curve = (objective: SitingObjective, figures: TimeFigures[]): TradeoffCurve => ({
    objective,
    points: [today, ...figures].map((f, k) => ({
      k,
      covered_share: f.covered_share,
      mean_minutes: f.mean_minutes,
      mean_is_lower_bound: f.mean_is_lower_bound,
      worst_minutes: f.worst_minutes,
    })),
  });
  const out: TradeoffCurve[] = [curve('coverage', prefixFigures(problem, coverageOrder.subarray(0, n), threshold))];
  out.push(curve('median', prefixFigures(problem, medianGreedy(problem, n, { ...constraints, hooks }).order, threshold)));
  // Each K starts from K − 1's answer, so the curve never rises because the search found a worse set.
  const center: TimeFigures[] = [];
  let previous: Int32Array | null = null;
  for (let k = 1; k <= n; k++) {
    checkStop(hooks, 'tradeoff');
    hooks.onProgress?.({ phase: 'tradeoff', done: k, total: n });
    const r = solveCenter(problem, k, { ...constraints, solver: null, hooks: {}, start: previous });
    previous = r.selected;
    center.push(timeFigures(problem, rowMinutesAfter(problem, r.selected), threshold));
  }
  out.push(curve('center', center));
  if (capacityOrder) out.push(curve('capacitated', prefixFigures(problem, capacityOrder.subarray(0, n), threshold)));
  return out;
}
