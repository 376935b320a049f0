/**
 * Water that a person on foot cannot cross, burnt onto the terrain grid (grid.ts): rivers and canals as lines,
 * lakes, reservoirs and riverbanks as polygons. A bridge needs nothing here: roads are their own graph, and a
 * road crossing a river is how the search crosses it.
 *
 * Lines are drawn as a supercover (every cell the segment passes through, both cells where it passes exactly
 * through a corner), so a river's cells are 4-connected and a diagonal step of the 8-neighbour search cannot slip
 * between two of them. A polygon marks every cell whose centre is inside (holes, the islands, stay land) and
 * every cell its outline passes through, so a lake narrower than a cell is not missed: together, every cell the
 * polygon touches. Polygons are filled by scanlines (crossings per row of cell centres, even–odd), not by a
 * point-in-polygon test per cell: the work grows with vertices × rows crossed, not with the grid's area.
 */
import type { Feature, Geometry, Position } from 'geojson';
import type { LocalProjection } from '../../geo/local-projection';
import type { TerrainGrid } from './grid';
import { ringCrossesItself } from './ring-crossing';

type BarrierSkip = 'no_geometry' | 'not_water_geometry' | 'bad_coordinate';

export interface BarrierFacts {
  /** Features given. */
  features: number;
  /** Line parts drawn (each LineString, each part of a MultiLineString). */
  lines: number;
  /** Polygon parts drawn (each Polygon, each part of a MultiPolygon). */
  polygons: number;
  /** Water cells in the grid. */
  cells: number;
  /** Features left out, by their index in the input. */
  skipped: { feature: number; reason: BarrierSkip }[];
  /**
   * Areas drawn whose outline crosses itself (a bow-tie: an invalid polygon; ring-crossing.ts), by index in the
   * input. They are filled even–odd, as GDAL's rasterize fills them, so a lobe may be left dry: the planner is told
   * to repair them.
   */
  crossing: number[];
  /** Areas whose outline was too large to check for crossings within the check's budget (ring-crossing.ts), by index. */
  unchecked: number[];
}

export interface Barriers {
  /** 1 = water cell, by cell index (row × nx + column, row 0 south); length nx × ny. */
  impassable: Uint8Array;
  facts: BarrierFacts;
}

/** waterway values a walker cannot cross, as lines (or areas when closed: riverbank, dock). */
const BARRIER_WATERWAYS = new Set(['river', 'canal', 'riverbank', 'dock']);
const WATER_LANDUSE = new Set(['reservoir', 'basin']);
/** Keys that say a feature carries OpenStreetMap tags (as this reader, GDAL's OSM driver or an export writes them). */
const OSM_KEYS = ['waterway', 'natural', 'landuse', 'water', 'osm_id', 'osm_way_id', 'other_tags'];

/** A tag's value from the properties, or from GDAL's hstore-like `other_tags` ("k"=>"v",…). */
function tag(properties: Record<string, unknown>, key: string): string | undefined {
  const direct = properties[key];
  if (typeof direct === 'string' && direct !== '') return direct;
  const other = properties.other_tags;
  if (typeof other !== 'string') return undefined;
  const m = new RegExp(`"${key}"=>"((?:[^"\\\\]|\\\\.)*)"`).exec(other);
  return m ? (m[1] as string).replace(/\\(.)/g, '$1') : undefined;
}

/**
 * Whether OpenStreetMap tags make a feature a water barrier: true for water (waterway=river|canal|riverbank|dock,
 * natural=water, landuse=reservoir|basin, any water=*), false for tags of anything else, undefined when the
 * feature has none of those tags. The one rule the OSM reader and the rasteriser share.
 *
 * waterway=stream|ditch|drain are not barriers: OSM defines a stream as too narrow to be a river (one a person
 * can step or wade across) and ditches and drains as small dug channels; rural China is laced with irrigation
 * ditches, and walling each one would shut every field into its own cell. A planner who knows a stream that
 * cannot be forded adds it to their own water layer.
 */
