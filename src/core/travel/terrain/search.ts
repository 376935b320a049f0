/**
 * The terrain search: the time from the nearest source at every road node and every raster cell of a
 * TerrainGraph, by one multi-source label-correcting search in the order of a bucket queue (Dial's buckets of
 * the smallest off-road step). Off-road steps go to the 8 neighbours, or 16 with the knight's moves; a step
 * costs its length × the mean flat pace of the cells it crosses (GRASS r.cost's rule: the two cells, or the four
 * a knight's move crosses) × Tobler's slope pace in the direction people travel. A step is blocked where a cell
 * it crosses is water, and a diagonal where both cells beside it are (no slipping between two water cells).
 *
 * Why buckets and not the road search's heap: a county raster has millions of cells and each is reached once or
 * twice; a bucket push or pop is O(1) where a heap's is O(log n). Road links are shorter than a bucket, so a
 * node may be improved after it was expanded; it is then expanded again (label-correcting), which keeps every
 * minute exact (the order only decides how much work is redone, not the answer).
 */
import { MINUTES_SLACK } from '../minutes';
import { MAX_MINUTES } from '../settings';
import { NodeList } from '../dijkstra';
import { slopePace } from './tobler';
import { LINKED, ROUGH, type TerrainGraph } from './terrain-graph';

/** Minutes from the nearest source at every id (road nodes, then cells), and which source (-1: none in reach). */
export interface TerrainField {
  minutes: Float32Array;
  label: Int32Array;
}

/** A source's start: an id of the graph (a road node, or roadNodes + cell), its minutes there, its label. */
export interface TerrainSeed {
  id: number;
  minutes: number;
  label: number;
}

export function emptyTerrainField(graph: TerrainGraph): TerrainField {
  const n = graph.roadNodes + graph.cells;
  return { minutes: new Float32Array(n).fill(Infinity), label: new Int32Array(n).fill(-1) };
}

/** The off-road steps of a neighbourhood: column and row offsets, length in cells, and cells crossed (knights). */
interface Steps {
  count: number;
  dc: Int32Array;
  dr: Int32Array;
  length: Float64Array;
  kind: Uint8Array; // 0 orthogonal, 1 diagonal, 2 knight
}

function stepsOf(neighbours: 8 | 16): Steps {
  const list: [number, number][] = [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
    [1, 1],
    [1, -1],
    [-1, 1],
    [-1, -1],
  ];
  if (neighbours === 16) list.push([2, 1], [2, -1], [-2, 1], [-2, -1], [1, 2], [1, -2], [-1, 2], [-1, -2]);
  return {
    count: list.length,
    dc: Int32Array.from(list, ([c]) => c),
    dr: Int32Array.from(list, ([, r]) => r),
    length: Float64Array.from(list, ([c, r]) => Math.hypot(c, r)),
    kind: Uint8Array.from(list, ([c, r]) => (c === 0 || r === 0 ? 0 : Math.abs(c) === Math.abs(r) ? 1 : 2)),
  };
}

/**
 * Dial's buckets of width `width` minutes up to a cutoff, each a queue of entries drawn from one pool with a
 * free list: memory follows the search's frontier, not the number of pushes.
 */
class BucketQueue {
  heads: Int32Array;
  tails: Int32Array;
  ids = new Int32Array(1024);
  keys = new Float32Array(1024);
  next = new Int32Array(1024);
  free = -1;
  used = 0;

  constructor(
    readonly width: number,
    buckets: number,
  ) {
    this.heads = new Int32Array(buckets).fill(-1);
    this.tails = new Int32Array(buckets);
  }

  push(id: number, minutes: number): void {
    let e = this.free;
    if (e >= 0) this.free = this.next[e]!;
    else {
      if (this.used === this.ids.length) this.#grow();
      e = this.used++;
    }
    const b = (minutes / this.width) | 0;
    this.ids[e] = id;
    this.keys[e] = minutes;
    this.next[e] = -1;
    // First in, first out: a wavefront is expanded in the order it was reached, so neighbours follow neighbours
    // in memory (a stack's order jumps about the front and misses the cache on every step).
    if (this.heads[b] === -1) this.heads[b] = e;
    else this.next[this.tails[b]!] = e;
    this.tails[b] = e;
  }

