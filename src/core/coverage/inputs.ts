import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { localProjection, type LocalProjection } from '../geo/local-projection';
import { TIERS, type FacilityProps, type Tier } from '../model';

/** Population points in metres, with what coverage needs of each. */
export interface PopulationArrays {
  count: number;
  ids: string[];
  names: string[];
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** People at the point; a missing, negative or non-numeric count is 0 here and reported. */
  people: Float64Array;
  urban: Uint8Array;
  /** Index into `zoneCodes`, or -1 when the point names no known zone. */
  zone: Int32Array;
  zoneCodes: string[];
  zoneNames: string[];
  problems: PopulationProblem[];
}

export interface PopulationProblem {
  index: number;
  id: string;
  reason: 'population_missing' | 'population_negative' | 'population_not_a_number' | 'no_geometry' | 'bad_coordinate';
  value?: unknown;
}

/** The facilities that count for coverage: existing and planned ones (a suggestion counts once accepted). */
export function countsForCoverage(props: Pick<FacilityProps, 'status'> | null | undefined): boolean {
  return props?.status !== 'suggested';
}

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

/** A projection centred on the data, so planar distances are accurate across the county. */
/**
 * The local projection of a county's work, centred on its settlements (on `fallback`, the facilities, only when no
 * settlement has a place): facilities come and go with every edit, so a centre that followed them would make an
 * edited engine and a fresh one measure the same distance a hair differently.
 */
export function settlementsProjection(
  population: readonly Feature<Point | null>[] | PopulationColumns,
  fallback: readonly Feature<Point | null>[],
): LocalProjection {
  const centre = Array.isArray(population) ? extentCentre(population) : extentCentre([], population as PopulationColumns);
  return projectionAt(centre ?? extentCentre(fallback));
}

export function projectionFor(points: readonly Feature<Point | null>[], columns?: PopulationColumns): LocalProjection {
  return projectionAt(extentCentre(points, columns));
}

const projectionAt = (centre: [number, number] | null): LocalProjection => (centre ? localProjection(...centre) : localProjection(0, 0));

/** The centre of the box around every usable coordinate; null when there is none. */
function extentCentre(points: readonly Feature<Point | null>[], columns?: PopulationColumns): [number, number] | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const lons = columns?.lon ?? new Float64Array(0);
  const lats = columns?.lat ?? new Float64Array(0);
  for (let i = 0; i < lons.length; i++) {
    const lon = lons[i]!;
    const lat = lats[i]!;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (lon < w) w = lon;
    if (lon > e) e = lon;
    if (lat < s) s = lat;
    if (lat > n) n = lat;
  }
  for (const f of points) {
    const c = f.geometry?.coordinates;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) continue;
    w = Math.min(w, c[0]!);
    e = Math.max(e, c[0]!);
    s = Math.min(s, c[1]!);
    n = Math.max(n, c[1]!);
  }
  return Number.isFinite(w) ? [(w + e) / 2, (s + n) / 2] : null;
}

/**
 * Population as columns (a raster's cells or a big registry): no GeoJSON object per point, so a million
 * points cost tens of megabytes, not hundreds.
 */
export interface PopulationColumns {
  lon: Float64Array;
  lat: Float64Array;
  people: Float64Array;
  urban?: Uint8Array;
  /** Index into zoneCodes per point (-1: none). */
  zone?: Int32Array;
  zoneCodes?: string[];
  zoneNames?: string[];
}

export function isPopulationColumns(value: unknown): value is PopulationColumns {
  return typeof value === 'object' && value !== null && (value as PopulationColumns).lon instanceof Float64Array;
}

