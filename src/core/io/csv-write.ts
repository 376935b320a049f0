/**
 * The one CSV writer: every CSV the app and the CLI write goes through here (layer exports, `coverage --times`,
 * `access --points`, `access --facilities-out x.csv`, `export --out x.csv`).
 *
 * - RFC 4180: cells are separated by `,`, records end in CRLF (what Excel writes), and a cell is quoted, with inner
 *   `"` doubled, when it holds `,` `"` CR or LF, `;` or tab (separators of other locales and of TSV readers, so a
 *   spreadsheet that splits on them cannot cut a cell in two), or starts or ends with white space.
 * - Text that a reader would take for something else (empty, a plain number, `true`/`false`) is quoted too, so
 *   readers that keep quoted fields as text (ours, GDAL's QUOTED_FIELDS_AS_STRING) read back the same text: the
 *   code "360724100" stays text.
 * - Numbers are written plainly (`String(n)`); a non-finite number (NaN, ±Infinity) is an empty cell. Booleans are
 *   `true`/`false`, null and undefined empty cells, other values their JSON text.
 * - Formula injection (OWASP "CSV Injection"): a text cell that begins with `=` `+` `-` `@`, tab or carriage return,
 *   or their full-width forms `＝` `＋` `－` `＠`, also after leading white space, gets a single quote `'` in
 *   front (and is then quoted as needed), so a spreadsheet shows it as text instead of running it. Typed numbers
 *   are never prefixed: -3.5 as a number stays -3.5. The cost: a reader that is not a spreadsheet sees the `'`.
 * - UTF-8, with a byte-order mark when asked (Excel needs it to show Chinese).
 *
 * Big files: csvBytes and CsvWriter encode the text in pieces of about 1 MB, so no one string of the whole file is
 * built; the result is one Uint8Array.
 *
 * Pure TypeScript, no DOM: runs in the browser, the workers and Node.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { geometryHeaders, readableTable, type ColumnWords, type CsvLang } from './csv-columns';
import { orderProperties } from './formats/geojson';
import { roundTo, toWkt } from './geometry';
import type { Written } from './types';
import { encodeUtf8 } from './web';

/** Record separator (RFC 4180, what Excel writes). */
const CSV_EOL = '\r\n';
/** The UTF-8 byte-order mark, as text. */
export const CSV_BOM = '\uFEFF';
const CSV_MIME = 'text/csv;charset=utf-8';

