/**
 * The nearest of a set of sites to any query point, in a straight line: a uniform grid over the sites
 * (about one per cell) searched ring by ring outwards until no unvisited cell can hold a nearer site.
 * Exact, with the access tie rule: distances within `tolerance` of each other are a tie, and the site with
 * the smaller index (= smaller id) wins. Used for buffer-mode nearest facilities, the straight walk of
 * network mode, and straight-line referral.
 */
export class SiteGrid {
  readonly #cell: number;
  readonly #minX: number;
  readonly #minY: number;
  readonly #nx: number;
  readonly #ny: number;
  readonly #start: Int32Array;
  readonly #site: Int32Array;
  readonly #sx: Float64Array;
  readonly #sy: Float64Array;
  /** Metres to the site the last nearest() call returned. */
  metres = Infinity;

  /** `members`: the site indices to search among; x/y are indexed by site index. */
  constructor(x: ArrayLike<number>, y: ArrayLike<number>, members: ArrayLike<number>) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let k = 0; k < members.length; k++) {
      const s = members[k]!;
      minX = Math.min(minX, x[s]!);
      maxX = Math.max(maxX, x[s]!);
      minY = Math.min(minY, y[s]!);
      maxY = Math.max(maxY, y[s]!);
    }
    if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, 0, 0];
    const area = Math.max(1, (maxX - minX) * (maxY - minY));
    this.#cell = Math.max(1, Math.sqrt(area / Math.max(1, members.length)), (maxX - minX) / 2048, (maxY - minY) / 2048);
    this.#minX = minX;
    this.#minY = minY;
    this.#nx = Math.floor((maxX - minX) / this.#cell) + 1;
    this.#ny = Math.floor((maxY - minY) / this.#cell) + 1;
    const cells = this.#nx * this.#ny;
    const cellOf = new Int32Array(members.length);
    const start = new Int32Array(cells + 1);
    for (let k = 0; k < members.length; k++) {
      const s = members[k]!;
      const c = this.#cellIndex(this.#col(x[s]!), this.#row(y[s]!));
      cellOf[k] = c;
      start[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, cells);
    this.#start = start;
    this.#site = new Int32Array(members.length);
    this.#sx = new Float64Array(members.length);
    this.#sy = new Float64Array(members.length);
    for (let k = 0; k < members.length; k++) {
      const at = fill[cellOf[k]!]!++;
      const s = members[k]!;
      this.#site[at] = s;
      this.#sx[at] = x[s]!;
      this.#sy[at] = y[s]!;
    }
  }

  #col(x: number): number {
    return Math.min(this.#nx - 1, Math.max(0, Math.floor((x - this.#minX) / this.#cell)));
  }

  #row(y: number): number {
    return Math.min(this.#ny - 1, Math.max(0, Math.floor((y - this.#minY) / this.#cell)));
  }

  #cellIndex(cx: number, cy: number): number {
    return cy * this.#nx + cx;
  }

  /**
   * The nearest site within `maxMetres` of (x, y) (inclusive), or -1; its distance is left in `metres`.
   * Distances within `tolerance` metres of the best are ties, won by the smaller site index.
   */
  nearest(x: number, y: number, maxMetres = Infinity, tolerance = 0): number {
    this.#best = Infinity;
    this.#bestSite = -1;
    if (this.#site.length === 0 || !Number.isFinite(x) || !Number.isFinite(y)) {
      this.metres = Infinity;
      return -1;
    }
    const qx = this.#col(x);
    const qy = this.#row(y);
    const rings = Math.max(this.#nx, this.#ny);
    const limit = maxMetres + tolerance;
    for (let r = 0; r <= rings; r++) {
      // Every cell of ring r is at least (r − 1) cells away from the query on one axis.
      const bound = (r - 1) * this.#cell;
      if (bound > limit || bound > this.#best + tolerance) break;
      const x0 = qx - r;
      const x1 = qx + r;
      const y0 = qy - r;
      const y1 = qy + r;
      for (let cy = Math.max(0, y0); cy <= Math.min(this.#ny - 1, y1); cy++) {
        if (cy === y0 || cy === y1) {
          for (let cx = Math.max(0, x0); cx <= Math.min(this.#nx - 1, x1); cx++)
            this.#visit(this.#cellIndex(cx, cy), x, y, limit, tolerance);
        } else {
          if (x0 >= 0) this.#visit(this.#cellIndex(x0, cy), x, y, limit, tolerance);
          if (x1 < this.#nx && x1 !== x0) this.#visit(this.#cellIndex(x1, cy), x, y, limit, tolerance);
        }
      }
    }
    this.metres = this.#best;
    return this.#bestSite;
  }

  #best = Infinity;
  #bestSite = -1;

  /** Offers the sites of one cell to the running best (a method, not a closure: this runs per query). */
  #visit(c: number, x: number, y: number, limit: number, tolerance: number): void {
    for (let k = this.#start[c]!, end = this.#start[c + 1]!; k < end; k++) {
      const d = Math.hypot(this.#sx[k]! - x, this.#sy[k]! - y);
      if (d > limit) continue;
      const s = this.#site[k]!;
      if (d < this.#best - tolerance || (d <= this.#best + tolerance && s < this.#bestSite)) {
        if (d < this.#best) this.#best = d;
        this.#bestSite = s;
      } else if (d < this.#best) this.#best = d;
    }
  }
}
