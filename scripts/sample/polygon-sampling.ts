import { bbox, booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Random } from '../../src/core/random';

type Area = Feature<Polygon | MultiPolygon> | Polygon | MultiPolygon;

/** A uniform random point inside a polygon, by rejection from its bounding box; null if it found none. */
function randomPointIn(area: Area, rng: Random, maxTries = 2000): [number, number] | null {
  const [west, south, east, north] = bbox(area);
  for (let i = 0; i < maxTries; i++) {
    const candidate: [number, number] = [rng.uniform(west, east), rng.uniform(south, north)];
    if (booleanPointInPolygon(point(candidate), area)) return candidate;
  }
  return null;
}

/**
 * Mitchell's best-candidate sampling: of `tries` random points inside the area, the one farthest from
 * every point already placed. It spreads seats and villages evenly without a regular grid.
 * `distance` compares two [lon, lat] points in any monotone unit.
 */
export function bestCandidateIn(
  area: Area,
  placed: readonly [number, number][],
  rng: Random,
  distance: (a: [number, number], b: [number, number]) => number,
  tries = 20,
): [number, number] | null {
  let best: [number, number] | null = null;
  let bestScore = -1;
  for (let i = 0; i < tries; i++) {
    const candidate = randomPointIn(area, rng);
    if (!candidate) continue;
    let nearest = Infinity;
    for (const p of placed) nearest = Math.min(nearest, distance(candidate, p));
    if (nearest > bestScore) {
      bestScore = nearest;
      best = candidate;
    }
  }
  return best;
}

export function isInside(lonLat: [number, number], area: Area): boolean {
  return booleanPointInPolygon(point(lonLat), area);
}

/** Coordinates are rounded to 6 decimals (≈ 0.1 m) so that road ends and settlements meet exactly. */
export function round6(lonLat: [number, number]): [number, number] {
  return [Math.round(lonLat[0] * 1e6) / 1e6, Math.round(lonLat[1] * 1e6) / 1e6];
}