  #grow(): void {
    const ids = new Int32Array(this.ids.length * 2);
    const keys = new Float32Array(this.keys.length * 2);
    const next = new Int32Array(this.next.length * 2);
    ids.set(this.ids);
    keys.set(this.keys);
    next.set(this.next);
    this.ids = ids;
    this.keys = keys;
    this.next = next;
  }
}

/** Searches reuse their queue and step tables per graph. */
const stepsCache = new WeakMap<TerrainGraph, Steps>();

/** The smallest off-road step's minutes on this graph (one cell at the fastest pace, downhill at its fastest). */
function bucketWidth(graph: TerrainGraph): number {
  let fastest = Infinity;
  const { pace } = graph;
  for (let k = 0; k < pace.length; k++) if (pace[k]! < fastest) fastest = pace[k]!;
  if (!Number.isFinite(fastest)) return 1;
  return Math.max(1e-3, graph.grid.cell * fastest * slopePace(-0.05));
}

const widthCache = new WeakMap<TerrainGraph, number>();

/**
 * From `seeds`, lowers `field` wherever a seed's journey is quicker than what is there (a field may hold valid
 * times already: the repair relies on it), up to `cutoff` minutes (+ MINUTES_SLACK). Ties: the first source met.
 * Pushes every id whose time or label it set into `changed` (null: a full search that needs no list).
 */
