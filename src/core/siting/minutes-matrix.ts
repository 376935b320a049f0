/**
 * The time problem behind the travel-time objectives: every person's minutes to the nearest kept facility today
 * (capped at the horizon), and, per candidate, the rows it would serve sooner with those minutes. Built by the
 * same reach queries as the coverage matrix (so by the engine's travel model), with the threshold at the horizon.
 * A pair that cannot beat today's time is dropped: no time objective can use it, and with facilities kept most
 * pairs are such, so the matrix stays small.
 */
import type { PopulationArrays } from '../coverage/inputs';
import type { Sites } from './coverage-matrix';
import { minutesMatrixFromCsr, type TimeProblem } from './objective-types';
import { SiteReach, type ReachModel } from './reach';
import { checkStop, type SitingHooks } from './types';

/** Pairs are collected in chunks of this many, so a growing list never holds two copies of itself. */
const CHUNK = 1 << 20;

/**
 * Demand rows are the points with people and a place; `point` maps each row back to engine.points. `times` are
 * today's minutes of the tier (engine.times[tier]) when existing facilities are kept, else null (nobody served).
 */
export function timeProblemFor(
  points: PopulationArrays,
  times: Float32Array | null,
  sites: Sites,
  model: ReachModel,
  hooks?: SitingHooks,
  /** Told the pairs kept so far every hundredth of the candidates, so a caller can stop a matrix that would not fit. */
  onPairs?: (candidatesDone: number, pairs: number) => void,
): { problem: TimeProblem; point: Int32Array } {
  const horizon = model.minutes;
  const all = new Int32Array(points.count);
  let n = 0;
  for (let i = 0; i < points.count; i++)
    if (points.people[i]! > 0 && Number.isFinite(points.x[i]!) && Number.isFinite(points.y[i]!)) all[n++] = i;
  const point = all.slice(0, n);
  const weight = Float64Array.from(point, (i) => points.people[i]!);
  // Today's float32 times as they are: a new site improves a row only when the engine would store fewer minutes.
  const base = Float64Array.from(point, (i) => (times === null ? horizon : Math.min(times[i]!, horizon)));
  const reach = new SiteReach(
    model,
    Float64Array.from(point, (i) => points.x[i]!),
    Float64Array.from(point, (i) => points.y[i]!),
  );

  const start = new Int32Array(sites.count + 1);
  const fullRows: Int32Array[] = [];
  const fullMinutes: Float32Array[] = [];
  let rowChunk = new Int32Array(Math.min(CHUNK, Math.max(1024, sites.count * 8)));
  let minChunk = new Float32Array(rowChunk.length);
  let used = 0;
  let nnz = 0;
  const emit = (row: number, minutes: number): void => {
    const m = Math.fround(minutes);
    if (!(m < base[row]!)) return;
    if (used === rowChunk.length) {
      fullRows.push(rowChunk);
      fullMinutes.push(minChunk);
      rowChunk = new Int32Array(CHUNK);
      minChunk = new Float32Array(CHUNK);
      used = 0;
    }
    rowChunk[used] = row;
    minChunk[used++] = m;
    nnz++;
  };
  const step = Math.max(1, Math.floor(sites.count / 100));
  for (let j = 0; j < sites.count; j++) {
    if (j % step === 0) {
      checkStop(hooks, 'coverage');
      hooks?.onProgress?.({ phase: 'coverage', done: j, total: sites.count });
      if (j > 0) onPairs?.(j, nnz);
    }
    reach.reach(sites.x[j]!, sites.y[j]!, emit);
    start[j + 1] = nnz;
  }
  hooks?.onProgress?.({ phase: 'coverage', done: sites.count, total: sites.count });
  const rows = new Int32Array(nnz);
  const minutes = new Float32Array(nnz);
  let at = 0;
  for (let c = 0; c < fullRows.length; c++) {
    rows.set(fullRows[c]!, at);
    minutes.set(fullMinutes[c]!, at);
    at += fullRows[c]!.length;
  }
  fullRows.length = 0;
  fullMinutes.length = 0;
  rows.set(rowChunk.subarray(0, used), at);
  minutes.set(minChunk.subarray(0, used), at);
  const matrix = minutesMatrixFromCsr(sites.count, n, start, rows, minutes);
  return { problem: { matrix, weight, base, horizon }, point };
}
