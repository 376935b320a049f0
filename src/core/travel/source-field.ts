/**
 * A set of sources (one tier's facilities, a scope's sites) on the road network: the node field of the
 * nearest one, which sources sit on which segment, and the minutes from any attached place to the nearest
 * source (networkMinutes). The coverage engine keeps one per tier and repairs it after an edit; access
 * builds one with rank ties for catchments and referral.
 */
import { seedsOf, type Attachment, type PointAttachment, type Source } from './attach';
import { emptyNodeField, relaxFrom, repairField, type NodeField, type Seed } from './dijkstra';
import { MinHeap } from './min-heap';
import { foundSlot, networkMinutes, placeMinutes, type Found, type SourcesBySegment, type Ties } from './minutes';
import type { RoadGraph } from './road-graph';

export class SourceField {
  field: NodeField;
  readonly #bySegment = new Map<number, Source[]>();
  readonly #byNode = new Map<number, Source[]>();
  readonly #heap: MinHeap;
  /** 1 on the segments that hold a source: most hold none, and a typed read is cheaper than a Map lookup. */
  readonly #onSegment: Uint8Array;
  readonly #sourcesOn: SourcesBySegment = { get: (s) => (this.#onSegment[s] ? this.#bySegment.get(s) : undefined) };

  constructor(
    private readonly graph: RoadGraph,
    readonly cutoff: number,
    readonly ties: Ties = 'first',
    heap = new MinHeap(),
  ) {
    this.field = emptyNodeField(graph.nodeCount);
    this.#heap = heap;
    this.#onSegment = new Uint8Array(graph.segmentCount);
  }

  /** Recomputes the whole field from these sources. */
  reset(sources: readonly Source[]): void {
    this.field = emptyNodeField(this.graph.nodeCount);
    for (const s of this.#bySegment.keys()) this.#onSegment[s] = 0;
    this.#bySegment.clear();
    this.#byNode.clear();
    for (const f of sources) this.#index(f);
    relaxFrom(
      this.graph,
      this.field,
      sources.flatMap((f) => seedsOf(this.graph, f)),
      this.cutoff,
      { heap: this.#heap, ties: this.ties },
    );
  }

  /** Removes and adds sources (by label), repairing only what they affect; returns the nodes that changed. First ties only. */
  update(removed: readonly Source[], added: readonly Source[]): number[] {
    for (const f of removed) this.#unindex(f);
    for (const f of added) this.#index(f);
    const seeds = added.flatMap((f) => seedsOf(this.graph, f));
    const seedsAt = (node: number): Seed[] =>
      (this.#byNode.get(node) ?? []).flatMap((f) => seedsOf(this.graph, f).filter((seed) => seed.node === node));
    return repairField(this.graph, this.field, new Set(removed.map((f) => f.label)), seeds, this.cutoff, this.#heap, seedsAt);
  }

  /**
   * Minutes from place i to the nearest source (its label in `found`): Infinity off the network or beyond
   * `cutoff` (default the search's).
   */
  minutesAt(place: Attachment, i: number, found: Found, cutoff = this.cutoff): number {
    return networkMinutes(this.graph, this.field, place, i, this.#sourcesOn, cutoff, this.ties, found);
  }

  /** Lowers time[i] (and sets label[i]) for every place the network brings nearer than it already is. */
  lowerAll(place: PointAttachment, time: Float32Array, label: Int32Array): void {
    const found = foundSlot();
    const { segment, along, walkMinutes } = place;
    const rank = this.ties === 'rank';
    const { graph, field, cutoff } = this;
    // Every place by the ends of its segment first (no Map in the loop: it stays one inlined composition), then
    // the few on a segment that holds a source.
    for (let i = 0; i < time.length; i++) {
      const s = segment[i]!;
      if (s < 0) continue;
      placeMinutes(graph, field, s, along[i]!, walkMinutes[i]!, null, cutoff, rank, found);
      if (found.minutes < time[i]!) {
        time[i] = found.minutes;
        label[i] = found.label;
      }
    }
    this.#lowerAlongSegments(place, time, label, found);
  }

  /** The few places on a segment that holds a source, which may reach it along the segment (out of lowerAll's hot loop). */
  #lowerAlongSegments(place: PointAttachment, time: Float32Array, label: Int32Array, found: Found): void {
    const { segment, along, walkMinutes, nodeOffsets, nodePoints } = place;
    const rank = this.ties === 'rank';
    const { graph, field, cutoff } = this;
    for (const s of this.#bySegment.keys()) {
      const a = graph.segA[s]!;
      for (let k = nodeOffsets[a]!; k < nodeOffsets[a + 1]!; k++) {
        const i = nodePoints[k]!;
        if (segment[i] !== s) continue;
        placeMinutes(graph, field, s, along[i]!, walkMinutes[i]!, this.#bySegment, cutoff, rank, found);
        if (found.minutes < time[i]!) {
          time[i] = found.minutes;
          label[i] = found.label;
        }
      }
    }
  }

  #index(f: Source): void {
    const list = this.#bySegment.get(f.segment) ?? [];
    list.push(f);
    this.#bySegment.set(f.segment, list);
    this.#onSegment[f.segment] = 1;
    for (const node of this.#endsOf(f)) this.#byNode.set(node, [...(this.#byNode.get(node) ?? []), f]);
  }

  #unindex(f: Source): void {
    const list = this.#bySegment.get(f.segment)?.filter((g) => g.label !== f.label) ?? [];
    if (list.length) this.#bySegment.set(f.segment, list);
    else {
      this.#bySegment.delete(f.segment);
      this.#onSegment[f.segment] = 0;
    }
    for (const node of this.#endsOf(f)) {
      const at = this.#byNode.get(node)?.filter((g) => g.label !== f.label) ?? [];
      if (at.length) this.#byNode.set(node, at);
      else this.#byNode.delete(node);
    }
  }

  #endsOf(f: Source): number[] {
    return [this.graph.segA[f.segment]!, this.graph.segB[f.segment]!];
  }
}
