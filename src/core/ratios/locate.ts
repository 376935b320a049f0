/**
 * Where to point the map for a finding: a facility's or village's point, a township's seat or the middle of
 * its polygon. Distances for matching clinics to villages. Small helpers, in WGS84 longitude/latitude.
 */
import type { Geometry, Position } from 'geojson';

export type LonLat = [number, number];

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres. */
export function distanceKm(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function isLonLat(position: Position | undefined): position is Position & LonLat {
  return position !== undefined && Number.isFinite(position[0]) && Number.isFinite(position[1]);
}

/** The [lon, lat] of a Point geometry, or null for anything else. */
export function pointLonLat(geometry: Geometry | null | undefined): LonLat | null {
  if (!geometry || geometry.type !== 'Point' || !isLonLat(geometry.coordinates)) return null;
  return [geometry.coordinates[0]!, geometry.coordinates[1]!];
}

/** Signed area and centroid of a ring (shoelace formula, in degrees: fine for a township-sized ring). */
function ringCentroid(ring: Position[]): { area: number; centroid: LonLat } | null {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    if (x0 === undefined || y0 === undefined || x1 === undefined || y1 === undefined) return null;
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (area === 0) return null;
  return { area: Math.abs(area / 2), centroid: [cx / (3 * area), cy / (3 * area)] };
}

/** The centroid of the largest outer ring of a Polygon or MultiPolygon, or null. */
export function polygonCentroid(geometry: Geometry | null | undefined): LonLat | null {
  if (!geometry) return null;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best: { area: number; centroid: LonLat } | null = null;
  for (const polygon of polygons) {
    const outer = polygon[0];
    const result = outer ? ringCentroid(outer) : null;
    if (result && (!best || result.area > best.area)) best = result;
  }
  return best?.centroid ?? null;
}
