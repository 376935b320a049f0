/**
 * The straight-line part of a full recompute: for every facility of a tier, the points of the grid within reach
 * get the minutes to the nearest one. Facility-major over a counting-sort grid; the hot loop of buffer mode.
 */
import type { GridIndex } from '../spatial/grid-index';
import { straightMinutes } from '../travel/minutes';

/** A tier's facilities as the scan reads them: coordinates and slots in a spatial order. */
export interface ScanSites {
  x: Float64Array;
  y: Float64Array;
  slot: Int32Array;
}

/**
 * The sites in an order where consecutive ones are near each other (serpentine rows of `block` metres): each
 * reaches nearly the same points as the last, whose minutes are then still in the cache. At 3 million points
 * and 20,000 facilities that halves the scan.
 */
export function scanSites(sites: readonly { x: number; y: number; slot: number }[], block: number): ScanSites {
  const key = (s: { x: number; y: number }): [number, number] => {
    const row = Math.floor(s.y / block);
    const column = Math.floor(s.x / block);
    return [row, row & 1 ? -column : column];
  };
  const keyed = sites.map((s, i) => ({ s, k: key(s), i }));
  // Ties by input order, so the scan (and with it which of two equally near facilities is named) is deterministic.
  keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i);
  return {
    x: Float64Array.from(keyed, (e) => e.s.x),
    y: Float64Array.from(keyed, (e) => e.s.y),
    slot: Int32Array.from(keyed, (e) => e.s.slot),
  };
}

/**
 * Lowers time[i] (and sets label[i] to the site's slot) for every point within `radius` metres of a site when
 * the straight-line minutes at `pace` are fewer and at most `limit`. Squared distances; a square root only on
 * the points within the circle.
 */
export function scanStraight(
  grid: GridIndex,
  sites: ScanSites,
  radius: number,
  pace: number,
  limit: number,
  time: Float32Array,
  label: Int32Array,
): void {
  const { start, order, sx, sy, nx, ny, cell, minX, minY } = grid;
  const r2 = radius * radius;
  for (let j = 0; j < sites.slot.length; j++) {
    const fx = sites.x[j]!;
    const fy = sites.y[j]!;
    const slot = sites.slot[j]!;
    const cx0 = Math.max(0, Math.floor((fx - radius - minX) / cell));
    const cx1 = Math.min(nx - 1, Math.floor((fx + radius - minX) / cell));
    const cy0 = Math.max(0, Math.floor((fy - radius - minY) / cell));
    const cy1 = Math.min(ny - 1, Math.floor((fy + radius - minY) / cell));
    for (let cy = cy0; cy <= cy1; cy++) {
      // The cells of one row are contiguous in the sorted arrays: one run from the first to the last.
      const to = start[cy * nx + cx1 + 1]!;
      for (let k = start[cy * nx + cx0]!; k < to; k++) {
        const dx = sx[k]! - fx;
        const dy = sy[k]! - fy;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        const i = order[k]!;
        const minutes = straightMinutes(Math.sqrt(d2), pace);
        if (minutes < time[i]! && minutes <= limit) {
          time[i] = minutes;
          label[i] = slot;
        }
      }
    }
  }
}

/** The sites in a uniform grid (CSR), for "the nearest site to this point" by rings of cells. */
export class SiteGrid {
  readonly cell: number;
  readonly minX: number;
  readonly minY: number;
  readonly nx: number;
  readonly ny: number;
  readonly start: Int32Array;
  readonly members: Int32Array;

