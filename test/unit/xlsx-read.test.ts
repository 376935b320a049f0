/**
 * Excel workbooks in: written by tools independent of the app (openpyxl here, in the test; LibreOffice for the
 * committed fixtures in test/fixtures/xlsx, see make-fixtures.py there) and read back by openpyxl, whose reading
 * the import must equal: the sheet, the header below a title and merged cells, every data row with its Excel row
 * number, Chinese text, dates, numbers stored as text, formulas' saved results, coordinates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { readLayer } from '../../src/cli/read-layer';
import { suggestMapping } from '../../src/core/io/mapping';
import { finishImport, importLayer, readSource, type SourceLayer } from '../../src/core/io/import';
import type { IoError } from '../../src/core/io/messages';

const FIXTURES = resolve(__dirname, '../fixtures/xlsx');
const PYTHON = '/usr/bin/python3';

/** A workbook as a registry office keeps it: notes first, a hidden old sheet, a title, a two-row merged header. */
const WRITE = String.raw`
import datetime, sys, openpyxl
wb = openpyxl.Workbook()
notes = wb.active
notes.title = '说明'
notes['A1'] = '数据来源：县卫生健康局'
old = wb.create_sheet('停用机构')
old.append(['名称', '经度', '纬度'])
old.append(['已撤销卫生院', 114.2, 25.6])
old.sheet_state = 'hidden'
s = wb.create_sheet('机构名录')
s['A1'] = '某县医疗卫生机构一览表'
s.merge_cells('A1:I1')
s['A2'] = '填报日期：2023年12月31日'
s['A3'] = '名称'; s.merge_cells('A3:A4')
s['B3'] = '类别'; s.merge_cells('B3:B4')
s['C3'] = '所在乡镇'; s.merge_cells('C3:C4')
s['D3'] = '卫生技术人员'; s.merge_cells('D3:E3')
s['D4'] = '执业医师'; s['E4'] = '执业助理医师'
for col, name in zip('FGHI', ['实有床位', '经度', '纬度', '登记日期']):
    s[col + '3'] = name
    s.merge_cells(col + '3:' + col + '4')
rows = [
    ['县人民医院', '县级医院', '城关镇', 85, 12, 300, 114.3501, 25.7902, datetime.date(1950, 1, 1)],
    ['城关镇中心卫生院', '乡镇卫生院', None, '16', '4', '45', '114.3620', '25.8013', datetime.datetime(1958, 3, 15, 9, 45)],
    None,
    None,
    ['营前镇卫生院', '乡镇卫生院', '营前镇', 8, 3, 30, 114.0511, 25.9533, datetime.date(1961, 7, 1)],
    ['营前镇无坐标卫生室', '村卫生室', None, 1, 0, None, None, None, None],
    ['营前镇上堡村卫生室', '村卫生室', None, 1, 1, 0, 114.0602, 25.9701, datetime.date(2012, 5, 20)],
]
for values in rows:
    s.append([] if values is None else values)
s.merge_cells('C5:C6')
s.merge_cells('C9:C11')
for row in s.iter_rows(min_row=5, min_col=9, max_col=9):
    for c in row:
        c.number_format = 'yyyy-mm-dd hh:mm' if isinstance(c.value, datetime.datetime) else 'yyyy-mm-dd'
pop = wb.create_sheet('居民点')
pop.append(['名称', '人口', 'lon', 'lat'])
pop.append(['下屋', 320, 114.1, 25.8])
wb.save(sys.argv[1])
# A formula openpyxl cannot calculate: saved without a result.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '表'
ws.append(['名称', '床位', 'lon', 'lat'])
ws.append(['甲', '=1+1', 114, 25])
wb.save(sys.argv[2])
`;

/**
 * openpyxl's reading of a sheet below its header rows: each row with a value, its Excel number and its values
 * column by column (dates as ISO text, a merged cell's value in every cell of the merge, the app's stated rule),
 * and the workbook's sheets with their state. Formulas give their saved results (data_only).
 */
