/**
 * Lengths and areas as a GIS measures them: geodesics on the WGS 84 ellipsoid (GeographicLib, the algorithms
 * PostGIS geography and GDAL use), not a flat or spherical approximation that drifts by tenths of a percent.
 */
import { Geodesic, PolygonArea } from 'geographiclib-geodesic';

export type LonLat = readonly [number, number];

/** The length in metres of the path through the points, in order. */
export function pathLength(points: readonly LonLat[]): number {
  if (points.length < 2) return 0;
  const polyline = new PolygonArea.PolygonArea(Geodesic.WGS84, true);
  for (const [lon, lat] of points) polyline.AddPoint(lat, lon);
  return polyline.Compute(false, true).perimeter;
}

/** The area (m², whichever way the ring runs) and perimeter (m) of the ring through the points, closed. */
export function ringArea(points: readonly LonLat[]): { area: number; perimeter: number } {
  if (points.length < 3) return { area: 0, perimeter: pathLength(points) * (points.length === 2 ? 2 : 0) };
  const polygon = new PolygonArea.PolygonArea(Geodesic.WGS84, false);
  for (const [lon, lat] of points) polygon.AddPoint(lat, lon);
  // sign=true: a clockwise ring gives a negative area, not the rest of the earth's.
  const result = polygon.Compute(false, true);
  return { area: Math.abs(result.area ?? 0), perimeter: result.perimeter };
}