  constructor(
    readonly sites: ScanSites,
    cell: number,
  ) {
    const n = sites.slot.length;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let j = 0; j < n; j++) {
      minX = Math.min(minX, sites.x[j]!);
      maxX = Math.max(maxX, sites.x[j]!);
      minY = Math.min(minY, sites.y[j]!);
      maxY = Math.max(maxY, sites.y[j]!);
    }
    if (n === 0) [minX, minY, maxX, maxY] = [0, 0, 0, 0];
    // About one site per cell, so a ring search meets a site within a ring or two.
    this.cell = Math.max(cell, Math.sqrt(((maxX - minX + 1) * (maxY - minY + 1)) / Math.max(1, n)));
    this.minX = minX;
    this.minY = minY;
    this.nx = Math.floor((maxX - minX) / this.cell) + 1;
    this.ny = Math.floor((maxY - minY) / this.cell) + 1;
    const cellOf = (j: number) => Math.floor((sites.y[j]! - minY) / this.cell) * this.nx + Math.floor((sites.x[j]! - minX) / this.cell);
    this.start = new Int32Array(this.nx * this.ny + 1);
    for (let j = 0; j < n; j++) this.start[cellOf(j) + 1]!++;
    for (let c = 0; c < this.nx * this.ny; c++) this.start[c + 1]! += this.start[c]!;
    const fill = this.start.slice(0, -1);
    this.members = new Int32Array(n);
    for (let j = 0; j < n; j++) this.members[fill[cellOf(j)]!++] = j;
  }

  /** The nearest site within `within` metres of (x, y) as an index into the sites (-1: none); its squared distance in `out[0]`. */
  nearest(x: number, y: number, within: number, out: Float64Array): number {
    const { cell, nx, ny, start, members, sites, minX, minY } = this;
    // The point's cell, clamped: a point outside the sites' box starts from the nearest edge cell.
    const px = Math.min(nx - 1, Math.max(0, Math.floor((x - minX) / cell)));
    const py = Math.min(ny - 1, Math.max(0, Math.floor((y - minY) / cell)));
    let best = -1;
    let bestD2 = within * within;
    for (let ring = 0; ring <= Math.max(nx, ny); ring++) {
      // Every cell of this ring lies outside the square of the rings before it: the point's distance to that
      // square's edge bounds how near a site of this ring can be.
      if (ring > 0) {
        const left = x - (minX + (px - ring + 1) * cell);
        const right = minX + (px + ring) * cell - x;
        const bottom = y - (minY + (py - ring + 1) * cell);
        const top = minY + (py + ring) * cell - y;
        const bound = Math.max(0, Math.min(left, right, bottom, top));
        if (bound * bound > bestD2) break;
      }
      for (let cy = py - ring; cy <= py + ring; cy++) {
        if (cy < 0 || cy >= ny) continue;
        const edgeRow = cy === py - ring || cy === py + ring;
        const step = edgeRow || ring === 0 ? 1 : 2 * ring;
        for (let cx = px - ring; cx <= px + ring; cx += step) {
          if (cx < 0 || cx >= nx) continue;
          for (let k = start[cy * nx + cx]!, end = start[cy * nx + cx + 1]!; k < end; k++) {
            const j = members[k]!;
            const dx = sites.x[j]! - x;
            const dy = sites.y[j]! - y;
            const d2 = dx * dx + dy * dy;
            if (d2 < bestD2 || (best < 0 && d2 === bestD2)) {
              best = j;
              bestD2 = d2;
            }
          }
        }
      }
    }
    out[0] = bestD2;
    return best;
  }
}

/**
 * Minutes to the nearest site, within `far` metres, for the points the scan left at Infinity (no site within
 * its radius): with a horizon much wider than the thresholds, scanning every site's whole horizon circle would
 * visit each point dozens of times, while only the points beyond every near circle need the far answer.
 */
export function reachBeyond(
  x: Float64Array,
  y: Float64Array,
  sites: ScanSites,
  near: number,
  far: number,
  pace: number,
  limit: number,
  time: Float32Array,
  label: Int32Array,
): void {
  if (sites.slot.length === 0 || far <= near) return;
  const grid = new SiteGrid(sites, 100);
  const out = new Float64Array(1);
  for (let i = 0; i < time.length; i++) {
    if (time[i] !== Infinity || !Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    const j = grid.nearest(x[i]!, y[i]!, far, out);
    if (j < 0) continue;
    const minutes = straightMinutes(Math.sqrt(out[0]!), pace);
    if (minutes <= limit) {
      time[i] = minutes;
      label[i] = sites.slot[j]!;
    }
  }
}

/**
 * How far the scan reaches before the nearest-site lookup takes over: at least `near` (the thresholds must be
 * scanned), at most `far`, and otherwise the radius at which the sites' circles cover the area about four times
 * over (then some 98 % of places are within one of them, and the lookup is left only the few beyond). Scanning
 * every site's whole horizon instead would visit each place dozens of times on a dense tier.
 */
export function scanRadius(sites: ScanSites, near: number, far: number, area: number): number {
  const overlapping = Math.sqrt((4 * area) / (Math.PI * Math.max(1, sites.slot.length)));
  return Math.min(far, Math.max(near, overlapping));
}
