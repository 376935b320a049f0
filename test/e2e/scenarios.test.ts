/**
 * Scenarios as a planner makes and loses them, on 上犹 at 1440×900: 新建方案 through the name prompt, 复制 with the
 * source's edits, and the destructive actions asking first in the app's own dialog (named scenario and edit
 * count, focus on 取消, Esc cancels): 删除 (then ↶ brings the scenario back with its edits, across a reload),
 * 恢复本县原有数据 over an imported layer, and 打开项目文件 over work not saved to a file (with a copy saved first).
 * Counts are checked against what the map draws and what the project file holds.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedCounts, startHarness, waitForMap, type Harness } from './harness';

const SHOTS = '/tmp/shots/safe';
const NAME = '东山扩建方案';
const COPY = `${NAME}（副本）`;
/** The machine running the suite may be busy: answers can take seconds. */
const WAIT = { timeout: 20_000 };

const facilities = async (page: Page): Promise<number> => (await renderedCounts(page))['facilities-symbol'] ?? -1;
const options = (page: Page) => page.locator('[data-testid="scenario-picker"] option').allTextContents();
const openName = (page: Page) => page.locator('[data-testid="scenario-picker"] option:checked').textContent();
const saved = (page: Page) => expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state'), WAIT).toBe('saved');
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

async function reload(page: Page): Promise<void> {
  await saved(page);
  await page.reload();
  await waitForMap(page, 'shangyou');
}

async function population(page: Page): Promise<string> {
  await page.click('[data-testid="tab-layers"]');
  const text = (await page.textContent('[data-testid="summary-population"]')) ?? '';
  await page.click('[data-testid="tab-data"]');
  return text;
}

/** The project a download holds (gzip or plain JSON). */
async function projectOf(path: string): Promise<{ scenarios: { id: string; name: string; edits: unknown[] }[] }> {
  const raw = await readFile(path);
  return JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
}

