/**
 * A computing worker that dies is replaced: the county is loaded again in the new worker, the scenario's
 * facilities as the page holds them go back to it, the planner sees one message, and nothing is lost.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

interface Hooks {
  killWorker(): Promise<void>;
  restarts(): number;
  settle(): Promise<void>;
  facilities(): { features: { properties: Record<string, unknown> }[] } | null;
  edit(edit: { type: 'delete'; id: string }): unknown;
}

const HOSPITAL = 'CH-220622-1';

/** Every number of the coverage table, by tier and threshold. */
async function table(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="coverage-table"] td[data-covered]', (cells) =>
    cells.map((c) => `${c.closest('tr')?.getAttribute('data-tier')}:${c.getAttribute('data-minutes')}=${c.getAttribute('data-covered')}`),
  );
}

const settle = (page: Page) => page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.settle());
const beds = (page: Page) => page.inputValue('[data-testid="facility-edit"] input[data-field="beds"]');

describe('the computing worker restarts after a crash', () => {
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

  it('reloads the county, keeps every edit, says so once, and undo still works', async () => {
    const original = await table(page);
    // Three edits: a township centre closed (through the app's intent), a new clinic on the map, and more beds
    // for the county hospital.
    await page.evaluate(() => {
      const hooks = (globalThis as unknown as { __healthshed: Hooks }).__healthshed;
      const centre = hooks.facilities()!.features.find((f) => f.properties['tier'] === 'township_centre')!;
      hooks.edit({ type: 'delete', id: String(centre.properties['id']) });
    });
    await page.click('[data-add-tier="village_clinic"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.42, box.y + box.height * 0.55);
    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-status"]', '');
    await page.fill('[data-testid="filter-search"]', HOSPITAL);
    await page.click(`[data-testid="facility-table"] tbody tr[data-id="${HOSPITAL}"]`);
    await page.fill('[data-testid="facility-edit"] input[data-field="beds"]', '4321');
    await page.dispatchEvent('[data-testid="facility-edit"] input[data-field="beds"]', 'change');
    await settle(page);
    const edited = await table(page);
    expect(edited).not.toEqual(original);
    const before = await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities());
    const workersBefore = page.workers().length;

    await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.killWorker());
    await page.waitForSelector('[data-testid="notice"][data-notice="workerRestarted"]');
    await settle(page);
    await page.click('[data-testid="tab-coverage"]');
    expect(await page.locator('[data-testid="notice"]').count()).toBe(1);
    expect(await page.textContent('[data-testid="notice"]')).toContain('计算进程已重启，未丢失任何编辑');
    await page.screenshot({ path: '/tmp/healthshed-worker-restart.png' });
    expect(await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.restarts())).toBe(1);
    // The old worker is gone and one new worker took its place (MapLibre's own workers are not counted twice).
    expect(page.workers().length).toBe(workersBefore);

    // The same numbers, from the new worker, for the same facilities.
    await expect.poll(() => table(page)).toEqual(edited);
    const after = await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities());
    expect(after).toEqual(before);

    // Undo still works on the new worker: the beds go back, then the clinic and the centre, and coverage follows.
    await page.click('[data-testid="undo"]');
    await page.click('[data-testid="tab-facilities"]');
    await page.fill('[data-testid="filter-search"]', HOSPITAL);
    await page.click(`[data-testid="facility-table"] tbody tr[data-id="${HOSPITAL}"]`);
    await expect.poll(() => beds(page)).not.toBe('4321');
    await page.click('[data-testid="undo"]');
    await page.click('[data-testid="undo"]');
    await settle(page);
    await page.click('[data-testid="tab-coverage"]');
    await expect.poll(() => table(page)).toEqual(original);

    // English, and the message goes away when dismissed.
    await page.click('[data-testid="language-switch"]');
    expect(await page.textContent('[data-testid="notice"]')).toContain('The computing worker restarted; no edit was lost');
    await page.click('[data-testid="notice"] button');
    expect(await page.locator('[data-testid="notice"]').count()).toBe(0);
    await page.click('[data-testid="language-switch"]');
  });

  it('made no request that left localhost, and threw no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
