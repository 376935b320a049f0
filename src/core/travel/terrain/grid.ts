/**
 * The terrain raster's geometry: square cells in the engine's local metres (src/core/geo/local-projection.ts)
 * round the county, row 0 at the south, column 0 at the west; cell k = row × nx + column. Every terrain layer (the
 * elevation, water barriers, land cover) is resampled onto one such grid, so the search reads them by cell index.
 */
import type { LocalProjection } from '../../geo/local-projection';

export interface TerrainGrid {
  /** South-west corner of cell 0 in local metres. */
  readonly x0: number;
  readonly y0: number;
  /** Cell side in metres. */
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
}

/** Cell sides a planner may choose from, in metres (the default is 100). */
export const CELL_SIDES = [30, 50, 100, 200, 250, 500] as const;
export const DEFAULT_CELL_METRES = 100;

/** The grid covering a box in local metres (grown by `margin` on every side) at `cell` metres. */
export function gridOver(box: { minX: number; minY: number; maxX: number; maxY: number }, cell: number, margin = 0): TerrainGrid {
  const x0 = Math.floor((box.minX - margin) / cell) * cell;
  const y0 = Math.floor((box.minY - margin) / cell) * cell;
  const nx = Math.max(1, Math.ceil((box.maxX + margin - x0) / cell));
  const ny = Math.max(1, Math.ceil((box.maxY + margin - y0) / cell));
  return { x0, y0, cell, nx, ny };
}

/** The grid round a lon/lat bounding box, through the engine's projection (all four corners and edge midpoints). */
export function gridAroundLonLat(
  bbox: readonly [number, number, number, number],
  projection: LocalProjection,
  cell: number,
  margin = 0,
): TerrainGrid {
  const [w, s, e, n] = bbox;
  const mx = (w + e) / 2;
  const my = (s + n) / 2;
  const corners = [
    [w, s],
    [e, s],
    [w, n],
    [e, n],
    [mx, s],
    [mx, n],
    [w, my],
    [e, my],
  ].map(([lon, lat]) => projection.forward(lon!, lat!));
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return gridOver({ minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) }, cell, margin);
}

export const cellCount = (grid: TerrainGrid): number => grid.nx * grid.ny;

/** The cell holding (x, y) in local metres, or -1 outside the grid. */
export function cellAt(grid: TerrainGrid, x: number, y: number): number {
  const c = Math.floor((x - grid.x0) / grid.cell);
  const r = Math.floor((y - grid.y0) / grid.cell);
  if (!(c >= 0 && c < grid.nx && r >= 0 && r < grid.ny)) return -1;
  return r * grid.nx + c;
}

/** Local metres of cell k's centre. */
export function cellCentre(grid: TerrainGrid, k: number): [number, number] {
  const r = Math.floor(k / grid.nx);
  const c = k - r * grid.nx;
  return [grid.x0 + (c + 0.5) * grid.cell, grid.y0 + (r + 0.5) * grid.cell];
}

/**
 * Bytes a terrain run at this grid needs, stated before it runs: per cell the elevation (4), water and domain marks
 * (2), the flat pace (4), pace and elevation interleaved for the search (8), the road-link mark and offsets (5),
 * the points' cell index (4), and per field (one per tier) minutes and label (8). Measured at 30 m on 山丹
 * (13.9 M cells, three fields): 47 bytes a cell held against 51 stated.
 */
export const gridBytes = (grid: TerrainGrid, fields = 3): number => cellCount(grid) * (27 + 8 * fields);

/** Metres above sea level at (x, y), bilinear between the cells' centres (the known ones); NaN where none is known. */
export function heightAt(grid: TerrainGrid, elevation: Float32Array, x: number, y: number): number {
  const fx = Math.min(grid.nx - 1, Math.max(0, (x - grid.x0) / grid.cell - 0.5));
  const fy = Math.min(grid.ny - 1, Math.max(0, (y - grid.y0) / grid.cell - 0.5));
  const c0 = Math.floor(fx);
  const r0 = Math.floor(fy);
  const c1 = Math.min(grid.nx - 1, c0 + 1);
  const r1 = Math.min(grid.ny - 1, r0 + 1);
  const wx = fx - c0;
  const wy = fy - r0;
  // The four centres round (x, y), each weighted if its height is known.
  let sum = 0;
  let weight = 0;
  const add = (k: number, w: number): void => {
    const h = elevation[k]!;
    if (h === h && w > 0) {
      sum += w * h;
      weight += w;
    }
  };
  add(r0 * grid.nx + c0, (1 - wx) * (1 - wy));
  add(r0 * grid.nx + c1, wx * (1 - wy));
  add(r1 * grid.nx + c0, (1 - wx) * wy);
  add(r1 * grid.nx + c1, wx * wy);
  return weight > 0 ? sum / weight : NaN;
}
