/**
 * The floor of a terrain search on this machine: the bucket search of src/core/travel/terrain/search.ts stripped to
 * what any exact search of the raster must do per cell it reaches, to put the full model's time beside it.
 *
 * Stripped: no roads or links, no labels, no water or land-cover branches, no repair lists; every step's cost read
 * from a Float32 table built beforehand (untimed: 4 bytes × 16 steps per cell, which the engine does not keep),
 * so a step is one read, one add and one compare. Kept: Dial's buckets of the smallest step, expanded in the order
 * of their entries (as the search's are), float32 minutes. It is not a second engine: nothing reads its minutes but
 * the count of cells it reached. Nor is it a bound: it reads a table of 64 bytes a cell and tests its steps in a
 * loop, where the full model works its steps out from 8 bytes a cell and tests them unrolled (search.ts), which on
 * this machine is quicker per cell than this.
 */
import { stepsFor } from '../src/core/travel/terrain/search';
import { slopePace } from '../src/core/travel/terrain/tobler';
import type { TerrainGraph } from '../src/core/travel/terrain/terrain-graph';

export interface FloorSearch {
  /** Minutes from the nearest seed cell to every cell within the cutoff; returns the cells reached. */
  run(seedCells: readonly number[], cutoff: number): number;
}

/** Builds the step table of a graph's cells (pace × Tobler's slope pace, patients towards the seed) and the search. */
export function floorSearch(graph: TerrainGraph): FloorSearch {
  const { nx, ny } = graph.grid;
  const n = graph.cells;
  // The graph's own steps: 8 neighbours, or 16 with the knight's moves.
  const steps = stepsFor(graph);
  const S = steps.count;
  const dk = Int32Array.from(steps.dc, (c, s) => steps.dr[s]! * nx + c);
  const metres = Float64Array.from(steps.length, (l) => l * graph.grid.cell);
  const cost = new Float32Array(n * S).fill(Infinity);
  const { ground } = graph;
  let smallest = Infinity;
  for (let k = 0; k < n; k++) {
    const r = Math.floor(k / nx);
    const c = k - r * nx;
    const pace = ground[2 * k]!;
    const h = ground[2 * k + 1]!;
    for (let s = 0; s < S; s++) {
      const [dc, dr] = [steps.dc[s]!, steps.dr[s]!];
      if (c + dc < 0 || c + dc >= nx || r + dr < 0 || r + dr >= ny) continue;
      const nb = k + dk[s]!;
      if (!Number.isFinite(pace) || !Number.isFinite(ground[2 * nb]!)) continue;
      const hn = ground[2 * nb + 1]!;
      const minutes = metres[s]! * pace * (h === h && hn === hn ? slopePace(-(hn - h) / metres[s]!) : 1);
      cost[k * S + s] = minutes;
      smallest = Math.min(smallest, minutes);
    }
  }
  const minutes = new Float32Array(n);
  return {
    run(seedCells, cutoff) {
      minutes.fill(Infinity);
      const width = smallest;
      const buckets = Math.floor(cutoff / width) + 2;
      const lists: (Int32Array | null)[] = new Array<Int32Array | null>(buckets).fill(null);
      const sizes = new Int32Array(buckets);
      const push = (id: number, t: number): void => {
        const b = (t / width) | 0;
        let list = lists[b]!;
        const size = sizes[b]!;
        if (list === null) list = lists[b] = new Int32Array(1024);
        else if (size === list.length) {
          const grown = new Int32Array(2 * size);
          grown.set(list);
          list = lists[b] = grown;
        }
        list[size] = id;
        sizes[b] = size + 1;
      };
      for (const k of seedCells) {
        minutes[k] = 0;
        push(k, 0);
      }
      let reached = 0;
      for (let b = 0; b < buckets; b++) {
        const list = lists[b]!;
        if (list === null) continue;
        const end = sizes[b]!;
        for (let i = 0; i < end; i++) {
          const k = list[i]!;
          const t = minutes[k]!;
          if (((t / width) | 0) !== b) continue;
          reached++;
          const base = k * S;
          for (let s = 0; s < S; s++) {
            const v = k + dk[s]!;
            const next = Math.fround(t + cost[base + s]!);
            const old = minutes[v]!;
            if (next <= cutoff && next < old) {
              minutes[v] = next;
              // An entry already waiting in the same bucket is expanded at the new time: one entry, one cell reached.
              if (((next / width) | 0) !== ((old / width) | 0)) push(v, next);
            }
          }
        }
        lists[b] = null;
      }
      return reached;
    },
  };
}
