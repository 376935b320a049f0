import { MinHeap } from './min-heap';
import type { RoadGraph } from './road-graph';

/** Minutes to the nearest source at every node, and which source that is (-1 where none is within the cutoff). */
export interface NodeField {
  minutes: Float64Array;
  label: Int32Array;
}

export interface Seed {
  node: number;
  minutes: number;
  label: number;
}

export function emptyNodeField(nodeCount: number): NodeField {
  return { minutes: new Float64Array(nodeCount).fill(Infinity), label: new Int32Array(nodeCount).fill(-1) };
}

/**
 * Multi-source Dijkstra: from every seed at once, the time to the nearest one at every node, stopping at
 * `cutoff` minutes (nodes farther stay Infinity). Settles into `field`, which may already hold valid
 * times (the repair below relies on that). Returns the nodes whose time or label it changed.
 */
export function relaxFrom(graph: RoadGraph, field: NodeField, seeds: readonly Seed[], cutoff: number, heap = new MinHeap()): number[] {
  const { minutes, label } = field;
  const changed: number[] = [];
  heap.clear();
  for (const seed of seeds) {
    if (seed.minutes > cutoff + 1e-6) continue;
    if (seed.minutes < minutes[seed.node]!) {
      minutes[seed.node] = seed.minutes;
      label[seed.node] = seed.label;
      changed.push(seed.node);
    }
    if (seed.minutes <= minutes[seed.node]!) heap.push(seed.node, minutes[seed.node]!);
  }
  const { offsets, adjTarget, adjMinutes } = graph;
  while (heap.size > 0) {
    const key = heap.peekKey();
    const u = heap.pop();
    if (key > minutes[u]!) continue; // a stale entry: u was reached faster since
    const from = label[u]!;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = adjTarget[e]!;
      const t = key + adjMinutes[e]!;
      if (t < minutes[v]! && t <= cutoff + 1e-6) {
        minutes[v] = t;
        label[v] = from;
        changed.push(v);
        heap.push(v, t);
      }
    }
  }
  return changed;
}

/**
 * Updates a field after some sources were removed (or moved) and others added, touching only what they
 * can affect: nodes whose nearest source was removed are cleared and refilled from their unaffected
 * neighbours, and the new seeds spread only where they are nearer than what is there.
 */
export function repairField(
  graph: RoadGraph,
  field: NodeField,
  removedLabels: ReadonlySet<number>,
  newSeeds: readonly Seed[],
  cutoff: number,
  heap = new MinHeap(),
  /** The seeds that remaining sources put on a node: a cleared node may be one of them. */
  seedsAt: (node: number) => readonly Seed[] = () => [],
): number[] {
  const { minutes, label } = field;
  const cleared: number[] = [];
  if (removedLabels.size > 0) {
    for (let u = 0; u < graph.nodeCount; u++) {
      if (label[u]! >= 0 && removedLabels.has(label[u]!)) {
        minutes[u] = Infinity;
        label[u] = -1;
        cleared.push(u);
      }
    }
  }
  // The border of the cleared region keeps its (still optimal) times and spreads them back in.
  const border: Seed[] = [];
  const { offsets, adjTarget } = graph;
  for (const u of cleared) {
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = adjTarget[e]!;
      if (label[v]! >= 0) border.push({ node: v, minutes: minutes[v]!, label: label[v]! });
    }
  }
  // A cleared node that a remaining source seeds directly gets that seed back.
  const reseeds = cleared.flatMap((u) => seedsAt(u).filter((seed) => !removedLabels.has(seed.label)));
  const changed = relaxFrom(graph, field, [...border, ...reseeds, ...newSeeds], cutoff, heap);
  return cleared.concat(changed);
}
