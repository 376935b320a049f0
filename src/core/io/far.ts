/**
 * Where a point outside the county lies: its distance from the county boundary and the compass direction from
 * the nearest boundary point, so the import can say "148 km north-east of the county boundary" instead of only
 * naming the row, and leave out by default what lies beyond a margin (a typo in a coordinate, another county's
 * list) while keeping what sits just across the line (a border clinic, a slightly shifted point).
 */
import type { Feature, MultiLineString } from 'geojson';
import { bearing as turfBearing, distance as turfDistance, nearestPointOnLine, point } from '@turf/turf';
import type { Outline } from './types';

/**
 * Points farther than this from the boundary are left out unless the planner keeps them: beyond the reach of any
 * county's service circle (30 minutes by road is about this far) and far beyond a GCJ-02 shift (≈ 0.5 km).
 */
export const FAR_MARGIN_KM = 10;

/** Eight compass points, clockwise from north. */
export const COMPASS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
export type Compass = (typeof COMPASS)[number];

/** The compass point of a bearing in degrees (−180…180 or 0…360), each point covering 45°. */
export function compassOf(bearingDeg: number): Compass {
  const normal = ((bearingDeg % 360) + 360) % 360;
  return COMPASS[Math.round(normal / 45) % 8] as Compass;
}

export interface OutsidePlace {
  /** Kilometres from the nearest point of the county boundary (geodesic). */
  km: number;
  /** Compass direction from that boundary point to the point. */
  direction: Compass;
  /** The boundary point nearest to it, [lon, lat]. */
  nearest: [number, number];
  /** True when km is only a lower bound (from the outline's bounding box; see farMeasure). */
  atLeast: boolean;
}

/** The rings of an outline as one MultiLineString, for turf's nearest point on a line. */
function boundaryLines(outline: Outline): Feature<MultiLineString> {
  const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'MultiLineString', coordinates: polygons.flatMap((rings) => rings) },
  };
}

/** Great-circle km, for choosing which boundary segments can hold the nearest point (turf measures the answer). */
function roughKm(ax: number, ay: number, bx: number, by: number): number {
  const r = Math.PI / 180;
  const h = Math.sin(((by - ay) * r) / 2) ** 2 + Math.cos(ay * r) * Math.cos(by * r) * Math.sin(((bx - ax) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Boundary segments as [ax, ay, bx, by] with their lengths in km. */
interface Segments {
  coords: Float64Array;
  km: Float64Array;
}

function segmentsOf(lines: Feature<MultiLineString>): Segments {
  const pairs: number[] = [];
  for (const line of lines.geometry.coordinates) {
    for (let i = 1; i < line.length; i++) pairs.push(line[i - 1]![0]!, line[i - 1]![1]!, line[i]![0]!, line[i]![1]!);
  }
  const coords = Float64Array.from(pairs);
  const km = new Float64Array(coords.length / 4);
  for (let k = 0; k < km.length; k++) km[k] = roughKm(coords[4 * k]!, coords[4 * k + 1]!, coords[4 * k + 2]!, coords[4 * k + 3]!);
  return { coords, km };
}

/**
 * The place of a point relative to the boundary. Turf's nearest point on a line walks every segment with vector
 * algebra (milliseconds on a 2,568-vertex county), so it is asked only about the segments that can hold the nearest
 * point: a point of a segment is at least min(distance to an end) − half the segment's length away, and the nearest
 * vertex bounds the answer from above.
 */
function placeOutside(segments: Segments, lon: number, lat: number): OutsidePlace {
  const { coords, km } = segments;
  const n = km.length;
  const endKm = new Float64Array(n);
  let bound = Infinity;
  for (let k = 0; k < n; k++) {
    const d = Math.min(roughKm(lon, lat, coords[4 * k]!, coords[4 * k + 1]!), roughKm(lon, lat, coords[4 * k + 2]!, coords[4 * k + 3]!));
    endKm[k] = d;
    if (d < bound) bound = d;
  }
  const near: [number, number][][] = [];
  for (let k = 0; k < n; k++) {
    // The 1 m slack covers rounding between this haversine and turf's.
    if (endKm[k]! - km[k]! / 2 <= bound + 0.001)
      near.push([
        [coords[4 * k]!, coords[4 * k + 1]!],
        [coords[4 * k + 2]!, coords[4 * k + 3]!],
      ]);
  }
  const at = point([lon, lat]);
  const nearest = nearestPointOnLine({ type: 'MultiLineString', coordinates: near }, at, { units: 'kilometers' });
  const [nx, ny] = nearest.geometry.coordinates as [number, number];
  return {
    km: nearest.properties.pointDistance,
    direction: compassOf(turfBearing(point([nx, ny]), at)),
    nearest: [nx, ny],
    atLeast: false,
  };
}

/**
 * A measure of points outside an outline. The exact distance walks every boundary segment, so only the first
 * `exactLimit` points are measured exactly; the rest (a file of another area) get the distance to the outline's
 * bounding box, a lower bound, which is enough to tell that they are beyond the margin.
 */
export function farMeasure(outline: Outline, exactLimit = 1000): (lon: number, lat: number) => OutsidePlace {
  const lines = boundaryLines(outline);
  const segments = segmentsOf(lines);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const line of lines.geometry.coordinates) {
    for (const [x, y] of line as [number, number][]) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  let measured = 0;
  return (lon, lat) => {
    if (measured < exactLimit) {
      measured++;
      return placeOutside(segments, lon, lat);
    }
    const clamp: [number, number] = [Math.min(maxX, Math.max(minX, lon)), Math.min(maxY, Math.max(minY, lat))];
    return {
      // A point inside the box is inside the lower bound of 0; 0.99 absorbs the box edges not being geodesics.
      km: 0.99 * turfDistance(point(clamp), point([lon, lat]), { units: 'kilometers' }),
      direction: compassOf(turfBearing(point(clamp), point([lon, lat]))),
      nearest: clamp,
      atLeast: true,
    };
  };
}

/** A distance in km as the import's messages show it: one decimal below 10 km, whole kilometres above. */
export function roundKm(km: number): number {
  return km < 10 ? Math.round(km * 10) / 10 : Math.round(km);
}
