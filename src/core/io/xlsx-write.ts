/**
 * The one workbook writer (.xlsx, Office Open XML): every table and point layer the app and the CLI write as Excel
 * goes through here, over the same table model as the CSV (csv-columns.ts: headers in the reader's language with
 * units, values in words where the CSV has words).
 *
 * - Numbers are stored as numbers with a number format: the cell keeps the exact value the engine counted and the
 *   format rounds what a person reads (people `#,##0`, shares `0.0%` on the 0–1 value, minutes `0.0`, ratios
 *   `0.00`). So a workbook has no `<field>_exact` columns: the exact value is the cell's own.
 * - Codes (12-digit 统计用区划代码, 9-digit township codes, ids) are text cells with the text format `@`, so Excel and
 *   WPS keep their leading zeros and every digit (a 12-digit number would survive, an 18-digit one would not).
 * - Text cells are never formulas in a workbook (a shared-string cell is not evaluated), so no `'` is put in front
 *   as in the CSV.
 * - The header row is frozen and filtered, the columns sized to their contents (CJK counted double).
 * - A second sheet, 说明 / About, says what was measured, by which method, on which data (modelled or real), under
 *   which plan and on which date: the facts the report and the file's provenance columns carry.
 *
 * SheetJS community edition (`@e965/xlsx` 0.20.3, loaded on first use): it writes number formats (`z`) and column
 * widths, not cell styles (bold headers) and not frozen panes. The pane is written here into the sheet's XML after
 * SheetJS (fflate, already a dependency), the one workaround of its limits.
 *
 * Pure TypeScript, no DOM: runs in the browser, the workers and Node.
 */
import type { WorkSheet } from '@e965/xlsx';
import type { FeatureCollection, Geometry } from 'geojson';
import { geometryHeaders, readableTable, type ColumnWords, type CsvLang, type TableColumn } from './csv-columns';
import { layerShape } from './csv-write';
import { roundTo } from './geometry';
import { IoError } from './messages';
import type { Written } from './types';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel's limits: rows per sheet (the header takes one) and characters per cell. */
const MAX_ROWS = 1_048_576;
const MAX_CELL_CHARS = 32_767;

/** The facts a workbook's 说明 / About sheet states, already worded in the reader's language. */
export interface WorkbookFacts {
  /** What the table holds, e.g. 乡镇覆盖与配置. */
  table: string;
  county?: string;
  /** What was measured (the service circles' minutes, the tier…). */
  measured?: string;
  /** By which method (straight line or road network, with speeds). */
  method?: string;
  /** On which data: real, partly real or modelled, per layer. */
  data?: string;
  /** Under which plan (its title). */
  plan?: string;
  /** The date the file was written (YYYY-MM-DD). */
  date?: string;
  /** The coordinate system of the coordinates, when there are any. */
  crs?: string;
  /** Anything else a reader must know (one line each). */
  notes?: string[];
}

/** One sheet of a workbook: its columns (label, kind, number format) and rows of typed cells in that order. */
export interface XlsxSheet {
  name: string;
  columns: readonly Pick<TableColumn, 'label' | 'kind' | 'numberFormat'>[];
  rows: readonly (readonly unknown[])[];
}

const FACT_LABELS: Record<CsvLang, Record<keyof WorkbookFacts | 'formats', string>> = {
  zh: {
    table: '表',
    county: '县（区）',
    measured: '测算内容',
    method: '计算方法',
    data: '数据性质',
    plan: '规划',
    date: '导出日期',
    crs: '坐标系',
    notes: '说明',
    formats: '数值格式',
  },
  en: {
    table: 'Table',
    county: 'County',
    measured: 'What was measured',
    method: 'Method',
    data: 'Data',
    plan: 'Plan',
    date: 'Exported on',
    crs: 'Coordinates',
    notes: 'Note',
    formats: 'Numbers',
  },
};

const FORMATS_NOTE: Record<CsvLang, string> = {
  zh: '数值以数字保存、按格式显示取整（人口取整，比例为 0–1 的小数按百分比显示一位小数，用时一位小数，比率两位小数），单元格内为精确值；代码以文本保存，保留前导零。',
  en: 'Numbers are stored as numbers and shown rounded by their format (people whole, shares as the 0–1 fraction shown in percent to 0.1, minutes to 0.1, ratios to 0.01); the cell holds the exact value. Codes are text and keep their leading zeros.',
};

