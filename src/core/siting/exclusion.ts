/**
 * Polygons with a fast inside test: the excluded areas (reservoirs, protected land…) no candidate may lie in,
 * and townships when a grid cell needs its code. Read once into rings with bounding boxes, so testing tens of
 * thousands of candidates is a box check for most and a ray cast only for the few near a polygon.
 */
import type { Geometry } from 'geojson';
import { SitingInputError } from './types';

type Ring = number[][];

interface Area {
  /** Outer ring first, then holes. */
  rings: Ring[];
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** A set of polygons with a fast inside test; empty when none were given. */
export class AreaSet {
  readonly #areas: Area[];

  constructor(areas: Area[]) {
    this.#areas = areas;
  }

  get count(): number {
    return this.#areas.length;
  }

  /** True when (lon, lat) is inside (or on the edge of) any area and outside its holes. */
  contains(lon: number, lat: number): boolean {
    for (const a of this.#areas) {
      if (lon < a.minLon || lon > a.maxLon || lat < a.minLat || lat > a.maxLat) continue;
      if (!inRing(a.rings[0]!, lon, lat)) continue;
      let inHole = false;
      for (let h = 1; h < a.rings.length && !inHole; h++) inHole = inRing(a.rings[h]!, lon, lat, false);
      if (!inHole) return true;
    }
    return false;
  }
}

/** Even–odd ray casting; points on an edge count as inside unless `edgeInside` is false (for holes). */
function inRing(ring: Ring, x: number, y: number, edgeInside = true): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    // On the segment: collinear and within its box.
    const cross = (x - xi) * (yj - yi) - (y - yi) * (xj - xi);
    if (Math.abs(cross) < 1e-12 && x >= Math.min(xi, xj) && x <= Math.max(xi, xj) && y >= Math.min(yi, yj) && y <= Math.max(yi, yj))
      return edgeInside;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function areaOf(rings: Ring[], where: string): Area {
  const outer = rings[0];
  if (!outer || outer.length < 4) throw new SitingInputError(`${where}: a polygon needs a ring of at least 4 positions`);
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const c of ring) {
      const [lon, lat] = [c[0], c[1]];
      if (
        typeof lon !== 'number' ||
        typeof lat !== 'number' ||
        !Number.isFinite(lon) ||
        !Number.isFinite(lat) ||
        Math.abs(lon) > 180 ||
        Math.abs(lat) > 90
      )
        throw new SitingInputError(`${where}: bad coordinate ${JSON.stringify(c)}`);
    }
  }
  for (const c of outer) {
    minLon = Math.min(minLon, c[0]!);
    maxLon = Math.max(maxLon, c[0]!);
    minLat = Math.min(minLat, c[1]!);
    maxLat = Math.max(maxLat, c[1]!);
  }
  return { rings, minLon, minLat, maxLon, maxLat };
}

function geometryAreas(geometry: Geometry | null | undefined, where: string): Area[] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [areaOf(geometry.coordinates, where)];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.map((rings, i) => areaOf(rings, `${where} part ${i}`));
  if (geometry.type === 'GeometryCollection') return geometry.geometries.flatMap((g, i) => geometryAreas(g, `${where} geometry ${i}`));
  throw new SitingInputError(`${where}: a ${geometry.type} is not an area (expected Polygon or MultiPolygon)`);
}

/**
 * Reads areas from a FeatureCollection, a Feature or a bare geometry of Polygons and MultiPolygons. Throws
 * SitingInputError naming the first feature that is not an area; `label` names the layer in that message.
 */
export function readAreas(value: unknown, label = 'excluded areas'): AreaSet {
  if (value === null || value === undefined) return new AreaSet([]);
  if (typeof value !== 'object') throw new SitingInputError(`${label}: expected GeoJSON`);
  const v = value as { type?: unknown; features?: unknown; geometry?: unknown };
  if (v.type === 'FeatureCollection' && Array.isArray(v.features)) {
    return new AreaSet(
      v.features.flatMap((f: unknown, i: number) => {
        const feature = f as { type?: unknown; geometry?: Geometry | null };
        if (typeof f !== 'object' || f === null || feature.type !== 'Feature')
          throw new SitingInputError(`${label}: feature ${i} is not a GeoJSON Feature`);
        return geometryAreas(feature.geometry, `${label}: feature ${i}`);
      }),
    );
  }
  if (v.type === 'Feature') return new AreaSet(geometryAreas(v.geometry as Geometry | null, `${label}: feature`));
  if (typeof v.type === 'string') return new AreaSet(geometryAreas(value as Geometry, label));
  throw new SitingInputError(`${label}: expected a GeoJSON FeatureCollection, Feature or geometry`);
}
