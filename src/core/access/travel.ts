/**
 * Travel minutes between people and facilities for the access analyses, in the engine's two modes:
 * buffer (a straight line at the buffer speed) and network (walk to the nearest road, ride at the road's
 * speed, walk in; or walk straight when that is quicker, exactly as the coverage engine times a point).
 * Two questions are answered: every (point, facility) pair within a threshold (capacity and 2SFCA need
 * all of them, not only the nearest), and the nearest facility of a set with no cutoff or a long one
 * (catchments, referral), ties going to the smaller id.
 */
import type { PopulationArrays } from '../coverage/inputs';
import { GridIndex } from '../spatial/grid-index';
import { attachPlaces, attachPoints, seedsOf, sourceAt, type Attachment, type PointAttachment, type Source } from '../travel/attach';
import { LocalSearch } from '../travel/dijkstra';
import { MinHeap } from '../travel/min-heap';
import { beats, foundSlot, MINUTES_SLACK, networkMinutes, straightKmh, straightMinutes, straightPace } from '../travel/minutes';
import type { RoadGraph } from '../travel/road-graph';
import { metresIn, type TravelMode, type TravelSettings } from '../travel/settings';
import { SourceField } from '../travel/source-field';
import { SiteGrid } from './site-grid';
import { placesOnCells, TerrainLocalSearch, type PlacesOnCells } from '../travel/terrain/local-search';
import { placeTerrainMinutes, TerrainSourceField, type TerrainSource } from '../travel/terrain/source-field';
import type { TerrainGraph } from '../travel/terrain/terrain-graph';
import type { AccessSite } from './sites';

/** Every (point, site) pair within a threshold, grouped by site (CSR): site j's pairs are offsets[j] .. offsets[j+1]. */
export interface ReachPairs {
  minutes: number;
  offsets: Int32Array;
  point: Int32Array;
  time: Float64Array;
}

/** The nearest site of a set for each place (-1 and Infinity: none within the cutoff). */
export interface Nearest {
  site: Int32Array;
  minutes: Float64Array;
}

/** Places to time from: x and y in metres of the engine's projection. */
export interface Places {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export class AccessTravel {
  readonly mode: TravelMode;
  readonly points: PopulationArrays;
  readonly sites: readonly AccessSite[];
  readonly settings: TravelSettings;
  readonly graph: RoadGraph | null;
  readonly #siteX: Float64Array;
  readonly #siteY: Float64Array;
  #pointAttachment: PointAttachment | null = null;
  #siteAttachment: Attachment | null = null;
  #siteSources: (Source | null)[] | null = null;
  #heap = new MinHeap();
  /** Terrain mode: the engine's terrain graph (roads and cells); null in the other modes. */
  readonly terrain: TerrainGraph | null;
  #pointCells: PlacesOnCells | null = null;

  constructor(
    points: PopulationArrays,
    sites: readonly AccessSite[],
    settings: TravelSettings,
    graph: RoadGraph | null,
    terrain: TerrainGraph | null = null,
  ) {
    this.points = points;
    this.sites = sites;
    this.settings = settings;
    this.mode = settings.mode;
    this.terrain = settings.mode === 'terrain' ? terrain : null;
    // Network mode without usable roads is walking only, as in the engine.
    this.graph = settings.mode === 'network' && graph && graph.segmentCount > 0 ? graph : null;
    this.#siteX = Float64Array.from(sites, (s) => s.x);
    this.#siteY = Float64Array.from(sites, (s) => s.y);
  }

  /** Straight-line speed: the buffer speed, or off-road walking in network mode. */
  get straightKmh(): number {
    return straightKmh(this.settings);
  }

  /** Points and sites join the roads with no distance limit: a far place walks longer, and cutoffs drop it. */
  #points(): PointAttachment {
    this.#pointAttachment ??= attachPoints(this.graph!, this.points.x, this.points.y, Infinity, this.settings.offroadKmh);
    return this.#pointAttachment;
  }

