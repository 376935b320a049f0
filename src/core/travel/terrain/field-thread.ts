/**
 * A tier's terrain field searched on a second thread while this one searches the other tiers: on two cores the full
 * field of three tiers takes about the time of the largest tier and the next, not of all three (issue 16's 300 ms).
 * The other thread is sent the graph's searchable arrays once per graph (shared where the host has shared memory,
 * shared-memory.ts; a copy elsewhere) and runs the same search on them: its field is the one a search here gives,
 * float for float (test/unit/terrain-field-thread.test.ts).
 *
 * The thread itself is the host's (workers/terrain.worker.ts in the browser, src/cli/field-thread.ts in Node); the
 * core only says what crosses: FieldThread is its side, FieldHelper this side, FieldThreadPort the wire between.
 */
import { emptyTerrainField, relaxTerrain, SEARCH_POOL_BYTES, type TerrainField, type TerrainSeed } from './search';
import { isShared, SHARED_MEMORY } from './shared-memory';
import type { RoadEdges, TerrainSearchGraph } from './terrain-graph';

/** What the other thread is asked (each host carries it over Comlink). `transfer`: buffers that may be moved, not copied. */
export interface FieldThreadPort {
  load(id: number, graph: TerrainSearchGraph, transfer: ArrayBuffer[]): Promise<void>;
  search(id: number, seeds: TerrainSeed[], cutoff: number): Promise<TerrainField>;
}

/** The other thread's side: the graph it was sent last, and the searches on it. */
export class FieldThread {
  #loaded: { id: number; graph: TerrainSearchGraph } | null = null;

  load(id: number, graph: TerrainSearchGraph): void {
    // One graph at a time: a new one (other travel, other ground) replaces the last.
    this.#loaded = { id, graph };
  }

  search(id: number, seeds: TerrainSeed[], cutoff: number): TerrainField {
    const loaded = this.#loaded;
    // The asking side falls back to searching itself: a thread that lost its graph (restarted) costs time, not minutes.
    if (loaded?.id !== id) throw new Error(`field thread: graph ${id} is not loaded`);
    const field = emptyTerrainField(loaded.graph);
    relaxTerrain(loaded.graph, field, seeds, cutoff, null);
    return field;
  }
}

/** This side: sends each graph once, then asks for fields on it. */
export class FieldHelper {
  readonly #sent = new WeakMap<TerrainSearchGraph, number>();
  #next = 1;

  constructor(readonly port: FieldThreadPort) {}

  /**
   * The field of `seeds` on `graph` up to `cutoff`, searched on the other thread. Both messages are posted before
   * this returns (the thread takes them in order): posted from a promise's callback, they would wait until this
   * thread's own searches were done, and nothing would run beside them.
   */
  search(graph: TerrainSearchGraph, seeds: TerrainSeed[], cutoff: number): Promise<TerrainField> {
    let id = this.#sent.get(graph);
    if (id === undefined) {
      id = this.#next++;
      this.#sent.set(graph, id);
      const copy = searchableCopy(graph);
      // A load that fails leaves the thread without the graph: its searches then fail, and are done here.
      this.port.load(id, copy.graph, copy.transfer).catch(() => this.#sent.delete(graph));
    }
    return this.port.search(id, seeds, cutoff);
  }
}

/**
 * `port`, whose calls fail once the thread has died (`died` calls its listener then): a crashed worker answers
 * nothing, and Comlink would wait for it forever. The tier is then searched here.
 */
export function portUntilDeath(port: FieldThreadPort, died: (listener: () => void) => void): FieldThreadPort {
  let dead = false;
  const pending = new Set<(error: Error) => void>();
  died(() => {
    dead = true;
    for (const reject of pending) reject(new Error('field thread died'));
    pending.clear();
  });
  // The call is made within the executor, at once: its message is posted before this returns.
  const guarded = <T>(call: () => Promise<T>): Promise<T> =>
    dead
      ? Promise.reject(new Error('field thread died'))
      : new Promise<T>((resolve, reject) => {
          pending.add(reject);
          call()
            .then(resolve, reject)
            .finally(() => pending.delete(reject));
        });
  return {
    load: (id, graph, transfer) => guarded(() => port.load(id, graph, transfer)),
    search: (id, seeds, cutoff) => guarded(() => port.search(id, seeds, cutoff)),
  };
}

/**
 * Bytes per cell a second thread adds: the field it searches (8), and that field sent back, held here beside the one
 * it replaces until collected (8); and, where the graph cannot be shared, its copy of the searchable arrays (pace
 * 4, ground 8, flags 1, cell links 4).
 */
const FIELD_BYTES_PER_CELL = 16;
const COPY_BYTES_PER_CELL = 17;

/** Bytes of the other thread on a graph of `cells` cells: its field, its copy where there is one, its bucket lists. */
export const fieldThreadBytes = (cells: number): number =>
  cells * (FIELD_BYTES_PER_CELL + (SHARED_MEMORY ? 0 : COPY_BYTES_PER_CELL)) + SEARCH_POOL_BYTES;

/**
 * What a search reads of `graph`, for the other thread: arrays on shared memory as they are, the others copied into
 * arrays of its own (the graph here keeps its own), whose buffers are moved to the thread, never serialised.
 */
function searchableCopy(graph: TerrainSearchGraph): { graph: TerrainSearchGraph; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const own = <T extends Float32Array | Int32Array | Uint8Array>(a: T): T => {
    if (isShared(a)) return a;
    const copy = a.slice() as T;
    transfer.push(copy.buffer as ArrayBuffer);
    return copy;
  };
  const roads: RoadEdges | null = graph.roads
    ? { offsets: own(graph.roads.offsets), adjTarget: own(graph.roads.adjTarget), adjMinutes: own(graph.roads.adjMinutes) }
    : null;
  return {
    graph: {
      grid: { ...graph.grid },
      roads,
      roadNodes: graph.roadNodes,
      cells: graph.cells,
      pace: own(graph.pace),
      ground: own(graph.ground),
      flags: own(graph.flags),
      uniformPace: graph.uniformPace,
      neighbours: graph.neighbours,
      direction: graph.direction,
      nodeLinks: own(graph.nodeLinks),
      nodeLinkCell: own(graph.nodeLinkCell),
      nodeLinkMinutes: own(graph.nodeLinkMinutes),
      cellLinks: own(graph.cellLinks),
      cellLinkNode: own(graph.cellLinkNode),
      cellLinkMinutes: own(graph.cellLinkMinutes),
    },
    transfer,
  };
}
