/**
 * Writes the geometry half of a Shapefile (.shp and .shx, ESRI Shapefile Technical Description, 1998). Written
 * here because the maintained JavaScript writer, @mapbox/shp-write 0.4, writes no MultiPoint and no null
 * records, and its DBF writer (mapbox/dbf) cannot store Chinese text (see dbf.ts).
 *
 * One shape type per file: Point (1), PolyLine (3: LineString, MultiLineString), Polygon (5: Polygon,
 * MultiPolygon, exterior rings clockwise and holes counter-clockwise as the format requires) or MultiPoint (8,
 * also taking Points). Z and M values are dropped (2D only). A feature without geometry is a null record.
 */
import type { Geometry, Position } from 'geojson';

export type ShapeType = 1 | 3 | 5 | 8;

/** The shape type for a layer's geometries, or a reason it has none (mixed families, collections). */
export function shapeTypeOf(geometries: readonly (Geometry | null)[]): ShapeType | { error: string; errorZh: string } | null {
  const families = new Set<ShapeType>();
  let points = false;
  for (const g of geometries) {
    if (!g) continue;
    switch (g.type) {
      case 'Point':
        points = true;
        break;
      case 'MultiPoint':
        families.add(8);
        break;
      case 'LineString':
      case 'MultiLineString':
        families.add(3);
        break;
      case 'Polygon':
      case 'MultiPolygon':
        families.add(5);
        break;
      case 'GeometryCollection':
        return { error: 'a Shapefile cannot hold a GeometryCollection', errorZh: 'Shapefile 不能保存几何集合（GeometryCollection）' };
    }
  }
  if (points && families.size === 0) return 1;
  if (points) families.add(8);
  if (families.size > 1) {
    return {
      error: 'a Shapefile holds one geometry type, and this layer mixes points, lines and polygons',
      errorZh: 'Shapefile 只能保存一种几何类型，而此图层混有点、线、面',
    };
  }
  return ([...families][0] as ShapeType | undefined) ?? null;
}

/** Twice the signed area of a ring (positive counter-clockwise). */
function signedArea2(ring: readonly Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i] as Position;
    const q = ring[j] as Position;
    a += ((q[0] as number) - (p[0] as number)) * ((q[1] as number) + (p[1] as number));
  }
  return a;
}

function oriented(ring: Position[], clockwise: boolean): Position[] {
  const ccw = signedArea2(ring) > 0;
  return ccw === clockwise ? [...ring].reverse() : ring;
}

/** Parts (rings or lines) and points of one record. */
function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Point':
      return [[g.coordinates]];
    case 'MultiPoint':
      return [g.coordinates];
    case 'LineString':
      return [g.coordinates];
    case 'MultiLineString':
      return g.coordinates;
    case 'Polygon':
      return g.coordinates.map((ring, i) => oriented(ring, i === 0));
    case 'MultiPolygon':
      return g.coordinates.flatMap((poly) => poly.map((ring, i) => oriented(ring, i === 0)));
    default:
      return [];
  }
}

interface Box {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

function boxOf(points: Iterable<Position>, box: Box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity }): Box {
  for (const p of points) {
    const x = p[0] as number;
    const y = p[1] as number;
    if (x < box.xmin) box.xmin = x;
    if (y < box.ymin) box.ymin = y;
    if (x > box.xmax) box.xmax = x;
    if (y > box.ymax) box.ymax = y;
  }
  return box;
}

function recordLength(type: ShapeType, g: Geometry | null): number {
  if (!g) return 4;
  const parts = partsOf(g).filter((p) => p.length > 0);
  const n = parts.reduce((s, p) => s + p.length, 0);
  if (n === 0) return 4;
  if (type === 1) return 20;
  if (type === 8) return 40 + 16 * n;
  return 44 + 4 * parts.length + 16 * n;
}

/** The .shp and .shx bytes for geometries of one shape type (nulls allowed). */
export function writeShp(type: ShapeType, geometries: readonly (Geometry | null)[]): { shp: Uint8Array; shx: Uint8Array } {
  const lengths = geometries.map((g) => recordLength(type, g));
  const shpSize = 100 + lengths.reduce((s, l) => s + 8 + l, 0);
  const shxSize = 100 + 8 * geometries.length;
  const shp = new DataView(new ArrayBuffer(shpSize));
  const shx = new DataView(new ArrayBuffer(shxSize));
  const total: Box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  for (const g of geometries) if (g) for (const part of partsOf(g)) boxOf(part, total);
  if (!Number.isFinite(total.xmin)) Object.assign(total, { xmin: 0, ymin: 0, xmax: 0, ymax: 0 });
  for (const [view, size] of [
    [shp, shpSize],
    [shx, shxSize],
  ] as const) {
    view.setInt32(0, 9994);
    view.setInt32(24, size / 2);
    view.setInt32(28, 1000, true);
    view.setInt32(32, type, true);
    view.setFloat64(36, total.xmin, true);
    view.setFloat64(44, total.ymin, true);
    view.setFloat64(52, total.xmax, true);
    view.setFloat64(60, total.ymax, true);
  }
  let at = 100;
  geometries.forEach((g, i) => {
    const len = lengths[i] as number;
    shx.setInt32(100 + 8 * i, at / 2);
    shx.setInt32(104 + 8 * i, len / 2);
    shp.setInt32(at, i + 1);
    shp.setInt32(at + 4, len / 2);
    const c = at + 8;
    at += 8 + len;
    const parts = g ? partsOf(g).filter((p) => p.length > 0) : [];
    if (parts.length === 0) {
      shp.setInt32(c, 0, true);
      return;
    }
    shp.setInt32(c, type, true);
    if (type === 1) {
      const p = (parts[0] as Position[])[0] as Position;
      shp.setFloat64(c + 4, p[0] as number, true);
      shp.setFloat64(c + 12, p[1] as number, true);
      return;
    }
    const box = boxOf(parts.flat());
    shp.setFloat64(c + 4, box.xmin, true);
    shp.setFloat64(c + 12, box.ymin, true);
    shp.setFloat64(c + 20, box.xmax, true);
    shp.setFloat64(c + 28, box.ymax, true);
    const points = parts.flat();
    let p = c + 36;
    if (type === 8) {
      shp.setInt32(p, points.length, true);
      p += 4;
    } else {
      shp.setInt32(p, parts.length, true);
      shp.setInt32(p + 4, points.length, true);
      p += 8;
      let start = 0;
      for (const part of parts) {
        shp.setInt32(p, start, true);
        p += 4;
        start += part.length;
      }
    }
    for (const pt of points) {
      shp.setFloat64(p, pt[0] as number, true);
      shp.setFloat64(p + 8, pt[1] as number, true);
      p += 16;
    }
  });
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}
