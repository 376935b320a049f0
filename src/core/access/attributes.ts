/**
 * Access results as layer attributes: each facility gets its catchment population and its capacity figures,
 * each population point its nearest facility, served share and 2SFCA scores. The app's exports, the CLI and
 * the attribute popup all read these, so a facility's figures are the same wherever they are shown.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { AccessResult, AccessScope, ScopeTables } from './index';

/** What one facility's access figures add to its attributes (null: not in the scope, or no data). */
export interface FacilityAccessAttributes {
  /** People whose nearest facility (of the scope) it is: catchments never overlap, so these add up to the county. */
  catchment_population: number | null;
  catchment_share: number | null;
  catchment_mean_minutes: number | null;
  /** People it can serve (beds or physicians × people per unit); null when the count is unknown. */
  capacity: number | null;
  served: number | null;
  in_reach: number | null;
  /** People in its reach left without room anywhere. */
  unserved_in_reach: number | null;
}

/** The attribute columns, in the order exports write them. */
export const FACILITY_ACCESS_COLUMNS: readonly (keyof FacilityAccessAttributes)[] = [
  'catchment_population',
  'catchment_share',
  'catchment_mean_minutes',
  'capacity',
  'served',
  'in_reach',
  'unserved_in_reach',
];

const round = (x: number | null | undefined, digits: number): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

/** Each facility of the scope's tables, by id. */
export function facilityAccessAttributes(tables: ScopeTables): Map<string, FacilityAccessAttributes> {
  const byId = new Map<string, FacilityAccessAttributes>();
  for (const row of tables.catchments.facilities) {
    byId.set(row.id, {
      catchment_population: round(row.population, 1),
      catchment_share: round(row.share, 6),
      catchment_mean_minutes: round(row.mean_minutes, 2),
      capacity: null,
      served: null,
      in_reach: null,
      unserved_in_reach: null,
    });
  }
  for (const row of tables.capacity.facilities) {
    const current = byId.get(row.id);
    const capacity = {
      capacity: round(row.capacity, 1),
      served: round(row.served, 1),
      in_reach: round(row.in_reach, 1),
      unserved_in_reach: round(row.unserved_in_reach, 1),
    };
    byId.set(row.id, current ? { ...current, ...capacity } : { ...emptyAttributes(), ...capacity });
  }
  return byId;
}

function emptyAttributes(): FacilityAccessAttributes {
  return Object.fromEntries(FACILITY_ACCESS_COLUMNS.map((c) => [c, null])) as unknown as FacilityAccessAttributes;
}

/**
 * The facilities with their access attributes added (null for a facility outside the scope, e.g. a suggested
 * site or another tier). The input is not changed.
 */
export function withAccessAttributes<P extends object>(
  facilities: FeatureCollection<Point, P>,
  attributes: ReadonlyMap<string, FacilityAccessAttributes>,
): FeatureCollection<Point, P & FacilityAccessAttributes> {
  const empty = emptyAttributes();
  return {
    type: 'FeatureCollection',
    features: facilities.features.map((f): Feature<Point, P & FacilityAccessAttributes> => {
      const id = String((f.properties as Record<string, unknown>)['id'] ?? '');
      return { ...f, properties: { ...f.properties, ...(attributes.get(id) ?? empty) } };
    }),
  };
}

/** The attributes of one population point, as exported. */
export interface PointAccessAttributes {
  id: string;
  name: string;
  township: string | null;
  people: number;
  tier: AccessScope;
  nearest_facility: string | null;
  nearest_facility_name: string | null;
  /** Minutes to the nearest facility of the scope, no cutoff (null: unreachable). */
  minutes: number | null;
  /** 1 when a facility is within the threshold (inclusive). */
  within_reach: 0 | 1;
  served_people: number | null;
  /** null for a point of 0 people. */
  served_share: number | null;
  sfca_physicians_per_1000: number | null;
  sfca_beds_per_1000: number | null;
}

export const POINT_ACCESS_COLUMNS: readonly (keyof PointAccessAttributes)[] = [
  'id',
  'name',
  'township',
  'people',
  'tier',
  'nearest_facility',
  'nearest_facility_name',
  'minutes',
  'within_reach',
  'served_people',
  'served_share',
  'sfca_physicians_per_1000',
  'sfca_beds_per_1000',
];

/** One point feature per population point, in the engine's order, for one scope. */
export function accessPoints(result: AccessResult, scope: AccessScope): FeatureCollection<Point, PointAccessAttributes> {
  const s = result.scopes[scope];
  if (!s) throw new Error(`access was not computed for the scope ${scope}`);
  const points = result.travel.points;
  const features: Feature<Point, PointAccessAttributes>[] = [];
  for (let i = 0; i < points.count; i++) {
    const j = s.catchments.site[i]!;
    const site = j >= 0 ? result.sites[j]! : null;
    const zone = points.zone[i]!;
    const people = points.people[i]!;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [points.lon[i]!, points.lat[i]!] },
      properties: {
        id: points.ids[i]!,
        name: points.names[i]!,
        township: zone >= 0 ? points.zoneCodes[zone]! : null,
        people,
        tier: scope,
        nearest_facility: site?.id ?? null,
        nearest_facility_name: site?.name ?? null,
        minutes: round(s.catchments.minutes[i], 3),
        within_reach: s.capacity.withinReach[i] ? 1 : 0,
        served_people: round(s.capacity.served[i], 3),
        served_share: people > 0 ? round(s.capacity.served[i]! / people, 6) : null,
        sfca_physicians_per_1000: round(s.sfca.physicians.access[i]! * 1000, 6),
        sfca_beds_per_1000: round(s.sfca.beds.access[i]! * 1000, 6),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}
