/**
 * Travel minutes between people and facilities for the access analyses, in the engine's two modes:
 * buffer (a straight line at the buffer speed) and network (walk to the nearest road, ride at the road's
 * speed, walk in; or walk straight when that is quicker, exactly as the coverage engine times a point).
 * Two questions are answered: every (point, facility) pair within a threshold (capacity and 2SFCA need
 * all of them, not only the nearest), and the nearest facility of a set with no cutoff or a long one
 * (catchments, referral), ties going to the smaller id.
 */
import { MINUTES_EPSILON } from '../coverage/aggregate';
import type { PopulationArrays } from '../coverage/inputs';
import { attachPoints, type PointAttachment } from '../coverage/network-reach';
import { GridIndex } from '../spatial/grid-index';
import { emptyNodeField, relaxFrom } from '../travel/dijkstra';
import { MinHeap } from '../travel/min-heap';
import type { RoadGraph } from '../travel/road-graph';
import { metresIn, type TravelMode, type TravelSettings } from '../travel/settings';
import { attachPlaces, beats, rankedField, seedsAt, sitesBySegment, viaNetwork, type Attachment } from './network-field';
import { SiteGrid } from './site-grid';
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
  #heap = new MinHeap();

  constructor(points: PopulationArrays, sites: readonly AccessSite[], settings: TravelSettings, graph: RoadGraph | null) {
    this.points = points;
    this.sites = sites;
    this.settings = settings;
    this.mode = settings.mode;
    // Network mode without usable roads is walking only, as in the engine.
    this.graph = settings.mode === 'network' && graph && graph.segmentCount > 0 ? graph : null;
    this.#siteX = Float64Array.from(sites, (s) => s.x);
    this.#siteY = Float64Array.from(sites, (s) => s.y);
  }

  /** Straight-line speed: the buffer speed, or off-road walking in network mode. */
  get straightKmh(): number {
    return this.settings.mode === 'buffer' ? this.settings.bufferKmh : this.settings.offroadKmh;
  }

  /** Minutes per metre in a straight line. */
  get #minutesPerMetre(): number {
    return 60 / (this.straightKmh * 1000);
  }

  #points(): PointAttachment {
    this.#pointAttachment ??= attachPoints(this.graph!, this.points, Infinity, this.settings.offroadKmh);
    return this.#pointAttachment;
  }

  #siteSnaps(): Attachment {
    this.#siteAttachment ??= attachPlaces(this.graph, this.#siteX, this.#siteY, this.settings.offroadKmh);
    return this.#siteAttachment;
  }

  /**
   * Every (point, site) pair with minutes ≤ threshold (inclusive, with the engine's 1e-6 minute slack), for
   * every site. Buffer: points within speed × minutes. Network: a search from each site cut off at the
   * threshold, read at the points attached to the nodes it reached, and the straight walk.
   */
  reach(minutes: number): ReachPairs {
    const limit = minutes + MINUTES_EPSILON;
    const mpm = this.#minutesPerMetre;
    const radius = limit / mpm;
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
    const walk = (i: number, d2: number): void => touch(i, Math.sqrt(d2) * mpm);
    const graph = this.graph;
    const att = graph ? this.#points() : null;
    const snaps = graph ? this.#siteSnaps() : null;
    const field = graph ? emptyNodeField(graph.nodeCount) : null;
    // Which site last read a node's points: a node reached twice is read once.
    const readBy = graph ? new Int32Array(graph.nodeCount).fill(-1) : null;
    for (const site of this.sites) {
      const j = site.index;
      grid.forEachWithin(site.x, site.y, radius, walk);
      if (graph && att && snaps && field && readBy && snaps.segment[j]! >= 0) {
        const s0 = snaps.segment[j]!;
        const changed = relaxFrom(graph, field, seedsAt(graph, snaps, j), minutes, this.#heap);
        changed.push(graph.segA[s0]!, graph.segB[s0]!);
        for (const u of changed) {
          if (readBy[u] === j) continue;
          readBy[u] = j;
          for (let k = att.nodeOffsets[u]!, end = att.nodeOffsets[u + 1]!; k < end; k++) {
            const i = att.nodePoints[k]!;
            const s = att.segment[i]!;
            const ride = graph.segMinutes[s]!;
            const t = att.along[i]!;
            let net = Math.min(field.minutes[graph.segA[s]!]! + t * ride, field.minutes[graph.segB[s]!]! + (1 - t) * ride);
            if (s === s0) net = Math.min(net, Math.abs(t - snaps.along[j]!) * ride + snaps.walkMinutes[j]!);
            net += att.walkMinutes[i]!;
            if (net <= limit) touch(i, net);
          }
        }
        for (const u of changed) {
          field.minutes[u] = Infinity;
          field.label[u] = -1;
        }
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
    const att = this.graph ? attachPlaces(this.graph, places.x, places.y, this.settings.offroadKmh) : null;
    return this.#nearest(members, places, att, cutoff);
  }

  #nearest(members: ArrayLike<number>, places: Places, att: Attachment | null, cutoff: number): Nearest {
    const n = places.x.length;
    const site = new Int32Array(n).fill(-1);
    const minutes = new Float64Array(n).fill(Infinity);
    const mpm = this.#minutesPerMetre;
    const grid = new SiteGrid(this.#siteX, this.#siteY, members);
    const maxMetres = metresIn(cutoff, this.straightKmh);
    const tolerance = MINUTES_EPSILON / mpm;
    const limit = cutoff + MINUTES_EPSILON;
    let network: { field: ReturnType<typeof rankedField>; onSegment: Map<number, number[]>; snaps: Attachment } | null = null;
    if (this.graph && att) {
      const snaps = this.#siteSnaps();
      const seeds = Array.from(members, (j) => seedsAt(this.graph!, snaps, j)).flat();
      network = { field: rankedField(this.graph, seeds, cutoff, this.#heap), onSegment: sitesBySegment(snaps, members), snaps };
    }
    const result = new Int32Array(1);
    for (let q = 0; q < n; q++) {
      let best = Infinity;
      let bestSite = grid.nearest(places.x[q]!, places.y[q]!, maxMetres, tolerance);
      if (bestSite >= 0) best = grid.metres * mpm;
      if (network && att) {
        const t = viaNetwork(this.graph!, network.field, att, q, network.snaps, network.onSegment, result);
        if (beats(t, result[0]!, best, bestSite)) [best, bestSite] = [Math.min(t, best), result[0]!];
      }
      if (bestSite >= 0 && best <= limit) {
        site[q] = bestSite;
        minutes[q] = best;
      }
    }
    return { site, minutes };
  }
}