const READ = String.raw`
import datetime, json, sys, openpyxl
path, wanted = sys.argv[1], json.loads(sys.argv[2])
wb = openpyxl.load_workbook(path, data_only=True)
def rows(sheet, last):
  ws = wb[sheet]
  fill = {}
  for m in ws.merged_cells.ranges:
      v = ws.cell(m.min_row, m.min_col).value
      for r in range(m.min_row, m.max_row + 1):
          for c in range(m.min_col, m.max_col + 1):
              fill[(r, c)] = v
  def plain(v):
      if isinstance(v, datetime.datetime):
          return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat(timespec='seconds')
      if isinstance(v, datetime.date):
          return v.isoformat()
      return v
  out = []
  for r in range(last + 1, ws.max_row + 1):
      values = [plain(fill.get((r, c), ws.cell(r, c).value)) for c in range(ws.min_column, ws.max_column + 1)]
      if any(v is not None and v != '' for v in values):
          out.append({'row': r, 'values': values})
  return out
formulas = {w.title: [c.value for c in w['E']] for w in openpyxl.load_workbook(path).worksheets}
print(json.dumps({'sheets': [[w.title, w.sheet_state] for w in wb.worksheets], 'rows': {s: rows(s, n) for s, n in wanted}, 'formulas': formulas}, ensure_ascii=False, default=str))
`;

interface PythonRows {
  sheets: [string, string][];
  rows: { row: number; values: unknown[] }[];
}

interface PythonRead {
  sheets: [string, string][];
  rows: Record<string, PythonRows['rows']>;
  /** Column E of each sheet as written (formulas as their text). */
  formulas: Record<string, unknown[]>;
}

function python(script: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf-8' });
}

/** openpyxl's reading of the sheets of one workbook, each below its last header row (one Python run). */
function openpyxlRead(path: string, wanted: [sheet: string, headerLast: number][]): PythonRead {
  return JSON.parse(python(READ, path, JSON.stringify(wanted))) as PythonRead;
}

const sheetOf = (read: PythonRead, sheet: string): PythonRows => ({ sheets: read.sheets, rows: read.rows[sheet] ?? [] });

/** The source's features equal openpyxl's rows: row numbers, every column by its header name, coordinates. */
function expectSameRows(source: SourceLayer, expected: PythonRows, header: string[]): void {
  const { features } = source.raw;
  expect(features.map((f) => f.row)).toEqual(expected.rows.map((r) => r.row));
  expected.rows.forEach(({ values }, i) => {
    const f = features[i]!;
    const lonAt = header.findIndex((h) => h === '经度' || h === 'lon');
    const latAt = header.findIndex((h) => h === '纬度' || h === 'lat');
    const [lon, lat] = [values[lonAt], values[latAt]];
    if (lon === null || lat === null) {
      expect(f.problem?.code).toBe('coord-missing');
      expect(f.geometry).toBeNull();
    } else {
      expect(f.problem).toBeUndefined();
      expect(f.geometry).toEqual({ type: 'Point', coordinates: [Number(lon), Number(lat)] });
    }
    header.forEach((name, c) => {
      if (c === lonAt || c === latAt) return;
      expect(f.properties[name], `row ${f.row}, ${name}`).toEqual(values[c] ?? null);
    });
  });
}

