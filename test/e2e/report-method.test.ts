import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

/**
 * Two surprises of a planner's afternoon, done as the planner did them on 上犹县: the report of a scenario
 * seen in network mode must say network mode and the screen's verdict (not a straight-line one), the mode must
 * survive a reload; and pressing 报告 in an older tab must not overwrite the work of a newer one.
 */
const WAIT = { timeout: 60_000, interval: 250 };
const SHOTS = resolve(__dirname, '../../test-results/report-method');
mkdirSync(SHOTS, { recursive: true });
const COUNTY = 'shangyou';

const parts = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((items) => items.map((i) => `${i.getAttribute('data-part')}:${i.getAttribute('data-verdict')}`));

describe('the report and other tabs never contradict or undo the screen', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    await waitForMap(page, COUNTY);
    await page.click('[data-testid="tab-coverage"]');
    await page.waitForSelector('[data-testid="standard-line"] li[data-part]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('the report of a scenario seen in network mode says network mode and the same verdict, part by part; a reload keeps the mode', async () => {
    const straight = await page.textContent('[data-testid="standard-method"]');
    await page.click('[data-testid="mode-network"]');
    await expect.poll(() => page.textContent('[data-testid="standard-method"]'), WAIT).not.toBe(straight);
    // Over the roads the default reading walks the urban 15 minutes and the village clinic's, and rides an e-bike
    // to a township centre; each part says so, marked as the tool's default, with its own method line.
    const items = page.locator('[data-testid="standard-parts"] li[data-part]');
    await expect
      .poll(() => items.evaluateAll((li) => li.map((i) => `${i.getAttribute('data-part')}:${i.getAttribute('data-profile')}`)), WAIT)
      .toEqual(['urban:walking', 'rural_centre:ebike', 'rural_clinic:walking']);
    expect(await items.first().textContent()).toContain('（步行，本工具默认）');
    expect(await items.nth(1).textContent()).toContain('（电动车，本工具默认）');
    expect(await page.locator('[data-testid="standard-part-method"]').count()).toBeGreaterThanOrEqual(2);
    // The line under the parts names the travel they were measured by (as the overview and the report do), not
    // the scenario's car.
    await expect.poll(() => page.textContent('[data-testid="standard-method"]'), WAIT).toContain('电动车');
    const method = (await page.textContent('[data-testid="standard-method"]'))!.trim();
    expect(method).toContain('路网');
    expect(method).toContain('步行');
    expect(method).not.toContain('小汽车');
    await page.locator('[data-testid="standard-line"]').screenshot({ path: join(SHOTS, 'standard-network-zh.png') });
    const screen = await parts(page, '[data-testid="standard-parts"] li[data-part]');
    const verdict = await page.getAttribute('[data-testid="standard-line"]', 'data-verdict');
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state'), WAIT).toBe('saved');

    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
    try {
      await report.locator('[data-testid="report-part"]').first().waitFor({ timeout: 90_000 });
      await expect.poll(() => report.textContent('[data-testid="report-method"]'), WAIT).toContain('路网');
      expect(await report.textContent('[data-testid="report-method"]')).not.toContain('直线');
      // The same words as under the parts on screen.
      expect((await report.textContent('[data-testid="report-method"]'))!.replace(/\s+/g, ' ')).toContain(method.replace(/\s+/g, ' '));
      expect(await parts(report, '[data-testid="report-part"]')).toEqual(screen);
      const reportVerdict = await report
        .locator('[data-testid="report-verdict"]')
        .evaluate((e) => (e.classList.contains('pass') ? 'pass' : e.classList.contains('unjudged') ? 'cannot_judge' : 'fail'));
      expect(reportVerdict).toBe(verdict);
    } finally {
      await report.close();
    }

    await page.reload();
    await waitForMap(page, COUNTY);
    await page.click('[data-testid="tab-coverage"]');
    await expect.poll(() => page.locator('[data-testid="mode-network"]').isChecked(), WAIT).toBe(true);
    await expect.poll(() => page.textContent('[data-testid="standard-method"]').then((t) => t?.trim()), WAIT).toBe(method);
    expect(await parts(page, '[data-testid="standard-parts"] li[data-part]')).toEqual(screen);
  }, 300_000);

  it('报告 pressed in an older tab keeps the edit a newer tab made', async () => {
    // A second tab of the same browser profile (same storage), opened after the first.
    const newer = await page.context().newPage();
    await newer.goto(`${harness.baseUrl}/?county=${COUNTY}`);
    try {
      await waitForMap(newer, COUNTY);
      const before = await newer.locator('[data-testid="scenario-picker"] option').count();
      newer.once('dialog', (d) => void d.accept('新标签页的方案'));
      await newer.click('[data-testid="scenario-new"]');
      await expect.poll(() => newer.locator('[data-testid="scenario-picker"] option').count(), WAIT).toBe(before + 1);
      await expect.poll(() => newer.getAttribute('[data-testid="save-state"]', 'data-state'), WAIT).toBe('saved');

      // The older tab, opened before the scenario existed, makes its report.
      const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
      await report.locator('[data-testid="report-part"]').first().waitFor({ timeout: 90_000 });
      await report.close();

      await newer.reload();
      await waitForMap(newer, COUNTY);
      const names = await newer.locator('[data-testid="scenario-picker"] option').allTextContents();
      expect(names).toContain('新标签页的方案');
      await page.reload();
      await waitForMap(page, COUNTY);
      expect(await page.locator('[data-testid="scenario-picker"] option').allTextContents()).toContain('新标签页的方案');
    } finally {
      await newer.close();
    }
  }, 300_000);
});