describe('scenarios: make, copy, and destroy only after asking (undoably)', () => {
  let harness: Harness;
  let page: Page;
  /** Facilities drawn on the baseline, before any edit. */
  let baseline = 0;

  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]', { state: 'attached' });
    baseline = await facilities(page);
    expect(baseline).toBeGreaterThan(10);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('新建方案 names a scenario through the prompt; it is open and survives a reload', async () => {
    page.once('dialog', (d) => void d.accept(NAME));
    await page.click('[data-testid="scenario-new"]');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME]);
    expect(await openName(page)).toBe(NAME);
    expect(await page.locator('[data-testid="workspace-notice"]').count()).toBe(0);
    await reload(page);
    expect(await options(page)).toEqual(['现状', NAME]);
    expect(await openName(page)).toBe(NAME);
  });

  it('复制 copies the open scenario with its edits', async () => {
    await page.click('[data-add-tier="village_clinic"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.42, box.y + box.height * 0.55);
    await expect.poll(() => facilities(page), WAIT).toBe(baseline + 1);
    await page.keyboard.press('Escape'); // leave the add tool
    await page.click('[data-testid="scenario-duplicate"]');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME, COPY]);
    expect(await openName(page)).toBe(COPY);
    await expect.poll(() => facilities(page), WAIT).toBe(baseline + 1);
  });

  it('删除 asks, naming the scenario and its edits; Esc keeps it, confirming deletes it, ↶ brings it back with its edits', async () => {
    await page.click('[data-testid="scenario-delete"]');
    const dialog = page.locator('[data-testid="confirm-delete-scenario"]');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('dialog');
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    await expect.poll(() => focused(page), WAIT).toBe('confirm-cancel');
    const text = (await dialog.textContent()) ?? '';
    // One edit made (one clinic added): what the map drew, baseline + 1.
    expect(text).toContain(`删除方案“${COPY}”？`);
    expect(text).toContain(`“${COPY}”记录了 1 步编辑，相对现状共改动 1 个机构：新增 1 个。`);
    expect(text).toContain('↶ 撤销');
    await page.screenshot({ path: `${SHOTS}/delete-zh.png` });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await options(page)).toEqual(['现状', NAME, COPY]);
    expect(await openName(page)).toBe(COPY);

    await page.click('[data-testid="scenario-delete"]');
    await page.click('[data-testid="confirm-delete-scenario"] [data-testid="confirm-delete"]');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME]);
    expect(await openName(page)).toBe('现状');
    await expect.poll(() => facilities(page), WAIT).toBe(baseline);

    await page.click('[data-testid="undo"]');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME, COPY]);
    expect(await openName(page)).toBe(COPY);
    await expect.poll(() => facilities(page), WAIT).toBe(baseline + 1);
    // Redo deletes it again, undo brings it back again.
    await page.click('[data-testid="redo"]');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME]);
    await page.keyboard.press('Control+z');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME, COPY]);
    // Nothing older to undo: the copy came with its source's edits, not its steps, and no deletion is left.
    // (The buttons follow the history as the scenario list does, a frame apart: polled.)
    await expect.poll(() => page.isEnabled('[data-testid="undo"]'), WAIT).toBe(false);
    await expect.poll(() => page.isEnabled('[data-testid="redo"]'), WAIT).toBe(true);

    await reload(page);
    expect(await options(page)).toEqual(['现状', NAME, COPY]);
    expect(await openName(page)).toBe(COPY);
    await expect.poll(() => facilities(page), WAIT).toBe(baseline + 1);
  });

  it('says the same in English', async () => {
    await page.click('[data-testid="language-switch"]');
    await page.click('[data-testid="scenario-delete"]');
    const dialog = page.locator('[data-testid="confirm-delete-scenario"]');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(`Delete the scenario “${COPY}”?`);
    expect(text).toContain(`“${COPY}” holds 1 edit step, changing 1 facility from the current facilities: 1 added.`);
    await page.screenshot({ path: `${SHOTS}/delete-en.png` });
    await page.click('[data-testid="confirm-cancel"]');
    await dialog.waitFor({ state: 'detached' });
    await page.click('[data-testid="language-switch"]');
    expect(await options(page)).toEqual(['现状', NAME, COPY]);
  });

  it('恢复本县原有数据 asks, naming the layer and the imported file it replaces', async () => {
    const original = await population(page);
    const csv = '名称,常住人口,经度,纬度\n城关村,1000,114.41,25.94\n东山村,2000,114.40,25.95\n';
    await page.setInputFiles('[data-testid="import-file"]', { name: '居民点.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    await page.click('[data-testid="import-go"]');
    await page.click('[data-testid="import-confirm-yes"]');
    await expect.poll(() => population(page), WAIT).toBe('3,000人');

    await page.click('[data-testid="import-restore-county"]');
    const dialog = page.locator('[data-testid="confirm-restore-layer"]');
    await dialog.waitFor();
    await expect.poll(() => focused(page), WAIT).toBe('confirm-cancel');
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('恢复本县原有的居民点？');
    expect(text).toContain('现在所有方案使用的居民点是导入的“居民点.csv”。');
    await page.screenshot({ path: `${SHOTS}/restore-layer-zh.png` });
    // Keys stay in the dialog: Ctrl+Z does not undo the import behind it.
    await page.keyboard.press('Control+z');
    await page.click('[data-testid="confirm-cancel"]');
    await dialog.waitFor({ state: 'detached' });
    // An undo would have dropped the imported layer from the project at once (before the worker redraws).
    expect(await page.locator('[data-testid="import-saved-layer"]').count()).toBe(1);
    expect(await population(page)).toBe('3,000人');

    await page.click('[data-testid="import-restore-county"]');
    await page.click('[data-testid="confirm-restore-layer"] [data-testid="confirm-restore"]');
    await expect.poll(() => population(page), WAIT).toBe(original);
    expect(await page.locator('[data-testid="import-saved-layer"]').count()).toBe(0);
  });

  it('打开项目文件 over work not saved to a file asks, and can save a copy first', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="project-save"]')]);
    const file = (await download.path())!;
    expect((await projectOf(file)).scenarios.map((s) => s.name)).toEqual(['现状', NAME, COPY]);
    // Work after the save: a third scenario.
    page.once('dialog', (d) => void d.accept('第三方案'));
    await page.click('[data-testid="scenario-new"]');
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME, COPY, '第三方案']);

    await page.setInputFiles('[data-testid="project-open"]', {
      name: '上犹-旧版.healthshed',
      mimeType: 'application/octet-stream',
      buffer: await readFile(file),
    });
    const dialog = page.locator('[data-testid="confirm-open-project"]');
    await dialog.waitFor();
    await expect.poll(() => focused(page), WAIT).toBe('confirm-cancel');
    const text = (await dialog.textContent()) ?? '';
    // The picker's scenarios besides 现状, and their edits: one clinic in each of the two copies.
    const planners = (await options(page)).length - 1;
    expect(text).toContain('打开“上犹-旧版.healthshed”，替换当前项目？');
    expect(text).toContain(`此浏览器中上犹县的当前项目有 ${planners} 个方案（不含现状，共 2 步编辑）`);
    await page.screenshot({ path: `${SHOTS}/open-project-zh.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await options(page)).toEqual(['现状', NAME, COPY, '第三方案']);

    await page.setInputFiles('[data-testid="project-open"]', {
      name: '上犹-旧版.healthshed',
      mimeType: 'application/octet-stream',
      buffer: await readFile(file),
    });
    const [copy] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="confirm-open-project"] [data-testid="confirm-save-first"]'),
    ]);
    // The copy saved first holds the work about to be replaced; then the file's project is the one open.
    expect((await projectOf((await copy.path())!)).scenarios.map((s) => s.name)).toEqual(['现状', NAME, COPY, '第三方案']);
    await expect.poll(() => options(page), WAIT).toEqual(['现状', NAME, COPY]);
    // Nothing is at stake once the file's project is open, from the moment its scenarios show (the page takes the
    // file's project before drawing it): a second open at once does not ask.
    expect(await page.evaluate(() => (globalThis as unknown as { __healthshed: { atStake(): boolean } }).__healthshed.atStake())).toBe(
      false,
    );
    await page.setInputFiles('[data-testid="project-open"]', {
      name: '上犹-旧版.healthshed',
      mimeType: 'application/octet-stream',
      buffer: await readFile(file),
    });
    await saved(page);
    expect(await page.locator('[data-testid="confirm-open-project"]').count()).toBe(0);
    expect(harness.pageErrors).toEqual([]);
  });
});