let dir: string;
let bookPath: string;
let book: Uint8Array;
let read: PythonRead;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsx-read-'));
  bookPath = join(dir, '机构名录.xlsx');
  python(WRITE, bookPath, join(dir, 'uncalculated.xlsx'));
  book = new Uint8Array(readFileSync(bookPath));
  read = openpyxlRead(bookPath, [
    ['机构名录', 4],
    ['停用机构', 1],
    ['居民点', 1],
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = ['名称', '类别', '所在乡镇', '卫生技术人员/执业医师', '卫生技术人员/执业助理医师', '实有床位', '经度', '纬度', '登记日期'];

describe('an openpyxl workbook with notes, a hidden sheet, a title and merged header cells', () => {
  it('lists the sheets, skips the notes and the hidden one, and reads the rows openpyxl reads', async () => {
    const source = await readSource(book, { fileName: '机构名录.xlsx' });
    const expected = sheetOf(read, '机构名录');
    expect(source.format).toBe('xlsx');
    expect(source.raw.sheets?.map((s) => [s.name, s.hidden ? 'hidden' : 'visible'])).toEqual(expected.sheets);
    // Rows with a value: the title, the note, the two header rows and the five facilities.
    expect(source.raw.sheets?.map((s) => s.rows)).toEqual([1, 2, 4 + expected.rows.length, 2]);
    expect(source.raw.sheet).toBe('机构名录');
    // The title (row 1) and the note (row 2) are not the header; the header spans rows 3–4.
    expect(source.raw.headerRows).toEqual({ first: 3, last: 4 });
    expect(source.raw.fieldNames).toEqual(HEADER.filter((h) => h !== '经度' && h !== '纬度'));
    expectSameRows(source, expected, HEADER);
    // Spelled out once: the date with a time, the number stored as text, the township merged down.
    const centre = source.raw.features[1]!;
    expect(centre.properties).toMatchObject({ 登记日期: '1958-03-15T09:45:00', 实有床位: '45', 所在乡镇: '城关镇' });
    expect(source.raw.features.map((f) => f.row)).toEqual([5, 6, 9, 10, 11]);
  });

  it('reads a chosen sheet, hidden ones too, and a header row the planner gives', async () => {
    const hidden = await readSource(book, { fileName: '机构名录.xlsx', sheet: '停用机构' });
    expect(hidden.raw.headerRows).toEqual({ first: 1, last: 1 });
    expectSameRows(hidden, sheetOf(read, '停用机构'), ['名称', '经度', '纬度']);
    const people = await readSource(book, { fileName: '机构名录.xlsx', sheet: '居民点' });
    expectSameRows(people, sheetOf(read, '居民点'), ['名称', '人口', 'lon', 'lat']);
    // The title row as the header: no coordinate columns under it, so the read answers (its rows a table, each
    // without a place) and the import refuses the layer as a whole.
    const title = await readSource(book, { fileName: '机构名录.xlsx', sheet: '机构名录', headerRow: 1 });
    expect(title.raw.features.length).toBeGreaterThan(0);
    expect(title.raw.features.every((f) => f.geometry === null && f.problem?.code === 'coord-missing')).toBe(true);
    expect(title.raw.blocking?.code).toBe('csv-no-coordinates');
    expect(() => finishImport(title, { kind: 'facilities' })).toThrow(/no coordinate columns/);
    const given = await readSource(book, { fileName: '机构名录.xlsx', sheet: '机构名录', headerRow: 3 });
    expect(given.raw.headerRows).toEqual({ first: 3, last: 4 });
    expect(given.raw.features).toEqual((await readSource(book, { fileName: '机构名录.xlsx' })).raw.features);
    await expect(readSource(book, { fileName: '机构名录.xlsx', sheet: '没有这张表' })).rejects.toMatchObject({ code: 'xlsx-no-sheet' });
  });

  it('imports facilities with counts stored as text as numbers, and names the sheet and Excel row in problems', async () => {
    const outcome = await importLayer(book, {
      fileName: '机构名录.xlsx',
      kind: 'facilities',
      mapping: {
        name: '名称',
        tier: '类别',
        township_name: '所在乡镇',
        beds: '实有床位',
      },
    });
    if (!outcome.ok) throw new Error(outcome.error.message.en);
    const { features, problems } = outcome.result;
    const expected = sheetOf(read, '机构名录').rows.filter((r) => r.values[6] !== null);
    expect(features.map((f) => f.properties?.name)).toEqual(expected.map((r) => r.values[0]));
    expect(features.map((f) => f.properties?.beds)).toEqual(expected.map((r) => (r.values[5] === null ? null : Number(r.values[5]))));
    const missing = problems.find((p) => p.code === 'coord-missing');
    expect(missing).toMatchObject({ sheet: '机构名录', row: 10, severity: 'error' });
    expect(missing?.message.zh).toContain('机构名录.xlsx 工作表“机构名录”第 10 行：坐标列（经度, 纬度）为空');
    expect(missing?.message.en).toContain('机构名录.xlsx, sheet “机构名录”, row 10');
  });
});

describe('a 卫统 table under a merged header', () => {
  it('suggests the columns under 卫生技术人员 by their own part, and sums 执业医师 + 执业助理医师 as openpyxl reads them', async () => {
    const source = await readSource(book, { fileName: '机构名录.xlsx' });
    const mapping = suggestMapping(source.raw.fieldNames, 'facilities', source.raw.features);
    expect(mapping).toMatchObject({
      physicians: '卫生技术人员/执业医师',
      assistant_physicians: '卫生技术人员/执业助理医师',
      beds: '实有床位',
    });
    const outcome = await importLayer(book, { fileName: '机构名录.xlsx', kind: 'facilities' });
    if (!outcome.ok) throw new Error(outcome.error.message.en);
    const count = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
    const rows = sheetOf(read, '机构名录').rows.filter((r) => r.values[6] !== null);
    const expected = rows.map((r) => {
      const [a, b] = [count(r.values[3]), count(r.values[4])];
      return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
    });
    expect(outcome.result.features.map((f) => f.properties?.physicians)).toEqual(expected);
    expect(expected.some((v) => v !== null && v > 0)).toBe(true);
  });
});

describe('workbooks written by LibreOffice (test/fixtures/xlsx)', () => {
  it('reads the .xls LibreOffice converted from the registry as openpyxl reads the registry itself', async () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'registry.xls')));
    const source = await readSource(bytes, { fileName: 'registry.xls' });
    const expected = sheetOf(openpyxlRead(join(FIXTURES, 'registry.xlsx'), [['机构名录', 3]]), '机构名录');
    expect(source.format).toBe('xlsx');
    expect(source.raw.sheets?.map((s) => [s.name, s.hidden ? 'hidden' : 'visible'])).toEqual(expected.sheets);
    expect(source.raw.sheet).toBe('机构名录');
    expect(source.raw.headerRows).toEqual({ first: 2, last: 3 });
    expectSameRows(source, expected, [
      '名称',
      '所在乡镇',
      '卫生技术人员/执业医师',
      '卫生技术人员/执业助理医师',
      '实有床位',
      '经度',
      '纬度',
      '成立日期',
    ]);
    // The .xlsx it came from reads the same.
    const xlsx = await readSource(new Uint8Array(readFileSync(join(FIXTURES, 'registry.xlsx'))), { fileName: 'registry.xlsx' });
    expect(xlsx.raw.features).toEqual(source.raw.features);
  });

  it('gives the saved results of formulas, which openpyxl also reads (and shows to be formulas)', async () => {
    const path = join(FIXTURES, 'formulas.xlsx');
    const python = openpyxlRead(path, [['formulas', 1]]);
    expect(python.formulas.formulas?.slice(1).every((f) => String(f).startsWith('='))).toBe(true);
    const source = await readSource(new Uint8Array(readFileSync(path)), { fileName: 'formulas.xlsx' });
    expectSameRows(source, sheetOf(python, 'formulas'), ['名称', '类别', '执业医师', '执业助理医师', '床位合计', '经度', '纬度']);
    expect(source.raw.features.map((f) => f.properties['床位合计'])).toEqual([15, 9, 1]);
    expect(source.raw.warnings).toEqual([]);
  });

  it('says so when formulas were never calculated (openpyxl writes them without results)', async () => {
    const path = join(dir, 'uncalculated.xlsx');
    const source = await readSource(new Uint8Array(readFileSync(path)), { fileName: 'uncalculated.xlsx' });
    expect(source.raw.features[0]?.properties['床位']).toBeNull();
    expect(source.raw.warnings?.[0]?.zh).toContain('1 个公式单元格没有保存计算结果（第一个为 B2）');
  });
});