export function waterTagVerdict(properties: Record<string, unknown>): boolean | undefined {
  if (tag(properties, 'natural') === 'water') return true;
  if (WATER_LANDUSE.has(tag(properties, 'landuse') ?? '')) return true;
  if (tag(properties, 'water') !== undefined) return true;
  const waterway = tag(properties, 'waterway');
  if (waterway !== undefined) return BARRIER_WATERWAYS.has(waterway);
  const tagged = OSM_KEYS.some((k) => properties[k] !== undefined && properties[k] !== null && properties[k] !== '');
  return tagged ? false : undefined;
}

/**
 * Which features of a water layer are barriers: OSM water as waterTagVerdict says; a feature without OSM tags
 * (a planner's own water layer, whatever its attributes) is one.
 */
export function isWaterBarrier(properties: Record<string, unknown> | null): boolean {
  if (!properties) return true;
  return waterTagVerdict(properties) ?? true;
}

/** A projected ring or line in grid units: u = columns east of x0, v = rows north of y0; [u0, v0, u1, v1, …]. */
export type Path = Float64Array;

interface Parts {
  lines: Path[];
  polygons: Path[][];
}

class BadCoordinate extends Error {}

/**
 * Burns every given feature onto the grid. It does not choose: pass the features isWaterBarrier accepts. Points
 * are skipped (a well or a spring is no barrier), and so is a feature with a coordinate that is not a longitude
 * and latitude (it is left out whole, not drawn in part).
 */
