/**
 * After an import is mapped and checked, each layer gets the fields the app relies on (src/core/model.ts): a
 * facility its id, tier, kind, status, counts and township (found by point in polygon); a settlement its people,
 * urban flag and township; a road its class and length; a township its code and name. The wizard also guesses
 * what a file is and previews how far a GCJ-02 or BD-09 conversion moves its points.
 */
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Polygon } from 'geojson';
import { bbox as turfBbox, booleanPointInPolygon, length as turfLength, pointOnFeature } from '@turf/turf';
import { crsConverter } from '../crs';
import {
  FACILITY_KINDS,
  ROAD_CLASS_HIGHWAY,
  TIERS,
  type FacilityFeature,
  type FacilityKind,
  type PopulationFeature,
  type RoadFeature,
  type Tier,
  type ZoneFeature,
} from '../model';
import { RESOURCE_ATTRIBUTES } from '../ratios/definitions';
import { roadClassification } from '../travel/road-class';
export { roadClassOf } from '../travel/road-class';
import { isOtherFacilityType, suggestKind, suggestMapping, suggestTier } from './mapping';
import type { LayerKind, RawRead } from './types';
import { LOCATED_BY } from '../provenance';

type Zones = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;

/** Finds the township a point lies in; bounding boxes first, so each point tests one or two polygons. */
function zoneLocator(zones: Zones | null | undefined): (lon: number, lat: number) => { code: string; name: string } | null {
  const boxes = (zones?.features ?? []).map((z) => ({ zone: z, box: turfBbox(z) }));
  return (lon, lat) => {
    for (const { zone, box } of boxes) {
      if (lon < box[0] || lat < box[1] || lon > box[2] || lat > box[3]) continue;
      if (booleanPointInPolygon([lon, lat], zone)) return { code: String(zone.properties.code), name: String(zone.properties.name) };
    }
    return null;
  };
}

/**
 * Whether a mapped and checked feature becomes part of the layer (what the complete* functions keep), without
 * building it: the wizard counts what an import would bring on every change of choice.
 */
export function completes(kind: LayerKind, f: Feature<Geometry | null>): boolean {
  const type = f.geometry?.type;
  const p = f.properties ?? {};
  switch (kind) {
    case 'facilities':
      return type === 'Point' && (TIERS as readonly unknown[]).includes(p.tier);
    case 'population':
      return type === 'Point' && typeof p.population === 'number' && Number.isFinite(p.population) && p.population >= 0;
    case 'roads':
      return type === 'LineString' || type === 'MultiLineString';
    case 'zones':
      return type === 'Polygon' || type === 'MultiPolygon';
  }
}

/** JSON-safe: NaN, Infinity and undefined become null, so every feature can go into the undo history. */
function jsonSafe(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
  }
  return out;
}

/**
 * Imported features are the county's own (real) unless the file itself says they are modelled: a layer the app
 * exported, or a join that kept some modelled values, keeps saying so.
 */
const saysModelled = (v: unknown): boolean => v === true || v === 1 || v === 'true';

function countOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

function pointOf(f: Feature<Geometry | null>): [number, number] | null {
  return f.geometry?.type === 'Point' ? [f.geometry.coordinates[0] as number, f.geometry.coordinates[1] as number] : null;
}

/**
 * Imported facilities as the app holds them. Features whose tier is not one of the three (the import already
 * reported them) or that are not points are left out. The township comes from the polygons when the point lies in
 * one, else from the file's own columns. `located_by` says where the position came from: the file's coordinates,
 * or a village or township seat the registry named (placeRegistry, before the import checks the rows: approximate).
 */
