/**
 * A uniform grid of line segments for nearest-segment queries (snapping places onto roads). Each cell lists
 * every segment that passes through it, so a query searches rings of cells outward from its own and stops
 * once the next ring is provably farther than the best segment found, or than the walking reach. A query
 * allocates nothing: its answer is left in `segment`, `along` and `distance`, so a million points can be
 * snapped in a tight loop.
 */

/** Cell side as a share of the median segment length: measured fastest on a jittered 380 m grid of roads. */
const CELL_PER_MEDIAN = 1;
/** At most this many cells per segment, so one far-off road cannot blow up the grid's memory. */
const MAX_CELLS_PER_SEGMENT = 2;
/** Slack when listing a segment in cells, so rounding at a cell edge never leaves it out of a cell it touches. */
const EDGE_SLACK = 1e-9;

export class SegmentGrid {
  readonly segmentCount: number;
  readonly x0: number;
  readonly y0: number;
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
  /** Segments of cell c = j·nx + i are cellSegments[cellStart[c] .. cellStart[c+1]). */
  readonly cellStart: Int32Array;
  readonly cellSegments: Int32Array;
  /** Segment s starts at (seg[4s], seg[4s+1]) and runs (seg[4s+2], seg[4s+3]) to its end: one cache line each. */
  readonly seg: Float64Array;

  /** The last query's answer: the segment (-1: none within reach), the share along it from A, the distance. */
  segment = -1;
  along = 0;
  distance = Infinity;

  constructor(nodeX: ArrayLike<number>, nodeY: ArrayLike<number>, segA: ArrayLike<number>, segB: ArrayLike<number>) {
    const count = segA.length;
    this.segmentCount = count;
    // Each phase is a function with one loop, which the JIT optimises on its own.
    const seg = (this.seg = segmentArray(nodeX, nodeY, segA, segB));
    const [w, s, e, n] = count === 0 ? [0, 0, 0, 0] : extent(seg);
    const width = e - w;
    const height = n - s;
    const cell = Math.max(
      CELL_PER_MEDIAN * medianLength(seg, count),
      Math.sqrt((width * height) / (MAX_CELLS_PER_SEGMENT * Math.max(1, count))),
      Math.max(width, height) / 65_536,
      1e-6,
    );
    this.x0 = w;
    this.y0 = s;
    this.cell = cell;
    this.nx = Math.floor(width / cell) + 1;
    this.ny = Math.floor(height / cell) + 1;

    const cellCount = this.nx * this.ny;
    const start = new Int32Array(cellCount + 1);
    this.#coverAll(start, null);
    prefixSum(start);
    const cellSegments = new Int32Array(start[cellCount]!);
    this.#coverAll(start.slice(0, cellCount), cellSegments);
    this.cellStart = start;
    this.cellSegments = cellSegments;
  }

