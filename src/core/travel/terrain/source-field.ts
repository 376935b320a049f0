/**
 * A set of sources (one tier's facilities) on the terrain graph: the field of the nearest one over road nodes
 * and cells, repaired after an edit, and the minutes of any place read off it. The terrain model's counterpart
 * of ../source-field.ts: the coverage engine keeps one per tier.
 */
import type { Source } from '../attach';
import type { RoadGraph } from '../road-graph';
import { snapRides } from './graded-rides';
import { cellAt, cellCentre, heightAt } from './grid';
import { emptyTerrainField, relaxTerrain, repairTerrain, type TerrainField, type TerrainSeed } from './search';
import { slopePace } from './tobler';
import type { TerrainGraph } from './terrain-graph';
import { NodeList } from '../dijkstra';

/** A facility as the terrain model starts it: its label, where it stands (local metres) and its road snap. */
export interface TerrainSource {
  label: number;
  x: number;
  y: number;
  /** Its straight walk onto the road, used only where its own cell cannot be walked from (a bank cell read as water). */
  snap: Source | null;
}

/** Where a source starts: its own cell, or (on water or off the grid) its road snap and the dry cells beside it. */
export function terrainSeeds(graph: TerrainGraph, source: TerrainSource): TerrainSeed[] {
  const R = graph.roadNodes;
  const cell = cellAt(graph.grid, source.x, source.y);
  if (cell >= 0 && Number.isFinite(graph.pace[cell]!)) return [{ id: R + cell, minutes: 0, label: source.label }];
  const seeds: TerrainSeed[] = [];
  if (source.snap && graph.roads) seeds.push(...snapSeeds(graph, graph.roads, source.snap));
  if (cell >= 0)
    forDryNeighbours(graph, cell, source.x, source.y, 'from_point', (k, walk) =>
      seeds.push({ id: R + k, minutes: walk, label: source.label }),
    );
  return seeds;
}

/**
 * The seeds of a facility snapped to a road: both ends of its segment, after its walk and the ride between them in
 * the direction people travel (out from the facility, or to it), which on graded roads (a bicycle) differ.
 */
function snapSeeds(graph: TerrainGraph, roads: RoadGraph, snap: Source): TerrainSeed[] {
  const rides = snapRides(roads, graph.grid, graph.bicycleGrades ? graph.elevation : null, snap.segment, snap.along);
  const out = graph.direction === 'from_facility';
  return [
    { id: roads.segA[snap.segment]!, minutes: snap.walkMinutes + (out ? rides.pointToA : rides.aToPoint), label: snap.label },
    { id: roads.segB[snap.segment]!, minutes: snap.walkMinutes + (out ? rides.pointToB : rides.bToPoint), label: snap.label },
  ];
}

export class TerrainSourceField {
  field: TerrainField;
  /** The seeds each id holds, for the repair (a cleared id that a remaining source seeds gets that seed back). */
  readonly #seedsAt = new Map<number, TerrainSeed[]>();
  /** The repair's lists, kept between edits (the ids an update returns are read before the next one). */
  readonly #lists = { changed: new NodeList(), border: new NodeList() };

  /** `field`: one to take as it is (a field searched elsewhere, adopt); absent, an empty one. */
  constructor(
    readonly graph: TerrainGraph,
    readonly cutoff: number,
    field?: TerrainField,
  ) {
    this.field = field ?? emptyTerrainField(graph);
  }

