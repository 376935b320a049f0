/**
 * Excel workbooks (.xlsx, .xlsm, and .xls as WPS and older offices write it), read with SheetJS (`@e965/xlsx`,
 * loaded when a workbook is read). A sheet becomes the rows a CSV gives (table.ts: the same coordinate columns,
 * the same row → feature rule); only how the rows are found differs.
 *
 * - Sheets: every sheet is listed with its rows and whether it is hidden; the caller's sheet is read, else the
 *   first visible sheet with rows (a hidden one only when no visible one has any).
 * - Header: found below titles and notes, over merged cells (sheet-header.ts), or the row the caller gives.
 * - Cells: numbers are numbers, text is text (so "0123" and numbers stored as text stay as the sheet has them; the
 *   mapping turns a count given as text into a number), booleans, errors as their text (#N/A); a formula gives its
 *   saved result (a formula never calculated, as openpyxl writes it, is read as empty and said so); a date cell
 *   gives its ISO date ("2001-05-06", with "T08:30:00" when it has a time). Empty rows are skipped.
 * - Rows are numbered as Excel numbers them and name the sheet, so a problem reads "file, sheet, row".
 * - Refused with a code: a password-protected workbook (an encrypted package, or an .xls with a password), a
 *   damaged or cut-short one, and one that is too large: read whole, a workbook may take ctx.maxBytes as a
 *   file and half that unpacked (SheetJS's cells take about three times their XML), checked on the zip's
 *   directory before anything is inflated and while inflating (zip.ts).
 */
import type * as XlsxModule from '@e965/xlsx';
import type { CellObject, WorkBook, WorkSheet } from '@e965/xlsx';
import { IoError, detailOf } from '../messages';
import { checkAborted } from '../stream';
import type { FormatCodec, RawFeature, RawRead, ReadContext, SheetInfo } from '../types';
import { readZip } from '../zip';
import { fillMergedBelow, findHeader, headerNames, type CellRange, type SheetGrid } from './sheet-header';
import { noCoordinates, rowToFeature, tableFieldNames, tableLayout } from './table';

type Xlsx = typeof XlsxModule;

let library: Promise<Xlsx> | undefined;
const load = (): Promise<Xlsx> => (library ??= import('@e965/xlsx'));

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** Unpacked (or, for .xls, whole) workbook bytes per byte of ctx.maxBytes: SheetJS's cells take ~3× their XML. */
const UNPACKED_SHARE = 0.5;

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);

/** Excel's error codes (a cell of type 'e' holds the code). */
const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A cell's value as a CSV of the sheet would give it typed (see the module comment). */
function valueReader(X: Xlsx, date1904: boolean): (cell: CellObject | undefined) => unknown {
  const isDate = new Map<string, boolean>();
  const dateFormat = (z: unknown): boolean => {
    if (typeof z !== 'string') return false;
    let known = isDate.get(z);
    if (known === undefined) isDate.set(z, (known = Boolean(X.SSF.is_date(z))));
    return known;
  };
  return (cell) => {
    if (!cell) return null;
    switch (cell.t) {
      case 'n': {
        const v = cell.v as number;
        if (!Number.isFinite(v)) return null;
        if (!dateFormat(cell.z)) return v;
        const d = X.SSF.parse_date_code(v, { date1904 });
        const time = `${pad(d.H)}:${pad(d.M)}:${pad(d.S)}`;
        if (v < 1 && v >= 0) return time; // a time of day without a date
        const date = `${pad(d.y, 4)}-${pad(d.m)}-${pad(d.d)}`;
        return d.H || d.M || d.S ? `${date}T${time}` : date;
      }
      case 's':
        return cell.v === '' || cell.v === undefined ? null : String(cell.v);
      case 'b':
        return Boolean(cell.v);
      case 'e':
        return ERRORS[cell.v as number] ?? '#ERROR';
      case 'd': {
        const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
        return Number.isNaN(d.getTime())
          ? null
          : d
              .toISOString()
              .replace(/T00:00:00\.000Z$/, '')
              .replace(/\.000Z$/, '');
      }
      default:
        return null;
    }
  };
}

function damaged(file: string, error: unknown): IoError {
  return new IoError('xlsx-damaged', { file, detail: detailOf(error) });
}

/**
 * Refuses a workbook too large to hold before SheetJS sees it (see the module comment). A zip's parts SheetJS
 * reads come back inflated within the limit (a small file cannot unpack into gigabytes), for SheetJS to parse.
 */