/** What a cell may hold. Numbers are numbers (never prefixed); strings are text (neutralised when a formula). */
export type CsvValue = string | number | bigint | boolean | null | undefined | object;

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark (default true: Excel shows Chinese only with it). */
  bom?: boolean;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP), with their full-width forms. */
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Characters that need the cell quoted: RFC 4180's, plus `;` and tab, and white space at either end. */
const NEEDS_QUOTES = /[",\r\n;\t]|^\s|\s$/;
/** Text a reader would take for a number. */
const NUMBER_LIKE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Text with a `'` in front when a spreadsheet would run it as a formula (OWASP CSV injection), else unchanged. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One text cell: neutralised, then quoted when it must be or when it would read back as another type. */
function csvText(text: string): string {
  const safe = neutraliseFormula(text);
  const ambiguous = safe === '' || safe === 'true' || safe === 'false' || NUMBER_LIKE.test(safe);
  return ambiguous || NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One cell of any value (see the module notes for each type). */
export function csvCell(value: CsvValue): string {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : '';
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return csvText(value);
    case 'undefined':
      return '';
    default:
      return value === null ? '' : csvText(JSON.stringify(value) ?? '');
  }
}

/** One record, without its line end. */
export function csvRow(cells: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvCell(cells[i]);
  return line;
}

/** A whole CSV file as text: the header, then each row, every record ending in CRLF; BOM first unless bom: false. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>, options: CsvOptions = {}): string {
  let text = (options.bom === false ? '' : CSV_BOM) + csvRow(header) + CSV_EOL;
  for (const row of rows) text += csvRow(row) + CSV_EOL;
  return text;
}

const CHUNK_CHARS = 1 << 20;

/**
 * Builds a CSV file as UTF-8 bytes a row at a time: text is encoded every ~1 MB, so a big export never holds the
 * whole file as one string.
 */
export class CsvWriter {
  #pending = '';
  #chunks: Uint8Array[] = [];
  #length = 0;

  constructor(header: readonly string[], options: CsvOptions = {}) {
    this.#pending = (options.bom === false ? '' : CSV_BOM) + csvRow(header) + CSV_EOL;
  }

  /** Adds one record. */
  row(cells: readonly CsvValue[]): void {
    this.#pending += csvRow(cells) + CSV_EOL;
    if (this.#pending.length >= CHUNK_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#pending === '') return;
    const bytes = encodeUtf8(this.#pending);
    this.#pending = '';
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  /** The file's bytes. The writer is empty afterwards. */
  bytes(): Uint8Array {
    this.#flush();
    const chunks = this.#chunks;
    const length = this.#length;
    this.#chunks = [];
    this.#length = 0;
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(length);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** A whole CSV file as UTF-8 bytes, built in pieces (see CsvWriter). */
export function csvBytes(header: readonly string[], rows: Iterable<readonly CsvValue[]>, options: CsvOptions = {}): Uint8Array {
  const writer = new CsvWriter(header, options);
  for (const row of rows) writer.row(row);
  return writer.bytes();
}

/**
 * The shape of a layer as a table (the CSV and the workbook writers share it): whether every feature is a point
 * (then `lon`,`lat` columns), whether none has a geometry, and the property columns: `columns` first (those
 * present), then the others in the order met.
 */
export function layerShape(
  collection: FeatureCollection<Geometry | null>,
  columns?: readonly string[],
): { allPoints: boolean; noGeometry: boolean; keys: string[] } {
  const features = collection.features;
  const allPoints = features.length > 0 && features.every((f) => f.geometry?.type === 'Point' && f.geometry.coordinates.length >= 2);
  const noGeometry = features.every((f) => f.geometry === null);
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const f of features) {
    for (const k of Object.keys(orderProperties(f.properties ?? {}, columns))) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const ordered = columns ? [...columns.filter((c) => seen.has(c)), ...keys.filter((k) => !columns.includes(k))] : keys;
  return { allPoints, noGeometry, keys: ordered };
}

/**
 * A layer as CSV (UTF-8 with BOM): points as `lon`,`lat` number columns, other geometries as a `WKT` column, no
 * geometry columns when no feature has a geometry. Property columns: `columns` first (those present), then the
 * others in the order met. With `lang` (the app's table exports) the table is written to be read: headers in that
 * language with units, values rounded and in words, exact values in `<field>_exact` columns (csv-columns.ts).
 */
export function writeCsvLayer(
  collection: FeatureCollection<Geometry | null>,
  options: { columns?: string[]; decimals: number; lang?: CsvLang; crs?: 'wgs84' | 'gcj02'; labels?: ColumnWords },
): Written {
  const features = collection.features;
  const { allPoints, noGeometry, keys: ordered } = layerShape(collection, options.columns);
  const lang = options.lang;
  const names = lang ? geometryHeaders(lang, options.crs ?? 'wgs84') : { lon: 'lon', lat: 'lat', wkt: 'WKT' };
  const geomHeader = noGeometry ? [] : allPoints ? [names.lon, names.lat] : [names.wkt];
  const table = lang
    ? readableTable(
        ordered,
        features.map((f) => f.properties ?? {}),
        lang,
        options.labels,
      )
    : null;
  const writer = new CsvWriter([...geomHeader, ...(table ? table.header : ordered)]);
  for (const f of features) {
    const props = f.properties ?? {};
    const cells: CsvValue[] = [];
    if (!noGeometry) {
      const g = f.geometry;
      if (allPoints && g?.type === 'Point')
        cells.push(roundTo(g.coordinates[0]!, options.decimals), roundTo(g.coordinates[1]!, options.decimals));
      else cells.push(g ? toWkt(g, options.decimals) : null);
    }
    if (table) cells.push(...(table.cells(props) as CsvValue[]));
    else for (const k of ordered) cells.push(props[k] as CsvValue);
    writer.row(cells);
  }
  return { bytes: writer.bytes(), mime: CSV_MIME, warnings: [] };
}
