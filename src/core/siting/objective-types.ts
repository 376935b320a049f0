/**
 * The shapes the travel-time objectives (p-median, p-center) and capacitated coverage share: a candidate → demand
 * matrix that also carries each pair's minutes, and the problem it poses with each demand row's time today.
 * Kept apart from the algorithms so each depends only on data and tests can build small instances by hand.
 */
import type { SiteConstraints } from './constraints';
import type { MipStatus } from './mip';
import type { CoverageMatrix } from './types';

/** A coverage matrix whose pairs carry their travel minutes, in the same order as `rows` and as `cols`. */
export interface MinutesMatrix extends CoverageMatrix {
  /** minutes[q]: candidate → demand row rows[q], in the engine's minutes. */
  minutes: Float32Array;
  /** tMinutes[t]: demand row d ← candidate cols[t] (the transpose's order). */
  tMinutes: Float32Array;
}

/**
 * "How long does each person travel": demand rows with their people and their minutes to the nearest facility
 * that stays (the existing ones of the tier, when kept), and the pairs through which a new site would do better.
 * Times are known up to `horizon` (the engine's search cutoff); anything farther, and anyone no kept facility
 * reaches, counts as `horizon`, so every value is a known number and says so.
 */
export interface TimeProblem {
  matrix: MinutesMatrix;
  /** People per demand row. */
  weight: Float64Array;
  /** Minutes to the nearest kept facility, at most `horizon` (`horizon` when none is within it). */
  base: Float64Array;
  horizon: number;
}

/** An exact solve's answer for any objective: what was chosen, what it is worth, and what the solver proved. */
export interface ObjectiveExact {
  status: MipStatus;
  detail: string;
  /** Chosen candidates (empty when the solver found none). */
  selected: Int32Array;
  /** Their value recounted from the matrix (not the solver's own number). */
  value: number;
  /** The proven bound on the optimum (lower when minimising, upper when maximising); equal to value when optimal. */
  bound: number | null;
  seconds: number;
  size: { columns: number; rows: number };
}

export interface ObjectiveExactOptions extends SiteConstraints {
  start?: ArrayLike<number> | null;
  timeLimitSeconds?: number;
  shouldStop?: () => boolean;
}

/** Builds a MinutesMatrix from plain lists (tests and small callers): lists[j] = [[row, minutes], ...]. */
export function minutesMatrixFromLists(lists: readonly (readonly (readonly [number, number])[])[], demand: number): MinutesMatrix {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, j) => (start[j + 1] = start[j]! + list.length));
  const nnz = start[lists.length]!;
  const rows = new Int32Array(nnz);
  const minutes = new Float32Array(nnz);
  let q = 0;
  for (const list of lists)
    for (const [row, m] of list) {
      if (!(row >= 0 && row < demand)) throw new RangeError(`demand row ${row} outside 0..${demand - 1}`);
      rows[q] = row;
      minutes[q++] = m;
    }
  return minutesMatrixFromCsr(lists.length, demand, start, rows, minutes);
}

/** A MinutesMatrix from CSR arrays (candidate → rows, minutes); builds the transpose with its minutes. */
export function minutesMatrixFromCsr(
  candidates: number,
  demand: number,
  start: Int32Array,
  rows: Int32Array,
  minutes: Float32Array,
): MinutesMatrix {
  const tStart = new Int32Array(demand + 1);
  for (let k = 0; k < rows.length; k++) tStart[rows[k]! + 1]!++;
  for (let d = 0; d < demand; d++) tStart[d + 1]! += tStart[d]!;
  const fill = tStart.slice(0, demand);
  const cols = new Int32Array(rows.length);
  const tMinutes = new Float32Array(rows.length);
  // Candidates in ascending order, so each demand row's list is sorted by candidate.
  for (let j = 0; j < candidates; j++)
    for (let k = start[j]!; k < start[j + 1]!; k++) {
      const t = fill[rows[k]!]!++;
      cols[t] = j;
      tMinutes[t] = minutes[k]!;
    }
  return { candidates, demand, start, rows, tStart, cols, minutes, tMinutes };
}
