/**
 * Who a site would reach within the threshold, by exactly the travel model the coverage engine uses, so a
 * suggestion's promised people are the people the engine counts once the site is added:
 * - buffer mode: a straight line at the buffer speed;
 * - network mode: walk to the nearest road, ride, walk in (a bounded search from the site's snap, timed by
 *   the one travel model in src/core/travel/), or a straight walk at the off-road speed when that is shorter.
 * Minutes are judged as the engine judges them: within its search cutoff, then stored as float32 and compared
 * with the threshold plus MINUTES_SLACK. Each row is emitted with its minutes from the site, the lesser of the
 * straight walk and the road route in network mode (what the engine would store once the site is a facility).
 */
import { GridIndex } from '../spatial/grid-index';
import { attachPoints, attachSource, seedsOf, type PointAttachment } from '../travel/attach';
import { LocalSearch } from '../travel/dijkstra';
import { foundSlot, MINUTES_SLACK, networkMinutes, straightKmh, straightMinutes, straightPace } from '../travel/minutes';
import type { RoadGraph } from '../travel/road-graph';
import { metresIn, type TravelSettings } from '../travel/settings';
import { placesOnCells, TerrainLocalSearch, type PlacesOnCells } from '../travel/terrain/local-search';
import type { TerrainGraph } from '../travel/terrain/terrain-graph';

export interface ReachModel {
  settings: TravelSettings;
  /** The threshold a site must reach people within. */
  minutes: number;
  /** The engine's search cutoff (≥ minutes): it bounds walks to the road and times the engine keeps. */
  engineCutoff: number;
  /** The engine's road graph (network mode). */
  graph: RoadGraph | null;
  /** The engine's terrain graph (terrain mode; absent or null otherwise). */
  terrain?: TerrainGraph | null;
}

/** Reach from arbitrary sites to a fixed subset of the population points (the rows that can matter). */
export class SiteReach {
  readonly #model: ReachModel;
  readonly #grid: GridIndex;
  readonly #straightRadius: number;
  readonly #pace: number;
  readonly #walkReach: number;
  readonly #network: { graph: RoadGraph; att: PointAttachment; search: LocalSearch } | null;
  /** Best minutes per row during one network query (straight or road), and the rows it set. */
  readonly #best: Float64Array;
  #touched: Int32Array;
  /** Stamp per row: the query that last timed it by road, so a row at both ends of its segment is timed once. */
  readonly #seen: Int32Array;
  #query = 0;
  /** Terrain mode: a bounded search per site over the engine's terrain graph, and the rows by cell. */
  readonly #terrain: { search: TerrainLocalSearch; rows: PlacesOnCells } | null;

  /** `rowX`/`rowY` are the rows' coordinates in the engine's metres. */
  constructor(model: ReachModel, rowX: Float64Array, rowY: Float64Array) {
    this.#model = model;
    const network = model.settings.mode === 'network' && model.graph !== null;
    // A hair beyond the threshold: the exact decision is #within's, made on the engine's float32 minutes.
    this.#straightRadius = metresIn(model.minutes + 1e-5, straightKmh(model.settings));
    this.#pace = straightPace(model.settings);
    this.#grid = new GridIndex(rowX, rowY, Math.max(50, this.#straightRadius / 2));
    this.#walkReach = metresIn(model.engineCutoff, model.settings.offroadKmh);
    this.#best = new Float64Array(rowX.length).fill(Infinity);
    this.#touched = new Int32Array(64);
    this.#seen = new Int32Array(rowX.length);
    const terrain = model.settings.mode === 'terrain' && model.terrain ? model.terrain : null;
    this.#terrain = terrain ? { search: new TerrainLocalSearch(terrain), rows: placesOnCells(terrain, rowX, rowY) } : null;
    if (network) {
      const graph = model.graph!;
      // The rows are attached exactly as the engine attaches points.
      const att = attachPoints(graph, rowX, rowY, this.#walkReach, model.settings.offroadKmh);
      this.#network = { graph, att, search: new LocalSearch(graph) };
    } else {
      this.#network = null;
    }
  }

  /** True when the engine would count `minutes` as within the threshold. */
  #within(minutes: number): boolean {
    return minutes <= this.#model.engineCutoff + MINUTES_SLACK && Math.fround(minutes) <= this.#model.minutes + MINUTES_SLACK;
  }

