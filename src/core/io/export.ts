/**
 * Export for GIS teams: facilities, population points with the minutes to the nearest facility of each tier,
 * service areas per tier and threshold, and the township coverage and ratio table, as GeoJSON, FlatGeobuf, CSV, a
 * zipped Shapefile or an Excel workbook, in WGS84 (default) or GCJ-02 (for AMap users). Errors are values:
 * { ok: false, error }.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { transformGeoJSON, wgs84ToGcj02 } from '../crs';
import type { CoverageSummary } from '../coverage/aggregate';
import type { EmergencyCheck } from '../coverage/report';
import { withinPart } from '../coverage/standard';
import { TIERS, type Tier } from '../model';
import { provenanceOf, type Provenance } from '../provenance';
import type { RatiosReport } from '../ratios/report';
import { emergencyKeys, emergencyLabels, TIER_WORDS, type ColumnWords } from './csv-columns';
import { writeCsvLayer } from './csv-write';
import { writeFlatGeobufLayer } from './formats/flatgeobuf';
import { orderProperties } from './formats/geojson';
import { roundGeometry } from './geometry';
import { writeShapefile } from './formats/shapefile';
import { detailOf, IoError, toFailure, type IoFailure } from './messages';
import { outputFormatFor, type OutputFormat } from './registry';
import type { Written } from './types';
import { encodeUtf8 } from './web';
import { writeXlsxLayer, type ExtraTable, type WorkbookFacts } from './xlsx-write';

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
  /** A CSV to be read in this language (headers, units, rounding; exact values kept), not a bare GIS table. */
  lang?: 'zh' | 'en';
  /** A workbook's 说明 / About sheet: what was measured, how, on which data, plan and date. */
  facts?: WorkbookFacts;
  /** Headers of columns of the caller's own in a CSV or workbook (an emergency circle's, naming it). */
  labels?: ColumnWords;
  /** Tables a workbook carries on sheets of their own after the layer's (the emergency circles). */
  tables?: readonly ExtraTable[];
  /** Shapefile: .dbf names (≤ 10 bytes) chosen for some columns; the zip's fields.json keeps the full names. */
  shortNames?: Readonly<Record<string, string>>;
}

export type ExportOutcome = { ok: true; written: Written } | { ok: false; error: IoFailure };

/** The bytes of a layer in a format. Coordinates come in WGS84 and are converted to GCJ-02 when asked. */
export async function writeLayer(collection: FeatureCollection<Geometry | null>, options: ExportOptions): Promise<Written> {
  const crs = options.crs ?? 'wgs84';
  // GeoJSON converts a feature at a time as it streams; the other writers take the whole layer converted.
  const converted = crs === 'gcj02' && options.format !== 'geojson' ? transformGeoJSON(collection, wgs84ToGcj02) : collection;
  const common = { name: options.name, crs, decimals: options.decimals ?? 7, ...(options.columns ? { columns: options.columns } : {}) };
  switch (options.format) {
    case 'geojson': {
      // Streamed into pieces and joined once: about twice the output, where writeGeoJson held about four times.
      const chunks: Uint8Array[] = [];
      const total = await streamGeoJson(collection, { ...common, crs }, (chunk) => void chunks.push(chunk));
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks.splice(0)) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      return { bytes, mime: 'application/geo+json', warnings: [] };
    }
    case 'csv':
      // The one CSV writer (csv-write.ts): RFC 4180, BOM, formula cells neutralised.
      return writeCsvLayer(converted, {
        ...common,
        ...(options.lang ? { lang: options.lang } : {}),
        ...(options.labels ? { labels: options.labels } : {}),
      });
    case 'xlsx':
      // The one workbook writer (xlsx-write.ts), over the CSV's table model; Chinese headers unless told.
      return writeXlsxLayer(converted, {
        ...common,
        ...(options.lang ? { lang: options.lang } : {}),
        ...(options.facts ? { facts: options.facts } : {}),
        ...(options.labels ? { labels: options.labels } : {}),
        ...(options.tables ? { tables: options.tables } : {}),
      });
    case 'flatgeobuf':
      return writeFlatGeobufLayer(converted, common);
    case 'shapefile':
      return writeShapefile(converted, { ...common, ...(options.shortNames ? { shortNames: options.shortNames } : {}) });
  }
}

