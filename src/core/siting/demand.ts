/**
 * Who counts. People an existing facility already reaches within the threshold count for nothing; everyone
 * else counts once, however many new sites reach them. The rows kept are the points that can matter: the
 * uncovered ones, plus (for relocation) those exactly one facility reaches, who lose care if it moves.
 */
import type { PopulationArrays } from '../coverage/inputs';
import { MINUTES_SLACK } from '../travel/minutes';
import { buildCoverageMatrix, type Sites } from './coverage-matrix';
import { SiteReach, type ReachModel } from './reach';
import type { SitingHooks } from './types';

export interface DemandRows {
  count: number;
  /** Population point index of each row. */
  point: Int32Array;
  x: Float64Array;
  y: Float64Array;
  people: Float64Array;
  /** People no facility reaches today (0 for rows someone reaches). */
  uncovered: Float64Array;
  /** Per row: index of the only existing facility reaching it, else -1. */
  owner: Int32Array;
}

export interface DemandSummary {
  total: number;
  alreadyCovered: number;
}

/**
 * Picks the rows. `covered` says whether the engine counts point i as covered today (null: existing facilities
 * are not locked, nobody is covered). With `facilities`, each one's reach is recomputed here (by the same travel
 * model as the engine's times), to find the rows only one facility reaches.
 */
export function demandRows(
  points: PopulationArrays,
  times: Float32Array | null,
  model: ReachModel,
  facilities: Sites | null,
  hooks?: SitingHooks,
): { rows: DemandRows; summary: DemandSummary } {
  const limit = model.minutes + MINUTES_SLACK;
  const isCovered = (i: number): boolean => times !== null && times[i]! <= limit;
  let total = 0;
  let alreadyCovered = 0;
  // Typed arrays throughout: a million points must not become a million boxed numbers.
  const all = new Int32Array(points.count);
  let nPositive = 0;
  for (let i = 0; i < points.count; i++) {
    const p = points.people[i]!;
    if (!(p > 0) || !Number.isFinite(points.x[i]!)) continue;
    total += p;
    if (isCovered(i)) alreadyCovered += p;
    all[nPositive++] = i;
  }
  const positive = all.subarray(0, nPositive);

  let reachCount: Uint16Array | null = null;
  let reachOwner: Int32Array | null = null;
  if (facilities && facilities.count > 0) {
    const reach = new SiteReach(
      model,
      Float64Array.from(positive, (i) => points.x[i]!),
      Float64Array.from(positive, (i) => points.y[i]!),
    );
    const m = buildCoverageMatrix(facilities, reach, nPositive, hooks);
    reachCount = new Uint16Array(nPositive);
    reachOwner = new Int32Array(nPositive).fill(-1);
    for (let f = 0; f < facilities.count; f++) {
      for (let q = m.start[f]!; q < m.start[f + 1]!; q++) {
        const r = m.rows[q]!;
        if (reachCount[r]! < 65535) reachCount[r]!++;
        reachOwner[r] = f;
      }
    }
  }

  const keep = new Int32Array(nPositive);
  const owners = new Int32Array(nPositive);
  let nKeep = 0;
  for (let r = 0; r < nPositive; r++) {
    const i = positive[r]!;
    const covered = isCovered(i);
    const count = reachCount ? reachCount[r]! : -1;
    if (!covered || count === 1) {
      keep[nKeep] = i;
      owners[nKeep++] = covered ? reachOwner![r]! : -1;
    }
  }
  const point = keep.slice(0, nKeep);
  const rows: DemandRows = {
    count: nKeep,
    point,
    x: Float64Array.from(point, (i) => points.x[i]!),
    y: Float64Array.from(point, (i) => points.y[i]!),
    people: Float64Array.from(point, (i) => points.people[i]!),
    uncovered: Float64Array.from(point, (i) => (isCovered(i) ? 0 : points.people[i]!)),
    owner: owners.slice(0, nKeep),
  };
  return { rows, summary: { total, alreadyCovered } };
}
