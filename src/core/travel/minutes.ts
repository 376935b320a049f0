/**
 * The travel model's minutes, in one place. Coverage (CoverageEngine), access (AccessTravel) and siting
 * (SiteReach) all time a place to a facility with these functions:
 *
 * - straight line: metres × straightPace(settings): the buffer speed in buffer mode, off-road walking in
 *   network mode (where a straight walk is always allowed when it is quicker than the roads);
 * - network ("walk-ride-walk"): walk from the place to its road (its attachment, ./attach.ts), ride to an
 *   end of that segment and on along the node times of a search (./dijkstra.ts), which began with the
 *   facility's own walk to its road and partial ride (seedsOf); or ride along the shared segment straight
 *   to a facility on it. networkMinutes is the one function that composes these legs.
 */
import type { Attachment, Source } from './attach';
import type { NodeField } from './dijkstra';
import type { RoadGraph } from './road-graph';
import type { TravelSettings } from './settings';

/**
 * Float slack in minutes on every cutoff and threshold (inclusive thresholds: exactly 30 is within 30), so
 * that "exactly 30 minutes" survives floating-point noise. The one slack of every layer (coverage, access, siting).
 */
export const MINUTES_SLACK = 1e-6;

/** Straight-line speed: the buffer speed in buffer mode, off-road walking in network mode. */
export function straightKmh(settings: Pick<TravelSettings, 'mode' | 'bufferKmh' | 'offroadKmh'>): number {
  return settings.mode === 'buffer' ? settings.bufferKmh : settings.offroadKmh;
}

/** Minutes per metre of a straight line at `kmh`. */
const paceOf = (kmh: number): number => 60 / (kmh * 1000);

/** Minutes per metre of a straight line in the settings' mode. */
export const straightPace = (settings: Pick<TravelSettings, 'mode' | 'bufferKmh' | 'offroadKmh'>): number => paceOf(straightKmh(settings));

/** Straight-line minutes over `metres` at `pace` minutes per metre (hot loops pass Math.sqrt(dx² + dy²)). */
export const straightMinutes = (metres: number, pace: number): number => metres * pace;

/**
 * How ties between sources are broken. `first`: strictly fewer minutes win, so the source met first keeps
 * a tie (the coverage engine). `rank`: minutes within MINUTES_SLACK are a tie, won by the smaller label
 * (labels are ranks; access, so "the nearest facility" never depends on input order).
 */
export type Ties = 'first' | 'rank';

/** Whether (minutes, label) beats (bestMinutes, bestLabel) under the rank rule. */
export function beats(minutes: number, label: number, bestMinutes: number, bestLabel: number): boolean {
  if (minutes < bestMinutes - MINUTES_SLACK) return true;
  return minutes <= bestMinutes + MINUTES_SLACK && label >= 0 && (bestLabel < 0 || label < bestLabel);
}

/** Which sources sit on which segment (a place on the same segment reaches them along it directly). */
export type SourcesBySegment = ReadonlyMap<number, readonly Source[]>;

/** The source a networkMinutes call found (-1: none). */
export interface Found {
  label: number;
}

/**
 * THE walk-ride-walk composition: minutes from place i of an attachment to the nearest source of a node
 * field. Walk from the place to its road, then the better of riding to either end of its segment and on
 * (the node times, which already hold the ride from the source and its walk onto the road) or riding along
 * the segment to a source on it (`onSegment`) and walking in from the road. Infinity (label -1) off the
 * network, where no source was reached, or beyond `cutoff` (+ MINUTES_SLACK; Infinity: no cutoff here).
 */
export function networkMinutes(
  graph: RoadGraph,
  field: NodeField,
  place: Attachment,
  i: number,
  onSegment: SourcesBySegment | null,
  cutoff: number,
  ties: Ties,
  found: Found,
): number {
  found.label = -1;
  const s = place.segment[i]!;
  if (s < 0) return Infinity;
  const ride = graph.segMinutes[s]!;
  const t = place.along[i]!;
  const a = graph.segA[s]!;
  const b = graph.segB[s]!;
  const rank = ties === 'rank';
  let best = field.minutes[a]! + t * ride;
  let label = field.label[a]!;
  const viaB = field.minutes[b]! + (1 - t) * ride;
  const labelB = field.label[b]!;
  if (rank ? beats(viaB, labelB, best, label) : viaB < best) [best, label] = [Math.min(best, viaB), labelB];
  const sources = onSegment?.get(s);
  if (sources) {
    for (const f of sources) {
      const direct = Math.abs(t - f.along) * ride + f.walkMinutes;
      if (rank ? beats(direct, f.label, best, label) : direct < best) [best, label] = [Math.min(best, direct), f.label];
    }
  }
  if (label < 0) return Infinity;
  const total = best + place.walkMinutes[i]!;
  if (!(total <= cutoff + MINUTES_SLACK)) return Infinity;
  found.label = label;
  return total;
}
