import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

describe('access analyses in the browser', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=jingyu');
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('computes capacity, catchments, referral and 2SFCA, and colours the map by the score', async () => {
    await page.click('[data-testid="tab-access"]');
    const colouredBefore = Number(await page.getAttribute('[data-testid="map"]', 'data-coloured'));
    await page.click('[data-testid="access-run"]');
    await page.waitForSelector('[data-testid="access-capacity"]', { timeout: 30_000 });
    const values = await page
      .locator('[data-testid="access-capacity"] dd[data-value]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    const [withinReach, served] = values as [number, number];
    expect(withinReach).toBeGreaterThan(0);
    expect(served).toBeLessThanOrEqual(withinReach);
    expect(withinReach).toBeLessThanOrEqual(108_478);
    expect(await page.locator('[data-testid="referral-list"] li').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="sfca-county"]')).toMatch(/\d/);
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="map"]', 'data-coloured'))).toBeGreaterThan(colouredBefore);
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