export function completeFacilities(features: readonly Feature<Geometry | null>[], zones?: Zones | null): FacilityFeature[] {
  const locate = zoneLocator(zones);
  const out: FacilityFeature[] = [];
  for (const f of features) {
    const at = pointOf(f);
    if (!at || !completes('facilities', f)) continue;
    const p = jsonSafe(f.properties ?? {});
    const tier = p.tier as Tier;
    const zone = locate(at[0], at[1]);
    const kind = (FACILITY_KINDS as readonly unknown[]).includes(p.kind) ? (p.kind as FacilityKind) : suggestKind(p.kind ?? p.name, tier);
    const counts = Object.fromEntries(RESOURCE_ATTRIBUTES.map((k) => [k, countOrNull(p[k])]));
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: at },
      properties: {
        ...p,
        id: String(p.id),
        name: typeof p.name === 'string' && p.name !== '' ? p.name : String(p.id),
        tier,
        kind,
        status: p.status === 'planned' || p.status === 'suggested' ? p.status : 'existing',
        beds: counts.beds ?? null,
        physicians: counts.physicians ?? null,
        nurses: counts.nurses ?? null,
        gps: counts.gps ?? null,
        public_health_staff: counts.public_health_staff ?? null,
        township: zone?.code ?? (typeof p.township === 'string' ? p.township : ''),
        township_name: zone?.name ?? (typeof p.township_name === 'string' ? p.township_name : ''),
        // Placed from a village or seat name (place-registry.ts) or the file's own coordinates.
        located_by: (LOCATED_BY as readonly unknown[]).includes(p.located_by) ? p.located_by : 'coordinates',
        modelled: saysModelled(p.modelled),
      },
    });
  }
  return out;
}

/** Imported settlements: points with a non-negative population, their urban flag and township. */
export function completePopulation(features: readonly Feature<Geometry | null>[], zones?: Zones | null): PopulationFeature[] {
  const locate = zoneLocator(zones);
  const out: PopulationFeature[] = [];
  for (const f of features) {
    const at = pointOf(f);
    if (!at || !completes('population', f)) continue;
    const p = jsonSafe(f.properties ?? {});
    const people = p.population as number;
    const urban = p.urban === true;
    const zone = locate(at[0], at[1]);
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: at },
      properties: {
        ...p,
        id: String(p.id),
        name: typeof p.name === 'string' && p.name !== '' ? p.name : String(p.id),
        population: people,
        urban,
        committee_type: urban ? '居委会' : '村委会',
        township: zone?.code ?? (typeof p.township === 'string' ? p.township : ''),
        township_name: zone?.name ?? (typeof p.township_name === 'string' ? p.township_name : ''),
        modelled: saysModelled(p.modelled),
      },
    });
  }
  return out;
}

/** Imported roads: lines (multi-lines split) with a Chinese class, an OSM highway value and the length in metres. */
export function completeRoads(features: readonly Feature<Geometry | null>[]): RoadFeature[] {
  const out: RoadFeature[] = [];
  for (const f of features) {
    const g = f.geometry;
    const lines = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];
    const p = jsonSafe(f.properties ?? {});
    const { cls, by } = roadClassification(p);
    lines.forEach((coordinates, i) => {
      if (coordinates.length < 2) return;
      const line: Feature<LineString> = { type: 'Feature', geometry: { type: 'LineString', coordinates }, properties: {} };
      out.push({
        type: 'Feature',
        geometry: line.geometry,
        properties: {
          ...p,
          id: lines.length > 1 ? `${String(p.id)}-${i + 1}` : String(p.id),
          class_zh: cls,
          class_by: by,
          highway: typeof p.highway === 'string' && p.highway !== '' ? p.highway : ROAD_CLASS_HIGHWAY[cls],
          length_m: Math.round(turfLength(line, { units: 'meters' }) * 10) / 10,
          modelled: saysModelled(p.modelled),
        },
      });
    });
  }
  return out;
}