  #coverAll(at: Int32Array, into: Int32Array | null): void {
    for (let k = 0; k < this.segmentCount; k++) this.#cover(k, at, into);
  }

  /**
   * Every cell segment k passes through (a column at a time, with the segment's y-span inside the column):
   * counted into `at[c + 1]` when `into` is null, else written to `into[at[c]++]`.
   */
  #cover(k: number, at: Int32Array, into: Int32Array | null): void {
    const { seg, x0, y0, cell, nx, ny } = this;
    const slack = cell * EDGE_SLACK;
    // From its west end to its east end.
    const flip = seg[4 * k + 2]! < 0;
    const xa = flip ? seg[4 * k]! + seg[4 * k + 2]! : seg[4 * k]!;
    const ya = flip ? seg[4 * k + 1]! + seg[4 * k + 3]! : seg[4 * k + 1]!;
    const xb = flip ? seg[4 * k]! : seg[4 * k]! + seg[4 * k + 2]!;
    const yb = flip ? seg[4 * k + 1]! : seg[4 * k + 1]! + seg[4 * k + 3]!;
    const i0 = clampCell((xa - slack - x0) / cell, nx);
    const i1 = clampCell((xb + slack - x0) / cell, nx);
    const slope = xb > xa ? (yb - ya) / (xb - xa) : 0;
    for (let i = i0; i <= i1; i++) {
      let yLo = Math.min(ya, yb);
      let yHi = Math.max(ya, yb);
      if (i0 !== i1 && xb > xa) {
        const y1 = ya + (Math.max(xa, x0 + i * cell - slack) - xa) * slope;
        const y2 = ya + (Math.min(xb, x0 + (i + 1) * cell + slack) - xa) * slope;
        yLo = Math.max(yLo, Math.min(y1, y2));
        yHi = Math.min(yHi, Math.max(y1, y2));
      }
      const j0 = clampCell((yLo - slack - y0) / cell, ny);
      const j1 = clampCell((yHi + slack - y0) / cell, ny);
      for (let j = j0; j <= j1; j++) {
        const c = j * nx + i;
        if (into) into[at[c]!++] = k;
        else at[c + 1]!++;
      }
    }
  }

  /**
   * The nearest segment to (x, y) within maxMetres (Infinity: no limit), or -1. Ties go to the lowest segment
   * index, so the answer does not depend on the grid. The distance is the one a plain scan computes.
   */
  nearest(x: number, y: number, maxMetres: number): number {
    this.segment = -1;
    this.along = 0;
    this.distance = Infinity;
    if (this.segmentCount === 0 || !Number.isFinite(x) || !Number.isFinite(y) || !(maxMetres >= 0)) return -1;
    const { seg, x0, y0, cell, nx, ny, cellStart, cellSegments } = this;
    const cell2 = cell * cell;
    const gx = (x - x0) / cell;
    const gy = (y - y0) / cell;
    // So far off that ring numbers would leave int32: a plain scan.
    if (Math.abs(gx) > 2 ** 29 || Math.abs(gy) > 2 ** 29) return this.#scan(x, y, maxMetres);
    // Small integers from here on (|gx|, |gy| ≤ 2²⁹, the grid ≤ 2¹⁶ a side), which the JIT keeps in int32.
    const px = Math.floor(gx) | 0;
    const py = Math.floor(gy) | 0;
    // A cell r rings out is at least (r − 1) cells plus the point's gap to its own cell's edge away.
    const gap = Math.max(0, Math.min(gx - px, px + 1 - gx, gy - py, py + 1 - gy) * cell * (1 - 1e-9) - cell * EDGE_SLACK);
    const lastRing = Math.max(px, nx - 1 - px, py, ny - 1 - py);
    // A hair above the reach, so squared distances never reject what the exact check below accepts.
    let best2 = maxMetres * maxMetres * (1 + 1e-12);
    let best = -1;
    let bestT = 0;
    for (let r = Math.max(0, -px, px - nx + 1, -py, py - ny + 1) | 0; r <= lastRing; r++) {
      const bound = r === 0 ? 0 : (r - 1) * cell + gap;
      if (bound * bound > best2) break;
      const jLo = Math.max(0, py - r);
      const jHi = Math.min(ny - 1, py + r);
      for (let j = jLo; j <= jHi; j++) {
        const edgeRow = j === py - r || j === py + r;
        const iLo = Math.max(0, px - r);
        const iHi = Math.min(nx - 1, px + r);
        // Inside the ring only its two side columns are new; on its top and bottom rows every column is.
        const step = edgeRow ? 1 : 2 * r;
        // The cell's gap to the point in y, in cells, shaved a hair so rounding never skips a cell it must not.
        const fy = gy - j;
        const cy = Math.max(0, (fy < 0 ? -fy : fy - 1) - 1e-9);
        for (let i = edgeRow ? iLo : px - r; i <= iHi; i += step) {
          if (i < 0) continue;
          const fx = gx - i;
          const cx = Math.max(0, (fx < 0 ? -fx : fx - 1) - 1e-9);
          if ((cx * cx + cy * cy) * cell2 > best2) continue;
          const c = j * nx + i;
          for (let q = cellStart[c]!, qEnd = cellStart[c + 1]!; q < qEnd; q++) {
            const s = cellSegments[q]!;
            const ax = seg[4 * s]!;
            const ay = seg[4 * s + 1]!;
            const dx = seg[4 * s + 2]!;
            const dy = seg[4 * s + 3]!;
            const lengthSq = dx * dx + dy * dy;
            const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSq));
            const ex = ax + t * dx - x;
            const ey = ay + t * dy - y;
            const d2 = ex * ex + ey * ey;
            if (d2 < best2 || (d2 === best2 && (best < 0 || s < best))) {
              best2 = d2;
              best = s;
              bestT = t;
            }
          }
        }
      }
    }
    return this.#answer(best, bestT, x, y, maxMetres);
  }

  /** Every segment, for a point too far off for rings. */
  #scan(x: number, y: number, maxMetres: number): number {
    const seg = this.seg;
    let best2 = maxMetres * maxMetres * (1 + 1e-12);
    let best = -1;
    let bestT = 0;
    for (let s = 0; s < this.segmentCount; s++) {
      const ax = seg[4 * s]!;
      const ay = seg[4 * s + 1]!;
      const dx = seg[4 * s + 2]!;
      const dy = seg[4 * s + 3]!;
      const lengthSq = dx * dx + dy * dy;
      const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSq));
      const ex = ax + t * dx - x;
      const ey = ay + t * dy - y;
      const d2 = ex * ex + ey * ey;
      // (Beyond 1e154 m squares overflow: then any segment will do, all being as near to the float.)
      if (d2 < best2 || (best < 0 && d2 === Infinity && best2 === Infinity)) {
        best2 = d2;
        best = s;
        bestT = t;
      }
    }
    return this.#answer(best, bestT, x, y, maxMetres);
  }

  /** Records the best segment with its exact distance (the one a plain scan computes), if within reach. */
  #answer(best: number, bestT: number, x: number, y: number, maxMetres: number): number {
    if (best < 0) return -1;
    const seg = this.seg;
    const ex = seg[4 * best]! + bestT * seg[4 * best + 2]! - x;
    const ey = seg[4 * best + 1]! + bestT * seg[4 * best + 3]! - y;
    const d2 = ex * ex + ey * ey;
    const d = d2 < Infinity ? Math.sqrt(d2) : Math.hypot(ex, ey);
    if (!(d <= maxMetres)) return -1;
    this.segment = best;
    this.along = bestT;
    this.distance = d;
    return best;
  }

  /** The cell a point falls in (clamped to the grid), for visiting points in an order that stays in cache. */
  cellOf(x: number, y: number): number {
    return clampCell((y - this.y0) / this.cell, this.ny) * this.nx + clampCell((x - this.x0) / this.cell, this.nx);
  }
}

