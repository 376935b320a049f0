/**
 * A table's rows as features: the one rule for CSV and spreadsheet sheets. Which columns hold the coordinates
 * (lon/lng/long/longitude/x/经度 and lat/latitude/y/纬度, any case, decimal or 度分秒 such as 114°24′30″; else a
 * WKT column: WKT/geometry/geom/the_geom), how the header's names are made unique, and how one row of typed
 * values becomes a RawFeature with its problem. The readers give the values typed (csv.ts: unquoted plain
 * numbers are numbers; xlsx.ts: the cell's own type) and the row number the planner sees.
 */
import { parseWkt } from '../geometry';
import { detailOf } from '../messages';
import type { RawFeature, RawRead } from '../types';
import { setProperty } from './geojson';

export const LON_NAMES = ['lon', 'lng', 'long', 'longitude', 'x', '经度', '东经', 'point_x', 'x坐标', 'gps经度', 'wgs84经度'];
export const LAT_NAMES = ['lat', 'latitude', 'y', '纬度', '北纬', 'point_y', 'y坐标', 'gps纬度', 'wgs84纬度'];
export const WKT_NAMES = ['wkt', 'geometry', 'geom', 'the_geom', 'shape', 'wkt_geom'];

const squash = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_\-()（）]/g, '');

export function findColumn(header: readonly string[], names: readonly string[]): number {
  const wanted = names.map(squash);
  for (const name of wanted) {
    const i = header.findIndex((h) => squash(h) === name);
    if (i >= 0) return i;
  }
  return -1;
}

/** Degrees from a number or a 度分秒 text (114°24′30″E, 114度24分30秒); NaN when it is neither. */
function parseDegrees(text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  const m =
    /^([-+]?\d+(?:\.\d+)?)\s*[°度:]\s*(?:(\d+(?:\.\d+)?)\s*['′’分:]?\s*)?(?:(\d+(?:\.\d+)?)\s*(?:["″”秒]|'')?\s*)?([EWNSewns东西南北])?$/.exec(
      t,
    );
  if (!m) return NaN;
  const value = Math.abs(Number(m[1])) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  const negative = (m[1] as string).startsWith('-') || /[WSws西南]/.test(m[4] ?? '');
  return negative ? -value : value;
}

export interface TableLayout {
  header: string[];
  lon: number;
  lat: number;
  wkt: number;
  /** No coordinate columns: the rows are a table (a registry to place by village, a join), not yet a layer. */
  none?: true;
}

/**
 * The columns of a header row: blank names become column_N, repeated names get a suffix so no column is lost,
 * and the coordinate columns are found. A header with none gives a layout marked `none` (see noCoordinates).
 */
export function tableLayout(names: readonly string[]): TableLayout {
  const header = names.map((name, i) => name.replace(/^\uFEFF/, '').trim() || `column_${i + 1}`);
  const seen = new Map<string, number>();
  for (let i = 0; i < header.length; i++) {
    const h = header[i] as string;
    const n = seen.get(h) ?? 0;
    seen.set(h, n + 1);
    if (n > 0) header[i] = `${h}_${n + 1}`;
  }
  const lon = findColumn(header, LON_NAMES);
  const lat = findColumn(header, LAT_NAMES);
  const wkt = findColumn(header, WKT_NAMES);
  if ((lon < 0 || lat < 0) && wkt < 0) return { header, lon: -1, lat: -1, wkt: -1, none: true };
  return { header, lon: lat >= 0 ? lon : -1, lat: lon >= 0 ? lat : -1, wkt };
}

/**
 * What a reader says of a table without coordinate columns: as a layer it cannot be imported (the import refuses it
 * as a whole), unless its rows are placed another way first (a registry by its village names: place-registry.ts) or
 * it is read as a table (a join reads the rows and ignores this).
 */
export function noCoordinates(layout: TableLayout, file: string): Pick<RawRead, 'blocking'> {
  return layout.none ? { blocking: { code: 'csv-no-coordinates', params: { file, columns: layout.header.slice(0, 20).join(', ') } } } : {};
}

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const textOf = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const degreesOf = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? parseDegrees(v) : NaN);

/** One row of typed values (null for an empty cell) as a feature; `row` is the row number the planner sees. */
export function rowToFeature(values: readonly unknown[], row: number, index: number, layout: TableLayout): RawFeature {
  const { header, lon, lat, wkt } = layout;
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) {
    if (i === lon || i === lat || (i === wkt && lon < 0)) continue;
    const v = values[i];
    // setProperty: a column named __proto__ is kept like any other.
    setProperty(properties, header[i] as string, v === undefined ? null : v);
  }
  // Cells beyond the header are kept under numbered names rather than dropped.
  for (let i = header.length; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && v !== '') setProperty(properties, `column_${i + 1}`, v);
  }
  const feature: RawFeature = { geometry: null, properties, row, index };
  if (layout.none) {
    feature.problem = { code: 'coord-missing', params: { columns: '—' } };
    return feature;
  }
  if (lon >= 0) {
    const x = values[lon];
    const y = values[lat];
    if (blank(x) || blank(y)) {
      feature.problem = { code: 'coord-missing', params: { columns: `${header[lon]}, ${header[lat]}` } };
      return feature;
    }
    const lonV = degreesOf(x);
    const latV = degreesOf(y);
    if (!Number.isFinite(lonV) || !Number.isFinite(latV)) {
      feature.problem = { code: 'coord-not-number', params: { value: `${textOf(x).slice(0, 40)}, ${textOf(y).slice(0, 40)}` } };
      return feature;
    }
    feature.geometry = { type: 'Point', coordinates: [lonV, latV] };
    return feature;
  }
  const text = textOf(values[wkt]);
  if (text.trim() === '') {
    feature.problem = { code: 'coord-missing', params: { columns: header[wkt] as string } };
    return feature;
  }
  try {
    feature.geometry = parseWkt(text);
  } catch (error) {
    feature.problem = { code: 'geometry-invalid', params: { detail: detailOf(error) } };
  }
  return feature;
}

/** The field names a table's features have: the header's (less the coordinate columns), then any extra ones. */
export function tableFieldNames(layout: TableLayout, features: readonly RawFeature[]): RawRead['fieldNames'] {
  const fieldNames = layout.header.filter((_, i) => i !== layout.lon && i !== layout.lat && !(i === layout.wkt && layout.lon < 0));
  const known = new Set(fieldNames);
  const extra = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties)) if (!known.has(k)) extra.add(k);
  return [...fieldNames, ...extra];
}
