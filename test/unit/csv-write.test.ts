/**
 * The one CSV writer (src/core/io/csv-write.ts): RFC 4180 quoting, BOM, CRLF, plain numbers (non-finite → empty),
 * formula cells neutralised with a leading ' (OWASP CSV injection) but typed numbers never; read back by papaparse
 * and by Python's csv module as an independent reader; and every CSV the CLI writes, run in-process on a layer
 * whose ids and names are formulas.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, Point } from 'geojson';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { CSV_BOM, csvBytes, csvCell, csvDocument, csvRow, CsvWriter, neutraliseFormula } from '../../src/core/io/csv-write';
import { facility, fc, settlement } from './coverage-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-csv-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The payloads of the brief and OWASP's page: each must reach a spreadsheet as text. */
const FORMULAS = [
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  '@SUM(1)',
  '-1+1',
  '=1+2";=1+2',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  '＋1',
  '－1',
  '＠SUM(1)',
  ' =1+1',
];
/** A cell a spreadsheet would run: starts (after white space) with a formula character, or with tab or CR. */
const RUNNABLE = /^[\t\r]|^\s*[=+\-@＝＋－＠]/;

/** Python's csv module reading a file (BOM stripped by utf-8-sig), as JSON rows. */
function pythonRows(path: string): string[][] {
  const script = [
    'import csv, json, sys',
    'with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:',
    '    print(json.dumps(list(csv.reader(f))))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' })) as string[][];
}

/** papaparse's reading of CSV text (BOM removed), as rows. */
function papaRows(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text.startsWith(CSV_BOM) ? text.slice(1) : text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('csvCell', () => {
  it.each(FORMULAS)('prefixes the formula %j with a single quote', (formula) => {
    expect(neutraliseFormula(formula)).toBe(`'${formula}`);
    const cell = csvCell(formula);
    // Quoted or not, the cell's text starts with the quote, never with the formula.
    const text = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(text).toBe(`'${formula}`);
  });

  it('leaves other text as it is, quoting only where RFC 4180 (or a reader of types) needs it', () => {
    expect(csvCell('上犹县')).toBe('上犹县');
    expect(csvCell('a-b')).toBe('a-b');
    expect(csvCell("it's")).toBe("it's");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell(' padded ')).toBe('" padded "');
    // Text that would read back as a number, a boolean or empty stays text.
    expect(csvCell('360724100')).toBe('"360724100"');
    expect(csvCell('true')).toBe('"true"');
    expect(csvCell('')).toBe('""');
  });

  it('writes numbers plainly and never prefixes them; non-finite numbers are empty cells', () => {
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(-0)).toBe('0');
    expect(csvCell(12.345)).toBe('12.345');
    expect(csvCell(10n)).toBe('10');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(Infinity)).toBe('');
    expect(csvCell(-Infinity)).toBe('');
    expect(csvRow([1, NaN, Infinity, -Infinity, -2])).toBe('1,,,,-2');
  });

  it('writes booleans, null, undefined and nested values', () => {
    expect(csvRow([true, false, null, undefined])).toBe('true,false,,');
    expect(csvCell({ a: [1, 2] })).toBe('"{""a"":[1,2]}"');
    expect(csvCell(['=1'])).toBe('"[""=1""]"');
  });
});