/**
 * GeoJSON written as a stream: the same text as writeGeoJson (RFC 7946, rings rewound, coordinates rounded, one
 * feature per line), handed to `sink` in pieces of about `chunkBytes`, converted a feature at a time, so a large
 * layer is never held as text (the lines, their join and the encoded bytes were three copies of the output).
 * Resolves to the bytes written.
 */
async function streamGeoJson(
  collection: FeatureCollection<Geometry | null>,
  options: Omit<ExportOptions, 'format'>,
  sink: (chunk: Uint8Array) => Promise<void> | void,
  chunkBytes = 1 << 20,
): Promise<number> {
  const { default: rewind } = await import('@turf/rewind');
  const crs = options.crs ?? 'wgs84';
  const decimals = options.decimals ?? 7;
  const head: Record<string, unknown> = { type: 'FeatureCollection', name: options.name };
  if (crs === 'gcj02') head.coordinate_system = 'GCJ-02 (AMap/Tencent), not WGS84: not RFC 7946';
  let bytes = 0;
  let parts: string[] = [];
  let pending = 0;
  const flush = async (): Promise<void> => {
    if (parts.length === 0) return;
    const chunk = encodeUtf8(parts.join(''));
    parts = [];
    pending = 0;
    bytes += chunk.length;
    await sink(chunk);
  };
  // Pieces are gathered synchronously and handed on at about chunkBytes: an await per feature would cost a
  // promise per feature.
  const push = (text: string): boolean => {
    parts.push(text);
    pending += text.length;
    return pending >= chunkBytes;
  };
  push(`${JSON.stringify(head).slice(0, -1)},"features":[\n`);
  const features = collection.features;
  for (let i = 0; i < features.length; i++) {
    const source = features[i]!;
    const f = crs === 'gcj02' ? transformGeoJSON(source, wgs84ToGcj02) : source;
    let geometry: Geometry | null = f.geometry ? roundGeometry(f.geometry, decimals) : null;
    if (geometry && (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon' || geometry.type === 'GeometryCollection')) {
      geometry = rewind(geometry, { reverse: false, mutate: true }) as Geometry;
    }
    const out: Feature<Geometry | null> = { type: 'Feature', properties: orderProperties(f.properties ?? {}, options.columns), geometry };
    if (push(i === 0 ? JSON.stringify(out) : `,\n${JSON.stringify(out)}`)) await flush();
  }
  push('\n]}\n');
  await flush();
  return bytes;
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
  'provenance',
];

/**
 * The facilities layer with its column order, each facility with its `provenance` (planned, modelled or real: a
 * planned facility is neither surveyed nor modelled), as the feature info and the report say it.
 */
export function facilitiesForExport<P extends Record<string, unknown>>(
  facilities: FeatureCollection<Point, P>,
): {
  collection: FeatureCollection<Point, P & { provenance: Provenance }>;
  columns: string[];
} {
  return {
    collection: {
      ...facilities,
      features: facilities.features.map((f) => ({ ...f, properties: { ...f.properties, provenance: provenanceOf(f.properties) } })),
    },
    columns: FACILITY_COLUMNS,
  };
}

/** One column of minutes per population point, in the points' order (non-finite: unreachable → null). */
export interface MinutesColumn {
  name: string;
  minutes: ArrayLike<number>;
}

/**
 * One emergency circle as the population export carries it: its check (the figures the coverage panel shows) and
 * each settlement's minutes to its nearest base on the same engine (report.ts emergencyMinutes).
 */
export interface EmergencyMeasure {
  check: EmergencyCheck;
  minutes: ArrayLike<number>;
}

/**
 * Population points with minutes to the nearest facility of each tier: the caller passes the columns (e.g.
 * `minutes_county_hospital` from the coverage engine's times). Minutes are rounded to 0.01. With the plan's
 * emergency circles, two columns each (keys `emerg_<id>_min`, `emerg_<id>_ok`, csv-columns.ts emergencyKeys):
 * the minutes from (or to) the circle's nearest base, empty where none is within the circle's minutes (its search
 * stops there) or none is reachable, and whether the settlement is within the circle, by the rule its check
 * counts with (withinPart on the unrounded minutes), so the people of the `_ok` rows sum to the check's covered.
 * A circle without roads is not measured: both columns empty. In a Shapefile they are `em<k>_min`, `em<k>_ok` (the
 * k-th circle), the full names in the zip's fields.json.
 */
export function populationWithMinutes<P extends Record<string, unknown>>(
  population: FeatureCollection<Point, P>,
  columns: readonly MinutesColumn[],
  emergency: readonly EmergencyMeasure[] = [],
): {
  collection: FeatureCollection<Point, Record<string, unknown>>;
  columns: string[];
  labels: Record<string, { zh: string; en: string }>;
  shortNames: Record<string, string>;
} {
  for (const c of [...columns, ...emergency.map((e) => ({ name: e.check.standard.id, minutes: e.minutes }))]) {
    if (c.minutes.length !== population.features.length) {
      throw new IoError('write-unsupported', {
        format: 'population',
        detail: `column ${c.name} has ${c.minutes.length} values for ${population.features.length} points`,
        detailZh: `列 ${c.name} 有 ${c.minutes.length} 个值，而人口点有 ${population.features.length} 个`,
      });
    }
  }
  const circles = emergency.map((e, k) => ({
    ...e,
    keys: emergencyKeys(e.check.standard.id),
    short: `em${k + 1}`,
  }));
  const features = population.features.map((f, i) => {
    const props: Record<string, unknown> = { ...f.properties };
    for (const c of columns) {
      const m = c.minutes[i] as number;
      props[c.name] = Number.isFinite(m) ? Math.round(m * 100) / 100 : null;
    }
    for (const c of circles) {
      const [m, ok] = emergencyCells(c, i);
      props[c.keys.minutes] = m === null ? null : Math.round(m * 100) / 100;
      props[c.keys.ok] = ok;
    }
    return { type: 'Feature' as const, geometry: f.geometry, properties: props };
  });
  return {
    collection: { type: 'FeatureCollection', features },
    columns: ['id', 'name', 'population', ...columns.map((c) => c.name), ...circles.flatMap((c) => [c.keys.minutes, c.keys.ok])],
    labels: Object.assign({}, ...circles.map((c) => emergencyLabels(c.check.standard))) as Record<string, { zh: string; en: string }>,
    shortNames: Object.fromEntries(
      circles.flatMap((c) => [
        [c.keys.minutes, `${c.short}_min`],
        [c.keys.ok, `${c.short}_ok`],
      ]),
    ),
  };
}

/**
 * A settlement's two cells of an emergency circle: its minutes to the nearest base (null: none within the circle's
 * minutes, none reachable, or no roads to measure on) and whether it is within the circle, by the rule the check
 * counts with (null without roads: not judged). The app's export and the CLI's --times both write these.
 */
export function emergencyCells(e: EmergencyMeasure, i: number): [minutes: number | null, within: boolean | null] {
  if (e.check.noRoads) return [null, null];
  const m = e.minutes[i] as number;
  return [Number.isFinite(m) ? m : null, withinPart(m, e.check.check.parts[0]!.part)];
}

/** The columns of emergencyTable, in order. */
export const EMERGENCY_TABLE_COLUMNS = [
  'id',
  'name',
  'circle_source',
  'plan_quote',
  'circle_minutes',
  'bases',
  'profile',
  'direction',
  'population',
  'covered',
  'covered_share',
  'uncovered_settlements',
  'verdict',
  'verdict_reason',
  'no_bases',
  'modelled_basis',
  'method',
];

/**
 * The emergency circles as a table, one row each, with the figures of their checks as the coverage panel shows
 * them (people within, share, verdict: 全覆盖 is met only when everyone is within; no figure without roads),
 * the layers they stand on that are modelled (示意) and each circle's method in words (`method`, by the caller).
 * Bases and modelled layers are comma-separated codes (a readable table puts them in words).
 */
export function emergencyTable(
  checks: readonly EmergencyCheck[],
  modelled: readonly string[],
  method: (check: EmergencyCheck) => string,
): Record<string, unknown>[] {
  return checks.map((e) => {
    const part = e.check.parts[0];
    const population = part?.population ?? 0;
    const covered = e.noRoads ? null : (part?.covered ?? 0);
    return {
      id: e.standard.id,
      name: e.standard.name,
      circle_source: e.standard.source,
      plan_quote: e.standard.quote?.quote ?? null,
      circle_minutes: e.standard.minutes,
      bases: e.standard.tiers.join(','),
      profile: e.standard.profile,
      direction: e.standard.direction,
      population,
      covered,
      covered_share: covered !== null && population > 0 ? covered / population : null,
      uncovered_settlements: e.noRoads ? null : e.uncoveredCount,
      verdict: e.check.verdict,
      verdict_reason: e.check.reason,
      no_bases: e.noBases,
      modelled_basis: modelled.join(','),
      method: method(e),
    };
  });
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
        properties: { ...a.properties, tier_zh: TIER_WORDS[a.properties.tier]!.zh },
      })),
    },
    columns: ['tier', 'tier_zh', 'minutes', 'mode'],
  };
}

