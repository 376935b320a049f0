/**
 * Lazy greedy for maximal covering (Minoux's accelerated greedy): a max-heap of each candidate's last known
 * marginal gain. Coverage is submodular, so a gain can only shrink as sites are added and a stale heap entry
 * is an upper bound: only the top needs re-evaluating, which usually makes K picks cost a few re-evaluations
 * each instead of a pass over every candidate. Ties go to the lower candidate index, as plain greedy would.
 */
import { isAllowed, ZoneUse, type SiteConstraints } from './constraints';
import { marginalGains } from './coverage-matrix';
import { GainHeap } from './gain-heap';
import { checkStop, type CoverageMatrix, type SitingHooks, type SitingPhase } from './types';

export interface GreedyOptions extends SiteConstraints {
  /** Stop once the covered weight reaches this (partial set covering). */
  target?: number;
  /** Rows already covered before the first pick (worth nothing); not modified. */
  covered?: Uint8Array | null;
  hooks?: SitingHooks;
  /** The phase named in progress reports. */
  phase?: SitingPhase;
}

export interface GreedyResult {
  /** Candidates in the order picked. */
  order: Int32Array;
  /** Marginal gain of each pick when it was made. */
  gains: Float64Array;
  value: number;
  /** Gain re-evaluations done (a measure of how much laziness saved). */
  evaluations: number;
  /** Why it stopped: K picks, the target met, or no candidate adds anything. */
  stop: 'k' | 'target' | 'saturated';
}

/** Picks up to k candidates, each time the one adding the most weight not yet covered. */
export function lazyGreedy(matrix: CoverageMatrix, weight: Float64Array, k: number, options: GreedyOptions = {}): GreedyResult {
  const phase = options.phase ?? 'greedy';
  const hooks = options.hooks;
  const covered = options.covered ? options.covered.slice() : new Uint8Array(matrix.demand);
  const initial = marginalGains(matrix, weight, options.covered ?? null);
  const heap = new GainHeap(matrix.candidates);
  for (let j = 0; j < matrix.candidates; j++) if (initial[j]! > 0 && isAllowed(options, j)) heap.push(j, initial[j]!);
  const stamp = new Int32Array(matrix.candidates);
  const zones = new ZoneUse(options);
  const order: number[] = [];
  const gains: number[] = [];
  let value = 0;
  let evaluations = 0;
  // Sums of fractional people carry rounding: a target met to 1e-9 of itself is met.
  const target = options.target === undefined ? Infinity : options.target - 1e-9 * Math.max(1, Math.abs(options.target));
  const { start, rows } = matrix;
  let stop: GreedyResult['stop'] = 'k';
  while (order.length < k) {
    if (value >= target) {
      stop = 'target';
      break;
    }
    if (heap.size === 0) {
      stop = 'saturated';
      break;
    }
    const j = heap.pop();
    if (zones.blocked(j)) continue;
    if (stamp[j] !== order.length) {
      // Stale: re-evaluate against the current cover and put it back.
      let g = 0;
      for (let q = start[j]!, end = start[j + 1]!; q < end; q++) if (covered[rows[q]!] === 0) g += weight[rows[q]!]!;
      evaluations++;
      stamp[j] = order.length;
      if (g > 0) heap.push(j, g);
      continue;
    }
    let g = 0;
    for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
      const d = rows[q]!;
      if (covered[d] === 0) {
        covered[d] = 1;
        g += weight[d]!;
      }
    }
    order.push(j);
    gains.push(g);
    value += g;
    zones.add(j);
    // The pick count moved on, so every other entry is now stale (its stamp is behind).
    checkStop(hooks, phase);
    hooks?.onProgress?.({ phase, done: order.length, total: Number.isFinite(k) ? k : matrix.candidates });
  }
  return { order: Int32Array.from(order), gains: Float64Array.from(gains), value, evaluations, stop };
}