/** A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet';
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 28)}_${i}`;
  taken.add(out.toLowerCase());
  return out;
}

/** Display width of a text in Excel's character units: CJK and full-width characters count two. */
function widthOf(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

type Cell = { t: 's' | 'n' | 'b'; v: string | number | boolean; z?: string };

/** One cell of a typed value, or null for an empty cell. Counts cut text in `cut`. */
function cellOf(value: unknown, column: XlsxSheet['columns'][number], cut: { n: number }): Cell | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return column.numberFormat ? { t: 'n', v: value, z: column.numberFormat } : { t: 'n', v: value };
  }
  if (typeof value === 'bigint') return { t: 's', v: String(value), z: '@' };
  if (typeof value === 'boolean') return { t: 'b', v: value };
  let text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  if (text === '') return null;
  if (text.length > MAX_CELL_CHARS) {
    text = text.slice(0, MAX_CELL_CHARS);
    cut.n++;
  }
  // Codes keep the text format, so a cell edited in Excel stays text with its leading zeros.
  return column.kind === 'code' ? { t: 's', v: text, z: '@' } : { t: 's', v: text };
}

/** The frozen header row SheetJS CE does not write: a pane below row 1 in the sheet's view. */
const FROZEN_VIEW =
  '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
  '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>';

async function freezeHeaderRows(bytes: Uint8Array, sheets: number): Promise<Uint8Array> {
  const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
  const files = unzipSync(bytes);
  for (let i = 1; i <= sheets; i++) {
    const path = `xl/worksheets/sheet${i}.xml`;
    const xml = files[path];
    if (!xml) continue;
    files[path] = strToU8(strFromU8(xml).replace(/<sheetView workbookViewId="0"\s*\/>/, FROZEN_VIEW));
  }
  return zipSync(files, { level: 6 });
}

/**
 * A workbook of these sheets (each with a frozen, filtered header row) and, when `facts` are given, a last sheet
 * 说明 / About. Throws an IoError when a sheet has more rows than Excel holds. Warnings: cells cut to Excel's limit.
 */
export async function xlsxBytes(sheets: readonly XlsxSheet[], lang: CsvLang, facts?: WorkbookFacts): Promise<Written> {
  const XLSX = await import('@e965/xlsx');
  const wb = XLSX.utils.book_new();
  const taken = new Set<string>();
  const cut = { n: 0 };
  for (const sheet of sheets) {
    if (sheet.rows.length + 1 > MAX_ROWS) {
      throw new IoError('write-unsupported', {
        format: 'xlsx',
        detail: `${sheet.rows.length} rows, more than an Excel sheet holds (${MAX_ROWS - 1})`,
        detailZh: `${sheet.rows.length} 行，超过 Excel 工作表的上限（${MAX_ROWS - 1} 行）`,
      });
    }
    const ws: Record<string, unknown> = {};
    const widths = sheet.columns.map((c) => widthOf(c.label));
    sheet.columns.forEach((c, j) => (ws[XLSX.utils.encode_cell({ r: 0, c: j })] = { t: 's', v: c.label }));
    sheet.rows.forEach((row, i) => {
      sheet.columns.forEach((column, j) => {
        const cell = cellOf(row[j], column, cut);
        if (!cell) return;
        ws[XLSX.utils.encode_cell({ r: i + 1, c: j })] = cell;
        // Widths from the first rows are enough to size a column; numbers by their formatted length.
        if (i < 200)
          widths[j] = Math.max(widths[j]!, cell.t === 'n' ? String(Math.round(cell.v as number)).length + 4 : widthOf(String(cell.v)));
      });
    });
    const last = XLSX.utils.encode_cell({ r: sheet.rows.length, c: Math.max(sheet.columns.length - 1, 0) });
    ws['!ref'] = `A1:${last}`;
    ws['!cols'] = widths.map((w) => ({ wch: Math.min(Math.max(w + 2, 8), 60) }));
    if (sheet.columns.length > 0) ws['!autofilter'] = { ref: `A1:${last}` };
    XLSX.utils.book_append_sheet(wb, ws as unknown as WorkSheet, sheetName(sheet.name, taken));
  }
  if (facts) {
    const labels = FACT_LABELS[lang];
    const rows: string[][] = [];
    for (const key of ['table', 'county', 'measured', 'method', 'data', 'plan', 'date', 'crs'] as const) {
      const v = facts[key];
      if (v) rows.push([labels[key], v]);
    }
    for (const note of facts.notes ?? []) rows.push([labels.notes, note]);
    rows.push([labels.formats, FORMATS_NOTE[lang]]);
    const ws = XLSX.utils.aoa_to_sheet([[lang === 'zh' ? '项目' : 'Item', lang === 'zh' ? '内容' : 'Value'], ...rows]);
    ws['!cols'] = [{ wch: 14 }, { wch: 100 }];
    XLSX.utils.book_append_sheet(wb, ws, sheetName(lang === 'zh' ? '说明' : 'About', taken));
  }
  wb.Props = { Title: facts?.table ?? sheets[0]?.name ?? '', Author: 'Healthshed' };
  const written = XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer;
  const bytes = await freezeHeaderRows(new Uint8Array(written), sheets.length);
  const warnings =
    cut.n > 0
      ? [
          {
            en: `${cut.n} cell(s) cut to Excel's ${MAX_CELL_CHARS} characters`,
            zh: `${cut.n} 个单元格超出 Excel 的 ${MAX_CELL_CHARS} 字符上限，已截断`,
          },
        ]
      : [];
  return { bytes, mime: XLSX_MIME, warnings };
}

