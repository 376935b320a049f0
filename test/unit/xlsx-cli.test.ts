/**
 * The command line writes a workbook where an out path ends in .xlsx (`coverage --times`, `export --out`), read
 * back by Python's openpyxl: 12-digit codes with leading zeros as text, minutes as numbers shown to 0.1 and equal to
 * hand arithmetic (a settlement 1,000 m from a clinic at 5 km/h is 12 minutes away), counts as numbers, and the
 * About sheet 说明.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { facility, fc, settlement } from './coverage-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-xlsx-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Cell = [value: unknown, type: string, format: string];
const READ = `
import json, sys, openpyxl
print(json.dumps([[{"name": ws.title, "rows": [[[c.value, c.data_type, c.number_format] for c in row] for row in ws.iter_rows()]}
                   for ws in openpyxl.load_workbook(p).worksheets] for p in sys.argv[1:]], ensure_ascii=False))
`;

function records(rows: Cell[][]): Record<string, Cell>[] {
  const [header, ...rest] = rows;
  return rest.map((r) => Object.fromEntries(header!.map((h, j) => [String(h[0]), r[j]!])));
}

const write = (name: string, value: unknown): string => {
  writeFileSync(join(dir, name), JSON.stringify(value));
  return name;
};

// Settlements east of a village clinic, coded as 统计用区划代码 with a leading zero; metres → minutes at 5 km/h.
const METRES = [500, 1000, 1700, 2600];
const CODES = METRES.map((_, i) => `01072410000${i + 1}`);
const facilities = write('facilities.geojson', fc([facility('C-1', 'village_clinic', 0, 0, { beds: 12 })]));
const population = write('population.geojson', fc(METRES.map((x, i) => settlement(CODES[i]!, x, 0, 100 * (i + 1)))));

describe('healthshed writes Excel workbooks', () => {
  it('for an .xlsx out path (coverage --times, export --out)', async () => {
    const quiet = { stdout: () => {}, stderr: () => {}, cwd: dir };
    const codes = [
      await runHealthshed(['coverage', '--facilities', facilities, '--population', population, '--times', 'times.xlsx'], quiet),
      await runHealthshed(['export', '--in', population, '--out', 'settlements.xlsx'], quiet),
    ];
    expect(codes).toEqual([0, 0]);
    const [times, layer] = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', READ, join(dir, 'times.xlsx'), join(dir, 'settlements.xlsx')], { encoding: 'utf8' }),
    ) as { name: string; rows: Cell[][] }[][];
    const rows = records(times![0]!.rows);
    expect(rows.map((r) => r['编号'])).toEqual(CODES.map((c) => [c, 's', '@']));
    rows.forEach((row, i) => {
      const cell = row['到最近村卫生室用时（分钟）']!;
      expect(cell.slice(1)).toEqual(['n', '0.0']);
      expect(cell[0] as number).toBeCloseTo((METRES[i]! / 5000) * 60, 2);
    });
    // No township centre at all: nobody is timed to one (an empty cell, not 0).
    expect(rows.every((r) => r['到最近乡镇卫生院用时（分钟）']![0] === null)).toBe(true);
    expect(times![1]!.name).toBe('说明');
    const settlements = records(layer![0]!.rows);
    expect(settlements.map((r) => r['编号']![0])).toEqual(CODES);
    expect(settlements.map((r) => r['人口（人）'])).toEqual(METRES.map((_, i) => [100 * (i + 1), 'n', '#,##0']));
    expect(settlements[0]!['经度（WGS84）']![1]).toBe('n');
  });
});