export function relaxTerrain(
  graph: TerrainGraph,
  field: TerrainField,
  seeds: readonly TerrainSeed[],
  cutoff: number,
  changed: NodeList | null,
): void {
  const { minutes, label } = field;
  // "No cutoff" (a catchment's nearest facility) is a day's travel: the buckets must be finite.
  const limit = Math.min(cutoff, MAX_MINUTES) + MINUTES_SLACK;
  let width = widthCache.get(graph);
  if (width === undefined) widthCache.set(graph, (width = bucketWidth(graph)));
  let steps = stepsCache.get(graph);
  if (steps === undefined) stepsCache.set(graph, (steps = stepsOf(graph.neighbours)));
  const queue = new BucketQueue(width, Math.floor(limit / width) + 2);
  for (const seed of seeds) {
    const t = Math.fround(seed.minutes);
    if (!(t <= limit) || t > minutes[seed.id]!) continue;
    if (t < minutes[seed.id]!) {
      minutes[seed.id] = t;
      label[seed.id] = seed.label;
      if (changed !== null) changed.push(seed.id);
    }
    // An equal seed is searched from again: a repair's border spreads its still-valid times back in.
    queue.push(seed.id, t);
  }
  const R = graph.roadNodes;
  const { nx, ny } = graph.grid;
  const cell = graph.grid.cell;
  const { ground, flags } = graph;
  const uniform = graph.uniformPace;
  // Slopes in the direction people travel: outward from the facility, or (patients) towards it, against the search.
  const sign = graph.direction === 'from_facility' ? 1 : -1;
  const { dc, dr, kind, count } = steps;
  const dk = Int32Array.from(dc, (c, s) => dr[s]! * nx + c);
  const metres = Float64Array.from(steps.length, (l) => l * cell);
  const perMetre = Float64Array.from(metres, (m) => 1 / m);
  // A diagonal's two side cells, or the two cells a knight's move crosses, as offsets from the cell.
  const side1 = Int32Array.from(dc, (c, s) => (kind[s] === 1 ? c : Math.abs(c) === 2 ? c / 2 : (dr[s]! / 2) * nx));
  const side2 = Int32Array.from(dc, (c, s) =>
    kind[s] === 1 ? dr[s]! * nx : Math.abs(c) === 2 ? dr[s]! * nx + c / 2 : (dr[s]! / 2) * nx + c,
  );
  const roads = graph.roads;
  const offsets = roads?.offsets;
  const adjTarget = roads?.adjTarget;
  const adjMinutes = roads?.adjMinutes;
  const { nodeLinks, nodeLinkCell, nodeLinkMinutes, cellLinks, cellLinkNode, cellLinkMinutes } = graph;
  const heads = queue.heads;
  const offer = (v: number, t: number, from: number): void => {
    const rounded = Math.fround(t);
    if (rounded < minutes[v]! && rounded <= limit) {
      minutes[v] = rounded;
      label[v] = from;
      if (changed !== null) changed.push(v);
      queue.push(v, rounded);
    }
  };
  for (let b = 0; b < heads.length; b++) {
    let e: number;
    while ((e = heads[b]!) !== -1) {
      heads[b] = queue.next[e]!;
      const id = queue.ids[e]!;
      const key = queue.keys[e]!;
      queue.next[e] = queue.free;
      queue.free = e;
      const t = minutes[id]!;
      if (key !== t) continue; // stale: a quicker entry for id was pushed (and expanded, or will be) since
      const from = label[id]!;
      if (id < R) {
        for (let a = offsets![id]!, end = offsets![id + 1]!; a < end; a++) offer(adjTarget![a]!, t + adjMinutes![a]!, from);
        for (let a = nodeLinks[id]!, end = nodeLinks[id + 1]!; a < end; a++) offer(R + nodeLinkCell[a]!, t + nodeLinkMinutes[a]!, from);
        continue;
      }
      const k = id - R;
      const flag = flags[k]!;
      if ((flag & LINKED) !== 0)
        for (let a = cellLinks[k]!, end = cellLinks[k + 1]!; a < end; a++) offer(cellLinkNode[a]!, t + cellLinkMinutes[a]!, from);
      const pk = ground[2 * k]!;
      if (pk === Infinity) continue; // a seed on water (a facility on the bank) leaves only by road
      const hk = ground[2 * k + 1]!;
      const row = (k / nx) | 0;
      const col = k - row * nx;
      // Two cells from every edge no step leaves the grid: the bounds are checked only near the edges. Away from
      // water and the domain's edge (not ROUGH) every cell a diagonal or a knight's move crosses can be walked.
      const inner = row >= 2 && row < ny - 2 && col >= 2 && col < nx - 2;
      const rough = (flag & ROUGH) !== 0;
      if (uniform && !rough) {
        // Open ground of one pace (no land cover, no water within a cell): every step's mean pace is this cell's,
        // and only a knight's far end (two cells off) may be unwalkable. The common case, with half the reads.
        for (let s = 0; s < count; s++) {
          if (!inner) {
            const c2 = col + dc[s]!;
            const r2 = row + dr[s]!;
            if (c2 < 0 || c2 >= nx || r2 < 0 || r2 >= ny) continue;
          }
          const nb = k + dk[s]!;
          if (kind[s] === 2 && ground[2 * nb] === Infinity) continue;
          let minutesOn = metres[s]! * pk;
          if (hk === hk) {
            const hn = ground[2 * nb + 1]!;
            if (hn === hn) minutesOn *= slopePace(sign * (hn - hk) * perMetre[s]!);
          }
          const v = R + nb;
          const reached = Math.fround(t + minutesOn);
          if (reached < minutes[v]! && reached <= limit) {
            minutes[v] = reached;
            label[v] = from;
            if (changed !== null) changed.push(v);
            queue.push(v, reached);
          }
        }
        continue;
      }
      for (let s = 0; s < count; s++) {
        if (!inner) {
          const c2 = col + dc[s]!;
          const r2 = row + dr[s]!;
          if (c2 < 0 || c2 >= nx || r2 < 0 || r2 >= ny) continue;
        }
        const nb = k + dk[s]!;
        const pn = ground[2 * nb]!;
        if (pn === Infinity) continue;
        let mean: number;
        const kindOf = kind[s]!;
        if (kindOf === 0) mean = (pk + pn) / 2;
        else if (kindOf === 1) {
          if (rough && ground[2 * (k + side1[s]!)] === Infinity && ground[2 * (k + side2[s]!)] === Infinity) continue;
          mean = (pk + pn) / 2;
        } else {
          // The knight's move crosses the two cells between its ends (GRASS r.cost -k averages all four).
          const p1 = ground[2 * (k + side1[s]!)]!;
          const p2 = ground[2 * (k + side2[s]!)]!;
          if (p1 === Infinity || p2 === Infinity) continue;
          mean = (pk + pn + p1 + p2) / 4;
        }
        let minutesOn = metres[s]! * mean;
        if (hk === hk) {
          const hn = ground[2 * nb + 1]!;
          if (hn === hn) minutesOn *= slopePace(sign * (hn - hk) * perMetre[s]!);
        }
        const v = R + nb;
        const reached = Math.fround(t + minutesOn);
        if (reached < minutes[v]! && reached <= limit) {
          minutes[v] = reached;
          label[v] = from;
          if (changed !== null) changed.push(v);
          queue.push(v, reached);
        }
      }
    }
  }
}

