/**
 * Which existing facility to move for the largest gain: remove one, add the best candidate. Removing facility
 * f uncovers the people only f reaches ("owned" rows); the best new site then covers the people nobody reaches
 * plus any of those. With the transpose, each f costs the candidates its owned rows touch, not a full pass:
 *   best(f) = max( max_j base_j,  max_{j touched} base_j + Σ_{d owned by f, j reaches d} w_d ),
 * where base_j is what j covers today; the first term is safe because a touched j is worth at least base_j.
 */
import { isAllowed, type SiteConstraints } from './constraints';
import { marginalGains } from './coverage-matrix';
import { checkStop, type CoverageMatrix, type SitingHooks } from './types';

export interface RelocationInput {
  matrix: CoverageMatrix;
  /** Per row: people no facility reaches today (0 for the others). */
  uncovered: Float64Array;
  /** Per row: people, counted when the row's only facility moves away. */
  people: Float64Array;
  /** Per row: the index of the only facility reaching it, or -1 (none, or several). */
  owner: Int32Array;
  facilityCount: number;
}

export interface Relocation {
  facility: number;
  /** People only this facility reaches: lost when it moves. */
  lost: number;
  /** The best candidate to move it to (-1: none reaches anyone). */
  candidate: number;
  /** People that candidate would reach who would then have no facility. */
  gained: number;
  net: number;
}

/** Every facility's best move, best net gain first (ties: lower facility index). */
export function bestRelocations(input: RelocationInput, constraints: SiteConstraints = {}, hooks?: SitingHooks): Relocation[] {
  const { matrix, uncovered, people, owner, facilityCount } = input;
  const base = marginalGains(matrix, uncovered, null);
  let bestBase = -1;
  for (let j = 0; j < matrix.candidates; j++) {
    if (!isAllowed(constraints, j)) {
      base[j] = -Infinity;
      continue;
    }
    if (bestBase < 0 || base[j]! > base[bestBase]!) bestBase = j;
  }
  // Owned rows by facility, in CSR.
  const ownStart = new Int32Array(facilityCount + 1);
  for (let d = 0; d < matrix.demand; d++) if (owner[d]! >= 0) ownStart[owner[d]! + 1]!++;
  for (let f = 0; f < facilityCount; f++) ownStart[f + 1]! += ownStart[f]!;
  const fill = ownStart.slice(0, facilityCount);
  const owned = new Int32Array(ownStart[facilityCount]!);
  for (let d = 0; d < matrix.demand; d++) if (owner[d]! >= 0) owned[fill[owner[d]!]!++] = d;

  const extra = new Float64Array(matrix.candidates);
  const touched = new Int32Array(matrix.candidates);
  const out: Relocation[] = [];
  for (let f = 0; f < facilityCount; f++) {
    if ((f & 63) === 0) {
      checkStop(hooks, 'relocate');
      hooks?.onProgress?.({ phase: 'relocate', done: f, total: facilityCount });
    }
    let lost = 0;
    let nTouched = 0;
    for (let q = ownStart[f]!; q < ownStart[f + 1]!; q++) {
      const d = owned[q]!;
      const w = people[d]!;
      if (!(w > 0)) continue;
      lost += w;
      for (let t = matrix.tStart[d]!; t < matrix.tStart[d + 1]!; t++) {
        const j = matrix.cols[t]!;
        if (extra[j] === 0) touched[nTouched++] = j;
        extra[j]! += w;
      }
    }
    let candidate = bestBase;
    let gained = bestBase >= 0 ? base[bestBase]! + extra[bestBase]! : 0;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t]!;
      const value = base[j]! + extra[j]!;
      if (value > gained || (value === gained && j < candidate)) {
        gained = value;
        candidate = j;
      }
      extra[j] = 0;
    }
    if (candidate >= 0 && !(gained > 0)) candidate = -1;
    if (candidate < 0) gained = 0;
    out.push({ facility: f, lost, candidate, gained, net: gained - lost });
  }
  out.sort((a, b) => b.net - a.net || a.facility - b.facility);
  return out;
}