/** Each segment's start and run, (ax, ay, bx − ax, by − ay). */
function segmentArray(nodeX: ArrayLike<number>, nodeY: ArrayLike<number>, segA: ArrayLike<number>, segB: ArrayLike<number>): Float64Array {
  const seg = new Float64Array(4 * segA.length);
  for (let k = 0; k < segA.length; k++) {
    const ax = nodeX[segA[k]!]!;
    const ay = nodeY[segA[k]!]!;
    seg[4 * k] = ax;
    seg[4 * k + 1] = ay;
    seg[4 * k + 2] = nodeX[segB[k]!]! - ax;
    seg[4 * k + 3] = nodeY[segB[k]!]! - ay;
  }
  return seg;
}

/** West, south, east, north of every segment end. */
function extent(seg: Float64Array): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let k = 0; k < seg.length; k += 4) {
    const ax = seg[k]!;
    const ay = seg[k + 1]!;
    const bx = ax + seg[k + 2]!;
    const by = ay + seg[k + 3]!;
    if (ax < w) w = ax;
    if (bx < w) w = bx;
    if (ax > e) e = ax;
    if (bx > e) e = bx;
    if (ay < s) s = ay;
    if (by < s) s = by;
    if (ay > n) n = ay;
    if (by > n) n = by;
  }
  return [w, s, e, n];
}

/** Counts at [c + 1] → starts at [c]. */
function prefixSum(start: Int32Array): void {
  for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!;
}

function clampCell(g: number, n: number): number {
  return g >= n ? n - 1 : g >= 0 ? Math.floor(g) : 0;
}

/** The median segment length, from a sample (a cell size needs no more). */
function medianLength(seg: Float64Array, count: number): number {
  if (count === 0) return 0;
  const sample = new Float64Array(Math.min(count, 4096));
  const stride = count / sample.length;
  for (let k = 0; k < sample.length; k++) {
    const s = Math.floor(k * stride);
    sample[k] = Math.hypot(seg[4 * s + 2]!, seg[4 * s + 3]!);
  }
  sample.sort();
  return sample[sample.length >> 1]!;
}
