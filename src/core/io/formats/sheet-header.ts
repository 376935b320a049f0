/**
 * The header of a sheet as official tables have it: a title row (often merged across the table) and notes above,
 * then column names, sometimes over two rows with a merged parent cell (卫生技术人员 over 执业医师 and 执业助理医师).
 *
 * The header starts at the first row that looks like column names: at least two distinct texts that are not
 * numbers or dates, over at least half the columns the table uses, with few numbers beside them. It runs on
 * through the rows its merged cells span: a cell merged down (名称 over two rows) to the merge's last row, a cell
 * merged across (卫生技术人员) to the row below when that row names every column under it. Each column is named by
 * its texts from top to bottom joined with "/" ("卫生技术人员/执业医师"); a merge across without names below fills
 * right (the names are made unique later). Merged cells below the header (a township merged over its facilities)
 * give every row the merge's value. Rows and columns are 0-based here.
 */

export interface CellRange {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

/** A sheet's typed values by row and column (absolute, 0-based; null or absent when empty) and its merges. */
export interface SheetGrid {
  rows: (unknown[] | undefined)[];
  merges: readonly CellRange[];
  /** The columns that hold values (inclusive). */
  firstCol: number;
  lastCol: number;
}

/** Rows searched for the header, from the first with a value. */
const HEADER_SEARCH = 30;
/** Rows looked at to tell how many columns the table uses. */
const WIDTH_SEARCH = 60;

const NUMERIC = /^[-+]?(\d[\d,，]*\.?\d*|\.\d+)([eE][-+]?\d+)?%?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/;

const empty = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const numeric = (v: unknown): boolean =>
  typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && (NUMERIC.test(v.trim()) || ISO_DATE.test(v.trim())));

function nonEmptyCount(row: unknown[] | undefined, grid: SheetGrid): number {
  if (!row) return 0;
  let n = 0;
  for (let c = grid.firstCol; c <= grid.lastCol; c++) if (!empty(row[c])) n++;
  return n;
}

/** The value of a cell, or of the merge it lies in (the merge's top-left cell holds it). */
function filledValue(grid: SheetGrid, r: number, c: number): unknown {
  const v = grid.rows[r]?.[c];
  if (!empty(v)) return v;
  for (const m of grid.merges) {
    if (r >= m.s.r && r <= m.e.r && c >= m.s.c && c <= m.e.c) return grid.rows[m.s.r]?.[m.s.c] ?? null;
  }
  return null;
}

/** The first row with a value, or -1. */
function firstUsedRow(grid: SheetGrid): number {
  for (let r = 0; r < grid.rows.length; r++) if (nonEmptyCount(grid.rows[r], grid) > 0) return r;
  return -1;
}

function looksLikeHeader(grid: SheetGrid, r: number, used: number): boolean {
  const texts = new Set<string>();
  let nonEmpty = 0;
  let numbers = 0;
  for (let c = grid.firstCol; c <= grid.lastCol; c++) {
    const v = filledValue(grid, r, c);
    if (empty(v)) continue;
    nonEmpty++;
    if (numeric(v)) numbers++;
    else texts.add(String(v).trim());
  }
  return texts.size >= Math.max(2, Math.ceil(used / 2)) && numbers * 3 <= nonEmpty;
}

/**
 * The header's first and last rows: from `given` (the planner's choice) or the first row that looks like names,
 * through the rows its merges span. -1 when the sheet is empty.
 */
export function findHeader(grid: SheetGrid, given?: number): { first: number; last: number } {
  const start = firstUsedRow(grid);
  if (start < 0) return { first: -1, last: -1 };
  let first = given ?? -1;
  if (first < 0) {
    let used = 0;
    for (let r = start; r < Math.min(grid.rows.length, start + WIDTH_SEARCH); r++) used = Math.max(used, nonEmptyCount(grid.rows[r], grid));
    for (let r = start; r < Math.min(grid.rows.length, start + HEADER_SEARCH) && first < 0; r++) {
      if (looksLikeHeader(grid, r, used)) first = r;
    }
    if (first < 0) first = start;
  }
  let last = first;
  for (let grew = true; grew;) {
    grew = false;
    for (const m of grid.merges) {
      if (m.s.r < first || m.s.r > last) continue;
      let to = m.e.r;
      // A parent merged across: its names are in the row under it when that row names every column it spans.
      if (m.e.c > m.s.c && m.e.r + 1 < grid.rows.length) {
        const below = m.e.r + 1;
        let named = true;
        for (let c = m.s.c; c <= m.e.c && named; c++) {
          const v = grid.rows[below]?.[c];
          named = !empty(v) && !numeric(v);
        }
        if (named) to = below;
      }
      if (to > last) {
        last = to;
        grew = true;
      }
    }
  }
  return { first, last };
}

const nameText = (v: unknown): string => (empty(v) ? '' : String(v).replace(/\s+/g, ' ').trim());

/** The column names (columns firstCol..lastCol) from the header's rows, parents before children. */
export function headerNames(grid: SheetGrid, header: { first: number; last: number }): string[] {
  const names: string[] = [];
  for (let c = grid.firstCol; c <= grid.lastCol; c++) {
    const parts: string[] = [];
    for (let r = header.first; r <= header.last; r++) {
      const t = nameText(filledValue(grid, r, c));
      if (t !== '' && parts[parts.length - 1] !== t) parts.push(t);
    }
    names.push(parts.join('/'));
  }
  return names;
}

/** Gives every cell of a merge below the header the merge's value (in place). */
export function fillMergedBelow(grid: SheetGrid, headerLast: number): void {
  for (const m of grid.merges) {
    if (m.e.r <= headerLast) continue;
    const value = grid.rows[m.s.r]?.[m.s.c];
    if (empty(value)) continue;
    for (let r = Math.max(m.s.r, headerLast + 1); r <= m.e.r; r++) {
      const row = (grid.rows[r] ??= []);
      for (let c = m.s.c; c <= m.e.c; c++) if (empty(row[c])) row[c] = value;
    }
  }
}