describe('csvDocument and csvBytes', () => {
  const header = ['id', 'name', 'minutes'];
  const rows = [
    ['he said "hi", then\nleft', '甲村, "东"', 12.5],
    ['crlf\r\ninside', '=HYPERLINK("http://x","y")', -3.5],
    ['360724100', '', NaN],
    ["+cmd|' /C calc'!A0", '@SUM(1)', Infinity],
  ];

  it('starts with a BOM unless told not to, and ends every record in CRLF', () => {
    const text = csvDocument(header, rows);
    expect(text.startsWith(`${CSV_BOM}id,name,minutes\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(csvDocument(header, rows, { bom: false }).startsWith('id,name,minutes\r\n')).toBe(true);
    expect([...csvBytes(header, rows).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...csvBytes(header, rows, { bom: false }).subarray(0, 2)]).toEqual([0x69, 0x64]);
  });

  const expected = [
    header,
    ['he said "hi", then\nleft', '甲村, "东"', '12.5'],
    ['crlf\r\ninside', `'=HYPERLINK("http://x","y")`, '-3.5'],
    ['360724100', '', ''],
    [`'+cmd|' /C calc'!A0`, `'@SUM(1)`, ''],
  ];

  it('round-trips quotes, commas and line breaks through papaparse', () => {
    expect(papaRows(csvDocument(header, rows))).toEqual(expected);
  });

  it("round-trips them through Python's csv module, which also sees the BOM", () => {
    const path = join(dir, 'round-trip.csv');
    writeFileSync(path, csvBytes(header, rows));
    expect(pythonRows(path)).toEqual(expected);
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('reads back every neutralised formula, tab and CR included, by both readers', () => {
    const path = join(dir, 'formulas.csv');
    writeFileSync(
      path,
      csvBytes(
        ['text', 'number'],
        FORMULAS.map((f, i) => [f, -i - 0.5]),
      ),
    );
    const want = [['text', 'number'], ...FORMULAS.map((f, i) => [`'${f}`, String(-i - 0.5)])];
    expect(pythonRows(path)).toEqual(want);
    expect(papaRows(readFileSync(path, 'utf8'))).toEqual(want);
  });

  it('builds big files in pieces with the same bytes as the whole text', () => {
    const many = Array.from({ length: 40_000 }, (_, i) => [`p${i}`, i % 7 === 0 ? `=A${i}` : `村${i}, "x"`, i / 3]);
    const whole = new TextEncoder().encode(csvDocument(header, many));
    const writer = new CsvWriter(header);
    for (const row of many) writer.row(row);
    const pieces = writer.bytes();
    expect(whole.length).toBeGreaterThan(1 << 20);
    expect(Buffer.from(pieces).equals(Buffer.from(whole))).toBe(true);
  });
});

// ── every CSV the CLI writes, run in-process ─────────────────────────────────────────────────────────────────────

/** Ids and names that are formulas. */
const EVIL = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)'] as const;

const facilities = fc([
  facility(EVIL[0], 'township_centre', 0, 0, { name: EVIL[1], physicians: 2, beds: 5 }),
  facility(EVIL[2], 'village_clinic', 600, 0, { name: EVIL[0] }),
  facility('c-3', 'county_hospital', 0, 900, { name: EVIL[2], beds: 100, physicians: 10 }),
]);
const population = fc([
  settlement(EVIL[0], 1000, 0, 100),
  settlement(EVIL[1], -1000, 0, 200),
  { ...settlement(EVIL[2], 0, 1300, 400), properties: { ...settlement(EVIL[2], 0, 1300, 400).properties, name: '-1+1' } },
  settlement('far', 0, -20000, 50),
] as Feature<Point, Record<string, unknown>>[]);
writeFileSync(join(dir, 'facilities.geojson'), JSON.stringify(facilities));
writeFileSync(join(dir, 'population.geojson'), JSON.stringify(population));

async function run(args: string[]): Promise<void> {
  let stderr = '';
  const code = await runCli(args, { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: dir });
  expect(code, stderr).toBe(0);
}

/** The written file as rows, by papaparse and by Python (which must agree), after checking BOM and CRLF. */
function readCsv(name: string): Record<string, string>[] {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith(CSV_BOM)).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const papa = papaRows(text);
  expect(pythonRows(path)).toEqual(papa);
  // No cell a spreadsheet would run: the only cells starting with - are numbers.
  for (const row of papa) for (const cell of row) if (RUNNABLE.test(cell)) expect(Number.isFinite(Number(cell)), cell).toBe(true);
  expect(text).not.toMatch(/NaN|Infinity/);
  const [head, ...rest] = papa;
  return rest.map((row) => Object.fromEntries(head!.map((h, i) => [h, row[i]!])));
}

describe('the CLI writes formula ids and names as text', { timeout: 60_000 }, () => {
  it('coverage --times', async () => {
    await run(['coverage', '--facilities', 'facilities.geojson', '--population', 'population.geojson', '--times', 'times.csv']);
    const rows = readCsv('times.csv');
    expect(rows.map((r) => r['id'])).toEqual([...EVIL.map((e) => `'${e}`), 'far']);
    // 1 km east of the township centre at 5 km/h: 12 minutes, a number; beyond the limit: an empty cell.
    expect(Number(rows[0]!['minutes_township_centre'])).toBeCloseTo(12, 1);
    expect(rows[3]!['minutes_village_clinic']).toBe('');
  });

  it('access --points', async () => {
    await run(['access', '--facilities', 'facilities.geojson', '--population', 'population.geojson', '--points', 'points.csv']);
    const rows = readCsv('points.csv');
    expect(rows.map((r) => r['id'])).toEqual([...EVIL.map((e) => `'${e}`), 'far']);
    expect(rows[2]!['name']).toBe("'-1+1");
    const east = rows[0]!;
    expect(EVIL.map((e) => `'${e}`)).toContain(east['nearest_facility']);
    expect(EVIL.map((e) => `'${e}`)).toContain(east['nearest_facility_name']);
    for (const r of rows) for (const c of ['people', 'served_share', 'sfca_physicians_per_1000']) expect(r[c]).not.toMatch(/^'/);
  });

  it('access --facilities-out .csv', async () => {
    await run(['access', '--facilities', 'facilities.geojson', '--population', 'population.geojson', '--facilities-out', 'fac.csv']);
    const rows = readCsv('fac.csv');
    expect(rows.map((r) => [r['id'], r['name']])).toEqual([
      [`'${EVIL[0]}`, `'${EVIL[1]}`],
      [`'${EVIL[2]}`, `'${EVIL[0]}`],
      ['c-3', `'${EVIL[2]}`],
    ]);
    expect(rows.map((r) => Number(r['lon']))).toEqual(facilities.features.map((f) => Math.round(f.geometry.coordinates[0]! * 1e7) / 1e7));
  });

  it('export --out .csv', async () => {
    await run(['export', '--in', 'facilities.geojson', '--out', 'export.csv', '--layer', 'facilities']);
    const rows = readCsv('export.csv');
    expect(rows.map((r) => [r['id'], r['name'], r['physicians']])).toEqual([
      [`'${EVIL[0]}`, `'${EVIL[1]}`, '2'],
      [`'${EVIL[2]}`, `'${EVIL[0]}`, '1'],
      ['c-3', `'${EVIL[2]}`, '10'],
    ]);
  });
});
