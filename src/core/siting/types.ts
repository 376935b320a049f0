/**
 * The shapes the siting modules pass between them: candidates, the coverage matrix, and the hooks a worker
 * uses to report progress and to cancel. Kept apart so each algorithm module depends only on data, not on
 * the orchestration in index.ts.
 */

/** What a candidate site is: a settlement without a facility of the tier, a grid cell, or (when existing
 * facilities are not locked) an existing facility's own place. */
export type CandidateKind = 'settlement' | 'grid' | 'facility';

export const CANDIDATE_KINDS: readonly CandidateKind[] = ['settlement', 'grid', 'facility'];

/** Candidate sites in columns: typed arrays for the hot loops, strings only for the report. */
export interface CandidateSet {
  count: number;
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** Index into CANDIDATE_KINDS. */
  kind: Uint8Array;
  /** Settlement id, `grid:<col>:<row>` or `facility:<id>`. */
  ids: string[];
  names: string[];
  /** Index into the population's zone codes (-1: no known township). */
  zone: Int32Array;
  /** How the list came about, for the report. */
  stats: CandidateStats;
}

interface CandidateStats {
  /** Places looked at before any filter. */
  considered: number;
  /** Dropped because a facility of the tier is already there. */
  occupied: number;
  /** Dropped because they lie in an excluded area. */
  excluded: number;
}

/**
 * Which demand rows each candidate reaches, in CSR form, and the transpose. "Demand" rows are the
 * population points that can matter (not yet covered, or covered by a single facility when relocation is
 * asked for); the caller's weight vector says what each is worth in a given question.
 */
export interface CoverageMatrix {
  candidates: number;
  demand: number;
  /** Candidate j reaches demand rows rows[start[j] .. start[j+1]). */
  start: Int32Array;
  rows: Int32Array;
  /** Demand row d is reached by candidates cols[tStart[d] .. tStart[d+1]), ascending. */
  tStart: Int32Array;
  cols: Int32Array;
}

/** The phases a long siting run goes through, in order. */
export type SitingPhase =
  'candidates' | 'coverage' | 'greedy' | 'swap' | 'interchange' | 'exact' | 'center' | 'capacity' | 'set_cover' | 'relocate' | 'tradeoff';

interface SitingProgress {
  phase: SitingPhase;
  done: number;
  total: number;
}

/** Hooks for a worker: progress reports, and a cancel check polled between units of work. */
export interface SitingHooks {
  onProgress?: (progress: SitingProgress) => void;
  /** Polled often; returning true stops the run with a SitingCancelledError. */
  shouldStop?: () => boolean;
}

/** Thrown when shouldStop() asked the run to stop; nothing partial is returned. */
export class SitingCancelledError extends Error {
  override name = 'SitingCancelledError';
  constructor(readonly phase: SitingPhase) {
    super(`siting cancelled during ${phase}`);
  }
}

/** Thrown for a request the engine cannot answer as asked (bad tier, K, minutes or polygons). */
export class SitingInputError extends Error {
  override name = 'SitingInputError';
}

/** Throws SitingCancelledError when the caller asked to stop. */
export function checkStop(hooks: SitingHooks | undefined, phase: SitingPhase): void {
  if (hooks?.shouldStop?.()) throw new SitingCancelledError(phase);
}

/** Milliseconds from a monotonic clock where there is one (Node, browsers, workers), else the wall clock. */
export function now(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
}
