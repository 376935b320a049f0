/**
 * A layer import is a step of the one undo history: 撤销 / 重做 (and Ctrl+Z) take it back and do it again like a
 * facility edit, in order with them, and 恢复本县原有数据 is a step too.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

async function population(page: Page): Promise<string> {
  await page.click('[data-testid="tab-layers"]');
  const text = (await page.textContent('[data-testid="summary-population"]')) ?? '';
  await page.click('[data-testid="tab-data"]');
  return text;
}

describe('a layer import in the undo history', () => {
  let harness: Harness;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou');
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('undoes and redoes an import and 恢复本县原有数据 with 撤销 / 重做 and the keyboard', async () => {
    const original = await population(page);
    const csv = '名称,常住人口,经度,纬度\n城关村,1000,114.41,25.94\n东山村,2000,114.40,25.95\n';
    await page.click('[data-testid="tab-data"]');
    await page.setInputFiles('[data-testid="import-file"]', { name: '居民点.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    await page.click('[data-testid="import-go"]');
    await page.click('[data-testid="import-confirm-yes"]');
    await expect.poll(() => population(page)).toBe('3,000人');
    expect(await page.locator('[data-testid="import-undo-layer"]').count()).toBe(1);

    await page.click('[data-testid="undo"]');
    await expect.poll(() => population(page)).toBe(original);
    expect(await page.locator('[data-testid="import-saved-layer"]').count()).toBe(0);
    await page.click('[data-testid="redo"]');
    await expect.poll(() => population(page)).toBe('3,000人');
    expect(await page.textContent('[data-testid="import-saved-layer"]')).toContain('居民点.csv');

    await page.click('[data-testid="import-restore-county"]');
    await page.click('[data-testid="confirm-restore-layer"] [data-testid="confirm-restore"]'); // it asks first (scenarios.test.ts)
    await expect.poll(() => population(page)).toBe(original);
    await page.keyboard.press('Control+z');
    await expect.poll(() => population(page)).toBe('3,000人');
    await page.keyboard.press('Control+z');
    await expect.poll(() => population(page)).toBe(original);
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state')).toBe('saved');
    expect(harness.pageErrors).toEqual([]);
  });
});