describe('workbooks that cannot be read', () => {
  async function failure(bytes: Uint8Array, fileName: string, maxBytes?: number) {
    const outcome = await importLayer(bytes, { fileName, ...(maxBytes ? { maxBytes } : {}) });
    if (outcome.ok) throw new Error('expected a refusal');
    return outcome.error;
  }

  it('refuses a password-protected workbook (LibreOffice: an encrypted .xlsx package, an RC4 .xls) with its own code', async () => {
    for (const name of ['password.xlsx', 'password.xls']) {
      const error = await failure(new Uint8Array(readFileSync(join(FIXTURES, name))), name);
      expect(error.code, name).toBe('xlsx-password');
      expect(error.message.zh).toContain('工作簿设置了打开密码');
    }
  });

  it('refuses a cut-short or garbled workbook as damaged', async () => {
    expect((await failure(book.subarray(0, Math.floor(book.length * 0.6)), 'cut.xlsx')).code).toBe('xlsx-damaged');
    const xls = new Uint8Array(readFileSync(join(FIXTURES, 'registry.xls')));
    expect((await failure(xls.subarray(0, 1200), 'cut.xls')).code).toBe('xlsx-damaged');
    const garbled = book.slice();
    garbled.fill(0x41, 30, Math.floor(book.length * 0.8));
    expect((await failure(garbled, 'garbled.xlsx')).code).toBe('xlsx-damaged');
  });

  it('refuses a workbook too large for memory before SheetJS reads it, by its unpacked size', async () => {
    // The file fits the limit; what it unpacks to does not (the check reads the zip's directory first).
    const error = await failure(book, 'big.xlsx', book.length + 1);
    expect(error.code).toBe('xlsx-too-large');
    expect(Number(error.params.bytes)).toBeGreaterThan(Number(error.params.limit));
    expect((await failure(book, 'big.xlsx', book.length - 1)).code).toBe('file-too-large');
  });

  it('refuses a read as an IoError with the code, not a library error', async () => {
    await expect(readSource(book.subarray(0, 100), { fileName: 'x.xlsx' })).rejects.toSatisfy(
      (e: unknown) => (e as IoError).code === 'xlsx-damaged',
    );
  });
});

