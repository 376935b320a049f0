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
    // The travel the minutes were measured by, in the words of every method line.
    expect((await page.textContent('[data-testid="siting-travel"]'))!.trim()).toBe(
      '计算方法：按直线距离、步行 5.0 公里/小时计，由居民点前往机构',
    );
    await page.click('[data-testid="siting-accept-1"]');
    await expect.poll(() => covered(page, 'village_clinic', 15), { timeout: 10_000 }).toBe(before + promised);
    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-status"]', 'planned');
    expect(await page.locator('[data-testid="facility-table"] tbody tr').count()).toBe(1);
  });

  it('keeps suggestions out of an area drawn on the map', async () => {
    await page.click('[data-testid="tab-siting"]');
    // The accepted clinic's panel floats over the map: close it so the clicks reach the map.
    if (await page.locator('[data-testid="feature-info"]').count()) await page.click('[data-testid="feature-info"] header button');
    // The last answer stays listed while the new one runs, said to be the last one, and cannot be accepted. The
    // click and the reads in one turn of the page (microtasks only): the worker's answer cannot come between.
    const during = await page.evaluate(async () => {
      (document.querySelector('[data-testid="siting-run"]') as HTMLButtonElement).click();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return {
        running: (document.querySelector('[data-testid="siting-run"]') as HTMLButtonElement).disabled,
        stale: document.querySelector('[data-testid="siting-stale"]')?.textContent ?? null,
        acceptable: [...document.querySelectorAll('[data-testid^="siting-accept-"]')].filter((b) => !(b as HTMLButtonElement).disabled)
          .length,
      };
    });
    expect(during).toEqual({ running: true, stale: '正在重新计算；以下为上一次的建议，不可采纳', acceptable: 0 });
    await expect.poll(() => page.isEnabled('[data-testid="siting-run"]'), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('[data-testid="siting-stale"]').count()).toBe(0);
    await page.waitForSelector('[data-testid="siting-suggestions"] li');
    const firstName = await page.textContent('[data-testid="siting-suggestions"] li[data-rank="1"] .name');
    // A planner zooms to the suggestion first (it may sit at the map's edge, under the toolbar).
    await page.click('[data-testid="siting-suggestions"] li[data-rank="1"] .name');
    await page.waitForFunction(() => {
      const hooks = (
        globalThis as unknown as {
          __healthshed: { isIdle(): boolean; findRendered(l: string, id: string): { x: number; y: number } | null };
        }
      ).__healthshed;
      const canvas = document.querySelector('[data-testid="map"] canvas')!.getBoundingClientRect();
      const p = hooks.findRendered('suggestions-ring', '1');
      return hooks.isIdle() && !!p && Math.abs(p.x - canvas.width / 2) < 5 && Math.abs(p.y - canvas.height / 2) < 5;
    });
    const at = await page.evaluate(() =>
      (
        globalThis as unknown as { __healthshed: { findRendered(l: string, id: string): { x: number; y: number } | null } }
      ).__healthshed.findRendered('suggestions-ring', '1'),
    );
    expect(at).not.toBeNull();
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const [x, y] = [box.x + at!.x, box.y + at!.y];
    await page.click('[data-testid="siting-draw"]');
    for (const [dx, dy] of [
      [-25, -25],
      [25, -25],
      [25, 25],
    ])
      await page.mouse.click(x + dx!, y + dy!);
    await page.mouse.dblclick(x - 25, y + 25);
    await expect.poll(() => page.textContent('[data-testid="siting-panel"]')).toContain('已排除 1 个区域');
    await page.click('[data-testid="siting-run"]');
    await expect.poll(() => page.textContent('[data-testid="siting-suggestions"] li[data-rank="1"] .name')).not.toBe(firstName);
    const names = await page.locator('[data-testid="siting-suggestions"] li .name').allTextContents();
    expect(names).not.toContain(firstName);
  });

  it('cancels a running search at once: the worker is stopped and restored quietly, nothing is lost', async () => {
    const coverageBefore = await page.textContent('[data-testid="coverage-table"]');
    const facilitiesBefore = await page.evaluate(
      () =>
        (globalThis as unknown as { __healthshed: { facilities(): { features: unknown[] } } }).__healthshed.facilities().features.length,
    );
    // Run and cancel in the same task, so the cancel surely finds the search still running.
    const cancelled = await page.evaluate(async () => {
      document.querySelector<HTMLButtonElement>('[data-testid="siting-run"]')!.click();
      for (let i = 0; i < 5 && !document.querySelector('[data-testid="siting-cancel"]'); i++) await Promise.resolve();
      const cancel = document.querySelector<HTMLButtonElement>('[data-testid="siting-cancel"]');
      cancel?.click();
      return !!cancel;
    });
    expect(cancelled).toBe(true);
    const counts = () =>
      page.evaluate(() => {
        const hooks = (globalThis as unknown as { __healthshed: { interrupts(): number; restarts(): number } }).__healthshed;
        return { interrupts: hooks.interrupts(), restarts: hooks.restarts() };
      });
    await expect.poll(counts).toEqual({ interrupts: 1, restarts: 0 });
    // No alarm for a cancel the planner asked for; the search is gone; coverage and facilities are as they were.
    await expect.poll(() => page.locator('[data-testid="siting-cancel"]').count()).toBe(0);
    await expect.poll(() => page.textContent('[data-testid="coverage-table"]')).toBe(coverageBefore);
    expect(await page.locator('[data-testid="notice"]').count()).toBe(0);
    const facilitiesAfter = await page.evaluate(
      () =>
        (globalThis as unknown as { __healthshed: { facilities(): { features: unknown[] } } }).__healthshed.facilities().features.length,
    );
    expect(facilitiesAfter).toBe(facilitiesBefore);
    // The restored worker answers the next question.
    const before = await page.locator('[data-testid="siting-suggestions"] li').count();
    await page.fill('[data-testid="siting-k"]', String(before + 1));
    await page.click('[data-testid="siting-run"]');
    // The restored worker may first finish restoring coverage: a wait, not a speed check (speed is in bench/).
    await expect.poll(() => page.locator('[data-testid="siting-suggestions"] li').count(), { timeout: 15_000 }).toBe(before + 1);
    expect(await page.locator('[data-testid="siting-panel"] [role="alert"]').count()).toBe(0);
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
