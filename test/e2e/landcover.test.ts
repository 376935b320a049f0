import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

/**
 * Land cover in terrain mode as a planner meets it on 上犹县: a WorldCover-coded raster made by GDAL over the west
 * of the county (tree cover, a strip of a code WorldCover does not have, nothing east of 114.40°E) is taken, its
 * warnings shown by code in the reader's language, the method line names it; the class table is edited: a
 * negative factor is named by field path and not applied, a valid one is applied as the planner's own table.
 */
const WAIT = { timeout: 90_000, interval: 250 };
const COUNTY = 'shangyou';

function landCover(): string {
  const dir = mkdtempSync(join(tmpdir(), 'landcover-e2e-'));
  const [cols, rows] = [110, 140];
  const grid = Array.from({ length: rows }, () =>
    Array.from({ length: cols }, (_, c) => (113.85 + (c + 0.5) * 0.005 < 114.3 ? 10 : 42)).join(' '),
  ).join('\n');
  writeFileSync(
    join(dir, 'lc.asc'),
    `ncols ${cols}\nnrows ${rows}\nxllcorner 113.85\nyllcorner 25.55\ncellsize 0.005\nNODATA_value 0\n${grid}\n`,
  );
  execFileSync('gdal_translate', ['-q', '-ot', 'Byte', '-a_srs', 'EPSG:4326', '-of', 'GTiff', join(dir, 'lc.asc'), join(dir, 'lc.tif')]);
  return join(dir, 'lc.tif');
}

const SHOTS = resolve(__dirname, '../../test-results/landcover');
const text = async (page: Page, testid: string) =>
  ((await page.textContent(`[data-testid="${testid}"]`)) ?? '').replace(/\s+/g, ' ').trim();

describe('land cover and its speed table', () => {
  let harness: Harness;
  let page: Page;
  const file = landCover();
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="standard-line"] li[data-part]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('a land cover is taken; unknown classes and the side it misses are warned of; the method line names it', async () => {
    await page.click('[data-testid="mode-terrain"]');
    expect(await text(page, 'ground-landCover-facts')).toBe('未加载土地覆盖：全部按开阔地计算');
    await page.setInputFiles('[data-testid="ground-landCover-file"]', file);
    await expect.poll(() => text(page, 'ground-landCover-facts'), WAIT).toContain('lc.tif（EPSG:4326');
    const facts = await text(page, 'ground-landCover-facts');
    expect(facts).toContain('ESA WorldCover');
    expect(facts).toMatch(/lc\.tif：[\d,]+ 格的地类不在速度表中（42），按开阔地计算/);
    expect(facts).toMatch(/土地覆盖未覆盖本县东部（[\d,]+ 格），该处按开阔地计算/);
    await expect.poll(() => text(page, 'standard-method'), WAIT).toContain('土地覆盖 lc.tif');
    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => text(page, 'ground-landCover-facts'), WAIT).toMatch(/hold a class the speed table does not list \(42\)/);
    await page.click('[data-testid="language-switch"]');
  });

  it('the table: a negative factor is named by its field and not applied; a valid one becomes the planner’s table', async () => {
    const rows = page.locator('[data-testid="landcover-row"]');
    expect(await rows.count()).toBe(11);
    const factor = page.locator('[data-testid="landcover-factor"]').first();
    expect(await factor.inputValue()).toBe('0.4');
    await factor.fill('-1');
    await expect.poll(() => text(page, 'landcover-problems'), WAIT).toBe('第 1 行（林地）系数：不能为负数');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'landcover-table-zh.png') });
    expect(await page.isDisabled('[data-testid="landcover-apply"]')).toBe(true);
    await factor.fill('0.2');
    await expect.poll(() => page.isDisabled('[data-testid="landcover-apply"]'), WAIT).toBe(false);
    await page.click('[data-testid="landcover-apply"]');
    await expect.poll(() => text(page, 'ground-landCover-facts'), WAIT).toContain('自定义速度表');
    expect(await page.locator('[data-testid="landcover-factor"]').first().inputValue()).toBe('0.2');
    await page.click('[data-testid="landcover-reset"]');
    await expect.poll(() => text(page, 'ground-landCover-facts'), WAIT).toContain('ESA WorldCover');
    expect(await page.locator('[data-testid="landcover-factor"]').first().inputValue()).toBe('0.4');
    expect(harness.pageErrors).toEqual([]);
  });
});