/**
 * The township table: one row per township with population, people and shares within each threshold per tier and
 * any tier, the people meeting the plan's standard (every part that applies to them, as the choropleth and the
 * report count them; the county row also carries the verdict), and (with a ratios report) each ratio's value; with
 * the plan's emergency circles, each circle's people within and share (`emerg_<id>_met`, `emerg_<id>_share`; a
 * Shapefile's `em<k>_met`, `em<k>_shr`) as its check counts them, none without roads. Joined to the township
 * polygons when given (by code), else rows without geometry (for CSV).
 */
export function townshipTable(
  coverage: CoverageSummary,
  ratios?: RatiosReport,
  zones?: FeatureCollection<Polygon | MultiPolygon, { code: string } & Record<string, unknown>>,
  emergency: readonly EmergencyCheck[] = [],
): {
  collection: FeatureCollection<Geometry | null, Record<string, unknown>>;
  columns: string[];
  labels: Record<string, { zh: string; en: string }>;
  shortNames: Record<string, string>;
} {
  const columns = ['code', 'name', 'population'];
  const meeting = new Map(coverage.townships.map((t) => [t.code, t]));
  const circles = emergency.map((e) => ({
    e,
    keys: emergencyKeys(e.standard.id),
    byCode: new Map(e.townships.map((t) => [t.code, t])),
  }));
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
    const met = i === 0 ? area.population - coverage.standard.shortfall : (meeting.get(area.code)?.covered ?? null);
    row.standard_met = met;
    row.standard_share = met !== null && area.population > 0 ? met / area.population : null;
    if (i === 0) row.standard_verdict = coverage.standard.verdict;
    for (const { e, keys, byCode } of circles) {
      const part = e.check.parts[0];
      const reach = i === 0 ? (part ? { covered: part.covered, population: part.population } : null) : (byCode.get(area.code) ?? null);
      const covered = e.noRoads || !reach ? null : reach.covered;
      row[keys.met] = covered;
      row[keys.share] = covered !== null && reach!.population > 0 ? covered / reach!.population : null;
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
  return {
    collection: { type: 'FeatureCollection', features: kept },
    columns,
    labels: Object.assign({}, ...circles.map((c) => emergencyLabels(c.e.standard))) as Record<string, { zh: string; en: string }>,
    shortNames: Object.fromEntries(
      circles.flatMap((c, k) => [
        [c.keys.met, `em${k + 1}_met`],
        [c.keys.share, `em${k + 1}_shr`],
      ]),
    ),
  };
}
