/**
 * A single-source Dijkstra bounded by a cutoff that resets only the nodes it touched. The engine's relaxFrom
 * works on a full node field, which costs a pass over every node to clear; searching from ten thousand
 * candidates on a 200,000-node graph would spend its time clearing. Here a search costs what it reaches.
 */
import type { Seed } from '../travel/dijkstra';
import { MinHeap } from '../travel/min-heap';
import type { RoadGraph } from '../travel/road-graph';

export class BoundedDijkstra {
  /** Minutes to each node from the last search's seeds; Infinity where it did not reach. */
  readonly minutes: Float64Array;
  /** Nodes the last search settled within the cutoff: settled[0 .. settledCount). */
  settled: Int32Array;
  settledCount = 0;
  readonly #graph: RoadGraph;
  readonly #heap = new MinHeap();
  #touched: Int32Array;
  #touchedCount = 0;

  constructor(graph: RoadGraph) {
    this.#graph = graph;
    this.minutes = new Float64Array(graph.nodeCount).fill(Infinity);
    this.settled = new Int32Array(64);
    this.#touched = new Int32Array(64);
  }

  /** Runs from `seeds` (the same seeds a facility puts on the network) up to `cutoff` minutes. */
  run(seeds: readonly Seed[], cutoff: number): void {
    const minutes = this.minutes;
    for (let k = 0; k < this.#touchedCount; k++) minutes[this.#touched[k]!] = Infinity;
    this.#touchedCount = 0;
    this.settledCount = 0;
    const heap = this.#heap;
    heap.clear();
    const limit = cutoff + 1e-6;
    for (const seed of seeds) {
      if (seed.minutes > limit || !(seed.minutes < minutes[seed.node]!)) continue;
      if (minutes[seed.node] === Infinity) this.#touch(seed.node);
      minutes[seed.node] = seed.minutes;
      heap.push(seed.node, seed.minutes);
    }
    const { offsets, adjTarget, adjMinutes } = this.#graph;
    while (heap.size > 0) {
      const key = heap.peekKey();
      const u = heap.pop();
      if (key > minutes[u]!) continue; // stale entry
      this.#settle(u);
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const v = adjTarget[e]!;
        const t = key + adjMinutes[e]!;
        if (t < minutes[v]! && t <= limit) {
          if (minutes[v] === Infinity) this.#touch(v);
          minutes[v] = t;
          heap.push(v, t);
        }
      }
    }
  }

  #touch(u: number): void {
    if (this.#touchedCount === this.#touched.length) this.#touched = grow(this.#touched);
    this.#touched[this.#touchedCount++] = u;
  }

  #settle(u: number): void {
    if (this.settledCount === this.settled.length) this.settled = grow(this.settled);
    this.settled[this.settledCount++] = u;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
