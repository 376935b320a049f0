import type { FeatureCollection, Point } from 'geojson';
import type { CountyDataset } from './model';

/** Label points for the township zones, at their seats (a polygon's own label point can fall outside it). */
export function townshipLabelPoints(townships: CountyDataset['townships']): FeatureCollection<Point, { code: string; name: string }> {
  return {
    type: 'FeatureCollection',
    features: townships.features.map((z) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [z.properties.seat_lon, z.properties.seat_lat] },
      properties: { code: z.properties.code, name: z.properties.name },
    })),
  };
}

/** [west, south, east, north] of every coordinate of a dataset's outline. */
export function outlineBounds(boundary: CountyDataset['boundary']): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of boundary.features) visit(f.geometry.coordinates);
  return [w, s, e, n];
}
