/**
 * An emergency station (急救站) placed by hand on 盐湖 (whose plan builds a 黄金半小时圈 with 3 emergency
 * sub-stations): the map tool places it where the map is clicked, at a settlement an ambulance does not reach in
 * 30 minutes; the emergency circle reaches more people, the coverage table gives the station its own row, the
 * service-circle standard does not move, and the report says the same share as the panel; made a village clinic
 * in the facility form, it is no base any more.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedCounts, startHarness, waitForMap, type Harness } from './harness';

const COUNTY = 'yanhu';
const SHOTS = resolve(import.meta.dirname, '../../test-results/emergency-station');
type Hooks = {
  findRendered(layer: string, id: string): { x: number; y: number } | null;
  emergencyBeyond(): { id: string; uncovered: string[] }[];
  facilities(): { features: { properties: { tier: string; kind: string; name: string } }[] } | null;
  settle(): Promise<void>;
};
const circle = (page: Page) => page.locator('[data-testid="emergency-circle"][data-id="emergency"]');
const covered = async (page: Page) => Number(await circle(page).getAttribute('data-covered'));
const stationRow = (page: Page) => page.locator('[data-testid="coverage-table"] tr[data-tier="emergency_station"]');
const standardCovered = (page: Page) =>
  page.locator('[data-testid="standard-line"] li[data-part]').evaluateAll((parts) => parts.map((p) => p.getAttribute('data-covered')));

describe('an emergency station placed with the map tool', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 1000 });
    await waitForMap(page, COUNTY);
    await circle(page).waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('reaches more people in the golden half hour, has its own row, and leaves the standard as it was', async () => {
    const before = await covered(page);
    const population = Number(await circle(page).getAttribute('data-population'));
    expect(before).toBeLessThan(population);
    const standardBefore = await standardCovered(page);
    // No station yet: the row says so rather than 0 %.
    expect(await stationRow(page).locator('td[data-empty="true"]').textContent()).toContain('尚无此类机构');

    // The largest settlement beyond the circle that the map shows, clicked with the 急救站 tool.
    const beyond = (await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.emergencyBeyond()))[0]!
      .uncovered;
    const map = (await page.locator('[data-testid="map"]').boundingBox())!;
    let spot: { x: number; y: number } | null = null;
    for (const id of beyond) {
      spot = await page.evaluate(
        (sid) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.findRendered('population-circle', sid),
        id,
      );
      if (spot && spot.x > 20 && spot.y > 20 && spot.x < map.width - 20 && spot.y < map.height - 20) break;
      spot = null;
    }
    expect(spot, 'a settlement beyond the circle on screen').not.toBeNull();
    const symbols = (await renderedCounts(page))['facilities-symbol']!;
    const button = page.locator('[data-add-tier="emergency_station"]');
    expect(await button.textContent()).toContain('急救站');
    await button.click();
    await page.mouse.click(map.x + spot!.x, map.y + spot!.y);
    await expect.poll(async () => (await renderedCounts(page))['facilities-symbol'], { timeout: 15_000 }).toBe(symbols + 1);
    expect(await page.inputValue('[data-testid="facility-edit"] input[data-field="name"]')).toContain('新建急救站');
    expect(await page.inputValue('[data-testid="facility-edit"] select[data-field="tier"]')).toBe('emergency_station');
    const placed = (await page.evaluate(() =>
      (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities(),
    ))!.features.filter((f) => f.properties.tier === 'emergency_station');
    expect(placed.map((f) => f.properties.kind)).toEqual(['emergency_station']);

    await expect.poll(() => covered(page), { timeout: 30_000 }).toBeGreaterThan(before);
    await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.settle());
    expect(await standardCovered(page)).toEqual(standardBefore);
    expect(Number(await stationRow(page).locator('td[data-minutes="30"]').getAttribute('data-covered'))).toBeGreaterThan(0);

    // The map with the new marker beside the layer list's legend, which has its symbol.
    await page.click('[data-testid="tab-layers"]');
    expect(await page.locator('ul.legend li').allTextContents()).toContain('急救站');
    // The data summary counts the scenario's facilities, the one just placed included.
    expect(await page.textContent('[data-testid="summary"] dd[data-tier="emergency_station"]')).toBe('1');
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'emergency-station-map-zh.png') });
    await page.click('[data-testid="tab-coverage"]');
    await circle(page).waitFor();

    // The report gives the same share for the same circle.
    const share = ((await circle(page).locator('[data-testid="emergency-share"]').textContent()) ?? '').trim();
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
    try {
      const line = report.locator('[data-testid="report-emergency-circle"][data-id="emergency"]');
      await line.waitFor({ timeout: 90_000 });
      expect(await line.textContent()).toContain(share);
      expect(await line.getAttribute('data-verdict')).toBe(await circle(page).getAttribute('data-verdict'));
      expect(await line.textContent()).toContain('急救站');
    } finally {
      await report.close();
    }

    // The overview compares the working scenario the edit opened with the baseline: the circle's row gains.
    const raisedShare = (await covered(page)) / population;
    await page.click('[data-testid="tab-overview"]');
    const row = page.locator('[data-metric="emergency-emergency"]');
    await expect.poll(() => page.textContent('[data-testid="dash-before-emergency-emergency"]'), { timeout: 30_000 }).not.toBe('…');
    expect(Number(await row.getAttribute('data-value'))).toBeCloseTo(raisedShare, 9);
    expect((await page.textContent('[data-testid="dash-change-emergency-emergency"]'))!.trim()).toMatch(/^\+/);
    await page.locator('[data-testid="dash-headline"]').screenshot({ path: join(SHOTS, 'compare-emergency-zh.png') });
    expect(await page.textContent('[data-testid="dash-before-emergency-emergency"]')).toContain(
      await page.evaluate(
        (share) => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(share * 100),
        before / population,
      ),
    );
    await page.click('[data-testid="tab-coverage"]');
    await circle(page).waitFor();

    // The form's tier picker: a village clinic there is no ambulance base, and the circle is as it was; undo.
    const raised = await covered(page);
    await page.selectOption('[data-testid="facility-edit"] select[data-field="tier"]', 'village_clinic');
    await expect.poll(() => covered(page), { timeout: 30_000 }).toBe(before);
    await page.click('[data-testid="undo"]');
    await expect.poll(() => covered(page), { timeout: 30_000 }).toBe(raised);
  });

  it('made no request that left localhost, and no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
