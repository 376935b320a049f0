/**
 * Excel out in the browser: the township coverage table's 导出 Excel button (built in the worker), the uncovered
 * list's (written on the page from the answer on screen) and the 数据 tab's export of the facilities as a workbook, each downloaded through clicks and read back by an independent tool (Python's
 * openpyxl): the numbers are numbers with their formats, codes are text, and the values are the ones the screen
 * shows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

type Cell = [value: unknown, type: string, format: string];

const READ = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([{"name": ws.title, "freeze": ws.freeze_panes,
                   "rows": [[[c.value, c.data_type, c.number_format] for c in row] for row in ws.iter_rows()]}
                  for ws in wb.worksheets], ensure_ascii=False))
`;

/** The sheets of a workbook as openpyxl reads them, each row keyed by the header's text. */
function readWorkbook(path: string): { name: string; freeze: string | null; records: Record<string, Cell>[]; header: string[] }[] {
  const sheets = JSON.parse(execFileSync('/usr/bin/python3', ['-c', READ, path], { encoding: 'utf8' })) as {
    name: string;
    freeze: string | null;
    rows: Cell[][];
  }[];
  return sheets.map((s) => {
    const header = s.rows[0]!.map((c) => String(c[0]));
    return {
      name: s.name,
      freeze: s.freeze,
      header,
      records: s.rows.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]!]))),
    };
  });
}

async function download(page: Page, dir: string, click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

const TIER_ZH: Record<string, string> = {
  county_hospital: '县级医院',
  township_centre: '乡镇卫生院',
  village_clinic: '村卫生室',
  any: '任一层级机构',
};

describe('Excel out in the browser', () => {
  let harness: Harness;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'healthshed-xlsx-e2e-'));
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou&tab=coverage');
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="township-table"] tr[data-zone]', { state: 'attached' });
  });
  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the township coverage table with the numbers the screen shows', async () => {
    const shown = await page.$$eval('[data-testid="township-table"] tr[data-zone]', (rows) =>
      rows.map((r) => ({
        code: r.getAttribute('data-zone')!,
        cells: [...r.querySelectorAll('td[data-minutes]')].map((td) => ({
          minutes: td.getAttribute('data-minutes')!,
          covered: td.getAttribute('data-covered')!,
          share: td.getAttribute('data-share')!,
        })),
      })),
    );
    const tier = (await page.getAttribute('[data-testid="township-table"]', 'data-tier'))!;
    const path = await download(page, dir, () => page.click('[data-testid="excel-townships"]'));
    expect(path.endsWith('.xlsx')).toBe(true);
    await page.waitForSelector('[data-testid="excel-townships-done"]');
    const [sheet, about] = readWorkbook(path);
    expect(sheet!.freeze).toBe('A2');
    expect(about!.name).toBe('说明');
    expect(sheet!.header).toContain('人口（人）');
    expect(shown.length).toBeGreaterThan(5);
    for (const zone of shown) {
      const row = sheet!.records.find((r) => r['代码']![0] === zone.code)!;
      expect(row, zone.code).toBeDefined();
      // A 9-digit township code stays text with its digits.
      expect(row['代码']![1]).toBe('s');
      expect(row['代码']![0]).toMatch(/^\d{9}$/);
      for (const c of zone.cells) {
        const people = row[`${TIER_ZH[tier]} ${c.minutes} 分钟内人口（人）`]!;
        expect(people).toEqual([Number(c.covered), 'n', '#,##0']);
        const share = row[`${TIER_ZH[tier]} ${c.minutes} 分钟内人口比例（%）`]!;
        if (c.share === '') expect(share[0]).toBeNull();
        else {
          expect(share.slice(1)).toEqual(['n', '0.0%']);
          expect(share[0] as number).toBeCloseTo(Number(c.share), 12);
        }
      }
    }
  });

  it('writes the uncovered settlements list on the page from the answer on screen', async () => {
    const listed = await page.$$eval('[data-testid="uncovered-list"] button[data-id]', (buttons) =>
      buttons.map((b) => b.getAttribute('data-id')!),
    );
    expect(listed.length).toBeGreaterThan(0);
    const path = await download(page, dir, () => page.click('[data-testid="excel-uncovered"]'));
    const [sheet, about] = readWorkbook(path);
    expect(sheet!.name).toBe('未达标居民点');
    // The screen lists the first 15; the workbook holds the whole answer, in the same order.
    expect(sheet!.records.slice(0, listed.length).map((r) => r['编号']![0])).toEqual(listed);
    expect(sheet!.records.every((r) => r['编号']![1] === 's' && r['人口（人）']![1] === 'n')).toBe(true);
    expect(about!.records.map((r) => r['项目']![0])).toContain('计算方法');
  });

  it('exports the facilities layer from the 数据 tab as a workbook that matches the facility table', async () => {
    await page.click('[data-testid="tab-facilities"]');
    const shown = await page.$$eval('[data-testid="facility-table"] tbody tr[data-id]', (rows) =>
      rows.map((r) => ({
        id: r.getAttribute('data-id')!,
        name: r.querySelector('td.name')!.textContent!.trim(),
        beds: r.querySelectorAll('td.num')[0]!.textContent!.trim(),
      })),
    );
    await page.click('[data-testid="tab-data"]');
    await page.selectOption('[data-testid="export-layer"]', 'facilities');
    await page.selectOption('[data-testid="export-format"]', 'xlsx');
    const path = await download(page, dir, () => page.click('[data-testid="export-go"]'));
    expect(path.endsWith('.xlsx')).toBe(true);
    const [sheet, about] = readWorkbook(path);
    expect(sheet!.header.slice(0, 4)).toEqual(['经度（WGS84）', '纬度（WGS84）', '编号', '名称']);
    expect(sheet!.records).toHaveLength(shown.length);
    const byId = new Map(sheet!.records.map((r) => [r['编号']![0], r]));
    for (const f of shown) {
      const row = byId.get(f.id)!;
      expect(row, f.id).toBeDefined();
      expect(row['名称']![0]).toBe(f.name);
      const beds = row['床位（张）']!;
      if (/^\d/.test(f.beds)) expect(beds).toEqual([Number(f.beds.replace(/,/g, '')), 'n', '#,##0']);
      else expect(beds[0]).toBeNull();
    }
    // The About sheet says how much of the layer is modelled: counted here from the rows' own 模型生成 column.
    const facts = Object.fromEntries(about!.records.map((r) => [r['项目']![0], r['内容']![0]]));
    const modelled = sheet!.records.filter((r) => r['模型生成']?.[0] === '是').length;
    const total = sheet!.records.length;
    const expected = modelled === 0 ? '真实' : modelled === total ? '示意（模型生成）' : `部分真实（${modelled}/${total} 为模型生成）`;
    expect(facts['数据性质']).toBe(`医疗卫生机构：${expected}`);
    expect(harness.externalRequests).toEqual([]);
  });
});
