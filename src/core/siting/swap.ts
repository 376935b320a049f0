/**
 * 1-opt exchange ("swap", Teitz–Bart style) after greedy: replace one chosen site by one unchosen candidate
 * whenever that covers more, until no single exchange helps. Greedy's early picks can block a better pair
 * later (two sites that split a cluster beat one in the middle); one exchange is often enough to repair that.
 *
 * Each round evaluates every (out, in) pair without recomputing coverage: with c[d] the number of chosen sites
 * reaching row d,
 *   gain(out s, in j) = Σ_{d ∈ j, c[d] = 0} w_d + Σ_{d ∈ j ∩ s, c[d] = 1} w_d − Σ_{d ∈ s, c[d] = 1} w_d,
 * the first term once per round for all j (one pass over the matrix), the second per s through the transpose
 * (only rows s alone covers). The best improving exchange of the round is made.
 */
import { isAllowed, ZoneUse, type SiteConstraints } from './constraints';
import { checkStop, type CoverageMatrix, type SitingHooks } from './types';

export interface SwapOptions extends SiteConstraints {
  /** Upper limit on exchanges made (each strictly improves, so the loop ends anyway). */
  maxRounds?: number;
  hooks?: SitingHooks;
}

interface SwapMove {
  out: number;
  in: number;
  gain: number;
}

export interface SwapResult {
  selected: Int32Array;
  value: number;
  moves: SwapMove[];
  /** False when maxRounds stopped it before no exchange helped. */
  converged: boolean;
}

/** Improves `initial` by single exchanges until none helps; returns the new set (same size). */
export function swapImprove(
  matrix: CoverageMatrix,
  weight: Float64Array,
  initial: ArrayLike<number>,
  options: SwapOptions = {},
): SwapResult {
  const { start, rows, tStart, cols } = matrix;
  const selected = Int32Array.from(initial as ArrayLike<number>);
  const chosen = new Uint8Array(matrix.candidates);
  const zones = new ZoneUse(options);
  for (const j of selected) {
    chosen[j] = 1;
    zones.add(j);
  }
  const count = new Int32Array(matrix.demand);
  for (const j of selected) for (let q = start[j]!; q < start[j + 1]!; q++) count[rows[q]!]!++;
  let value = 0;
  for (let d = 0; d < matrix.demand; d++) if (count[d]! > 0) value += weight[d]!;
  const free = new Float64Array(matrix.candidates);
  const overlap = new Float64Array(matrix.candidates);
  const touched = new Int32Array(matrix.candidates);
  const moves: SwapMove[] = [];
  const maxRounds = options.maxRounds ?? 10_000;
  // An exchange must gain more than rounding noise on the total, or the loop could cycle.
  const tolerance = 1e-9 * Math.max(1, value);
  let converged = false;
  while (moves.length < maxRounds) {
    checkStop(options.hooks, 'swap');
    options.hooks?.onProgress?.({ phase: 'swap', done: moves.length, total: moves.length + 1 });
    for (let j = 0; j < matrix.candidates; j++) {
      let g = 0;
      for (let q = start[j]!, end = start[j + 1]!; q < end; q++) if (count[rows[q]!] === 0) g += weight[rows[q]!]!;
      free[j] = g;
    }
    let best: SwapMove | null = null;
    for (const s of selected) {
      let loss = 0;
      let nTouched = 0;
      for (let q = start[s]!, end = start[s + 1]!; q < end; q++) {
        const d = rows[q]!;
        const w = weight[d]!;
        // Rows worth nothing change nothing (and would defeat the touched-once test below).
        if (count[d] !== 1 || !(w > 0)) continue;
        loss += w;
        for (let t = tStart[d]!, tEnd = tStart[d + 1]!; t < tEnd; t++) {
          const j = cols[t]!;
          if (overlap[j] === 0) touched[nTouched++] = j;
          overlap[j]! += w;
        }
      }
      for (let j = 0; j < matrix.candidates; j++) {
        if (chosen[j] === 1 || !isAllowed(options, j) || zones.blocked(j, s)) continue;
        const gain = free[j]! + overlap[j]! - loss;
        if (gain > tolerance && (!best || gain > best.gain)) best = { out: s, in: j, gain };
      }
      for (let t = 0; t < nTouched; t++) overlap[touched[t]!] = 0;
    }
    if (!best) {
      converged = true;
      break;
    }
    const at = selected.indexOf(best.out);
    selected[at] = best.in;
    chosen[best.out] = 0;
    chosen[best.in] = 1;
    zones.remove(best.out);
    zones.add(best.in);
    for (let q = start[best.out]!; q < start[best.out + 1]!; q++) count[rows[q]!]!--;
    for (let q = start[best.in]!; q < start[best.in + 1]!; q++) count[rows[q]!]!++;
    value += best.gain;
    moves.push(best);
  }
  // Recount rather than trust the running sum.
  value = 0;
  for (let d = 0; d < matrix.demand; d++) if (count[d]! > 0) value += weight[d]!;
  return { selected, value, moves, converged };
}