async function unpack(bytes: Uint8Array, ctx: ReadContext): Promise<Record<string, Uint8Array> | null> {
  const limit = Math.floor(ctx.maxBytes * UNPACKED_SHARE);
  if (!startsWith(bytes, ZIP_MAGIC)) {
    if (bytes.length > limit) throw new IoError('xlsx-too-large', { file: ctx.fileName, bytes: bytes.length, limit });
    return null;
  }
  try {
    return await readZip(bytes, { file: ctx.fileName, budget: limit, keep: (name) => /\.(xml|rels|bin|vml)$/i.test(name) });
  } catch (error) {
    if (error instanceof IoError && error.code === 'zip-too-large') {
      throw new IoError('xlsx-too-large', { file: ctx.fileName, bytes: error.params.bytes ?? 0, limit });
    }
    if (error instanceof IoError) throw new IoError('xlsx-damaged', { file: ctx.fileName, detail: error.message.replace(/^[^:]*: /, '') });
    throw damaged(ctx.fileName, error);
  }
}

/** An OLE2 container holding an encrypted Office package: a workbook saved with a password to open. */
function isEncryptedPackage(X: Xlsx, bytes: Uint8Array): boolean {
  if (!startsWith(bytes, CFB_MAGIC)) return false;
  try {
    const cfb = X.CFB.read(bytes, { type: 'array' }) as unknown;
    return Boolean(X.CFB.find(cfb, 'EncryptedPackage') || X.CFB.find(cfb, 'EncryptionInfo'));
  } catch {
    return false;
  }
}

/** A sheet's values as rows of typed values (absolute 0-based rows and columns), and its merges. */
function gridOf(
  ws: WorkSheet,
  value: (cell: CellObject | undefined) => unknown,
): { grid: SheetGrid; uncached: { count: number; first: string } } {
  const data = ((ws as { '!data'?: (CellObject[] | undefined)[] })['!data'] ?? []) as (CellObject[] | undefined)[];
  const rows: (unknown[] | undefined)[] = new Array(data.length);
  let firstCol = Infinity;
  let lastCol = -1;
  // Formulas saved without a result: how many, and the first, for the warning.
  const uncached = { count: 0, first: '' };
  for (let r = 0; r < data.length; r++) {
    const cells = data[r];
    if (!cells) continue;
    let values: unknown[] | undefined;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (!cell) continue;
      if (cell.t === 'z' && cell.f !== undefined && uncached.count++ === 0) uncached.first = `${columnLetters(c)}${r + 1}`;
      const v = value(cell);
      if (v === null) continue;
      (values ??= [])[c] = v;
      if (c < firstCol) firstCol = c;
      if (c > lastCol) lastCol = c;
    }
    rows[r] = values;
  }
  const merges = ((ws['!merges'] ?? []) as CellRange[]).filter((m) => m.e.r > m.s.r || m.e.c > m.s.c);
  return { grid: { rows, merges, firstCol: lastCol < 0 ? 0 : firstCol, lastCol }, uncached };
}

