/** Small hand-checkable fixtures for the coverage engine, built in metres round a fixed centre. */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { localProjection } from '../../src/core/geo/local-projection';
import type { FacilityProps, Tier } from '../../src/core/model';

export const CENTRE: [number, number] = [114.4, 25.9];
export const proj = localProjection(CENTRE[0], CENTRE[1]);
export const at = (x: number, y: number): [number, number] => proj.inverse(x, y);

export function facility(id: string, tier: Tier, x: number, y: number, extra: Partial<FacilityProps> = {}): Feature<Point, FacilityProps> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: at(x, y) },
    properties: {
      id,
      name: id,
      tier,
      kind: tier === 'county_hospital' ? 'general_hospital' : tier === 'township_centre' ? 'township_health_centre' : 'village_clinic',
      status: 'existing',
      beds: 0,
      physicians: 1,
      nurses: 1,
      gps: 0,
      public_health_staff: 0,
      township: 'T1',
      township_name: 'T1',
      modelled: false,
      ...extra,
    },
  };
}

export function settlement(
  id: string,
  x: number,
  y: number,
  population: number,
  urban = false,
  township = 'T1',
): Feature<Point, Record<string, unknown>> {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: at(x, y) }, properties: { id, name: id, population, urban, township } };
}

export function road(id: string, cls: string, ...xy: [number, number][]): Feature<LineString, Record<string, unknown>> {
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: xy.map(([x, y]) => at(x, y)) },
    properties: { id, class_zh: cls },
  };
}

export const fc = <T extends Feature>(features: T[]): FeatureCollection<T['geometry'], T['properties']> =>
  ({ type: 'FeatureCollection', features }) as FeatureCollection<T['geometry'], T['properties']>;
