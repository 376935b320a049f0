/**
 * Export for GIS teams: facilities, population points with the minutes to the nearest facility of each tier,
 * service areas per tier and threshold, and the township coverage and ratio table, as GeoJSON, FlatGeobuf, CSV or a
 * zipped Shapefile, in WGS84 (default) or GCJ-02 (for AMap users). Errors are values: { ok: false, error }.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { transformGeoJSON, wgs84ToGcj02 } from '../crs';
import type { CoverageSummary } from '../coverage/aggregate';
import { TIERS, type Tier } from '../model';
import type { RatiosReport } from '../ratios/report';
import { writeCsv } from './formats/csv';
import { writeFlatGeobufLayer } from './formats/flatgeobuf';
import { writeGeoJson } from './formats/geojson';
import { writeShapefile } from './formats/shapefile';
import { detailOf, IoError, toFailure, type IoFailure } from './messages';
import { outputFormatFor, type OutputFormat } from './registry';
import type { Written } from './types';

export interface ExportOptions {
  format: OutputFormat;
  /** Layer name (Shapefile members, GeoJSON name). */
  name: string;
  /** Output coordinates: WGS84 (default) or GCJ-02. */
  crs?: 'wgs84' | 'gcj02';
  /** Columns in this order first. */
  columns?: string[];
  /** Decimal places of coordinates in GeoJSON and CSV (default 7, about 1 cm). */
  decimals?: number;
}

export type ExportOutcome = { ok: true; written: Written } | { ok: false; error: IoFailure };

/** The bytes of a layer in a format. Coordinates come in WGS84 and are converted to GCJ-02 when asked. */
export async function writeLayer(collection: FeatureCollection<Geometry | null>, options: ExportOptions): Promise<Written> {
  const crs = options.crs ?? 'wgs84';
  const converted = crs === 'gcj02' ? transformGeoJSON(collection, wgs84ToGcj02) : collection;
  const common = { name: options.name, crs, decimals: options.decimals ?? 7, ...(options.columns ? { columns: options.columns } : {}) };
  switch (options.format) {
    case 'geojson':
      return writeGeoJson(converted, common);
    case 'csv':
      return writeCsv(converted, common);
    case 'flatgeobuf':
      return writeFlatGeobufLayer(converted, common);
    case 'shapefile':
      return writeShapefile(converted, common);
  }
}

/** writeLayer with errors as values. */
export async function exportLayer(collection: FeatureCollection<Geometry | null>, options: ExportOptions): Promise<ExportOutcome> {
  try {
    return { ok: true, written: await writeLayer(collection, options) };
  } catch (error) {
    const e =
      error instanceof IoError
        ? error
        : new IoError('write-unsupported', { format: options.format, detail: detailOf(error), detailZh: detailOf(error) });
    return { ok: false, error: toFailure(e) };
  }
}

/** The output format a file name asks for, or an IoError naming the extension. */
export function formatForFileName(fileName: string): OutputFormat {
  const format = outputFormatFor(fileName);
  if (!format) {
    const ext = /(\.[^./\\]+)$/.exec(fileName)?.[1] ?? '(none)';
    throw new IoError('unknown-extension', { file: fileName, ext });
  }
  return format;
}

// ── what the app exports ────────────────────────────────────────────────────────────────────────────────────────

/** Facility columns in the order GIS teams expect them (DESIGN.md "Contracts"), others after. */
export const FACILITY_COLUMNS = [
  'id',
  'name',
  'tier',
  'kind',
  'status',
  'beds',
  'physicians',
  'nurses',
  'gps',
  'public_health_staff',
  'township',
  'township_name',
];

export const TIER_ZH: Record<Tier, string> = { county_hospital: '县级医院', township_centre: '乡镇卫生院', village_clinic: '村卫生室' };

/** The facilities layer with its column order. */
export function facilitiesForExport<P extends Record<string, unknown>>(
  facilities: FeatureCollection<Point, P>,
): {
  collection: FeatureCollection<Point, P>;
  columns: string[];
} {
  return { collection: facilities, columns: FACILITY_COLUMNS };
}

/** One column of minutes per population point, in the points' order (non-finite: unreachable → null). */
export interface MinutesColumn {
  name: string;
  minutes: ArrayLike<number>;
}

