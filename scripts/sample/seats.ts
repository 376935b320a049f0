import { centroid, pointOnFeature } from '@turf/turf';
import { voronoiZones } from './zones';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LocalProjection } from '../../src/core/geo/local-projection';
import type { Random } from '../../src/core/random';
import { bestCandidateIn, isInside, round6 } from './polygon-sampling';
import type { TownshipRow } from './shared-tables';

/**
 * The township whose seat is the county seat (县城): the first 街道 where there are any, otherwise the town
 * with the most resident committees (urban neighbourhoods gather at the county seat).
 */
export function countySeatTownship(townships: readonly TownshipRow[]): TownshipRow {
  const first = townships.find((t) => t.township_type === '街道');
  if (first) return first;
  const towns = townships.filter((t) => t.township_type === '镇');
  const pool = towns.length > 0 ? towns : [...townships];
  return pool.reduce((best, t) => (t.n_resident_committees > best.n_resident_committees ? t : best));
}

/**
 * Township seats. Real seats (`real`, GeoNames points matched to the township) are placed first, as they are.
 * A modelled county seat sits at the outline's centroid (or a point inside it for concave outlines); other 街道
 * ring the county seat at 1.5–5 km, since urban sub-districts are small; every other township is spread over the
 * county by best-candidate sampling, away from the seats already placed.
 */
export function placeSeats(
  boundary: Feature<Polygon | MultiPolygon>,
  townships: readonly TownshipRow[],
  projection: LocalProjection,
  rng: Random,
  real: ReadonlyMap<string, [number, number]> = new Map(),
): Map<string, [number, number]> {
  const metres = (a: [number, number], b: [number, number]): number => {
    const [ax, ay] = projection.forward(a[0], a[1]);
    const [bx, by] = projection.forward(b[0], b[1]);
    return Math.hypot(ax - bx, ay - by);
  };
  const seats = new Map<string, [number, number]>();
  const seatTownship = countySeatTownship(townships);
  const centre = centroid(boundary).geometry.coordinates as [number, number];
  const countySeat =
    real.get(seatTownship.township_code) ??
    (isInside(centre, boundary) ? centre : (pointOnFeature(boundary).geometry.coordinates as [number, number]));
  seats.set(seatTownship.township_code, round6(countySeat));
  for (const [code, at] of real) if (!seats.has(code)) seats.set(code, round6(at));

  const [sx, sy] = projection.forward(countySeat[0], countySeat[1]);
  for (const t of townships) {
    if (seats.has(t.township_code) || t.township_type !== '街道') continue;
    let placed: [number, number] | null = null;
    for (let attempt = 0; attempt < 200 && !placed; attempt++) {
      const angle = rng.uniform(0, 2 * Math.PI);
      const radius = rng.uniform(1500, 5000);
      const candidate = projection.inverse(sx + radius * Math.cos(angle), sy + radius * Math.sin(angle));
      const farEnough = [...seats.values()].every((s) => metres(s, candidate) > 1200);
      if (isInside(candidate, boundary) && farEnough) placed = candidate;
    }
    seats.set(t.township_code, round6(placed ?? countySeat));
  }
  for (const t of townships) {
    if (seats.has(t.township_code)) continue;
    const candidate = bestCandidateIn(boundary, [...seats.values()], rng, metres, 40);
    if (!candidate) throw new Error(`no point could be placed inside the outline for ${t.township_name}`);
    seats.set(t.township_code, round6(candidate));
  }
  return seats;
}

/**
 * Lloyd relaxation: moves each modelled township seat (not the county seat, the 街道 round it or a real seat) to
 * the centroid of its Voronoi zone, a few times. Best-candidate sampling alone pushes seats to the county's edge;
 * real seats sit near the middle of their township.
 */
export function relaxSeats(
  boundary: Feature<Polygon | MultiPolygon>,
  seats: Map<string, [number, number]>,
  townships: readonly TownshipRow[],
  projection: LocalProjection,
  real: ReadonlySet<string> = new Set(),
  iterations = 3,
): Map<string, [number, number]> {
  const fixed = new Set([
    countySeatTownship(townships).township_code,
    ...townships.filter((t) => t.township_type === '街道').map((t) => t.township_code),
    ...real,
  ]);
  let current = new Map(seats);
  for (let k = 0; k < iterations; k++) {
    const zones = voronoiZones(boundary, current, projection);
    const next = new Map(current);
    for (const [code, zone] of zones) {
      if (fixed.has(code)) continue;
      const c = centroid(zone).geometry.coordinates as [number, number];
      if (isInside(c, zone)) next.set(code, round6(c));
    }
    current = next;
  }
  return current;
}
