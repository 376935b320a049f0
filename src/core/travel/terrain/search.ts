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
 * minute exact (the order only decides how much work is redone, not the answer). A bucket's entries are expanded
 * in the order they came: sorting each bucket into memory order no longer paid once a cell's steps were tested
 * unrolled (expandRound; without the sort 0.88–0.98 of the time on 山丹 and 上犹 at 30, 50 and 100 m).
 *
 * Large rasters are searched tile by tile (runTiles): a window of 16 buckets is expanded in one 512 × 512 tile
 * before the next, so the rows around a tile's front stay in the cache for sixteen buckets instead of being read
 * again from memory for each (at 30 m a county's front spans tens of megabytes). A tile may then expand a cell
 * before a neighbouring tile improves it; the cell is expanded again (label-correcting, as with roads), so the
 * minutes are the same as bucket by bucket, and only some work is redone. Where two sources reach a cell in the
 * same minutes, the label is the one expanded first in that order.
 */
import { MINUTES_SLACK } from '../minutes';
import { MAX_MINUTES } from '../settings';
import { NodeList } from '../dijkstra';
import { FASTEST_SLOPE_PACE, slopePace } from './tobler';
import { EDGE, LINKED, ROUGH, type TerrainGraph, type TerrainSearchGraph } from './terrain-graph';

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

export function emptyTerrainField(graph: TerrainSearchGraph): TerrainField {
  const n = graph.roadNodes + graph.cells;
  return { minutes: new Float32Array(n).fill(Infinity), label: new Int32Array(n).fill(-1) };
}

/** The off-road steps of a neighbourhood: column and row offsets, length in cells, and cells crossed (knights). */
export interface Steps {
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

/** The lists a graph's searches keep for the next: at most POOL_LISTS of up to POOL_LIST ids (8 MB). */
const POOL_LIST = 1 << 14;
const POOL_LISTS = 128;

/** The most a graph's kept lists hold, for the memory stated before a run (terrain-plan.ts). */
export const SEARCH_POOL_BYTES = POOL_LISTS * POOL_LIST * Int32Array.BYTES_PER_ELEMENT;

/**
 * Dial's buckets of width `width` minutes up to a cutoff, each a list of ids on a typed array (a push is one
 * write; an entry's minutes are the id's own, read when it is expanded). A bucket's list goes back to a pool once
 * it is expanded, so memory follows the search's frontier, not the number of pushes.
 */
class BucketQueue {
  readonly lists: (Int32Array | null)[];
  readonly sizes: Int32Array;

  /** `pool`: lists of earlier searches of the graph, taken and given back (a repair allocates none once warm). */
  constructor(
    readonly width: number,
    buckets: number,
    readonly pool: Int32Array[],
  ) {
    this.#perWidth = 1 / width;
    this.lists = new Array<Int32Array | null>(buckets).fill(null);
    this.sizes = new Int32Array(buckets);
  }

  /** 1 / width: a bucket is found by a multiplication, not a division (one per push and per id expanded). */
  readonly #perWidth: number;

  /** The bucket of a time: every push and every check of an entry's bucket goes through here, so they agree. */
  bucketOf(minutes: number): number {
    return (minutes * this.#perWidth) | 0;
  }

  push(id: number, minutes: number): void {
    const b = this.bucketOf(minutes);
    const n = this.sizes[b]!;
    let list = this.lists[b]!;
    if (list === null || n === list.length) list = this.#grow(b, n);
    list[n] = id;
    this.sizes[b] = n + 1;
  }

  /** Bucket b is expanded: its list serves later buckets. */
  release(b: number): void {
    const list = this.lists[b]!;
    if (list === null) return;
    // Kept up to 8 MB: enough for a repair's lists; a full field's widest go (at 30 m they are tens of MB).
    if (list.length <= POOL_LIST && this.pool.length < POOL_LISTS) this.pool.push(list);
    this.lists[b] = null;
    this.sizes[b] = 0;
  }

  #grow(b: number, n: number): Int32Array {
    const old = this.lists[b]!;
    if (old === null) return (this.lists[b] = this.pool.pop() ?? new Int32Array(256));
    // A list being expanded keeps its entries where they are: the grown copy takes the pushes from now on.
    const list = new Int32Array(2 * n);
    list.set(old);
    return (this.lists[b] = list);
  }
}

/** A graph's searches, one at a time, share their buckets' lists: a repair then allocates none. */
const poolCache = new WeakMap<TerrainSearchGraph, Int32Array[]>();

function poolOf(graph: TerrainSearchGraph): Int32Array[] {
  let pool = poolCache.get(graph);
  if (!pool) poolCache.set(graph, (pool = []));
  return pool;
}

/** Searches reuse their step tables per graph. */
const stepsCache = new WeakMap<TerrainSearchGraph, Steps>();

/**
 * The quickest a metre can be crossed off-road in a graph: its fastest flat pace (minutes per metre; Infinity: no
 * cell can be walked) times the quickest slope pace, Tobler's downhill best where any cell has an elevation, and 1
 * where none has (flat ground: no step is quicker than its length at the fastest pace).
 */
function quickestPace(graph: TerrainSearchGraph): number {
  let fastest = Infinity;
  let sloped = false;
  const { ground } = graph;
  for (let k = 0; k < ground.length; k += 2) {
    if (ground[k]! < fastest) fastest = ground[k]!;
    if (!sloped && ground[k + 1] === ground[k + 1]) sloped = true;
  }
  return fastest * (sloped ? FASTEST_SLOPE_PACE : 1);
}

const quickestCache = new WeakMap<TerrainSearchGraph, number>();

/** A graph's step table (cached). */
export function stepsFor(graph: TerrainSearchGraph): Steps {
  let steps = stepsCache.get(graph);
  if (steps === undefined) stepsCache.set(graph, (steps = stepsOf(graph.neighbours)));
  return steps;
}

/** A graph's quickest off-road pace (cached). */
function quickestPaceOf(graph: TerrainSearchGraph): number {
  let quickest = quickestCache.get(graph);
  if (quickest === undefined) quickestCache.set(graph, (quickest = quickestPace(graph)));
  return quickest;
}

/** Tiles of 2^shift × 2^shift cells, each expanding `window` buckets before the next (runTiles). */
export interface Tiling {
  shift: number;
  window: number;
}

/**
 * The order a search expands its queue in: bucket by bucket over the whole raster, or by tiles. The minutes are
 * the same in both (tests hold them equal, on tiles as small as 4 cells); tiles pay where the raster is larger than
 * the cache.
 */
export type SearchOrder = 'buckets' | Tiling;

/**
 * A large raster's tiles: 512 × 512 cells, 16 buckets, from 2 M cells. Measured on 山丹, three tiers on one thread,
 * against bucket by bucket in the same process: 30 m (13.9 M cells) 0.57–0.62×, 50 m (5 M) 0.69×, 70 m (2.5 M)
 * 0.70×; at 100 m (1.25 M) the same time, so bucket by bucket stays there (bench/terrain.bench.ts).
 */
export const LARGE_RASTER_TILES: Tiling = { shift: 9, window: 16 };
export const TILES_FROM_CELLS = 2_000_000;

export const searchOrderOf = (graph: TerrainSearchGraph): SearchOrder => (graph.cells >= TILES_FROM_CELLS ? LARGE_RASTER_TILES : 'buckets');

/**
 * From `seeds`, sets `field` (empty: every minute Infinity, as emptyTerrainField gives) to the quickest journey
 * from any seed, up to `cutoff` minutes (+ MINUTES_SLACK). Ties: the first source met. Pushes every id whose time
 * or label it set into `changed` (null: a full search that needs no list). A repair lowers a field that holds
 * times already: repairTerrain. `order`: by the raster's size unless given (tests compare the two).
 */
export function relaxTerrain(
  graph: TerrainSearchGraph,
  field: TerrainField,
  seeds: readonly TerrainSeed[],
  cutoff: number,
  changed: NodeList | null,
  order: SearchOrder = searchOrderOf(graph),
): void {
  searchTerrain(graph, field, seeds, null, cutoff, changed, true, order);
}

/**
 * relaxTerrain, searching on from the ids of `restart` too, each at the time it holds (a repair's border).
 * `fresh`: the field was empty, so every finite time in it was set by this search and has its entry in its bucket
 * (a repair's field holds times no entry stands for: not fresh).
 */
function searchTerrain(
  graph: TerrainSearchGraph,
  field: TerrainField,
  seeds: readonly TerrainSeed[],
  restart: NodeList | null,
  cutoff: number,
  changed: NodeList | null,
  fresh: boolean,
  order: SearchOrder,
): void {
  // "No cutoff" (a catchment's nearest facility) is a day's travel: the buckets must be finite.
  const search = new TerrainSearch(graph, field, Math.min(cutoff, MAX_MINUTES) + MINUTES_SLACK, changed, fresh, order);
  const { minutes, label } = field;
  const { limit } = search;
  for (const seed of seeds) {
    const t = Math.fround(seed.minutes);
    if (!(t <= limit) || t > minutes[seed.id]!) continue;
    if (t < minutes[seed.id]!) {
      minutes[seed.id] = t;
      label[seed.id] = seed.label;
      if (changed !== null) changed.push(seed.id);
    }
    // An equal seed is searched from again: a remaining source's seed in a repair.
    search.push(seed.id, t);
  }
  if (restart !== null)
    for (let i = 0; i < restart.count; i++) {
      const id = restart.nodes[i]!;
      if (minutes[id]! <= limit) search.push(id, minutes[id]!);
    }
  search.run();
}

/**
 * One search: its queues and the step tables of its graph. The expansion of a bucket's cells (expandRound) is a
 * method of its own, and the rarer work (road nodes, links, steps near water or the domain's edge) is in others,
 * so the compiler's inlining budget goes to the per-step work (Tobler's table, the queue's push) rather than to
 * code a county's field seldom runs.
 *
 * Its queue is one per tile: by buckets, tile 0 holds every id; by tiles, tile 0 holds the road nodes and tile
 * 1 + (row >> shift) · tilesX + (col >> shift) a cell.
 */
class TerrainSearch {
  readonly tiled: boolean;
  readonly shift: number;
  readonly window: number;
  readonly tilesX: number;
  readonly first: BucketQueue;
  readonly queues: (BucketQueue | null)[];
  /** Per tile and bucket of the current window, how many of its entries have been expanded. */
  readonly done: (Int32Array | null)[];
  /** Per tile, the latest bucket it began to expand: an entry in a later bucket still waits. */
  readonly top: Int32Array;
  /** Tiles to expand in the next pass of the window (with `marked` set), and the one being expanded. */
  next: number[] = [];
  readonly marked: Uint8Array;
  current = -1;
  windowEnd = 0;
  readonly perWidth: number;
  readonly pool: Int32Array[];
  readonly width: number;
  readonly buckets: number;
  readonly R: number;
  readonly nx: number;
  readonly ny: number;
  readonly minutes: Float32Array;
  readonly label: Int32Array;
  readonly ground: Float32Array;
  readonly flags: Uint8Array;
  readonly uniform: boolean;
  /** Slopes in the direction people travel: outward from the facility, or (patients) towards it, against the search. */
  readonly sign: number;
  readonly count: number;
  readonly dc: Int32Array;
  readonly dr: Int32Array;
  readonly kind: Uint8Array;
  readonly dk: Int32Array;
  readonly metres: Float64Array;
  readonly perMetre: Float64Array;
  readonly quickest: Float64Array;
  readonly side1: Int32Array;
  readonly side2: Int32Array;

  constructor(
    readonly graph: TerrainSearchGraph,
    field: TerrainField,
    readonly limit: number,
    readonly changed: NodeList | null,
    readonly fresh: boolean,
    order: SearchOrder,
  ) {
    this.minutes = field.minutes;
    this.label = field.label;
    const quickestPace = quickestPaceOf(graph);
    const walkable = Number.isFinite(quickestPace);
    const cell = graph.grid.cell;
    // Buckets as wide as the smallest off-road step (one cell at the quickest pace): a cell expanded from a bucket
    // reaches its neighbours in later buckets only, so each cell is expanded once unless a road link (shorter than
    // a bucket) improves it after.
    this.width = walkable ? Math.max(1e-3, cell * quickestPace) : 1;
    this.buckets = Math.floor(limit / this.width) + 2;
    this.perWidth = 1 / this.width;
    this.pool = poolOf(graph);
    this.R = graph.roadNodes;
    const { nx, ny } = graph.grid;
    this.nx = nx;
    this.ny = ny;
    this.tiled = order !== 'buckets';
    this.shift = order === 'buckets' ? 31 : order.shift;
    this.window = order === 'buckets' ? 0 : order.window;
    this.tilesX = this.tiled ? ((nx - 1) >> this.shift) + 1 : 0;
    const tiles = this.tiled ? 1 + this.tilesX * (((ny - 1) >> this.shift) + 1) : 1;
    this.queues = new Array<BucketQueue | null>(tiles).fill(null);
    this.done = new Array<Int32Array | null>(tiles).fill(null);
    this.top = new Int32Array(tiles).fill(-1);
    this.marked = new Uint8Array(tiles);
    // Tile 0 (every id by buckets; the road nodes by tiles) is always there: expandRound pushes into it directly.
    this.first = this.queues[0] = new BucketQueue(this.width, this.buckets, this.pool);
    this.done[0] = new Int32Array(this.buckets);
    this.ground = graph.ground;
    this.flags = graph.flags;
    this.uniform = graph.uniformPace;
    this.sign = graph.direction === 'from_facility' ? 1 : -1;
    const steps = stepsFor(graph);
    const { dc, dr, kind, count } = steps;
    this.dc = dc;
    this.dr = dr;
    this.kind = kind;
    this.count = count;
    this.dk = Int32Array.from(dc, (c, s) => dr[s]! * nx + c);
    this.metres = Float64Array.from(steps.length, (l) => l * cell);
    this.perMetre = Float64Array.from(this.metres, (m) => 1 / m);
    // No step is quicker than its length at the quickest pace (a hair less, for rounding): a neighbour already at
    // most that much later than this cell is skipped before its step is worked out.
    this.quickest = Float64Array.from(this.metres, (m) => (walkable ? m * quickestPace * (1 - 1e-9) : 0));
    // A diagonal's two side cells, or the two cells a knight's move crosses, as offsets from the cell.
    this.side1 = Int32Array.from(dc, (c, s) => (kind[s] === 1 ? c : Math.abs(c) === 2 ? c / 2 : (dr[s]! / 2) * nx));
    this.side2 = Int32Array.from(dc, (c, s) =>
      kind[s] === 1 ? dr[s]! * nx : Math.abs(c) === 2 ? dr[s]! * nx + c / 2 : (dr[s]! / 2) * nx + c,
    );
  }

  /** The bucket of a time, as every queue finds it (BucketQueue.bucketOf). */
  bucketOf(minutes: number): number {
    return (minutes * this.perWidth) | 0;
  }

  /** The tile of an id (by buckets: 0). */
  tileOf(id: number): number {
    if (!this.tiled || id < this.R) return 0;
    const k = id - this.R;
    const row = (k / this.nx) | 0;
    return 1 + (row >> this.shift) * this.tilesX + ((k - row * this.nx) >> this.shift);
  }

  push(id: number, minutes: number): void {
    this.pushTo(this.tileOf(id), id, minutes, this.bucketOf(minutes));
  }

  /** Queues id in its tile; a tile other than the one expanding, given work in this window, gets another pass. */
  pushTo(tile: number, id: number, minutes: number, bucket: number): void {
    let queue = this.queues[tile]!;
    if (queue === null) {
      queue = this.queues[tile] = new BucketQueue(this.width, this.buckets, this.pool);
      this.done[tile] = new Int32Array(this.buckets);
    }
    queue.push(id, minutes);
    if (this.tiled && tile !== this.current && this.marked[tile] === 0 && bucket < this.windowEnd) {
      this.marked[tile] = 1;
      this.next.push(tile);
    }
  }

  /**
   * By tiles: cell id v (at row, col) improved from `old` to `reached`. On a fresh field it needs no second entry
   * where its first still waits: in the same bucket, which its tile has not begun.
   */
  pushCell(v: number, reached: number, old: number, row: number, col: number): void {
    const tile = 1 + (row >> this.shift) * this.tilesX + (col >> this.shift);
    const into = this.bucketOf(reached);
    if (!this.fresh || into <= this.top[tile]! || into !== this.bucketOf(old)) this.pushTo(tile, v, reached, into);
  }

  run(): void {
    if (this.tiled) this.runTiles();
    else this.runBuckets();
  }

  /** Expands the buckets in order, each until no entry is left. */
  runBuckets(): void {
    const { buckets } = this;
    const queue = this.first;
    const sizes = queue.sizes;
    for (let b = 0; b < buckets; b++) {
      this.top[0] = b;
      let i = 0;
      // Road links may push into the bucket being expanded: it is read until no entry is left.
      while (i < sizes[b]!) {
        const list = queue.lists[b]!;
        const end = sizes[b]!;
        this.expandRound(list, i, end, b);
        i = end;
      }
      queue.release(b);
    }
  }

  /**
   * Expands `window` buckets at a time, tile after tile (road nodes first: they seed the cells), in passes until no
   * tile has an entry left in the window (a tile expanded earlier in a pass may be given entries by a later one).
   */
  runTiles(): void {
    const { buckets, queues, marked, window } = this;
    for (let from = 0; from < buckets; from += window) {
      const end = Math.min(from + window, buckets);
      this.windowEnd = end;
      // The tiles given entries in this window by earlier ones (those given them since are listed already).
      for (let t = 0; t < queues.length; t++) {
        const queue = queues[t]!;
        if (queue === null || marked[t] === 1) continue;
        for (let b = from; b < end; b++)
          if (queue.sizes[b]! > 0) {
            marked[t] = 1;
            this.next.push(t);
            break;
          }
      }
      while (this.next.length > 0) {
        const pass = this.next.sort((a, b) => a - b);
        this.next = [];
        for (const t of pass) {
          marked[t] = 0;
          this.current = t;
          this.expandTile(t, from, end);
        }
        this.current = -1;
      }
      for (let t = 0; t < queues.length; t++) {
        const queue = queues[t]!;
        if (queue === null) continue;
        for (let b = from; b < end; b++) queue.release(b);
        this.done[t]!.fill(0, from, end);
      }
    }
  }

  /** Expands tile t's entries in buckets from … end not yet expanded, bucket by bucket. */
  expandTile(t: number, from: number, end: number): void {
    const queue = this.queues[t]!;
    const done = this.done[t]!;
    for (let b = from; b < end; b++) {
      let i = done[b]!;
      if (i >= queue.sizes[b]!) continue;
      if (b > this.top[t]!) this.top[t] = b;
      while (i < queue.sizes[b]!) {
        const list = queue.lists[b]!;
        const last = queue.sizes[b]!;
        this.expandRound(list, i, last, b);
        i = last;
      }
      done[b] = i;
    }
  }

  /** Expands the ids list[i … end) of bucket b: each off-road step, and the roads and links through others. */
  expandRound(list: Int32Array, i: number, end: number, b: number): void {
    const { minutes, label, ground, flags, changed, limit, fresh, R, nx, ny, uniform, sign, tiled, first } = this;
    const { count, dc, dr, dk, metres, perMetre, quickest } = this;
    // The steps' id offsets and quickest minutes as locals, for the unrolled test of a cell's steps below (the
    // defaults only type them: 8 neighbours' knights are never read).
    // prettier-ignore
    const [d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0, d8 = 0, d9 = 0, d10 = 0, d11 = 0, d12 = 0, d13 = 0, d14 = 0, d15 = 0] = dk;
    // prettier-ignore
    const [q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0, q8 = 0, q9 = 0, q10 = 0, q11 = 0, q12 = 0, q13 = 0, q14 = 0, q15 = 0] = quickest;
    const knights = count === 16;
    for (; i < end; i++) {
      const id = list[i]!;
      const t = minutes[id]!;
      if (this.bucketOf(t) !== b) continue; // stale: improved into an earlier bucket and expanded there
      const from = label[id]!;
      if (id < R) {
        this.expandNode(id, t, from);
        continue;
      }
      const k = id - R;
      const flag = flags[k]!;
      if ((flag & LINKED) !== 0) this.expandLinks(k, t, from);
      const pk = ground[2 * k]!;
      if (pk === Infinity) continue; // a seed on water (a facility on the bank) leaves only by road
      const hk = ground[2 * k + 1]!;
      // Two cells from every edge no step leaves the grid: the bounds are checked only near the edges. Away from
      // water and the domain's edge (not ROUGH) every cell a diagonal or a knight's move crosses can be walked.
      const inner = (flag & EDGE) === 0;
      const row = inner && !tiled ? 0 : (k / nx) | 0;
      const col = k - row * nx;
      // Open ground of one pace (no land cover, no water within a cell): every step's mean pace is this cell's,
      // and only a knight's far end (two cells off) may be unwalkable, checked below.
      const plain = uniform && (flag & ROUGH) === 0;
      // The steps whose cell this one may improve, as bits: no step can be quicker than `quickest`, so a neighbour
      // already at most that much later is skipped before its step is worked out (most of a front's neighbours).
      // Unrolled, and one branch per cell instead of one hard-to-predict branch per step: the search took 0.67–0.76
      // of the time of a loop over the steps (bench/terrain.bench.ts, 山丹 at 100 m, flat and sloped).
      let open = 0;
      if (inner) {
        const at = R + k;
        open =
          (t + q0 < minutes[at + d0]! ? 1 : 0) |
          (t + q1 < minutes[at + d1]! ? 2 : 0) |
          (t + q2 < minutes[at + d2]! ? 4 : 0) |
          (t + q3 < minutes[at + d3]! ? 8 : 0) |
          (t + q4 < minutes[at + d4]! ? 16 : 0) |
          (t + q5 < minutes[at + d5]! ? 32 : 0) |
          (t + q6 < minutes[at + d6]! ? 64 : 0) |
          (t + q7 < minutes[at + d7]! ? 128 : 0);
        if (knights)
          open |=
            (t + q8 < minutes[at + d8]! ? 256 : 0) |
            (t + q9 < minutes[at + d9]! ? 512 : 0) |
            (t + q10 < minutes[at + d10]! ? 1024 : 0) |
            (t + q11 < minutes[at + d11]! ? 2048 : 0) |
            (t + q12 < minutes[at + d12]! ? 4096 : 0) |
            (t + q13 < minutes[at + d13]! ? 8192 : 0) |
            (t + q14 < minutes[at + d14]! ? 16384 : 0) |
            (t + q15 < minutes[at + d15]! ? 32768 : 0);
      } else
        for (let s = 0; s < count; s++) {
          const c2 = col + dc[s]!;
          const r2 = row + dr[s]!;
          if (c2 >= 0 && c2 < nx && r2 >= 0 && r2 < ny && t + quickest[s]! < minutes[R + k + dk[s]!]!) open |= 1 << s;
        }
      for (; open !== 0; open &= open - 1) {
        const s = 31 - Math.clz32(open & -open);
        const nb = k + dk[s]!;
        const v = R + nb;
        const pn = ground[2 * nb]!;
        if (pn === Infinity) continue;
        const mean = plain ? pk : this.meanPace(k, s, pk, pn, flag);
        if (mean === Infinity) continue;
        let minutesOn = metres[s]! * mean;
        if (hk === hk) {
          const hn = ground[2 * nb + 1]!;
          if (hn === hn) minutesOn *= slopePace(sign * (hn - hk) * perMetre[s]!);
        }
        const reached = Math.fround(t + minutesOn);
        const old = minutes[v]!;
        if (reached < old && reached <= limit) {
          minutes[v] = reached;
          label[v] = from;
          if (changed !== null) changed.push(v);
          // On a fresh field an id improved within a bucket where it still waits needs no second entry.
          if (tiled) this.pushCell(v, reached, old, row + dr[s]!, col + dc[s]!);
          else {
            const into = this.bucketOf(reached);
            if (!fresh || into <= b || into !== this.bucketOf(old)) first.push(v, reached);
          }
        }
      }
    }
  }

  /**
   * The mean flat pace of the cells step s from cell k crosses, off open ground of one pace (GRASS r.cost's rule:
   * the two cells, or the four a knight's move crosses); Infinity where a cell it crosses is water, or both cells
   * beside a diagonal are (no slipping between two water cells).
   */
  meanPace(k: number, s: number, pk: number, pn: number, flag: number): number {
    const { ground, side1, side2 } = this;
    const kind = this.kind[s]!;
    if (kind === 0) return (pk + pn) / 2;
    if (kind === 1) {
      if ((flag & ROUGH) !== 0 && ground[2 * (k + side1[s]!)] === Infinity && ground[2 * (k + side2[s]!)] === Infinity) return Infinity;
      return (pk + pn) / 2;
    }
    // The knight's move crosses the two cells between its ends (GRASS r.cost -k averages all four).
    const p1 = ground[2 * (k + side1[s]!)]!;
    const p2 = ground[2 * (k + side2[s]!)]!;
    if (p1 === Infinity || p2 === Infinity) return Infinity;
    return (pk + pn + p1 + p2) / 4;
  }

  /** Road node id reached at t: its road edges and its links to cells. */
  expandNode(id: number, t: number, from: number): void {
    const { graph, R } = this;
    const roads = graph.roads!;
    const { offsets, adjTarget, adjMinutes } = roads;
    for (let a = offsets[id]!, end = offsets[id + 1]!; a < end; a++) this.offer(adjTarget[a]!, t + adjMinutes[a]!, from);
    const { nodeLinks, nodeLinkCell, nodeLinkMinutes } = graph;
    for (let a = nodeLinks[id]!, end = nodeLinks[id + 1]!; a < end; a++) this.offer(R + nodeLinkCell[a]!, t + nodeLinkMinutes[a]!, from);
  }

  /** Cell k reached at t: its links onto the roads. */
  expandLinks(k: number, t: number, from: number): void {
    const { cellLinks, cellLinkNode, cellLinkMinutes } = this.graph;
    for (let a = cellLinks[k]!, end = cellLinks[k + 1]!; a < end; a++) this.offer(cellLinkNode[a]!, t + cellLinkMinutes[a]!, from);
  }

  /** Id v reached at t from source `from` by a road or a link: kept (and queued) where quicker than what v holds. */
  offer(v: number, t: number, from: number): void {
    const rounded = Math.fround(t);
    if (rounded < this.minutes[v]! && rounded <= this.limit) {
      this.minutes[v] = rounded;
      this.label[v] = from;
      if (this.changed !== null) this.changed.push(v);
      this.push(v, rounded);
    }
  }
}

/**
 * Per graph, the road edges and links INTO each id, which one-way roads make differ from those out of it: into
 * road node v from nodes nodeFrom[nodeIn[v] … nodeIn[v+1]) and from cells cellFrom[cellIn[v] … cellIn[v+1]); into
 * a cell from the nodes linking to it, as (cell, node) pairs sorted by cell (linkCell, linkNode).
 */
interface Inbound {
  nodeIn: Int32Array;
  nodeFrom: Int32Array;
  cellIn: Int32Array;
  cellFrom: Int32Array;
  linkCell: Int32Array;
  linkNode: Int32Array;
}

const inboundCache = new WeakMap<TerrainGraph, Inbound>();

/** Groups (key, value) pairs by key into CSR arrays over `count` keys. */
function groupBy(count: number, keys: ArrayLike<number>, values: ArrayLike<number>): [Int32Array, Int32Array] {
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < keys.length; i++) offsets[keys[i]! + 1]!++;
  for (let i = 0; i < count; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, count);
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[fill[keys[i]!]!++] = values[i]!;
  return [offsets, out];
}

function inboundOf(graph: TerrainGraph): Inbound {
  let inbound = inboundCache.get(graph);
  if (inbound) return inbound;
  const R = graph.roadNodes;
  const roads = graph.roads;
  // Every road edge u → v and link as (target, source) pairs.
  const edgeTo: number[] = [];
  const edgeFrom: number[] = [];
  if (roads)
    for (let u = 0; u < R; u++)
      for (let a = roads.offsets[u]!; a < roads.offsets[u + 1]!; a++) {
        edgeTo.push(roads.adjTarget[a]!);
        edgeFrom.push(u);
      }
  const linkTo: number[] = [];
  const linkFrom: number[] = [];
  for (let k = 0; k < graph.cells; k++)
    for (let a = graph.cellLinks[k]!; a < graph.cellLinks[k + 1]!; a++) {
      linkTo.push(graph.cellLinkNode[a]!);
      linkFrom.push(k);
    }
  const [nodeIn, nodeFrom] = groupBy(R, edgeTo, edgeFrom);
  const [cellIn, cellFrom] = groupBy(R, linkTo, linkFrom);
  const pairs: [number, number][] = [];
  for (let u = 0; u < R; u++) for (let a = graph.nodeLinks[u]!; a < graph.nodeLinks[u + 1]!; a++) pairs.push([graph.nodeLinkCell[a]!, u]);
  pairs.sort((x, y) => x[0] - y[0]);
  inbound = {
    nodeIn,
    nodeFrom,
    cellIn,
    cellFrom,
    linkCell: Int32Array.from(pairs, (p) => p[0]),
    linkNode: Int32Array.from(pairs, (p) => p[1]),
  };
  inboundCache.set(graph, inbound);
  return inbound;
}

/**
 * Pushes into `border` every id with a step into a cleared id (a road edge or link into it, or one of its 8 or 16
 * cells: off-road steps go both ways) that kept a source: once per cleared neighbour (the search expands each once).
 */
function pushBorder(graph: TerrainGraph, cleared: NodeList, label: Int32Array, border: NodeList): void {
  const R = graph.roadNodes;
  const { nx, ny } = graph.grid;
  const { dc, dr, count } = stepsFor(graph);
  const dk = Int32Array.from(dc, (c, s) => dr[s]! * nx + c);
  const { flags } = graph;
  const inbound = R > 0 ? inboundOf(graph) : null;
  for (let i = 0; i < cleared.count; i++) {
    const id = cleared.nodes[i]!;
    if (id < R) {
      const { nodeIn, nodeFrom, cellIn, cellFrom } = inbound!;
      for (let a = nodeIn[id]!; a < nodeIn[id + 1]!; a++) if (label[nodeFrom[a]!]! >= 0) border.push(nodeFrom[a]!);
      for (let a = cellIn[id]!; a < cellIn[id + 1]!; a++) if (label[R + cellFrom[a]!]! >= 0) border.push(R + cellFrom[a]!);
      continue;
    }
    const k = id - R;
    if ((flags[k]! & LINKED) !== 0 && inbound) {
      // The nodes linking into this cell: the pairs of cell k (a binary search for the first).
      const { linkCell, linkNode } = inbound;
      let lo = 0;
      let hi = linkCell.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (linkCell[mid]! < k) lo = mid + 1;
        else hi = mid;
      }
      for (let a = lo; a < linkCell.length && linkCell[a] === k; a++) if (label[linkNode[a]!]! >= 0) border.push(linkNode[a]!);
    }
    if ((flags[k]! & EDGE) === 0) {
      for (let s = 0; s < count; s++) if (label[id + dk[s]!]! >= 0) border.push(id + dk[s]!);
      continue;
    }
    const row = (k / nx) | 0;
    const col = k - row * nx;
    for (let s = 0; s < count; s++) {
      const c2 = col + dc[s]!;
      const r2 = row + dr[s]!;
      if (c2 >= 0 && c2 < nx && r2 >= 0 && r2 < ny && label[id + dk[s]!]! >= 0) border.push(id + dk[s]!);
    }
  }
}