export function rasterizeBarriers(features: readonly Feature<Geometry | null>[], grid: TerrainGrid, projection: LocalProjection): Barriers {
  const impassable = new Uint8Array(grid.nx * grid.ny);
  const facts: BarrierFacts = { features: features.length, lines: 0, polygons: 0, cells: 0, skipped: [], crossing: [], unchecked: [] };
  const toPath = (positions: readonly Position[], ring: boolean): Path => {
    // A ring's closing vertex is dropped: the edge back to the first is implied.
    const n =
      ring && positions.length > 1 && samePosition(positions[0]!, positions[positions.length - 1]!)
        ? positions.length - 1
        : positions.length;
    const path = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p = positions[i]!;
      const lon = p[0];
      const lat = p[1];
      if (!(typeof lon === 'number' && typeof lat === 'number' && Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) throw new BadCoordinate();
      const [x, y] = projection.forward(lon, lat);
      path[2 * i] = (x - grid.x0) / grid.cell;
      path[2 * i + 1] = (y - grid.y0) / grid.cell;
    }
    return path;
  };
  const collect = (geometry: Geometry, parts: Parts): void => {
    switch (geometry.type) {
      case 'LineString':
        if (geometry.coordinates.length > 0) parts.lines.push(toPath(geometry.coordinates, false));
        break;
      case 'MultiLineString':
        for (const line of geometry.coordinates) if (line.length > 0) parts.lines.push(toPath(line, false));
        break;
      case 'Polygon':
        if (geometry.coordinates[0]?.length)
          parts.polygons.push(geometry.coordinates.filter((r) => r.length > 0).map((r) => toPath(r, true)));
        break;
      case 'MultiPolygon':
        for (const polygon of geometry.coordinates)
          if (polygon[0]?.length) parts.polygons.push(polygon.filter((r) => r.length > 0).map((r) => toPath(r, true)));
        break;
      case 'GeometryCollection':
        for (const member of geometry.geometries) collect(member, parts);
        break;
      default: // Point, MultiPoint
        break;
    }
  };

  features.forEach((feature, index) => {
    const geometry = feature.geometry;
    if (!geometry) return void facts.skipped.push({ feature: index, reason: 'no_geometry' });
    const parts: Parts = { lines: [], polygons: [] };
    try {
      collect(geometry, parts);
    } catch (error) {
      if (!(error instanceof BadCoordinate)) throw error;
      return void facts.skipped.push({ feature: index, reason: 'bad_coordinate' });
    }
    if (parts.lines.length + parts.polygons.length === 0) {
      const empty = geometry.type !== 'Point' && geometry.type !== 'MultiPoint' && geometry.type !== 'GeometryCollection';
      return void facts.skipped.push({ feature: index, reason: empty ? 'no_geometry' : 'not_water_geometry' });
    }
    const checks = parts.polygons.flatMap((rings) => rings.map((ring) => ringCrossesItself(ring)));
    if (checks.includes(true)) facts.crossing.push(index);
    else if (checks.includes(null)) facts.unchecked.push(index);
    for (const line of parts.lines) drawPath(line, false, grid, impassable);
    for (const rings of parts.polygons) {
      fillCentres(rings, grid, impassable);
      for (const ring of rings) drawPath(ring, true, grid, impassable);
    }
    facts.lines += parts.lines.length;
    facts.polygons += parts.polygons.length;
  });
  for (let k = 0; k < impassable.length; k++) facts.cells += impassable[k]!;
  return { impassable, facts };
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Every segment of a path (and, for a ring, the edge back to its start) as a supercover; a lone vertex marks its cell. */
function drawPath(path: Path, ring: boolean, grid: TerrainGrid, out: Uint8Array): void {
  const n = path.length / 2;
  if (n === 1) return void supercover(path[0]!, path[1]!, path[0]!, path[1]!, grid, out);
  for (let i = 0; i + 1 < n; i++) supercover(path[2 * i]!, path[2 * i + 1]!, path[2 * i + 2]!, path[2 * i + 3]!, grid, out);
  if (ring && n > 2) supercover(path[2 * n - 2]!, path[2 * n - 1]!, path[0]!, path[1]!, grid, out);
}

/**
 * Marks every cell the segment (u0, v0)–(u1, v1) in grid units passes through (Amanatides & Woo's traversal,
 * clipped to the grid first); through a corner exactly, both cells beside it.
 */
function supercover(u0: number, v0: number, u1: number, v1: number, grid: TerrainGrid, out: Uint8Array): void {
  const { nx, ny } = grid;
  // Liang–Barsky clip to [0, nx] × [0, ny].
  const du = u1 - u0;
  const dv = v1 - v0;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-du, u0],
    [du, nx - u0],
    [-dv, v0],
    [dv, ny - v0],
  ] as const) {
    if (p === 0) {
      if (q < 0) return;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return;
        if (t < t1) t1 = t;
      }
    }
  }
  const a = u0 + t0 * du;
  const b = v0 + t0 * dv;
  const cellOf = (x: number, size: number): number => Math.min(size - 1, Math.max(0, Math.floor(x)));
  let c = cellOf(a, nx);
  let r = cellOf(b, ny);
  const cEnd = cellOf(u0 + t1 * du, nx);
  const rEnd = cellOf(v0 + t1 * dv, ny);
  out[r * nx + c] = 1;
  const stepC = du > 0 ? 1 : du < 0 ? -1 : 0;
  const stepR = dv > 0 ? 1 : dv < 0 ? -1 : 0;
  // Parameter t (along the whole segment) at which the next column or row boundary is crossed.
  const deltaC = stepC === 0 ? Infinity : 1 / Math.abs(du);
  const deltaR = stepR === 0 ? Infinity : 1 / Math.abs(dv);
  let nextC = stepC > 0 ? t0 + (c + 1 - a) / du : stepC < 0 ? t0 + (a - c) / -du : Infinity;
  let nextR = stepR > 0 ? t0 + (r + 1 - b) / dv : stepR < 0 ? t0 + (b - r) / -dv : Infinity;
  // Each step moves one column or one row towards the end cell, so this many steps at most (float error cannot loop).
  let steps = Math.abs(cEnd - c) + Math.abs(rEnd - r);
  while (steps > 0 && (c !== cEnd || r !== rEnd)) {
    if (nextC < nextR) {
      c += stepC;
      nextC += deltaC;
      steps--;
    } else if (nextR < nextC) {
      r += stepR;
      nextR += deltaR;
      steps--;
    } else {
      // Through a corner: both side cells, then the diagonal one.
      markIfInside(c + stepC, r, grid, out);
      markIfInside(c, r + stepR, grid, out);
      c += stepC;
      r += stepR;
      nextC += deltaC;
      nextR += deltaR;
      steps -= 2;
    }
    markIfInside(c, r, grid, out);
  }
}

