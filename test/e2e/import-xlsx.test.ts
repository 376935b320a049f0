/**
 * An Excel registry in the browser: a workbook openpyxl writes (a notes sheet first, a title and a note above the
 * header) is dropped on the page; the wizard picks the registry sheet, finds the header under the title, maps
 * the columns, and the facilities it imports are in the facility table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

/** Three facilities inside 上犹县, under a title row merged across and a note, on the second sheet. */
const WRITE = String.raw`
import sys, openpyxl
wb = openpyxl.Workbook()
notes = wb.active
notes.title = '填表说明'
notes['A1'] = '本表坐标为 WGS84。'
s = wb.create_sheet('机构名录')
s['A1'] = '上犹县医疗卫生机构名录'
s.merge_cells('A1:F1')
s['A2'] = '单位：张'
s.append(['编号', '机构名称', '机构类型', '经度', '纬度', '床位数'])
s.append(['X1', '表格甲镇卫生院', '乡镇卫生院', 114.3981, 25.9421, '40'])
s.append([])
s.append(['X2', '表格乙村卫生室', '村卫生室', 114.3512, 25.9876, 0])
s.append(['X3', '表格丙镇卫生院', '乡镇卫生院', 114.2511, 25.8432, 30])
wb.save(sys.argv[1])
`;

async function facilityNames(page: Page): Promise<string[]> {
  await page.click('[data-testid="tab-facilities"]');
  const names = await page.locator('[data-testid="facility-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
  await page.click('[data-testid="tab-data"]');
  return names;
}

/** Drops bytes on the page as a file, the way a planner drags one from the desktop. */
async function dropFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(
    ({ b64, name, type }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type }));
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { b64: bytes.toString('base64'), name, type },
  );
}

describe('an Excel registry in the browser', () => {
  let harness: Harness;
  let page: Page;
  let dir: string;
  let book: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'healthshed-xlsx-'));
    const path = join(dir, '机构名录.xlsx');
    execFileSync('/usr/bin/python3', ['-c', WRITE, path]);
    book = await readFile(path);
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou');
    await waitForMap(page, 'shangyou');
  });
  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('picks the sheet, finds the header under the title, maps and imports the facilities', async () => {
    const before = await facilityNames(page);
    expect(before.length).toBeGreaterThan(100);
    await dropFile(page, book, '机构名录.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const counts = '[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]';
    await page.waitForSelector(counts);
    // The registry sheet, not the notes before it; its header is row 3, under the title and the note.
    expect(await page.inputValue('[data-testid="import-sheet"]')).toBe('机构名录');
    expect(await page.locator('[data-testid="import-sheet"] option').allTextContents()).toEqual(['填表说明（1 行）', '机构名录（6 行）']);
    expect(await page.getAttribute('[data-testid="import-header-rows"]', 'data-first')).toBe('3');
    expect(await page.inputValue('[data-testid="import-header-row"]')).toBe('3');

    // The notes sheet has no coordinate columns: the wizard says so and stays open; back to the registry.
    await page.selectOption('[data-testid="import-sheet"]', '填表说明');
    await expect.poll(() => page.textContent('[data-testid="import-error"]')).toContain('找不到坐标列');
    await page.selectOption('[data-testid="import-sheet"]', '机构名录');
    await page.waitForSelector(counts);

    // The title row as the header is the planner's to try, and to take back.
    await page.fill('[data-testid="import-header-row"]', '1');
    await page.locator('[data-testid="import-header-row"]').dispatchEvent('change');
    await expect.poll(() => page.textContent('[data-testid="import-error"]')).toContain('找不到坐标列');
    await page.fill('[data-testid="import-header-row"]', '3');
    await page.locator('[data-testid="import-header-row"]').dispatchEvent('change');
    await page.waitForSelector(counts);

    const preview = await page.textContent('[data-testid="import-preview"]');
    expect(preview).toContain('机构名称');
    expect(preview).toContain('表格甲镇卫生院');
    expect(await page.inputValue('[data-target="name"]')).toBe('机构名称');
    expect(await page.inputValue('[data-target="beds"]')).toBe('床位数');
    expect(await page.inputValue('[data-target="tier"]')).toBe('机构类型');
    await expect.poll(() => page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('3');
    expect(await page.getAttribute('[data-testid="import-counts"]', 'data-rejected')).toBe('0');

    // Merged into the loaded facilities (the default): three more rows in the table, under their names.
    await page.click('[data-testid="import-go"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    await expect.poll(async () => (await facilityNames(page)).length).toBe(before.length + 3);
    const after = (await facilityNames(page)).join('\n');
    for (const name of ['表格甲镇卫生院', '表格乙村卫生室', '表格丙镇卫生院']) expect(after).toContain(name);
  });
});