/**
 * Updates a field after the sources labelled in `removed` went (or moved) and `seeds` came, touching only what
 * they affect: ids whose nearest source was removed are cleared and refilled from their neighbours that kept a
 * source (still optimal), plus the remaining sources' own seeds among them (`reseed`: every seed of the remaining
 * sources by id), plus the new seeds.
 * Returns every id whose time or label changed.
 */
export function repairTerrain(
  graph: TerrainGraph,
  field: TerrainField,
  removed: ReadonlySet<number>,
  seeds: readonly TerrainSeed[],
  cutoff: number,
  reseed: ReadonlyMap<number, readonly TerrainSeed[]> = new Map(),
  lists: { changed: NodeList; border: NodeList } = { changed: new NodeList(), border: new NodeList() },
  order: SearchOrder = searchOrderOf(graph),
): NodeList {
  const { minutes, label } = field;
  // The caller's lists, emptied: a field repaired again and again keeps their grown arrays.
  const { changed, border } = lists;
  changed.clear();
  border.clear();
  const again: TerrainSeed[] = [];
  if (removed.size > 0) {
    let top = -1;
    for (const l of removed) top = Math.max(top, l);
    const gone = new Uint8Array(top + 1);
    for (const l of removed) if (l >= 0) gone[l] = 1;
    for (let id = 0; id < label.length; id++) {
      const l = label[id]!;
      if (l >= 0 && l <= top && gone[l] === 1) {
        minutes[id] = Infinity;
        label[id] = -1;
        changed.push(id);
      }
    }
    // Every id changed so far was cleared.
    pushBorder(graph, changed, label, border);
    for (const [id, seeds] of reseed) if (label[id]! < 0) for (const seed of seeds) if (!removed.has(seed.label)) again.push(seed);
  }
  searchTerrain(graph, field, again.length ? [...again, ...seeds] : seeds, border, cutoff, changed, false, order);
  return changed;
}
