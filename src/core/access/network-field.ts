/**
 * Road-network pieces the access analyses share: where places join the roads, a multi-source Dijkstra
 * whose ties are broken by site rank (so "the nearest facility" never depends on input order), and the
 * minutes from a place to the sites via its own road segment. The travel model is the coverage engine's:
 * walk straight to the nearest road at the off-road speed, ride at the road's speed, walk in.
 */
import { MinHeap } from '../travel/min-heap';
import type { NodeField, Seed } from '../travel/dijkstra';
import { snapToNetwork, type RoadGraph } from '../travel/road-graph';
import { minutesFor } from '../travel/settings';
import { MINUTES_EPSILON } from '../coverage/aggregate';

/** Where each place joins the road network: segment (-1: none), share along it from node A, walk minutes. */
export interface Attachment {
  segment: Int32Array;
  along: ArrayLike<number>;
  walkMinutes: ArrayLike<number>;
}

/**
 * Snaps places to the nearest road with no distance limit: a far place simply walks longer, and any path
 * whose walk alone exceeds a cutoff is dropped later by the cutoff, as the engine's limited snap would.
 */
export function attachPlaces(graph: RoadGraph | null, x: ArrayLike<number>, y: ArrayLike<number>, offroadKmh: number): Attachment {
  const n = x.length;
  const segment = new Int32Array(n).fill(-1);
  const along = new Float64Array(n);
  const walkMinutes = new Float64Array(n).fill(Infinity);
  if (!graph || graph.segmentCount === 0) return { segment, along, walkMinutes };
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    const snap = snapToNetwork(graph, x[i]!, y[i]!, Infinity);
    if (!snap) continue;
    segment[i] = snap.segment;
    along[i] = snap.along;
    walkMinutes[i] = minutesFor(snap.offsetMetres, offroadKmh);
  }
  return { segment, along, walkMinutes };
}

/** The two seeds a site puts on the network: both ends of its segment, after the walk and the partial ride. */
export function seedsAt(graph: RoadGraph, att: Attachment, site: number): Seed[] {
  const s = att.segment[site]!;
  if (s < 0) return [];
  const ride = graph.segMinutes[s]!;
  const walk = att.walkMinutes[site]!;
  const t = att.along[site]!;
  return [
    { node: graph.segA[s]!, minutes: walk + t * ride, label: site },
    { node: graph.segB[s]!, minutes: walk + (1 - t) * ride, label: site },
  ];
}

/** Whether (minutes, site) beats (bestMinutes, bestSite): nearer by more than the slack, or a tie won by rank. */
export function beats(minutes: number, site: number, bestMinutes: number, bestSite: number): boolean {
  if (minutes < bestMinutes - MINUTES_EPSILON) return true;
  return minutes <= bestMinutes + MINUTES_EPSILON && site >= 0 && (bestSite < 0 || site < bestSite);
}

/**
 * Multi-source Dijkstra from sites (labels are site indices = ranks), up to `cutoff` minutes: the time to
 * the nearest site at every node and which site that is. Unlike the engine's search, a tie within the
 * minutes slack goes to the smaller site index, so the labels are the same whatever order the seeds come
 * in. Each update lowers a node's minutes by more than the slack or its label's rank, so it terminates.
 */
export function rankedField(graph: RoadGraph, seeds: readonly Seed[], cutoff: number, heap = new MinHeap()): NodeField {
  const minutes = new Float64Array(graph.nodeCount).fill(Infinity);
  const label = new Int32Array(graph.nodeCount).fill(-1);
  const limit = cutoff + MINUTES_EPSILON;
  heap.clear();
  const offer = (v: number, t: number, site: number): void => {
    if (t > limit) return;
    const old = minutes[v]!;
    if (beats(t, site, old, label[v]!)) {
      minutes[v] = Math.min(t, old);
      label[v] = site;
      heap.push(v, minutes[v]!);
    }
  };
  for (const seed of seeds) offer(seed.node, seed.minutes, seed.label);
  const { offsets, adjTarget, adjMinutes } = graph;
  // A node may be popped again after a label-only change (same key): it then passes the new label on.
  while (heap.size > 0) {
    const key = heap.peekKey();
    const u = heap.pop();
    if (key > minutes[u]!) continue;
    const from = label[u]!;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) offer(adjTarget[e]!, key + adjMinutes[e]!, from);
  }
  return { minutes, label };
}

/** Sites whose snap lies on each segment: a place on the same segment reaches them along it directly. */
export function sitesBySegment(att: Attachment, members: ArrayLike<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let k = 0; k < members.length; k++) {
    const site = members[k]!;
    const s = att.segment[site]!;
    if (s < 0) continue;
    const list = out.get(s);
    if (list) list.push(site);
    else out.set(s, [site]);
  }
  return out;
}

/**
 * Network minutes from place q to the nearest site of a ranked field: walk to the road, ride to either end
 * of its segment and on along the field, or straight along the segment to a site on it. Writes the site
 * into result[0] and returns the minutes (Infinity, site -1 when the place is off the network).
 */
export function viaNetwork(
  graph: RoadGraph,
  field: NodeField,
  places: Attachment,
  q: number,
  sites: Attachment,
  onSegment: ReadonlyMap<number, readonly number[]>,
  result: Int32Array,
): number {
  result[0] = -1;
  const s = places.segment[q]!;
  if (s < 0) return Infinity;
  const ride = graph.segMinutes[s]!;
  const t = places.along[q]!;
  const a = graph.segA[s]!;
  const b = graph.segB[s]!;
  let best = field.minutes[a]! + t * ride;
  let site = field.label[a]!;
  const viaB = field.minutes[b]! + (1 - t) * ride;
  if (beats(viaB, field.label[b]!, best, site)) [best, site] = [Math.min(best, viaB), field.label[b]!];
  for (const j of onSegment.get(s) ?? []) {
    const direct = Math.abs(t - sites.along[j]!) * ride + sites.walkMinutes[j]!;
    if (beats(direct, j, best, site)) [best, site] = [Math.min(best, direct), j];
  }
  if (site < 0) return Infinity;
  result[0] = site;
  return best + places.walkMinutes[q]!;
}