function withoutCrs(facts: WorkbookFacts): WorkbookFacts {
  const { crs: _crs, ...rest } = facts;
  return rest;
}

/** The sheet of a table given as rows of properties, through the readable table model (csv-columns.ts). */
export function tableSheet(
  name: string,
  keys: readonly string[],
  rows: readonly Record<string, unknown>[],
  lang: CsvLang,
  labels?: ColumnWords,
): XlsxSheet {
  const table = readableTable(keys, rows, lang, labels);
  return { name, columns: table.columns, rows: rows.map((r) => table.values(r)) };
}

/** A table a layer's workbook carries on a sheet of its own after the layer's (the emergency circles). */
export interface ExtraTable {
  name: string;
  keys: readonly string[];
  rows: readonly Record<string, unknown>[];
}

/**
 * A layer as a workbook: points as longitude and latitude number columns (then the properties), other geometries
 * left out (a polygon's outline does not fit a cell; said in the warnings), then the properties by the table
 * model, any `tables` on sheets of their own, and the 说明 / About sheet.
 */
export async function writeXlsxLayer(
  collection: FeatureCollection<Geometry | null>,
  options: {
    name: string;
    columns?: string[];
    decimals: number;
    lang?: CsvLang;
    crs?: 'wgs84' | 'gcj02';
    facts?: WorkbookFacts;
    labels?: ColumnWords;
    tables?: readonly ExtraTable[];
  },
): Promise<Written> {
  const lang = options.lang ?? 'zh';
  const { allPoints, noGeometry, keys } = layerShape(collection, options.columns);
  const props = collection.features.map((f) => (f.properties ?? {}) as Record<string, unknown>);
  const table = readableTable(keys, props, lang, options.labels);
  const names = geometryHeaders(lang, options.crs ?? 'wgs84');
  const coordFormat = `0.${'0'.repeat(Math.max(1, Math.min(options.decimals, 10)))}`;
  const geomColumns = allPoints
    ? [
        { label: names.lon, kind: null, numberFormat: coordFormat },
        { label: names.lat, kind: null, numberFormat: coordFormat },
      ]
    : [];
  const rows = collection.features.map((f, i) => {
    const values = table.values(props[i]!);
    if (!allPoints || f.geometry?.type !== 'Point') return values;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    return [roundTo(lon, options.decimals), roundTo(lat, options.decimals), ...values];
  });
  // Every workbook has its About sheet: without facts from the caller, at least the table, the date and the formats.
  const given = options.facts ?? { table: options.name, date: new Date().toISOString().slice(0, 10) };
  // Coordinates named only where there are coordinates.
  const facts = allPoints ? given : withoutCrs(given);
  const written = await xlsxBytes(
    [
      { name: options.facts?.table ?? options.name, columns: [...geomColumns, ...table.columns], rows },
      ...(options.tables ?? []).map((t) => tableSheet(t.name, t.keys, t.rows, lang)),
    ],
    lang,
    facts,
  );
  if (!allPoints && !noGeometry) {
    written.warnings.push({
      en: 'The workbook holds the attributes only: polygon and line geometries do not fit a cell (export GeoJSON, FlatGeobuf or Shapefile for them)',
      zh: '工作簿只保存属性：面和线的几何无法放入单元格（如需几何请导出 GeoJSON、FlatGeobuf 或 Shapefile）',
    });
  }
  return written;
}

/** True when a path asks for a workbook (the command line's table outputs: `--times x.xlsx`, `--points x.xlsx`). */
export function isWorkbookPath(path: string): boolean {
  return /\.xlsx$/i.test(path);
}

/** One table of rows (keys in order) as a workbook's bytes, with its About sheet. */
export async function xlsxTableBytes(
  keys: readonly string[],
  rows: readonly Record<string, unknown>[],
  lang: CsvLang,
  facts: WorkbookFacts,
): Promise<Uint8Array> {
  return (await xlsxBytes([tableSheet(facts.table, keys, rows, lang)], lang, facts)).bytes;
}