/** The ids next to `id` in either direction (its road edges and links, and its 8 or 16 cells). */
function forEachNeighbour(graph: TerrainGraph, id: number, visit: (v: number) => void): void {
  const R = graph.roadNodes;
  if (id < R) {
    const roads = graph.roads!;
    for (let a = roads.offsets[id]!; a < roads.offsets[id + 1]!; a++) visit(roads.adjTarget[a]!);
    for (let a = graph.nodeLinks[id]!; a < graph.nodeLinks[id + 1]!; a++) visit(R + graph.nodeLinkCell[a]!);
    return;
  }
  const k = id - R;
  for (let a = graph.cellLinks[k]!; a < graph.cellLinks[k + 1]!; a++) visit(graph.cellLinkNode[a]!);
  const { nx, ny } = graph.grid;
  const row = (k / nx) | 0;
  const col = k - row * nx;
  const steps = stepsCache.get(graph) ?? stepsOf(graph.neighbours);
  for (let s = 0; s < steps.count; s++) {
    const c2 = col + steps.dc[s]!;
    const r2 = row + steps.dr[s]!;
    if (c2 >= 0 && c2 < nx && r2 >= 0 && r2 < ny) visit(R + r2 * nx + c2);
  }
}

/**
 * Updates a field after the sources labelled in `removed` went (or moved) and `seeds` came, touching only what
 * they affect: ids whose nearest source was removed are cleared and refilled from their neighbours that kept a
 * source (still optimal), plus the remaining sources' own seeds among them (`reseed`), plus the new seeds.
 * Returns every id whose time or label changed.
 */
export function repairTerrain(
  graph: TerrainGraph,
  field: TerrainField,
  removed: ReadonlySet<number>,
  seeds: readonly TerrainSeed[],
  cutoff: number,
  reseed: (id: number) => readonly TerrainSeed[] = () => [],
): NodeList {
  const { minutes, label } = field;
  const changed = new NodeList();
  const border: TerrainSeed[] = [];
  if (removed.size > 0) {
    const cleared = new NodeList();
    const gone = new Uint8Array(Math.max(0, ...removed) + 1);
    for (const l of removed) if (l >= 0) gone[l] = 1;
    for (let id = 0; id < label.length; id++) {
      const l = label[id]!;
      if (l >= 0 && l < gone.length && gone[l]) {
        minutes[id] = Infinity;
        label[id] = -1;
        cleared.push(id);
        changed.push(id);
      }
    }
    for (let i = 0; i < cleared.count; i++) {
      const id = cleared.nodes[i]!;
      forEachNeighbour(graph, id, (v) => {
        if (label[v]! >= 0) border.push({ id: v, minutes: minutes[v]!, label: label[v]! });
      });
      for (const seed of reseed(id)) if (!removed.has(seed.label)) border.push(seed);
    }
  }
  relaxTerrain(graph, field, [...border, ...seeds], cutoff, changed);
  return changed;
}