function columnLetters(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Whether the header found on a sheet names coordinate (or WKT) columns. */
function hasCoordinates(grid: SheetGrid | undefined): boolean {
  if (!grid || grid.lastCol < 0) return false;
  return !tableLayout(headerNames(grid, findHeader(grid))).none;
}

const rowsWithValues = (grid: SheetGrid): number => grid.rows.reduce((n, row) => (row && row.some((v) => v !== undefined) ? n + 1 : n), 0);

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const file = ctx.fileName;
  const parts = await unpack(bytes, ctx);
  const X = await load();
  checkAborted(ctx);
  if (isEncryptedPackage(X, bytes)) throw new IoError('xlsx-password', { file });
  let wb: WorkBook;
  try {
    // Stubs keep a formula that was never calculated, so it can be named; cell text and HTML are not needed.
    const options = {
      type: 'array',
      dense: true,
      cellNF: true,
      cellText: false,
      cellHTML: false,
      cellFormula: true,
      sheetStubs: true,
    } as const;
    // The parts already inflated go to SheetJS as its zip container, so nothing is inflated twice.
    const parseZip = (X as unknown as { parse_zip?: (zip: unknown, o: typeof options) => WorkBook }).parse_zip;
    if (parts && parseZip) {
      const zip = X.CFB.utils.cfb_new();
      for (const [name, data] of Object.entries(parts)) X.CFB.utils.cfb_add(zip, name, data);
      wb = parseZip(zip, options);
    } else wb = X.read(bytes, options);
  } catch (error) {
    if (/password/i.test(detailOf(error))) throw new IoError('xlsx-password', { file });
    throw damaged(file, error);
  }
  checkAborted(ctx);
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const value = valueReader(X, date1904);
  const grids = new Map<string, ReturnType<typeof gridOf>>();
  const sheets: SheetInfo[] = wb.SheetNames.map((name, i) => {
    const ws = wb.Sheets[name];
    const hidden = Boolean(wb.Workbook?.Sheets?.[i]?.Hidden);
    if (!ws || (ws as { '!type'?: string })['!type'] === 'chart') return { name, rows: 0, hidden };
    const g = gridOf(ws, value);
    grids.set(name, g);
    return { name, rows: rowsWithValues(g.grid), hidden };
  });
  if (sheets.length === 0) throw damaged(file, new Error('the workbook has no sheets'));
  let sheet: string;
  if (ctx.sheet !== undefined) {
    if (!wb.SheetNames.includes(ctx.sheet))
      throw new IoError('xlsx-no-sheet', { file, sheet: ctx.sheet, sheets: wb.SheetNames.join(', ') });
    sheet = ctx.sheet;
  } else {
    // The first visible sheet with rows whose header names coordinate columns (a 说明 sheet often comes first),
    // else the first visible sheet with rows, else any with rows.
    const visible = sheets.filter((s) => !s.hidden && s.rows > 0);
    const chosen = visible.find((s) => hasCoordinates(grids.get(s.name)?.grid)) ?? visible[0] ?? sheets.find((s) => s.rows > 0);
    if (!chosen) throw new IoError('xlsx-empty', { file });
    sheet = chosen.name;
  }
  const found = grids.get(sheet);
  const base: RawRead = { features: [], fieldNames: [], sheets, sheet };
  if (!found || found.grid.lastCol < 0) return { ...base, blocking: { code: 'xlsx-empty', params: { file } } };
  const { grid, uncached } = found;
  const lastRow = grid.rows.length;
  if (ctx.headerRow !== undefined && (!Number.isInteger(ctx.headerRow) || ctx.headerRow < 1 || ctx.headerRow > lastRow)) {
    return { ...base, blocking: { code: 'xlsx-header-row', params: { file, sheet, row: ctx.headerRow, first: 1, last: lastRow } } };
  }
  const header = findHeader(grid, ctx.headerRow === undefined ? undefined : ctx.headerRow - 1);
  const headerRows = { first: header.first + 1, last: header.last + 1 };
  const warnings = uncached.count
    ? [new IoError('xlsx-formula-uncached', { file, sheet, count: uncached.count, cell: uncached.first }).text]
    : [];
  const layout = tableLayout(headerNames(grid, header));
  fillMergedBelow(grid, header.last);
  const width = grid.lastCol - grid.firstCol + 1;
  const features: RawFeature[] = [];
  for (let r = header.last + 1; r < lastRow; r++) {
    const row = grid.rows[r];
    if (!row) continue; // an empty row
    const values: unknown[] = new Array(width);
    let any = false;
    for (let c = 0; c < width; c++) {
      const v = row[grid.firstCol + c];
      values[c] = v === undefined ? null : v;
      if (v !== undefined) any = true;
    }
    if (!any) continue;
    features.push(rowToFeature(values, r + 1, features.length, layout));
    if ((features.length & 0x3fff) === 0) checkAborted(ctx);
  }
  return { ...base, features, fieldNames: tableFieldNames(layout, features), headerRows, warnings, ...noCoordinates(layout, file) };
}

function sniff(head: Uint8Array, fileName: string): number {
  const ext = /\.(xlsx|xlsm|xls)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (startsWith(head, ZIP_MAGIC)) {
    if (ext === 'xlsx' || ext === 'xlsm') return 0.95;
    // A zip named otherwise: a workbook when its members say so (Excel writes [Content_Types].xml first, openpyxl
    // docProps first; both put xl/ parts within the first few KB).
    const text = Array.from(head.subarray(0, 16384), (b) => String.fromCharCode(b)).join('');
    return text.includes('xl/workbook') || (text.includes('[Content_Types].xml') && text.includes('xl/')) ? 0.92 : 0;
  }
  if (startsWith(head, CFB_MAGIC)) return ext ? 0.95 : 0.5;
  return 0;
}

export const xlsxCodec: FormatCodec = {
  id: 'xlsx',
  label: 'Excel',
  extensions: ['.xlsx', '.xlsm', '.xls'],
  limits: {
    en: 'One sheet at a time (the first visible sheet with rows unless one is chosen), its header found below titles and merged cells unless a header row is given. Points as lon/lat (经度/纬度) or WKT columns, as in CSV. Formulas give their saved results, dates ISO dates. Read whole: a password-protected workbook cannot be read.',
    zh: '每次读取一个工作表（未指定时为第一个有数据的可见工作表），表头在标题行和合并单元格之下自动识别，也可指定表头行。点坐标同 CSV，为 lon/lat（经度/纬度）列或 WKT 列。公式取已保存的计算结果，日期转为 ISO 日期。整体读入内存；设置了打开密码的工作簿无法读取。',
  },
  sniff,
  read,
};