/**
 * Population points with minutes to the nearest facility of each tier: the caller passes the columns (e.g.
 * `minutes_county_hospital` from the coverage engine's times). Minutes are rounded to 0.01.
 */
export function populationWithMinutes<P extends Record<string, unknown>>(
  population: FeatureCollection<Point, P>,
  columns: readonly MinutesColumn[],
): { collection: FeatureCollection<Point, Record<string, unknown>>; columns: string[] } {
  for (const c of columns) {
    if (c.minutes.length !== population.features.length) {
      throw new IoError('write-unsupported', {
        format: 'population',
        detail: `column ${c.name} has ${c.minutes.length} values for ${population.features.length} points`,
        detailZh: `列 ${c.name} 有 ${c.minutes.length} 个值，而人口点有 ${population.features.length} 个`,
      });
    }
  }
  const features = population.features.map((f, i) => {
    const props: Record<string, unknown> = { ...f.properties };
    for (const c of columns) {
      const m = c.minutes[i] as number;
      props[c.name] = Number.isFinite(m) ? Math.round(m * 100) / 100 : null;
    }
    return { type: 'Feature' as const, geometry: f.geometry, properties: props };
  });
  return { collection: { type: 'FeatureCollection', features }, columns: ['id', 'name', 'population', ...columns.map((c) => c.name)] };
}

/** Minutes columns named `minutes_<tier>` from per-tier time arrays (the coverage engine's `times`). */
export function minutesColumns(times: Partial<Record<Tier | 'any', ArrayLike<number>>>): MinutesColumn[] {
  const out: MinutesColumn[] = [];
  for (const tier of [...TIERS, 'any'] as const) {
    const t = times[tier];
    if (t) out.push({ name: `minutes_${tier}`, minutes: t });
  }
  return out;
}

/** Service-area polygons with tier, minutes and the tier's Chinese name. */
export function serviceAreasForExport(
  areas: readonly Feature<Polygon | MultiPolygon, { tier: Tier; minutes: number } & Record<string, unknown>>[],
): { collection: FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>>; columns: string[] } {
  return {
    collection: {
      type: 'FeatureCollection',
      features: areas.map((a) => ({
        type: 'Feature',
        geometry: a.geometry,
        properties: { ...a.properties, tier_zh: TIER_ZH[a.properties.tier] },
      })),
    },
    columns: ['tier', 'tier_zh', 'minutes', 'mode'],
  };
}

/**
 * The township table: one row per township with population, people and shares within each threshold per tier and
 * any tier, and (with a ratios report) each ratio's value. Joined to the township polygons when given (by code),
 * else rows without geometry (for CSV).
 */
export function townshipTable(
  coverage: CoverageSummary,
  ratios?: RatiosReport,
  zones?: FeatureCollection<Polygon | MultiPolygon, { code: string } & Record<string, unknown>>,
): { collection: FeatureCollection<Geometry | null, Record<string, unknown>>; columns: string[] } {
  const columns = ['code', 'name', 'population'];
  const rows = [coverage.county, ...coverage.zones].map((area, i) => {
    const row: Record<string, unknown> = {
      code: area.code,
      name: area.name,
      population: area.population,
      level: i === 0 ? 'county' : 'township',
    };
    for (const m of coverage.thresholds) {
      for (const tier of TIERS) {
        const reach = area.tiers[tier][String(m)];
        row[`${tier}_${m}min`] = reach?.covered ?? null;
        row[`${tier}_${m}min_share`] = reach?.share ?? null;
      }
      row[`any_${m}min`] = area.any[String(m)]?.covered ?? null;
      row[`any_${m}min_share`] = area.any[String(m)]?.share ?? null;
    }
    const r = i === 0 ? ratios?.county.ratios : ratios?.zones.find((z) => z.code === area.code)?.ratios;
    if (r) for (const [id, v] of Object.entries(r)) row[id] = v.value;
    return row;
  });
  const byCode = new Map((zones?.features ?? []).map((z) => [z.properties.code, z.geometry]));
  const features = rows.map((properties) => ({
    type: 'Feature' as const,
    geometry: (zones ? (byCode.get(String(properties.code)) ?? null) : null) as Geometry | null,
    properties,
  }));
  // The county row has no polygon among the townships: with zones, keep the townships only.
  const kept = zones ? features.filter((f) => f.geometry !== null) : features;
  return { collection: { type: 'FeatureCollection', features: kept }, columns };
}