  /** Recomputes the whole field from these sources. */
  reset(sources: readonly TerrainSource[]): void {
    // The field's arrays are cleared, not allocated again: a county's raster is megabytes per tier.
    this.field.minutes.fill(Infinity);
    this.field.label.fill(-1);
    this.#seedsAt.clear();
    const seeds = sources.flatMap((s) => this.#index(s));
    relaxTerrain(this.graph, this.field, seeds, this.cutoff, null);
  }

  /** Takes the field of these sources searched elsewhere (field-thread.ts): what reset would compute here. */
  adopt(field: TerrainField, sources: readonly TerrainSource[]): void {
    this.field = field;
    this.#seedsAt.clear();
    for (const s of sources) this.#index(s);
  }

  /** Removes and adds sources (by label), repairing only what they affect; returns the ids that changed. */
  update(removed: readonly TerrainSource[], added: readonly TerrainSource[]): NodeList {
    for (const s of removed) this.#unindex(s.label);
    const seeds = added.flatMap((s) => this.#index(s));
    const gone = new Set(removed.map((s) => s.label));
    return repairTerrain(this.graph, this.field, gone, seeds, this.cutoff, this.#seedsAt, this.#lists);
  }

  #index(source: TerrainSource): TerrainSeed[] {
    const seeds = terrainSeeds(this.graph, source);
    for (const seed of seeds) this.#seedsAt.set(seed.id, [...(this.#seedsAt.get(seed.id) ?? []), seed]);
    return seeds;
  }

  #unindex(label: number): void {
    for (const [id, seeds] of this.#seedsAt) {
      const kept = seeds.filter((s) => s.label !== label);
      if (kept.length) this.#seedsAt.set(id, kept);
      else this.#seedsAt.delete(id);
    }
  }
}

/**
 * The minutes of a place at (x, y) from a field, in `found`: its cell's, or, where its cell is water (a village on
 * the bank whose cell the river took), the best dry neighbour's plus the walk from there. Infinity off the grid.
 */
export function placeTerrainMinutes(
  graph: TerrainGraph,
  field: TerrainField,
  x: number,
  y: number,
  found: { minutes: number; label: number },
): void {
  const cell = cellAt(graph.grid, x, y);
  found.minutes = Infinity;
  found.label = -1;
  if (cell < 0) return;
  const R = graph.roadNodes;
  if (Number.isFinite(graph.pace[cell]!)) {
    found.minutes = field.minutes[R + cell]!;
    found.label = found.minutes === Infinity ? -1 : field.label[R + cell]!;
    return;
  }
  forDryNeighbours(graph, cell, x, y, 'to_point', (k, walk) => {
    if (!(field.minutes[R + k]! < Infinity)) return;
    const t = field.minutes[R + k]! + walk;
    if (t < found.minutes) {
      found.minutes = t;
      found.label = field.label[R + k]!;
    }
  });
}

/**
 * The walkable cells beside a cell (its 3 × 3 block), each with the walk between (x, y) and its centre: at the cell's
 * flat pace, times Tobler's slope pace in the direction people travel, as every off-road step of the search is.
 * `from_point`: the search goes on from the point to the cell (a facility's seed); `to_point`: from the cell to
 * the point (a place read off the field). Heights: the point's bilinear between cell centres, the cell's own.
 */
function forDryNeighbours(
  graph: TerrainGraph,
  cell: number,
  x: number,
  y: number,
  way: 'from_point' | 'to_point',
  visit: (k: number, walk: number) => void,
): void {
  const { nx, ny } = graph.grid;
  const row = Math.floor(cell / nx);
  const col = cell - row * nx;
  const { elevation } = graph;
  const here = elevation ? heightAt(graph.grid, elevation, x, y) : NaN;
  // The search runs out from the facility; people travel that way (from_facility) or against it.
  const sign = graph.direction === 'from_facility' ? 1 : -1;
  for (let dr = -1; dr <= 1; dr++)
    for (let dc = -1; dc <= 1; dc++) {
      const r = row + dr;
      const c = col + dc;
      if ((dr === 0 && dc === 0) || r < 0 || r >= ny || c < 0 || c >= nx) continue;
      const k = r * nx + c;
      const pace = graph.pace[k]!;
      if (!Number.isFinite(pace)) continue;
      const [cx, cy] = cellCentre(graph.grid, k);
      const metres = Math.hypot(cx - x, cy - y);
      let walk = metres * pace;
      const there = elevation ? elevation[k]! : NaN;
      if (metres > 0 && here === here && there === there) {
        // Rise along the search's way: point → cell for a seed, cell → point for a place.
        const rise = way === 'from_point' ? there - here : here - there;
        walk *= slopePace((sign * rise) / metres);
      }
      visit(k, walk);
    }
}
