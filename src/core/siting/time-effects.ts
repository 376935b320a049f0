/**
 * What a set of sites does to travel times, on the TimeProblem's minutes (the engine's travel model): each person's
 * minutes after the sites are built, and the figures a planner weighs (people within the threshold, the mean, the
 * worst) for K = 1..N picks at once. Rows are every person the question is about, so the sums are the county's.
 */
import type { PopulationArrays } from '../coverage/inputs';
import { timeFairness } from '../fairness/time-fairness';
import { MINUTES_SLACK } from '../travel/minutes';
import type { TimeProblem } from './objective-types';
import type { SiteEffects, SitingResult } from './report';

/** Each demand row's minutes once `selected` are built: min(base, the selected sites' minutes). */
export function rowMinutesAfter(problem: TimeProblem, selected: ArrayLike<number>): Float64Array {
  const after = Float64Array.from(problem.base);
  addSites(problem, after, selected);
  return after;
}

function addSites(problem: TimeProblem, minutes: Float64Array, sites: ArrayLike<number>): void {
  const { start, rows, minutes: pair } = problem.matrix;
  for (let s = 0; s < sites.length; s++) {
    const j = sites[s]!;
    for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
      const row = rows[q]!;
      if (pair[q]! < minutes[row]!) minutes[row] = pair[q]!;
    }
  }
}

export interface TimeFigures {
  /** Share of people within `threshold` minutes (judged as the engine judges: float32 plus the slack). */
  covered_share: number | null;
  mean_minutes: number | null;
  /** Someone is at the horizon (beyond it, or exactly at it), counted at it: the true mean may be higher. */
  mean_is_lower_bound: boolean;
  /** null when someone is at or beyond the horizon. */
  worst_minutes: number | null;
}

/** The figures of one set of row minutes. */
export function timeFigures(problem: TimeProblem, minutes: Float64Array, threshold: number): TimeFigures {
  const { weight, horizon } = problem;
  let total = 0;
  let within = 0;
  let sum = 0;
  let worst = 0;
  let atHorizon = false;
  const limit = threshold + MINUTES_SLACK;
  for (let row = 0; row < weight.length; row++) {
    const w = weight[row]!;
    if (!(w > 0)) continue;
    const m = Math.min(minutes[row]!, horizon);
    total += w;
    sum += w * m;
    if (Math.fround(m) <= limit) within += w;
    if (m >= horizon) atHorizon = true;
    if (m > worst) worst = m;
  }
  return {
    covered_share: total > 0 ? within / total : null,
    mean_minutes: total > 0 ? sum / total : null,
    mean_is_lower_bound: atHorizon,
    worst_minutes: total > 0 && !atHorizon ? worst : null,
  };
}

/** The figures after each prefix of `order` (picks 1..k for k = 1..order.length), adding one site at a time. */
export function prefixFigures(problem: TimeProblem, order: ArrayLike<number>, threshold: number): TimeFigures[] {
  const minutes = Float64Array.from(problem.base);
  const out: TimeFigures[] = [];
  for (let k = 0; k < order.length; k++) {
    addSites(problem, minutes, [order[k]!]);
    out.push(timeFigures(problem, minutes, threshold));
  }
  return out;
}

/**
 * Orders a chosen set so each site is "the one that shortens the trips most, after those above it", and gives the
 * figures after each rank: the list a planner reads top down, whatever objective chose the set.
 */
export function orderByTime(problem: TimeProblem, set: ArrayLike<number>, threshold: number): { order: number[]; figures: TimeFigures[] } {
  const left = Array.from(set);
  const minutes = Float64Array.from(problem.base);
  const { start, rows, minutes: pair } = problem.matrix;
  const { weight } = problem;
  const order: number[] = [];
  const figures: TimeFigures[] = [];
  while (left.length > 0) {
    let bestAt = 0;
    let bestSaving = -1;
    left.forEach((j, at) => {
      let saving = 0;
      for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
        const row = rows[q]!;
        if (pair[q]! < minutes[row]!) saving += weight[row]! * (minutes[row]! - pair[q]!);
      }
      if (saving > bestSaving || (saving === bestSaving && j < left[bestAt]!)) [bestAt, bestSaving] = [at, saving];
    });
    const j = left.splice(bestAt, 1)[0]!;
    addSites(problem, minutes, [j]);
    order.push(j);
    figures.push(timeFigures(problem, minutes, threshold));
  }
  return { order, figures };
}

/** Before and after the sites: coverage within the threshold, the mean, P90 and worst minutes, the worst township. */
export function siteEffects(
  time: { problem: TimeProblem; point: Int32Array },
  points: PopulationArrays,
  today: Float32Array | null,
  order: ArrayLike<number>,
  threshold: number,
): SitingResult['effects'] {
  const { problem, point } = time;
  const before = today ? Float64Array.from(today) : new Float64Array(points.count).fill(Infinity);
  const rowsAfter = rowMinutesAfter(problem, order);
  const after = Float64Array.from(before);
  for (let row = 0; row < point.length; row++) if (rowsAfter[row]! < problem.base[row]!) after[point[row]!] = rowsAfter[row]!;
  const describe = (pointTimes: Float64Array, rowTimes: Float64Array): SiteEffects => {
    const fair = timeFairness(points, pointTimes, problem.horizon);
    const figures = timeFigures(problem, rowTimes, threshold);
    return {
      covered_share: figures.covered_share,
      mean_minutes: fair.county.mean_minutes,
      mean_is_lower_bound: fair.county.mean_is_lower_bound,
      p90_minutes: fair.county.p90_minutes,
      worst_minutes: figures.worst_minutes,
      share_beyond_30: fair.county.share_beyond_30,
      share_beyond_60: fair.county.share_beyond_60,
      worst_township: fair.worst,
      townships: fair.townships.map((t) => ({
        code: t.code,
        name: t.name,
        people: t.people,
        mean_minutes: t.mean_minutes,
        mean_is_lower_bound: t.mean_is_lower_bound,
        p90_minutes: t.p90_minutes,
      })),
    };
  };
  return { before: describe(before, problem.base), after: describe(after, rowsAfter), horizon: problem.horizon };
}