/** Imported townships: polygons with a code (the feature's number when the file has none) and a name. */
export function completeZones(features: readonly Feature<Geometry | null>[]): ZoneFeature[] {
  const out: ZoneFeature[] = [];
  features.forEach((f, i) => {
    const g = f.geometry;
    if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') return;
    const p = jsonSafe(f.properties ?? {});
    const code = p.code === null || p.code === undefined || p.code === '' ? `Z${i + 1}` : String(p.code);
    // The label goes at the seat; without one, at a point surely inside the polygon.
    const seat = typeof p.seat_lon === 'number' && typeof p.seat_lat === 'number' ? [p.seat_lon, p.seat_lat] : null;
    const [seatLon, seatLat] = seat ?? (pointOnFeature(g).geometry.coordinates as [number, number]);
    out.push({
      type: 'Feature',
      geometry: g,
      properties: {
        ...p,
        code,
        name: typeof p.name === 'string' && p.name !== '' ? p.name : code,
        township_type: typeof p.township_type === 'string' ? p.township_type : '乡',
        n_village_committees: countOrNull(p.n_village_committees) ?? 0,
        n_resident_committees: countOrNull(p.n_resident_committees) ?? 0,
        population: countOrNull(p.population) ?? 0,
        seat_lon: seatLon as number,
        seat_lat: seatLat as number,
        // A point on the polygon is where its label goes, not a seat: registries are not placed there.
        ...(seat ? {} : { seat_known: false }),
        is_county_seat: p.is_county_seat === true,
        modelled: saysModelled(p.modelled),
      } as ZoneFeature['properties'],
    });
  });
  return out;
}

/**
 * What a file most likely is: polygons are townships, lines roads; points are facilities when their type or
 * name column tells a tier for most rows, population when a population column is found, else facilities.
 */
export function guessLayerKind(raw: RawRead): LayerKind {
  const sample = raw.features.filter((f) => !f.problem && f.geometry).slice(0, 500);
  const types = new Map<string, number>();
  for (const f of sample) types.set(f.geometry!.type, (types.get(f.geometry!.type) ?? 0) + 1);
  const top = [...types.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (top === 'Polygon' || top === 'MultiPolygon') return 'zones';
  if (top === 'LineString' || top === 'MultiLineString') return 'roads';
  const facilities = suggestMapping(raw.fieldNames, 'facilities', sample);
  const tierField = facilities.tier;
  if (tierField) {
    const told = sample.filter((f) => {
      const v = f.properties[tierField];
      return (TIERS as readonly unknown[]).includes(v) || suggestTier(v) !== null || isOtherFacilityType(v);
    }).length;
    if (sample.length > 0 && told / sample.length >= 0.5) return 'facilities';
  }
  if (suggestMapping(raw.fieldNames, 'population', sample).population) return 'population';
  return 'facilities';
}

/** A point before and after conversion, and how far it moved (metres). */
export interface ShiftSample {
  before: [number, number];
  after: [number, number];
  metres: number;
}

/** Metres between two WGS84 points (haversine; a few hundred metres need nothing finer). */
export function metresBetween(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Up to `n` of the file's points as written and after converting them from GCJ-02 or BD-09 to WGS84, spread over
 * the file, for the wizard to draw. Empty for other systems, or when the file has no point in range.
 */
export function shiftPreview(raw: RawRead, crs: string, n = 12): ShiftSample[] {
  if (crs !== 'gcj02' && crs !== 'bd09') return [];
  const toWgs84 = crsConverter(crs).toWgs84;
  const points: [number, number][] = [];
  for (const f of raw.features) {
    const g = f.geometry;
    if (f.problem || g?.type !== 'Point') continue;
    const [x, y] = g.coordinates as [number, number];
    if (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90) points.push([x, y]);
  }
  const step = Math.max(1, Math.floor(points.length / n));
  const out: ShiftSample[] = [];
  for (let i = 0; i < points.length && out.length < n; i += step) {
    const before = points[i]!;
    const after = toWgs84(before[0], before[1]) as [number, number];
    out.push({ before, after, metres: metresBetween(before, after) });
  }
  return out;
}
