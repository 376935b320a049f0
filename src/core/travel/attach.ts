/**
 * Where places meet the road network, and the seeds a facility puts on it. A place (settlement, population
 * point, facility, candidate site, grid cell) is snapped to the nearest spot on the nearest road segment
 * within a walking reach, and walks there straight at the off-road speed. Population points keep their
 * attachment in float32 (millions of them) with an index of the points at each node; sources (facilities,
 * sites) in float64.
 */
import type { Seed } from './dijkstra';
import type { SegmentGrid } from '../spatial/segment-grid';
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
  // Counted per node while the answers are written (in grid order, so the segments' ends are read from cache).
  const nodeOffsets = new Int32Array(graph.nodeCount + 1);
  const att = attachInto(graph, x, y, maxWalkMetres, offroadKmh, new Float32Array(n), new Float32Array(n), nodeOffsets);
  for (let u = 0; u < graph.nodeCount; u++) nodeOffsets[u + 1]! += nodeOffsets[u]!;
  return { ...att, nodeOffsets, nodePoints: pointsByNode(graph, att.segment, nodeOffsets) };
}

/** Each node's points, in ascending order of point. */
function pointsByNode(graph: RoadGraph, segment: Int32Array, nodeOffsets: Int32Array): Int32Array {
  const fill = nodeOffsets.slice(0, graph.nodeCount);
  const nodePoints = new Int32Array(nodeOffsets[graph.nodeCount]!);
  for (let i = 0; i < segment.length; i++) {
    const s = segment[i]!;
    if (s < 0) continue;
    nodePoints[fill[graph.segA[s]!]!++] = i;
    nodePoints[fill[graph.segB[s]!]!++] = i;
  }
  return nodePoints;
}

/** Attaches every place; with `perNode`, also counts the places at each node of their segment into perNode[node + 1]. */
function attachInto<A extends Float32Array | Float64Array>(
  graph: RoadGraph | null,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxWalkMetres: number,
  offroadKmh: number,
  along: A,
  walkMinutes: A,
  perNode: Int32Array | null = null,
): { segment: Int32Array; along: A; walkMinutes: A } {
  const n = x.length;
  const segment = new Int32Array(n).fill(-1);
  walkMinutes.fill(Infinity);
  if (!graph || graph.segmentCount === 0) return { segment, along, walkMinutes };
  const order = gridOrder(graph.segGrid, x, y);
  // In blocks: gather a block's coordinates, snap them, scatter the answers. Each of the three loops is simple
  // enough for the processor to overlap its scattered reads or writes, which the snapping loop is not (and each
  // is its own small function, which the JIT optimises on its own).
  const block = new Block();
  for (let from = 0; from < n; from += BLOCK) {
    const size = Math.min(BLOCK, n - from);
    block.gather(order, from, size, x, y);
    block.snap(graph.segGrid, size, maxWalkMetres);
    block.scatter(order, from, size, segment, along, walkMinutes, offroadKmh);
    if (perNode) block.count(graph, size, perNode);
  }
  return { segment, along, walkMinutes };
}

const BLOCK = 4096;

/** One block of places in grid order: their coordinates, then their answers. */
class Block {
  readonly x = new Float64Array(BLOCK);
  readonly y = new Float64Array(BLOCK);
  readonly segment = new Int32Array(BLOCK);
  readonly along = new Float64Array(BLOCK);
  readonly offset = new Float64Array(BLOCK);

  gather(order: Int32Array, from: number, size: number, x: ArrayLike<number>, y: ArrayLike<number>): void {
    for (let k = 0; k < size; k++) {
      const i = order[from + k]!;
      this.x[k] = x[i]!;
      this.y[k] = y[i]!;
    }
  }

  snap(grid: SegmentGrid, size: number, maxWalkMetres: number): void {
    for (let k = 0; k < size; k++) {
      this.segment[k] = grid.nearest(this.x[k]!, this.y[k]!, maxWalkMetres);
      this.along[k] = grid.along;
      this.offset[k] = grid.distance;
    }
  }

  scatter<A extends Float32Array | Float64Array>(
    order: Int32Array,
    from: number,
    size: number,
    segment: Int32Array,
    along: A,
    walkMinutes: A,
    offroadKmh: number,
  ): void {
    for (let k = 0; k < size; k++) {
      const s = this.segment[k]!;
      if (s < 0) continue;
      const i = order[from + k]!;
      segment[i] = s;
      along[i] = this.along[k]!;
      walkMinutes[i] = minutesFor(this.offset[k]!, offroadKmh);
    }
  }

  count(graph: RoadGraph, size: number, perNode: Int32Array): void {
    for (let k = 0; k < size; k++) {
      const s = this.segment[k]!;
      if (s < 0) continue;
      perNode[graph.segA[s]! + 1]!++;
      perNode[graph.segB[s]! + 1]!++;
    }
  }
}

/**
 * The places by grid cell (a counting sort), so that neighbouring queries read the same cells and segments
 * from cache instead of jumping across the county with every point.
 */
function gridOrder(grid: SegmentGrid, x: ArrayLike<number>, y: ArrayLike<number>): Int32Array {
  const n = x.length;
  const cellOf = new Int32Array(n);
  const start = new Int32Array(grid.nx * grid.ny + 1);
  countCells(grid, x, y, cellOf, start);
  for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[start[cellOf[i]!]!++] = i;
  return order;
}

function countCells(grid: SegmentGrid, x: ArrayLike<number>, y: ArrayLike<number>, cellOf: Int32Array, start: Int32Array): void {
  for (let i = 0; i < x.length; i++) start[(cellOf[i] = grid.cellOf(x[i]!, y[i]!)) + 1]!++;
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
