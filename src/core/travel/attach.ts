/**
 * Where places meet the road network, and the seeds a facility puts on it. A place (settlement, population
 * point, facility, candidate site, grid cell) is snapped to the nearest spot on the nearest road segment
 * within a walking reach, and walks there straight at the off-road speed. Population points keep their
 * attachment in float32 (millions of them) with an index of the points at each node; sources (facilities,
 * sites) in float64.
 */
import type { Seed } from './dijkstra';
import { snapToNetwork, type RoadGraph } from './road-graph';
import { minutesFor } from './settings';

/** Where each place joins the road network: segment (-1: none), share along it from node A, walk minutes. */
export interface Attachment {
  segment: Int32Array;
  along: ArrayLike<number>;
  walkMinutes: ArrayLike<number>;
}

/** Population points' attachment, with the points attached to each node in CSR form (both ends of their segment). */
export interface PointAttachment extends Attachment {
  along: Float32Array;
  walkMinutes: Float32Array;
  nodeOffsets: Int32Array;
  nodePoints: Int32Array;
}

/** A source on the network (a facility or a candidate site): its label, its segment, along it, and its walk. */
export interface Source {
  label: number;
  segment: number;
  along: number;
  walkMinutes: number;
}

/** One place's attachment: the nearest road spot within maxWalkMetres and the walk to it, or null. */
function attachOne(
  graph: RoadGraph,
  x: number,
  y: number,
  maxWalkMetres: number,
  offroadKmh: number,
): { segment: number; along: number; walkMinutes: number } | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const snap = snapToNetwork(graph, x, y, maxWalkMetres);
  return snap ? { segment: snap.segment, along: snap.along, walkMinutes: minutesFor(snap.offsetMetres, offroadKmh) } : null;
}

/** A source's attachment (null: no road within maxWalkMetres). */
export function attachSource(
  graph: RoadGraph,
  label: number,
  x: number,
  y: number,
  maxWalkMetres: number,
  offroadKmh: number,
): Source | null {
  const at = attachOne(graph, x, y, maxWalkMetres, offroadKmh);
  return at ? { label, ...at } : null;
}

/**
 * Attaches places to the roads within maxWalkMetres (Infinity: no limit, a far place simply walks longer and
 * a cutoff drops it later). No graph or no road: every place is off the network.
 */
export function attachPlaces(
  graph: RoadGraph | null,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxWalkMetres: number,
  offroadKmh: number,
): Attachment {
  return attachInto(graph, x, y, maxWalkMetres, offroadKmh, new Float64Array(x.length), new Float64Array(x.length));
}

/** Attaches population points (float32) and indexes them by the two nodes of their segment. */
export function attachPoints(
  graph: RoadGraph,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxWalkMetres: number,
  offroadKmh: number,
): PointAttachment {
  const n = x.length;
  const { segment, along, walkMinutes } = attachInto(graph, x, y, maxWalkMetres, offroadKmh, new Float32Array(n), new Float32Array(n));
  const perNode = new Int32Array(graph.nodeCount + 1);
  for (let i = 0; i < n; i++) {
    const s = segment[i]!;
    if (s < 0) continue;
    perNode[graph.segA[s]! + 1]!++;
    perNode[graph.segB[s]! + 1]!++;
  }
  const nodeOffsets = new Int32Array(graph.nodeCount + 1);
  for (let u = 0; u < graph.nodeCount; u++) nodeOffsets[u + 1] = nodeOffsets[u]! + perNode[u + 1]!;
  const fill = nodeOffsets.slice(0, graph.nodeCount);
  const nodePoints = new Int32Array(nodeOffsets[graph.nodeCount]!);
  for (let i = 0; i < n; i++) {
    const s = segment[i]!;
    if (s < 0) continue;
    nodePoints[fill[graph.segA[s]!]!++] = i;
    nodePoints[fill[graph.segB[s]!]!++] = i;
  }
  return { segment, along, walkMinutes, nodeOffsets, nodePoints };
}

function attachInto<A extends Float32Array | Float64Array>(
  graph: RoadGraph | null,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxWalkMetres: number,
  offroadKmh: number,
  along: A,
  walkMinutes: A,
): { segment: Int32Array; along: A; walkMinutes: A } {
  const n = x.length;
  const segment = new Int32Array(n).fill(-1);
  walkMinutes.fill(Infinity);
  if (!graph || graph.segmentCount === 0) return { segment, along, walkMinutes };
  for (let i = 0; i < n; i++) {
    const at = attachOne(graph, x[i]!, y[i]!, maxWalkMetres, offroadKmh);
    if (!at) continue;
    segment[i] = at.segment;
    along[i] = at.along;
    walkMinutes[i] = at.walkMinutes;
  }
  return { segment, along, walkMinutes };
}

/** A place of an attachment as a source labelled `label` (null: off the network). */
export function sourceAt(att: Attachment, i: number, label: number): Source | null {
  const segment = att.segment[i]!;
  return segment < 0 ? null : { label, segment, along: att.along[i]!, walkMinutes: att.walkMinutes[i]! };
}

/** The two seeds a source puts on the network: both ends of its segment, after its walk and the partial ride. */
export function seedsOf(graph: RoadGraph, f: Source): Seed[] {
  const s = f.segment;
  const ride = graph.segMinutes[s]!;
  return [
    { node: graph.segA[s]!, minutes: f.walkMinutes + f.along * ride, label: f.label },
    { node: graph.segB[s]!, minutes: f.walkMinutes + (1 - f.along) * ride, label: f.label },
  ];
}
