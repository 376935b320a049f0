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

/**
 * Which sources sit on which segment (a place on the same segment reaches them along it directly). A Map will
 * do; SourceField answers from a typed mark first, as most segments hold no source.
 */
export type SourcesBySegment = Pick<ReadonlyMap<number, readonly Source[]>, 'get'>;

/** The source a networkMinutes call found (-1: none) and its minutes. */
export interface Found {
  label: number;
  minutes: number;
}

/**
 * A fresh answer slot. Every Found has this one shape, so the hot functions that fill it stay monomorphic and
 * store minutes in place instead of allocating a number per point.
 */
export const foundSlot = (): Found => ({ label: -1, minutes: Infinity });

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
  const s = place.segment[i]!;
  if (s < 0) {
    found.label = -1;
    found.minutes = Infinity;
    return Infinity;
  }
  placeMinutes(graph, field, s, place.along[i]!, place.walkMinutes[i]!, onSegment, cutoff, ties === 'rank', found);
  return found.minutes;
}

/**
 * networkMinutes for a place given by its segment, share along it and walk, answering in `found` (minutes and
 * label) rather than a returned number: a pass over a million points then allocates nothing per point.
 */
export function placeMinutes(
  graph: RoadGraph,
  field: NodeField,
  s: number,
  t: number,
  walk: number,
  onSegment: SourcesBySegment | null,
  cutoff: number,
  rank: boolean,
  found: Found,
): void {
  const ride = graph.segMinutes[s]!;
  const a = graph.segA[s]!;
  const b = graph.segB[s]!;
  found.minutes = field.minutes[a]! + t * ride;
  found.label = field.label[a]!;
  offer(found, field.minutes[b]! + (1 - t) * ride, field.label[b]!, rank);
  // Rare (most segments hold no source) and kept out of line, so this function stays small enough to inline.
  const sources = onSegment === null ? undefined : onSegment.get(s);
  if (sources !== undefined) alongSegment(sources, t, ride, rank, found);
  const total = found.minutes + walk;
  const reached = found.label >= 0 && total <= cutoff + MINUTES_SLACK;
  found.minutes = reached ? total : Infinity;
  found.label = reached ? found.label : -1;
}

/** Takes (minutes, label) into `found` when it beats what is there, under the ties rule. */
function offer(found: Found, minutes: number, label: number, rank: boolean): void {
  if (rank ? beats(minutes, label, found.minutes, found.label) : minutes < found.minutes) {
    found.minutes = Math.min(found.minutes, minutes);
    found.label = label;
  }
}

/** Lowers `found` to a source on the place's own segment when riding along the segment to it is quicker. */
function alongSegment(sources: readonly Source[], t: number, ride: number, rank: boolean, found: Found): void {
  for (const f of sources) offer(found, Math.abs(t - f.along) * ride + f.walkMinutes, f.label, rank);
}
