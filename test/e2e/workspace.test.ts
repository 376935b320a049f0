import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const HOSPITAL = 'CH-220622-1';

async function openHospital(page: Page): Promise<void> {
  await page.click('[data-testid="tab-facilities"]');
  await page.selectOption('[data-testid="filter-status"]', '');
  await page.fill('[data-testid="filter-search"]', HOSPITAL);
  await page.click(`[data-testid="facility-table"] tbody tr[data-id="${HOSPITAL}"]`);
  await page.waitForSelector('[data-testid="facility-edit"]');
}
const beds = (page: Page) => page.inputValue('[data-testid="facility-edit"] input[data-field="beds"]');
async function setBeds(page: Page, value: string): Promise<void> {
  await page.fill('[data-testid="facility-edit"] input[data-field="beds"]', value);
  await page.dispatchEvent('[data-testid="facility-edit"] input[data-field="beds"]', 'change');
}

describe('never lose work: undo, autosave, scenarios, project files', () => {
  let harness: Harness;
  let page: Page;
  let original = '';
  const downloads = mkdtempSync(join(tmpdir(), 'healthshed-project-'));
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=jingyu');
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
    await openHospital(page);
    original = await beds(page);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('undoes and redoes an edit with the buttons and the keyboard', async () => {
    await setBeds(page, '777');
    await expect.poll(() => beds(page)).toBe('777');
    // The first edit opens a working scenario; the baseline stays as loaded.
    expect(await page.locator('[data-testid="scenario-picker"] option').allTextContents()).toEqual(['现状', '工作方案']);
    await page.click('[data-testid="undo"]');
    await expect.poll(() => beds(page), { message: 'undo button' }).toBe(original);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => beds(page), { message: 'ctrl+shift+z' }).toBe('777');
    await page.keyboard.press('Control+Z');
    await expect.poll(() => beds(page), { message: 'ctrl+z' }).toBe(original);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => beds(page)).toBe('777');
  });

  it('keeps everything after a reload (autosave to IndexedDB)', async () => {
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state')).toBe('saved');
    await page.reload();
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
    expect(await page.locator('[data-testid="scenario-picker"] option').allTextContents()).toEqual(['现状', '工作方案']);
    expect(await page.inputValue('[data-testid="scenario-picker"]')).not.toBe('baseline');
    await openHospital(page);
    expect(await beds(page)).toBe('777');
  });

  it('compares two scenarios and reads the deltas', async () => {
    // Add a clinic in the working scenario, then compare the baseline (A) with it (B).
    await page.click('[data-add-tier="village_clinic"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.click('[data-testid="tab-compare"]');
    await page.selectOption('[data-testid="compare-a"]', 'baseline');
    await page.click('[data-testid="compare-run"]');
    await page.waitForSelector('[data-testid="compare-facilities"] li');
    // Both sides measured one way, the open scenario's, and the line says which.
    expect((await page.textContent('[data-testid="compare-method"]'))!.trim()).toBe(
      '两个方案均按当前方案的计算方法测算：按直线距离、步行 5.0 公里/小时计，由居民点前往机构',
    );
    const facilities = await page.textContent('[data-testid="compare-facilities"]');
    expect(facilities).toContain('新增');
    expect(facilities).toContain('属性修改');
    const bedsChange = await page.textContent('[data-testid="compare-ratios"] tr[data-ratio="beds_per_1000"]');
    expect(bedsChange).toMatch(/\+\d/);
    const newly = Number(
      await page.getAttribute('[data-testid="compare-coverage"] tr[data-tier="village_clinic"] td[data-minutes="30"]', 'data-newly'),
    );
    expect(newly).toBeGreaterThanOrEqual(0);
  });

  it('saves a project file and opens it in a fresh profile with the same state', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="project-save"]')]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(file.endsWith('.healthshed')).toBe(true);
    const fresh = await harness.newPage('/?county=jingyu'); // a new browser context: empty storage
    await waitForMap(fresh, 'jingyu');
    await fresh.waitForSelector('[data-testid="coverage-table"]');
    expect(await fresh.locator('[data-testid="scenario-picker"] option').allTextContents()).toEqual(['现状']);
    await fresh.setInputFiles('[data-testid="project-open"]', file);
    await expect.poll(() => fresh.locator('[data-testid="scenario-picker"] option').allTextContents()).toEqual(['现状', '工作方案']);
    await openHospital(fresh);
    expect(await beds(fresh)).toBe('777');

    // A damaged file is refused with a message and replaces nothing.
    const bytes = readFileSync(file);
    await fresh.setInputFiles('[data-testid="project-open"]', {
      name: 'broken.healthshed',
      mimeType: 'application/octet-stream',
      buffer: bytes.subarray(0, bytes.length >> 1),
    });
    await expect.poll(() => fresh.textContent('[data-testid="workspace-notice"]')).toContain('broken.healthshed');
    expect(await fresh.locator('[data-testid="scenario-picker"] option').allTextContents()).toEqual(['现状', '工作方案']);
    expect(await beds(fresh)).toBe('777');
    await fresh.context().close();
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