function markIfInside(c: number, r: number, grid: TerrainGrid, out: Uint8Array): void {
  if (c >= 0 && c < grid.nx && r >= 0 && r < grid.ny) out[r * grid.nx + c] = 1;
}

/**
 * Marks the cells whose centre is inside the polygon (even–odd over all its rings, so holes stay out). Per row of
 * centres v = r + ½, the edges crossing it (half-open in v, so a vertex on the line counts once) give sorted
 * crossings; cells from one crossing to the next inside are filled, by the rule GDAL's scanline fill uses
 * (columns floor(x + ½) up to, not including, the next crossing's). Rings are closed implicitly.
 */
export function fillCentres(rings: readonly Path[], grid: TerrainGrid, out: Uint8Array): void {
  const { nx, ny } = grid;
  let minV = Infinity;
  let maxV = -Infinity;
  for (const ring of rings)
    for (let i = 1; i < ring.length; i += 2) {
      minV = Math.min(minV, ring[i]!);
      maxV = Math.max(maxV, ring[i]!);
    }
  const rowFirst = Math.max(0, Math.ceil(minV - 0.5));
  const rowLast = Math.min(ny - 1, Math.ceil(maxV - 0.5) - 1);
  if (rowLast < rowFirst) return;
  const rows = rowLast - rowFirst + 1;
  // Rows [first, last] of centres an edge crosses: first centre ≥ lower end, last centre < upper end.
  const edgeRows = (va: number, vb: number): [number, number] => {
    const lo = Math.min(va, vb);
    const hi = Math.max(va, vb);
    return [Math.max(rowFirst, Math.ceil(lo - 0.5)), Math.min(rowLast, Math.ceil(hi - 0.5) - 1)];
  };
  const forEachEdge = (visit: (ua: number, va: number, ub: number, vb: number) => void): void => {
    for (const ring of rings) {
      const n = ring.length / 2;
      if (n < 3) continue;
      for (let i = 0; i < n; i++) {
        const j = i + 1 === n ? 0 : i + 1;
        const va = ring[2 * i + 1]!;
        const vb = ring[2 * j + 1]!;
        if (va !== vb) visit(ring[2 * i]!, va, ring[2 * j]!, vb);
      }
    }
  };
  // Crossings per row, stored row after row (counted first, then written).
  const start = new Int32Array(rows + 1);
  forEachEdge((_ua, va, _ub, vb) => {
    const [r0, r1] = edgeRows(va, vb);
    for (let r = r0; r <= r1; r++) start[r - rowFirst + 1]!++;
  });
  for (let i = 0; i < rows; i++) start[i + 1]! += start[i]!;
  const xs = new Float64Array(start[rows]!);
  const fill = start.slice(0, rows);
  forEachEdge((ua, va, ub, vb) => {
    const [r0, r1] = edgeRows(va, vb);
    const slope = (ub - ua) / (vb - va);
    for (let r = r0; r <= r1; r++) xs[fill[r - rowFirst]!++] = ua + (r + 0.5 - va) * slope;
  });
  for (let i = 0; i < rows; i++) {
    const row = xs.subarray(start[i]!, start[i + 1]!).sort();
    const base = (i + rowFirst) * nx;
    for (let k = 0; k + 1 < row.length; k += 2) {
      const c0 = Math.max(0, Math.floor(row[k]! + 0.5));
      const c1 = Math.min(nx, Math.floor(row[k + 1]! + 0.5));
      if (c1 > c0) out.fill(1, base + c0, base + c1);
    }
  }
}
