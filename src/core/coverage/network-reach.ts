import type { PopulationArrays } from './inputs';
import { emptyNodeField, relaxFrom, repairField, type NodeField, type Seed } from '../travel/dijkstra';
import { MinHeap } from '../travel/min-heap';
import { snapToNetwork, type RoadGraph, type Snap } from '../travel/road-graph';
import { minutesFor } from '../travel/settings';

/** Where each population point joins the road network (segment -1: no road within reach). */
export interface PointAttachment {
  segment: Int32Array;
  along: Float32Array;
  walkMinutes: Float32Array;
  /** Points attached to each node, in CSR form, so a change at a node finds its people at once. */
  nodeOffsets: Int32Array;
  nodePoints: Int32Array;
}

/** A facility's place on the network: its snap and the walk to it. */
export interface FacilitySnap {
  slot: number;
  snap: Snap;
  walkMinutes: number;
}

/** Snaps every point to the nearest road within `maxWalkMetres`; those farther are left off the network. */
export function attachPoints(graph: RoadGraph, points: PopulationArrays, maxWalkMetres: number, offroadKmh: number): PointAttachment {
  const n = points.count;
  const segment = new Int32Array(n).fill(-1);
  const along = new Float32Array(n);
  const walkMinutes = new Float32Array(n).fill(Infinity);
  const perNode = new Int32Array(graph.nodeCount + 1);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(points.x[i])) continue;
    const snap = snapToNetwork(graph, points.x[i]!, points.y[i]!, maxWalkMetres);
    if (!snap) continue;
    segment[i] = snap.segment;
    along[i] = snap.along;
    walkMinutes[i] = minutesFor(snap.offsetMetres, offroadKmh);
    perNode[graph.segA[snap.segment]! + 1]!++;
    perNode[graph.segB[snap.segment]! + 1]!++;
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

/** The two seeds a facility puts on the network: both ends of its segment, with the walk and the partial ride. */
export function seedsOf(graph: RoadGraph, f: FacilitySnap): Seed[] {
  const s = f.snap.segment;
  const ride = graph.segMinutes[s]!;
  return [
    { node: graph.segA[s]!, minutes: f.walkMinutes + f.snap.along * ride, label: f.slot },
    { node: graph.segB[s]!, minutes: f.walkMinutes + (1 - f.snap.along) * ride, label: f.slot },
  ];
}

/** One tier's network state: the node field and which facilities sit on which segment. */
export class TierNetwork {
  field: NodeField;
  bySegment = new Map<number, FacilitySnap[]>();
  #byNode = new Map<number, FacilitySnap[]>();
  #heap = new MinHeap();

  constructor(
    private readonly graph: RoadGraph,
    readonly cutoff: number,
  ) {
    this.field = emptyNodeField(graph.nodeCount);
  }

  /** Recomputes the whole field from these facilities. */
  reset(facilities: readonly FacilitySnap[]): void {
    this.field = emptyNodeField(this.graph.nodeCount);
    this.bySegment.clear();
    this.#byNode.clear();
    for (const f of facilities) this.#index(f);
    relaxFrom(
      this.graph,
      this.field,
      facilities.flatMap((f) => seedsOf(this.graph, f)),
      this.cutoff,
      this.#heap,
    );
  }

  /** Removes and adds facilities, repairing only what they affect; returns the nodes that changed. */
  update(removed: readonly FacilitySnap[], added: readonly FacilitySnap[]): number[] {
    for (const f of removed) this.#unindex(f);
    for (const f of added) this.#index(f);
    const seeds = added.flatMap((f) => seedsOf(this.graph, f));
    const seedsAt = (node: number): Seed[] =>
      this.#facilitiesAtNode(node).flatMap((f) => seedsOf(this.graph, f).filter((seed) => seed.node === node));
    return repairField(this.graph, this.field, new Set(removed.map((f) => f.slot)), seeds, this.cutoff, this.#heap, seedsAt);
  }

  /**
   * Minutes from point i to the nearest facility over the network: walk to the road, ride to the nearest
   * facility's segment, walk in. Infinity beyond the cutoff or off the network.
   */
  pointMinutes(att: PointAttachment, i: number): { minutes: number; slot: number } {
    const s = att.segment[i]!;
    if (s < 0) return { minutes: Infinity, slot: -1 };
    const g = this.graph;
    const ride = g.segMinutes[s]!;
    const t = att.along[i]!;
    const viaA = this.field.minutes[g.segA[s]!]! + t * ride;
    const viaB = this.field.minutes[g.segB[s]!]! + (1 - t) * ride;
    let best = viaA <= viaB ? viaA : viaB;
    let slot = viaA <= viaB ? this.field.label[g.segA[s]!]! : this.field.label[g.segB[s]!]!;
    // A facility on the same segment is reached along it without passing either end.
    for (const f of this.bySegment.get(s) ?? []) {
      const direct = Math.abs(t - f.snap.along) * ride + f.walkMinutes;
      if (direct < best) [best, slot] = [direct, f.slot];
    }
    const total = best + att.walkMinutes[i]!;
    return total <= this.cutoff + 1e-6 ? { minutes: total, slot } : { minutes: Infinity, slot: -1 };
  }

  /** Facilities whose segment ends at this node (their seeds land on it). */
  #facilitiesAtNode(node: number): FacilitySnap[] {
    return this.#byNode.get(node) ?? [];
  }

  #index(f: FacilitySnap): void {
    const list = this.bySegment.get(f.snap.segment) ?? [];
    list.push(f);
    this.bySegment.set(f.snap.segment, list);
    for (const node of this.#endsOf(f)) this.#byNode.set(node, [...(this.#byNode.get(node) ?? []), f]);
  }

  #unindex(f: FacilitySnap): void {
    const list = this.bySegment.get(f.snap.segment)?.filter((g) => g.slot !== f.slot) ?? [];
    if (list.length) this.bySegment.set(f.snap.segment, list);
    else this.bySegment.delete(f.snap.segment);
    for (const node of this.#endsOf(f)) {
      const at = this.#byNode.get(node)?.filter((g) => g.slot !== f.slot) ?? [];
      if (at.length) this.#byNode.set(node, at);
      else this.#byNode.delete(node);
    }
  }

  #endsOf(f: FacilitySnap): number[] {
    return [this.graph.segA[f.snap.segment]!, this.graph.segB[f.snap.segment]!];
  }
}
