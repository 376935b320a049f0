/**
 * The terrain search run again and again on one field, cleared only where the last run reached (the terrain
 * counterpart of ../dijkstra.ts LocalSearch): access times every site on its own, siting every candidate, each
 * bounded by its threshold, so a run costs what it reaches, not the county's raster. Points are read off the cells
 * the run reached through a per-cell index, and points on water cells from the dry cells beside them.
 */
import { NodeList } from '../dijkstra';
import { cellAt, cellCount } from './grid';
import { emptyTerrainField, relaxTerrain, type TerrainField, type TerrainSeed } from './search';
import { placeTerrainMinutes, terrainSeeds, type TerrainSource } from './source-field';
import type { TerrainGraph } from './terrain-graph';

/** Places (points, rows) indexed by the cell they stand in, and those on water cells. */
export interface PlacesOnCells {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  offsets: Int32Array;
  places: Int32Array;
  wet: Int32Array;
}

export function placesOnCells(graph: TerrainGraph, x: ArrayLike<number>, y: ArrayLike<number>): PlacesOnCells {
  const count = x.length;
  const cell = new Int32Array(count);
  const offsets = new Int32Array(cellCount(graph.grid) + 1);
  const wet: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = cellAt(graph.grid, x[i]!, y[i]!);
    cell[i] = k;
    if (k < 0) continue;
    offsets[k + 1]!++;
    if (!Number.isFinite(graph.pace[k]!)) wet.push(i);
  }
  for (let k = 0; k < offsets.length - 1; k++) offsets[k + 1]! += offsets[k]!;
  const fill = offsets.slice(0, offsets.length - 1);
  const places = new Int32Array(offsets[offsets.length - 1]!);
  for (let i = 0; i < count; i++) if (cell[i]! >= 0) places[fill[cell[i]!]!++] = i;
  return { x, y, offsets, places, wet: Int32Array.from(wet) };
}

export class TerrainLocalSearch {
  readonly field: TerrainField;
  readonly #changed = new NodeList();
  readonly #found = { minutes: Infinity, label: -1 };

  constructor(readonly graph: TerrainGraph) {
    this.field = emptyTerrainField(graph);
  }

  /** Runs from a source up to `cutoff` minutes, after clearing what the last run set. */
  run(source: TerrainSource, cutoff: number): void {
    this.runSeeds(terrainSeeds(this.graph, source), cutoff);
  }

  runSeeds(seeds: readonly TerrainSeed[], cutoff: number): void {
    const { minutes, label } = this.field;
    const changed = this.#changed;
    for (let k = 0; k < changed.count; k++) {
      const id = changed.nodes[k]!;
      minutes[id] = Infinity;
      label[id] = -1;
    }
    changed.clear();
    // Bucket by bucket: a run bounded by its threshold reaches a small part of the raster, which the cache holds.
    relaxTerrain(this.graph, this.field, seeds, cutoff, changed, 'buckets');
  }

  /**
   * Calls `visit(place, minutes)` once for every place of `on` within `limit` minutes of the last run (a place in
   * a reached cell; a place on water from its best dry neighbour). `seen` (one stamp per place) and `stamp` make a
   * place met twice visited once.
   */
  forEachPlace(on: PlacesOnCells, limit: number, seen: Int32Array, stamp: number, visit: (place: number, minutes: number) => void): void {
    const R = this.graph.roadNodes;
    const changed = this.#changed;
    const { minutes } = this.field;
    for (let n = 0; n < changed.count; n++) {
      const id = changed.nodes[n]!;
      if (id < R) continue;
      const k = id - R;
      const t = minutes[id]!;
      if (!(t <= limit)) continue;
      for (let j = on.offsets[k]!; j < on.offsets[k + 1]!; j++) {
        const i = on.places[j]!;
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        visit(i, t);
      }
    }
    for (const i of on.wet) {
      if (seen[i] === stamp) continue;
      placeTerrainMinutes(this.graph, this.field, on.x[i]!, on.y[i]!, this.#found);
      if (this.#found.minutes <= limit) {
        seen[i] = stamp;
        visit(i, this.#found.minutes);
      }
    }
  }
}
