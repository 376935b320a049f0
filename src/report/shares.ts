import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { MINUTES_EPSILON } from '../core/coverage/aggregate';
import type { CircleStandard } from '../core/coverage/standard';
import type { PopulationProps, ZoneProps } from '../core/model';

export interface TownshipShare {
  code: string;
  name: string;
  population: number;
  /** People within their circle: urban within the urban minutes, rural within the rural minutes. */
  covered: number;
  /** covered / population; null where nobody lives. */
  share: number | null;
}

/**
 * Each township's share of people within their service circle of any facility, by the plan's standard
 * (the same rule as the county's standard check), from the minutes per settlement (population layer order).
 */
export function townshipShares(
  zones: FeatureCollection<Polygon | MultiPolygon, ZoneProps>,
  population: FeatureCollection<Point, PopulationProps>,
  minutes: Float32Array,
  standard: CircleStandard,
): TownshipShare[] {
  const byCode = new Map(
    zones.features.map((z) => [z.properties.code, { code: z.properties.code, name: z.properties.name, population: 0, covered: 0 }]),
  );
  population.features.forEach((f, i) => {
    const zone = byCode.get(f.properties.township);
    const people = Number(f.properties.population);
    if (!zone || !Number.isFinite(people) || people <= 0) return;
    const limit = f.properties.urban ? standard.urbanMinutes : standard.ruralMinutes;
    zone.population += people;
    if ((minutes[i] ?? Infinity) <= limit + MINUTES_EPSILON) zone.covered += people;
  });
  return [...byCode.values()].map((z) => ({ ...z, share: z.population > 0 ? z.covered / z.population : null }));
}