  #siteSnaps(): Attachment {
    this.#siteAttachment ??= attachPlaces(this.graph, this.#siteX, this.#siteY, Infinity, this.settings.offroadKmh);
    return this.#siteAttachment;
  }

  /** Each site as a source labelled by its index (null: off the network). */
  #sources(): (Source | null)[] {
    const att = this.#siteSnaps();
    this.#siteSources ??= this.sites.map((_, j) => sourceAt(att, j, j));
    return this.#siteSources;
  }

  /**
   * Every (point, site) pair with minutes ≤ threshold (inclusive, with the engine's 1e-6 minute slack), for
   * every site. Buffer: points within speed × minutes. Network: a search from each site cut off at the
   * threshold, read at the points attached to the nodes it reached, and the straight walk.
   */
  reach(minutes: number): ReachPairs {
    if (this.terrain) return this.#reachOnTerrain(minutes);
    const limit = minutes + MINUTES_SLACK;
    const pace = straightPace(this.settings);
    const radius = limit / pace;
    const grid = new GridIndex(this.points.x, this.points.y, Math.max(50, radius / 2));
    const offsets = new Int32Array(this.sites.length + 1);
    const n = this.points.count;
    let pointOut = new Int32Array(Math.max(16, n));
    let timeOut = new Float64Array(Math.max(16, n));
    let pairs = 0;
    const best = new Float64Array(n).fill(Infinity);
    const touched = new Int32Array(n);
    let touchedCount = 0;
    const touch = (i: number, t: number): void => {
      if (best[i] === Infinity) touched[touchedCount++] = i;
      if (t < best[i]!) best[i] = t;
    };
    const walk = (i: number, d2: number): void => touch(i, straightMinutes(Math.sqrt(d2), pace));
    const graph = this.graph;
    const att = graph ? this.#points() : null;
    const sources = graph ? this.#sources() : null;
    const search = graph ? new LocalSearch(graph) : null;
    // Which site last read a node's points: a node reached twice is read once.
    const readBy = graph ? new Int32Array(graph.nodeCount).fill(-1) : null;
    const found = foundSlot();
    for (const site of this.sites) {
      const j = site.index;
      grid.forEachWithin(site.x, site.y, radius, walk);
      const source = sources?.[j] ?? null;
      if (graph && att && search && readBy && source) {
        search.run(seedsOf(graph, source), minutes);
        const onSegment = new Map([[source.segment, [source]]]);
        // The points at every node the search reached, and on the site's own segment (reached along it).
        const read = (u: number): void => {
          if (readBy[u] === j) return;
          readBy[u] = j;
          for (let k = att.nodeOffsets[u]!, end = att.nodeOffsets[u + 1]!; k < end; k++) {
            const i = att.nodePoints[k]!;
            const net = networkMinutes(graph, search.field, att, i, onSegment, minutes, 'first', found);
            if (net <= limit) touch(i, net);
          }
        };
        const { nodes, count } = search.settled;
        for (let k = 0; k < count; k++) read(nodes[k]!);
        read(graph.segA[source.segment]!);
        read(graph.segB[source.segment]!);
      }
      // Each site's points in index order (a native sort), so the pairs do not depend on the search order.
      const list = touched.subarray(0, touchedCount).sort();
      if (pairs + touchedCount > pointOut.length) {
        const size = Math.max(2 * pointOut.length, pairs + touchedCount);
        const p = new Int32Array(size);
        p.set(pointOut.subarray(0, pairs));
        const t = new Float64Array(size);
        t.set(timeOut.subarray(0, pairs));
        [pointOut, timeOut] = [p, t];
      }
      for (let k = 0; k < touchedCount; k++) {
        const i = list[k]!;
        if (best[i]! <= limit) {
          pointOut[pairs] = i;
          timeOut[pairs++] = best[i]!;
        }
        best[i] = Infinity;
      }
      touchedCount = 0;
      offsets[j + 1] = pairs;
    }
    return { minutes, offsets, point: pointOut.slice(0, pairs), time: timeOut.slice(0, pairs) };
  }

  /** A site as the terrain model starts it (its road snap only matters on a water cell). */
  #terrainSource(j: number): TerrainSource {
    const roads = this.terrain!.roads;
    const snap =
      roads && roads.segmentCount > 0
        ? attachPlaces(roads, [this.#siteX[j]!], [this.#siteY[j]!], Infinity, this.settings.offroadKmh)
        : null;
    return { label: j, x: this.#siteX[j]!, y: this.#siteY[j]!, snap: snap ? sourceAt(snap, 0, j) : null };
  }

  /** Terrain mode's pairs: a bounded terrain search from each site, read at the points in the cells it reached. */
  #reachOnTerrain(minutes: number): ReachPairs {
    const limit = minutes + MINUTES_SLACK;
    const search = new TerrainLocalSearch(this.terrain!);
    this.#pointCells ??= placesOnCells(this.terrain!, this.points.x, this.points.y);
    const seen = new Int32Array(this.points.count).fill(-1);
    const offsets = new Int32Array(this.sites.length + 1);
    const point: number[] = [];
    const time: number[] = [];
    for (const site of this.sites) {
      const j = site.index;
      search.run(this.#terrainSource(j), minutes);
      const found: [number, number][] = [];
      search.forEachPlace(this.#pointCells, limit, seen, j, (i, t) => found.push([i, t]));
      // Each site's points in index order, so the pairs do not depend on the search order.
      found.sort((a, b) => a[0] - b[0]);
      for (const [i, t] of found) {
        point.push(i);
        time.push(t);
      }
      offsets[j + 1] = point.length;
    }
    return { minutes, offsets, point: Int32Array.from(point), time: Float64Array.from(time) };
  }

  /** Terrain mode's nearest member site of each place: one field from every member (ties: the smaller index). */
  #nearestOnTerrain(members: ArrayLike<number>, places: Places, cutoff: number): Nearest {
    const field = new TerrainSourceField(this.terrain!, cutoff);
    field.reset(
      Array.from(members)
        .sort((a, b) => a - b)
        .map((j) => this.#terrainSource(j)),
    );
    const n = places.x.length;
    const site = new Int32Array(n).fill(-1);
    const minutes = new Float64Array(n).fill(Infinity);
    const found = { minutes: Infinity, label: -1 };
    const limit = cutoff + MINUTES_SLACK;
    for (let q = 0; q < n; q++) {
      placeTerrainMinutes(this.terrain!, field.field, places.x[q]!, places.y[q]!, found);
      if (found.label >= 0 && found.minutes <= limit) {
        site[q] = found.label;
        minutes[q] = found.minutes;
      }
    }
    return { site, minutes };
  }

  /** The nearest member site of every population point (no cutoff unless given). */
  nearestToPoints(members: ArrayLike<number>, cutoff = Infinity): Nearest {
    return this.#nearest(members, this.points, this.graph ? this.#points() : null, cutoff);
  }

  /** The nearest member site of each of some sites (referral), over the network with a walk at both ends. */
  nearestToSites(members: ArrayLike<number>, from: ArrayLike<number>, cutoff = Infinity): Nearest {
    const x = Float64Array.from(from, (j) => this.#siteX[j]!);
    const y = Float64Array.from(from, (j) => this.#siteY[j]!);
    let att: Attachment | null = null;
    if (this.graph) {
      const all = this.#siteSnaps();
      att = {
        segment: Int32Array.from(from, (j) => all.segment[j]!),
        along: Float64Array.from(from, (j) => all.along[j]!),
        walkMinutes: Float64Array.from(from, (j) => all.walkMinutes[j]!),
      };
    }
    return this.#nearest(members, { x, y }, att, cutoff);
  }

  /** The nearest member site of arbitrary places (e.g. the cells of a grid). */
  nearestToPlaces(members: ArrayLike<number>, places: Places, cutoff = Infinity): Nearest {
    const att = this.graph ? attachPlaces(this.graph, places.x, places.y, Infinity, this.settings.offroadKmh) : null;
    return this.#nearest(members, places, att, cutoff);
  }

  #nearest(members: ArrayLike<number>, places: Places, att: Attachment | null, cutoff: number): Nearest {
    if (this.terrain) return this.#nearestOnTerrain(members, places, cutoff);
    const n = places.x.length;
    const site = new Int32Array(n).fill(-1);
    const minutes = new Float64Array(n).fill(Infinity);
    const pace = straightPace(this.settings);
    const grid = new SiteGrid(this.#siteX, this.#siteY, members);
    const maxMetres = metresIn(cutoff, this.straightKmh);
    const tolerance = MINUTES_SLACK / pace;
    const limit = cutoff + MINUTES_SLACK;
    let network: SourceField | null = null;
    if (this.graph && att) {
      const sources = this.#sources();
      network = new SourceField(this.graph, cutoff, 'rank', this.#heap);
      network.reset(Array.from(members, (j) => sources[j]!).filter((f) => f !== null));
    }
    const found = foundSlot();
    for (let q = 0; q < n; q++) {
      let best = Infinity;
      let bestSite = grid.nearest(places.x[q]!, places.y[q]!, maxMetres, tolerance);
      if (bestSite >= 0) best = straightMinutes(grid.metres, pace);
      if (network && att) {
        // No cutoff on the place's own legs here: the limit below judges road and straight walk alike.
        const t = network.minutesAt(att, q, found, Infinity);
        if (beats(t, found.label, best, bestSite)) [best, bestSite] = [Math.min(t, best), found.label];
      }
      if (bestSite >= 0 && best <= limit) {
        site[q] = bestSite;
        minutes[q] = best;
      }
    }
    return { site, minutes };
  }
}