  /**
   * Calls emit(row, minutes) once for every row the site at (x, y) reaches within the threshold. In network mode
   * rows are emitted after the road search, so a row the straight walk reaches gets the road's minutes when
   * those are fewer.
   */
  reach(x: number, y: number, emit: (row: number, minutes: number) => void): void {
    if (this.#terrain) return this.#reachOnTerrain(x, y, emit);
    const network = this.#network !== null;
    const best = this.#best;
    let touchedCount = 0;
    const { start, order, sx, sy, nx, ny, cell, minX, minY } = this.#grid;
    const r = this.#straightRadius;
    const r2 = r * r;
    const pace = this.#pace;
    const cx0 = Math.max(0, Math.floor((x - r - minX) / cell));
    const cx1 = Math.min(nx - 1, Math.floor((x + r - minX) / cell));
    const cy0 = Math.max(0, Math.floor((y - r - minY) / cell));
    const cy1 = Math.min(ny - 1, Math.floor((y + r - minY) / cell));
    for (let cy = cy0; cy <= cy1; cy++) {
      const to = start[cy * nx + cx1 + 1]!;
      for (let k = start[cy * nx + cx0]!; k < to; k++) {
        const dx = sx[k]! - x;
        const dy = sy[k]! - y;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        const row = order[k]!;
        // Computed as the engine does: metres, then minutes.
        const minutes = straightMinutes(Math.sqrt(d2), pace);
        if (!this.#within(minutes)) continue;
        if (!network) {
          emit(row, minutes);
        } else {
          // Held until the road search has had its say (within the radius, each row is met once).
          if (touchedCount === this.#touched.length) this.#grow();
          this.#touched[touchedCount++] = row;
          best[row] = minutes;
        }
      }
    }
    if (network) this.#reachByRoad(x, y, ++this.#query, touchedCount, emit);
  }

  /** Terrain mode: the rows a bounded terrain search from the site reaches, at the minutes the engine would store. */
  #reachOnTerrain(x: number, y: number, emit: (row: number, minutes: number) => void): void {
    const { search, rows } = this.#terrain!;
    const roads = search.graph.roads;
    const snap = roads ? attachSource(roads, 0, x, y, this.#walkReach, this.#model.settings.offroadKmh) : null;
    search.run({ label: 0, x, y, snap }, this.#model.minutes);
    search.forEachPlace(rows, this.#model.minutes + MINUTES_SLACK, this.#seen, ++this.#query, (row, minutes) => {
      if (this.#within(minutes)) emit(row, minutes);
    });
  }

  #grow(): void {
    const grown = new Int32Array(this.#touched.length * 2);
    grown.set(this.#touched);
    this.#touched = grown;
  }

  /** Times by road the rows the search reaches, then emits every row held (straight or road) at its best. */
  #reachByRoad(x: number, y: number, stamp: number, straightCount: number, emit: (row: number, minutes: number) => void): void {
    const { graph, att, search } = this.#network!;
    const best = this.#best;
    let touchedCount = straightCount;
    const site = attachSource(graph, 0, x, y, this.#walkReach, this.#model.settings.offroadKmh);
    if (site) {
      const seen = this.#seen;
      const found = foundSlot();
      const onSegment = new Map([[site.segment, [site]]]);
      const { nodeOffsets, nodePoints } = att;
      // Rows at a node the search settled, in the order settled, then rows on the site's own segment (reached
      // along it without passing either end); each is timed once, by the travel model.
      const read = (u: number): void => {
        for (let q = nodeOffsets[u]!, end = nodeOffsets[u + 1]!; q < end; q++) {
          const row = nodePoints[q]!;
          // A row sits at both ends of its segment: timed once.
          if (seen[row] === stamp) continue;
          seen[row] = stamp;
          const minutes = networkMinutes(graph, search.field, att, row, onSegment, Infinity, 'first', found);
          if (!(minutes < best[row]!)) continue;
          if (best[row] === Infinity) {
            if (touchedCount === this.#touched.length) this.#grow();
            this.#touched[touchedCount++] = row;
          }
          best[row] = minutes;
        }
      };
      search.run(seedsOf(graph, site), this.#model.minutes);
      const { nodes, count } = search.settled;
      for (let k = 0; k < count; k++) read(nodes[k]!);
      read(graph.segA[site.segment]!);
      read(graph.segB[site.segment]!);
    }
    for (let k = 0; k < touchedCount; k++) {
      const row = this.#touched[k]!;
      const minutes = best[row]!;
      best[row] = Infinity;
      if (this.#within(minutes)) emit(row, minutes);
    }
  }
}