describe('the command line', () => {
  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runHealthshed([...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
    return { code, stdout, stderr };
  }

  it('converts a workbook like a CSV, with --sheet and --header-row, and names the sheet and row of a bad row', async () => {
    const out = join(dir, 'people.geojson');
    const people = await cli(['export', '--in', bookPath, '--sheet', '居民点', '--out', out]);
    expect(people.code, people.stderr).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8')) as {
      features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    const expected = sheetOf(read, '居民点').rows;
    expect(fc.features.map((f) => [f.properties['名称'], f.properties['人口'], ...f.geometry.coordinates])).toEqual(
      expected.map((r) => [r.values[0], r.values[1], r.values[2], r.values[3]]),
    );
    const registry = await cli([
      'export',
      '--in',
      bookPath,
      '--out',
      join(dir, 'registry.geojson'),
      '--header-row',
      '3',
      '--layer',
      'facilities',
    ]);
    expect(registry.code, registry.stderr).toBe(0);
    expect(registry.stderr).toContain('sheet “机构名录”, row 10');
    expect(JSON.parse(registry.stdout).counts).toMatchObject({ imported: 4, rejected: 1 });
    const title = await cli(['export', '--in', bookPath, '--out', join(dir, 'title.geojson'), '--header-row', '1']);
    expect(title.code).toBe(2);
    expect(title.stderr).toMatch(/no coordinate columns found/);
  });

  it('reads a layer of any command from a sheet named after the path (机构.xlsx#居民点, #sheet!header row)', async () => {
    const io = { cwd: dir, stderr: () => undefined, env: {} };
    const people = await readLayer(`${bookPath}#居民点`, { label: 'population', geometry: ['Point'] }, io);
    expect(people.features.map((f) => f.properties?.['name'])).toEqual(sheetOf(read, '居民点').rows.map((r) => r.values[0]));
    const registry = await readLayer(`${bookPath}#机构名录!3`, { label: 'facilities', geometry: ['Point'] }, io);
    expect(registry.features).toHaveLength(4);
    await expect(readLayer(`${bookPath}#!1`, { label: 'facilities', geometry: ['Point'] }, io)).rejects.toThrow(/no coordinate columns/);
  });
});