/** Columns in, arrays out: ids (and names) are row numbers, bad rows are reported like bad features. */
export function populationFromColumns(columns: PopulationColumns, projection: LocalProjection): PopulationArrays {
  const count = columns.lon.length;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const people = new Float64Array(count);
  const problems: PopulationProblem[] = [];
  const lons = columns.lon;
  const lats = columns.lat;
  const counts = columns.people;
  for (let i = 0; i < count; i++) {
    const lon = lons[i]!;
    const lat = lats[i]!;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      problems.push({ index: i, id: String(i), reason: 'bad_coordinate', value: [lon, lat] });
      x[i] = y[i] = NaN;
      continue;
    }
    const xy = projection.forward(lon, lat);
    x[i] = xy[0];
    y[i] = xy[1];
    const value = counts[i]!;
    if (!Number.isFinite(value)) problems.push({ index: i, id: String(i), reason: 'population_not_a_number', value });
    else if (value < 0) problems.push({ index: i, id: String(i), reason: 'population_negative', value });
    else people[i] = value;
  }
  const out = {
    count,
    x,
    y,
    lon: columns.lon,
    lat: columns.lat,
    people,
    urban: columns.urban ?? new Uint8Array(count),
    zone: columns.zone ?? new Int32Array(count).fill(-1),
    zoneCodes: columns.zoneCodes ?? [],
    zoneNames: columns.zoneNames ?? columns.zoneCodes ?? [],
    problems,
  } as Omit<PopulationArrays, 'ids' | 'names'> as PopulationArrays;
  // A million strings cost a few hundred milliseconds and tens of megabytes, and only exports and reports read
  // them: made on first read, one array for both.
  let rowNames: string[] | null = null;
  const rows = (): string[] => (rowNames ??= rowNumbers(count));
  for (const key of ['ids', 'names'] as const)
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get: rows,
      set(value: string[]) {
        Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
      },
    });
  return out;
}

function rowNumbers(count: number): string[] {
  const rows = new Array<string>(count);
  for (let i = 0; i < count; i++) rows[i] = String(i);
  return rows;
}

export function populationArrays(
  population: FeatureCollection<Point | null, object | null>,
  projection: LocalProjection,
  zones?: FeatureCollection<Polygon | MultiPolygon, object | null>,
): PopulationArrays {
  const features = population.features;
  const count = features.length;
  const zoneProps = (zones?.features ?? []).map((z) => (z.properties ?? {}) as Record<string, unknown>);
  const zoneCodes = zoneProps.map((z) => String(z['code'] ?? ''));
  const zoneNames = zoneProps.map((z) => String(z['name'] ?? z['code'] ?? ''));
  const zoneIndex = new Map(zoneCodes.map((c, i) => [c, i]));
  const out: PopulationArrays = {
    count,
    ids: new Array<string>(count),
    names: new Array<string>(count),
    x: new Float64Array(count),
    y: new Float64Array(count),
    lon: new Float64Array(count),
    lat: new Float64Array(count),
    people: new Float64Array(count),
    urban: new Uint8Array(count),
    zone: new Int32Array(count).fill(-1),
    zoneCodes,
    zoneNames,
    problems: [],
  };
  features.forEach((f, i) => {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const id = String(p['id'] ?? f.id ?? i);
    out.ids[i] = id;
    out.names[i] = String(p['name'] ?? id);
    const c = f.geometry?.coordinates;
    if (!c) {
      out.problems.push({ index: i, id, reason: 'no_geometry' });
      out.x[i] = out.y[i] = NaN;
    } else if (!Number.isFinite(c[0]) || !Number.isFinite(c[1]) || Math.abs(c[0]!) > 180 || Math.abs(c[1]!) > 90) {
      out.problems.push({ index: i, id, reason: 'bad_coordinate', value: c });
      out.x[i] = out.y[i] = NaN;
    } else {
      const [x, y] = projection.forward(c[0]!, c[1]!);
      out.x[i] = x;
      out.y[i] = y;
      out.lon[i] = c[0]!;
      out.lat[i] = c[1]!;
    }
    const raw = p['population'];
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (value === undefined || value === null || value === '') out.problems.push({ index: i, id, reason: 'population_missing' });
    else if (typeof value !== 'number' || !Number.isFinite(value))
      out.problems.push({ index: i, id, reason: 'population_not_a_number', value: raw });
    else if (value < 0) out.problems.push({ index: i, id, reason: 'population_negative', value });
    else if (Number.isFinite(out.x[i])) out.people[i] = value;
    out.urban[i] = p['urban'] === true || p['urban'] === 1 || p['urban'] === 'true' ? 1 : 0;
    out.zone[i] = zoneIndex.get(String(p['township'] ?? '')) ?? -1;
  });
  return out;
}
