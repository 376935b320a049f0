/**
 * The one road search: a multi-source Dijkstra over the road graph on the one min-heap, bounded by a
 * cutoff. relaxFrom settles into a node field that may already hold valid times (the coverage engine's
 * incremental repair relies on that); LocalSearch runs it again and again on one field, clearing only what
 * the last run reached (siting's one search per candidate, access's one per facility).
 */
import { MinHeap } from './min-heap';
import { beats, MINUTES_SLACK, type Ties } from './minutes';
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

/** A growable list of node ids on a typed array (no boxed numbers, reused between searches). */
export class NodeList {
  nodes: Int32Array;
  count = 0;

  constructor(capacity = 64) {
    this.nodes = new Int32Array(capacity);
  }

  push(u: number): void {
    if (this.count === this.nodes.length) {
      const grown = new Int32Array(this.nodes.length * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    this.nodes[this.count++] = u;
  }

  clear(): void {
    this.count = 0;
  }

  toArray(): number[] {
    return Array.from(this.nodes.subarray(0, this.count));
  }
}

export interface SearchOptions {
  heap?: MinHeap;
  /** How equal times are shared out among sources (default `first`). */
  ties?: Ties;
  /** Receives every node whose time or label the search set (a node may appear more than once). */
  changed?: NodeList;
  /** Receives the nodes in the order they were settled (with `first` ties each once, unless two seeds fall on one node). */
  settled?: NodeList;
}

/**
 * Multi-source Dijkstra: from every seed at once, the time to the nearest one at every node, stopping at
 * `cutoff` minutes (+ MINUTES_SLACK; nodes farther stay Infinity). Settles into `field`. With `rank` ties a
 * tie within the slack goes to the smaller label, so the labels are the same whatever order the seeds come
 * in; each update then lowers a node's minutes by more than the slack or its label's rank, so it terminates.
 * Returns the nodes whose time or label it changed.
 */
export function relaxFrom(
  graph: RoadGraph,
  field: NodeField,
  seeds: readonly Seed[],
  cutoff: number,
  options: SearchOptions = {},
): NodeList {
  const { minutes, label } = field;
  const heap = options.heap ?? new MinHeap();
  const changed = options.changed ?? new NodeList();
  const settled = options.settled ?? null;
  const rank = options.ties === 'rank';
  const limit = cutoff + MINUTES_SLACK;
  heap.clear();
  for (const seed of seeds) {
    if (seed.minutes > limit) continue;
    const u = seed.node;
    if (rank) {
      if (beats(seed.minutes, seed.label, minutes[u]!, label[u]!)) {
        minutes[u] = Math.min(seed.minutes, minutes[u]!);
        label[u] = seed.label;
        changed.push(u);
        heap.push(u, minutes[u]!);
      }
      continue;
    }
    if (seed.minutes < minutes[u]!) {
      minutes[u] = seed.minutes;
      label[u] = seed.label;
      changed.push(u);
    }
    // An equal seed is searched from again: a repair's border spreads its still-valid times back in.
    if (seed.minutes <= minutes[u]!) heap.push(u, minutes[u]!);
  }
  const { offsets, adjTarget, adjMinutes } = graph;
  // With rank ties a node may be popped again after a label-only change (same key): it passes the new label on.
  while (heap.size > 0) {
    const key = heap.peekKey();
    const u = heap.pop();
    if (key > minutes[u]!) continue; // a stale entry: u was reached faster since
    if (settled) settled.push(u);
    const from = label[u]!;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = adjTarget[e]!;
      const t = key + adjMinutes[e]!;
      if (rank ? t <= limit && beats(t, from, minutes[v]!, label[v]!) : t < minutes[v]! && t <= limit) {
        if (t < minutes[v]!) minutes[v] = t;
        label[v] = from;
        changed.push(v);
        heap.push(v, minutes[v]!);
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
  const changed = relaxFrom(graph, field, [...border, ...reseeds, ...newSeeds], cutoff, { heap });
  return cleared.concat(changed.toArray());
}

/**
 * relaxFrom run again and again on one field that is cleared only where the last run reached: a search then
 * costs what it reaches, not a pass over every node (ten thousand candidates on a 200,000-node graph).
 */
export class LocalSearch {
  /** Minutes and label at each node from the last run's seeds; Infinity and -1 where it did not reach. */
  readonly field: NodeField;
  /** Nodes the last run settled within the cutoff, in the order settled. */
  readonly settled = new NodeList();
  readonly #graph: RoadGraph;
  readonly #heap = new MinHeap();
  readonly #changed = new NodeList();

  constructor(graph: RoadGraph) {
    this.#graph = graph;
    this.field = emptyNodeField(graph.nodeCount);
  }

  /** Runs from `seeds` up to `cutoff` minutes (ties: the first source met). */
  run(seeds: readonly Seed[], cutoff: number): void {
    const { minutes, label } = this.field;
    const changed = this.#changed;
    for (let k = 0; k < changed.count; k++) {
      const u = changed.nodes[k]!;
      minutes[u] = Infinity;
      label[u] = -1;
    }
    changed.clear();
    this.settled.clear();
    relaxFrom(this.#graph, this.field, seeds, cutoff, { heap: this.#heap, changed, settled: this.settled });
  }
}
