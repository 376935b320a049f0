import { bbox, featureCollection, intersect, polygon } from '@turf/turf';
import { Delaunay } from 'd3-delaunay';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LocalProjection } from '../../src/core/geo/local-projection';

/**
 * Township zones as the Voronoi cells of their seats, clipped to the county outline. The cells are
 * built in metres (so they are true nearest-seat regions) and clipped in degrees.
 */
export function voronoiZones(
  boundary: Feature<Polygon | MultiPolygon>,
  seats: ReadonlyMap<string, [number, number]>,
  projection: LocalProjection,
): Map<string, Feature<Polygon | MultiPolygon>> {
  const codes = [...seats.keys()];
  const projected = codes.map((code) => {
    const [lon, lat] = seats.get(code)!;
    return projection.forward(lon, lat);
  });
  const [west, south, east, north] = bbox(boundary);
  const [x0, y0] = projection.forward(west, south);
  const [x1, y1] = projection.forward(east, north);
  const margin = 10_000;
  const voronoi = Delaunay.from(projected).voronoi([x0 - margin, y0 - margin, x1 + margin, y1 + margin]);

  const zones = new Map<string, Feature<Polygon | MultiPolygon>>();
  codes.forEach((code, i) => {
    const cell = voronoi.cellPolygon(i);
    if (!cell) throw new Error(`township ${code}: its seat coincides with another, so it has no Voronoi cell`);
    const ring = cell.map(([x, y]) => projection.inverse(x!, y!));
    const clipped = intersect(featureCollection([polygon([ring]), boundary]));
    if (!clipped) throw new Error(`township ${code}: its Voronoi cell lies outside the county outline`);
    zones.set(code, clipped);
  });
  return zones;
}
