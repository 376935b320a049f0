import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedCounts, startHarness, waitForMap, type Harness } from './harness';

/** The machine is shared: a step may take seconds under load. */
const WAIT = { timeout: 20_000, interval: 200 };
const SHOTS = resolve(import.meta.dirname, '../../test-results/plan-projects');
const plan = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans/shangyou.json'), 'utf8')) as {
  planned_projects: { name_zh: string }[];
};

describe("the plan's projects as a scenario, on 上犹县", () => {
  let harness: Harness;
  let page: Page;
  let total = 0;
  /** Facilities already ringed as approximate (the real hospitals placed at the county town their address names). */
  let ringed = 0;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1400, height: 900 });
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
    total = (await renderedCounts(page))['facilities-symbol']!;
    ringed = (await renderedCounts(page))['facilities-approximate'] ?? 0;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('lists every project once with its outcome, makes a 规划 scenario, records relocations on the existing centre, and undo takes it away', async () => {
    await page.locator('[data-testid="plan-projects"]:not([disabled])').click();
    const dialog = page.locator('[data-testid="plan-projects-dialog"]');
    await dialog.waitFor();
    // Every project of the plan is listed, under exactly one outcome.
    const listed = await dialog.locator('ul[data-outcome] li strong').allTextContents();
    expect(listed.sort()).toEqual(plan.planned_projects.map((p) => p.name_zh).sort());
    // 上犹's projects are at facilities the data has: the 寺下镇/社溪镇 relocations state no new site, so they are
    // edits of the existing centres, not a second centre at the township seat.
    const placed = await dialog.locator('ul[data-outcome="placed"] li').count();
    const relocations = plan.planned_projects.filter((p) => /^(寺下镇|社溪镇).*整体迁建/.test(p.name_zh));
    expect(relocations).toHaveLength(2);
    for (const r of relocations) {
      const item = dialog.locator('ul[data-outcome="edited"] li').filter({ hasText: r.name_zh });
      expect(await item.textContent()).toContain('规划未写明新址');
    }
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: resolve(SHOTS, 'dialog-zh.png') });

    await page.click('[data-testid="plan-projects-accept"]');
    const picker = page.locator('[data-testid="scenario-picker"]');
    await expect.poll(() => picker.locator('option:checked').textContent(), WAIT).toBe('规划');
    await expect.poll(async () => (await renderedCounts(page))['facilities-symbol'], WAIT).toBe(total + placed);
    await expect.poll(async () => (await renderedCounts(page))['facilities-approximate'] ?? 0, WAIT).toBe(ringed + placed);

    // The table: one 寺下镇 centre, carrying the relocation project.
    await page.click('[data-testid="tab-facilities"]');
    const rows = page.locator('[data-testid="facility-table"] tbody tr');
    await page.selectOption('[data-testid="filter-status"]', 'planned');
    expect(await rows.count()).toBe(placed);
    await page.selectOption('[data-testid="filter-status"]', '');
    expect(await rows.count()).toBe(total + placed);
    const centre = rows.filter({ hasText: '寺下镇' }).filter({ hasText: '卫生院' });
    expect(await centre.count()).toBe(1);
    await centre.first().click();
    const info = page.locator('[data-testid="feature-info"]');
    await expect.poll(() => info.textContent(), WAIT).toContain('寺下镇中心卫生院整体迁建工程');
    expect(await info.textContent()).not.toContain('位置为近似');
    await page.screenshot({ path: resolve(SHOTS, 'scenario-zh.png') });

    // Undo (the map has flown to the facility: counted in the table, which lists them all).
    await page.click('[data-testid="undo"]');
    await expect.poll(() => rows.count(), WAIT).toBe(total);
    // No facility placed from the plan's text is left (what is drawn depends on where the map flew).
    const fromText = () =>
      page.evaluate(
        () =>
          (
            globalThis as unknown as { __healthshed: { facilities(): { features: { properties: Record<string, unknown> }[] } | null } }
          ).__healthshed
            .facilities()!
            .features.filter((f) => f.properties['location_approximate'] === true).length,
      );
    await expect.poll(fromText, WAIT).toBe(0);
    await page.selectOption('[data-testid="filter-status"]', 'planned');
    expect(await rows.count()).toBe(0);
    expect(harness.pageErrors).toEqual([]);
  });

  it('sets a target-year population from a growth rate, shown with the census age groups', async () => {
    await page.click('[data-testid="tab-ratios"]');
    const box = page.locator('[data-testid="population-settings"]');
    const summary = box.locator('[data-testid="population-summary"]');
    const census = Number(await summary.getAttribute('data-county'));
    await box.locator('input[data-field="year"]').fill('2025');
    await box.locator('input[data-field="rate"]').fill('-1');
    await page.click('[data-testid="population-apply"]');
    // 2025 from 2020 at −1 %/year, per township then summed, equals the county at 0.99^5 to within rounding.
    await expect.poll(async () => Number(await summary.getAttribute('data-county')), WAIT).toBe(Math.round(census * 0.99 ** 5));
    expect(await summary.textContent()).toContain('65 岁及以上');
    await page.screenshot({ path: resolve(SHOTS, 'population-zh.png') });
    expect(await box.locator('input[data-basis="growth"]').isChecked()).toBe(true);
  });

  it('keeps the 规划 scenario (redone) and the population setting across a reload, from the autosave', async () => {
    await page.click('[data-testid="redo"]');
    await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
    const summary = await page.locator('[data-testid="population-summary"]').getAttribute('data-county');
    await page.reload();
    await waitForMap(page, 'shangyou');
    await expect.poll(() => page.locator('[data-testid="scenario-picker"] option:checked').textContent(), WAIT).toBe('规划');
    // The scenario's edits came back: the 寺下镇 centre carries its relocation project again.
    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-status"]', '');
    const centre = page.locator('[data-testid="facility-table"] tbody tr').filter({ hasText: '寺下镇' }).filter({ hasText: '卫生院' });
    await centre.first().click();
    await expect.poll(() => page.textContent('[data-testid="feature-info"]'), WAIT).toContain('寺下镇中心卫生院整体迁建工程');
    await page.click('[data-testid="tab-ratios"]');
    expect(await page.locator('input[data-basis="growth"]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="population-summary"]').getAttribute('data-county')).toBe(summary);
  });
});
