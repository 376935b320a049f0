import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

async function covered(page: Page, tier: string, minutes: number): Promise<number> {
  return Number(
    await page.getAttribute(`[data-testid="coverage-table"] tr[data-tier="${tier}"] td[data-minutes="${minutes}"]`, 'data-covered'),
  );
}

describe('siting suggestions in the browser', () => {
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

  it('suggests 3 village-clinic sites; accepting one raises coverage by the promised number of people', async () => {
    const before = await covered(page, 'village_clinic', 15);
    await page.click('[data-testid="tab-siting"]');
    await page.selectOption('[data-testid="siting-tier"]', 'village_clinic');
    await page.selectOption('[data-testid="siting-minutes"]', '15');
    await page.fill('[data-testid="siting-k"]', '3');
    await page.click('[data-testid="siting-run"]');
    await page.waitForSelector('[data-testid="siting-suggestions"] li', { timeout: 60_000 });
    const ranks = await page.locator('[data-testid="siting-suggestions"] li').count();
    expect(ranks).toBe(3);
    const promised = Number(await page.getAttribute('[data-testid="siting-suggestions"] li[data-rank="1"]', 'data-newly'));
    expect(promised).toBeGreaterThan(0);
    // The exact solver ran in the browser (HiGHS, WebAssembly, served locally) and is reported.
    expect(await page.textContent('[data-testid="siting-quality"]')).toMatch(/%/);
    await page.click('[data-testid="siting-accept-1"]');
    await expect.poll(() => covered(page, 'village_clinic', 15), { timeout: 10_000 }).toBe(before + promised);
    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-status"]', 'planned');
    expect(await page.locator('[data-testid="facility-table"] tbody tr').count()).toBe(1);
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
