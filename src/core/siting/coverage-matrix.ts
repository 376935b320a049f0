/**
 * The candidate → people coverage matrix, computed once (one bounded search per candidate) and kept in CSR
 * typed arrays, with its transpose. Every algorithm after this (greedy, swap, exact, set cover, relocation)
 * works on these arrays alone: no geometry, no graph, so they are fast and testable on hand-made matrices.
 */
import type { SiteReach } from './reach';
import { checkStop, type CoverageMatrix, type SitingHooks } from './types';

/** Sites as the matrix needs them: places in the engine's metres. */
export interface Sites {
  count: number;
  x: Float64Array;
  y: Float64Array;
}

/** Rows are collected in chunks of this many, so a growing list never holds two copies of itself. */
const CHUNK = 1 << 20;

/**
 * Runs one reach query per site and packs the rows each reaches. With `expectedPairs` (an estimate), the rows
 * go into one array with a quarter more room, kept as it is (a view of the pairs found: the room never written
 * is never paged in), so the rows are never copied. Beyond it, or without an estimate, they go on in fixed
 * chunks copied once into an array of the exact size, where doubling one array held up to three times the rows.
 */
export function buildCoverageMatrix(
  sites: Sites,
  reach: SiteReach,
  demand: number,
  hooks?: SitingHooks,
  expectedPairs?: number,
): CoverageMatrix {
  const start = new Int32Array(sites.count + 1);
  const full: Int32Array[] = [];
  const room = expectedPairs === undefined ? Math.min(CHUNK, Math.max(1024, sites.count * 8)) : Math.ceil(expectedPairs * 1.25) + 1024;
  let chunk = new Int32Array(room);
  let used = 0;
  let nnz = 0;
  const emit = (row: number): void => {
    if (used === chunk.length) {
      full.push(chunk);
      chunk = new Int32Array(CHUNK);
      used = 0;
    }
    chunk[used++] = row;
    nnz++;
  };
  const step = Math.max(1, Math.floor(sites.count / 100));
  for (let j = 0; j < sites.count; j++) {
    if (j % step === 0) {
      checkStop(hooks, 'coverage');
      hooks?.onProgress?.({ phase: 'coverage', done: j, total: sites.count });
    }
    reach.reach(sites.x[j]!, sites.y[j]!, emit);
    start[j + 1] = nnz;
  }
  hooks?.onProgress?.({ phase: 'coverage', done: sites.count, total: sites.count });
  if (full.length === 0 && expectedPairs !== undefined) return fromRows(sites.count, demand, start, chunk.subarray(0, used));
  const rows = new Int32Array(nnz);
  let at = 0;
  for (const c of full) {
    rows.set(c, at);
    at += c.length;
  }
  full.length = 0;
  rows.set(chunk.subarray(0, used), at);
  return fromRows(sites.count, demand, start, rows);
}

/** A matrix from CSR rows (candidate → demand rows); builds the transpose. Tests make small ones with it. */
function fromRows(candidates: number, demand: number, start: Int32Array, rows: Int32Array): CoverageMatrix {
  const tStart = new Int32Array(demand + 1);
  for (let k = 0; k < rows.length; k++) tStart[rows[k]! + 1]!++;
  for (let d = 0; d < demand; d++) tStart[d + 1]! += tStart[d]!;
  const fill = tStart.slice(0, demand);
  const cols = new Int32Array(rows.length);
  // Candidates in ascending order, so each demand row's list is sorted.
  for (let j = 0; j < candidates; j++) for (let k = start[j]!; k < start[j + 1]!; k++) cols[fill[rows[k]!]!++] = j;
  return { candidates, demand, start, rows, tStart, cols };
}

/** A matrix from plain lists, for tests and small callers: lists[j] are the demand rows candidate j reaches. */
export function matrixFromLists(lists: readonly (readonly number[])[], demand: number): CoverageMatrix {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, j) => (start[j + 1] = start[j]! + list.length));
  const rows = Int32Array.from(lists.flat());
  for (const r of rows) if (r < 0 || r >= demand) throw new RangeError(`demand row ${r} outside 0..${demand - 1}`);
  return fromRows(lists.length, demand, start, rows);
}

/** Σ weight over the rows each candidate reaches that `covered` does not mark (all rows when null). */
export function marginalGains(matrix: CoverageMatrix, weight: Float64Array, covered: Uint8Array | null): Float64Array {
  const gains = new Float64Array(matrix.candidates);
  const { start, rows } = matrix;
  for (let j = 0; j < matrix.candidates; j++) {
    let g = 0;
    for (let k = start[j]!, end = start[j + 1]!; k < end; k++) {
      const d = rows[k]!;
      if (!covered || covered[d] === 0) g += weight[d]!;
    }
    gains[j] = g;
  }
  return gains;
}

/** The weight a set of candidates covers together (each row once). */
export function coverageValue(matrix: CoverageMatrix, weight: Float64Array, selected: ArrayLike<number>): number {
  const mark = new Uint8Array(matrix.demand);
  let value = 0;
  for (let s = 0; s < selected.length; s++) {
    const j = selected[s]!;
    for (let k = matrix.start[j]!, end = matrix.start[j + 1]!; k < end; k++) {
      const d = matrix.rows[k]!;
      if (mark[d] === 0) {
        mark[d] = 1;
        value += weight[d]!;
      }
    }
  }
  return value;
}
