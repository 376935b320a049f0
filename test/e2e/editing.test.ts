import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedCounts, startHarness, waitForMap, type Harness } from './harness';

async function covered(page: Page, tier: string, minutes: number): Promise<number> {
  return Number(
    await page.getAttribute(`[data-testid="coverage-table"] tr[data-tier="${tier}"] td[data-minutes="${minutes}"]`, 'data-covered'),
  );
}

describe('editing facilities in the browser', () => {
  let harness: Harness;
  let page: Page;
  let total = 0;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=jingyu');
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
    total = (await renderedCounts(page))['facilities-symbol']!;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('adds a village clinic where the map is clicked: drawn, listed and counted', async () => {
    const before = await covered(page, 'village_clinic', 15);
    await page.click('[data-add-tier="village_clinic"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    // An empty spot west of the county seat.
    await page.mouse.click(box.x + box.width * 0.42, box.y + box.height * 0.55);
    // The edit's latency is measured in bench/ and by the drag test; here only that it lands (a busy machine may take seconds).
    await expect.poll(async () => (await renderedCounts(page))['facilities-symbol'], { timeout: 10_000 }).toBe(total + 1);
    await expect.poll(() => covered(page, 'village_clinic', 15), { timeout: 10_000 }).toBeGreaterThanOrEqual(before);
    expect(await page.inputValue('[data-testid="facility-edit"] input[data-field="name"]')).toContain('新建村卫生室');
    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-status"]', 'planned');
    expect(await page.locator('[data-testid="facility-table"] tbody tr').count()).toBe(1);
  });

  it('sorts the facility table by a column', async () => {
    await page.selectOption('[data-testid="filter-status"]', '');
    await page.selectOption('[data-testid="filter-tier"]', 'township_centre');
    await page.click('[data-sort="beds"]');
    await page.click('[data-sort="beds"]'); // descending
    const beds = await page.locator('[data-testid="facility-table"] tbody tr td.num:nth-child(5)').allTextContents();
    const numbers = beds.map((b) => Number(b.replace(/,/g, '')));
    expect(numbers.length).toBeGreaterThan(3);
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
  });

  it('edits counts and status in the table itself, undoably, and refuses a negative count', async () => {
    await page.selectOption('[data-testid="filter-tier"]', 'township_centre');
    await page.check('[data-testid="table-edit"]');
    const id = (await page.locator('[data-testid="facility-table"] tbody tr').first().getAttribute('data-id'))!;
    // By id: the table is sorted by beds, so the row moves when its beds change.
    const row = page.locator(`[data-testid="facility-table"] tbody tr[data-id="${id}"]`);
    const beds = row.locator('input[data-field="beds"]');
    const before = await beds.inputValue();
    await beds.fill('321');
    await beds.dispatchEvent('change');
    const stored = () =>
      page.evaluate(
        (fid) =>
          (
            globalThis as unknown as { __healthshed: { facility(id: string): { properties: Record<string, unknown> } | null } }
          ).__healthshed.facility(fid)?.properties,
        id,
      );
    await expect.poll(async () => (await stored())?.['beds']).toBe(321);
    await row.locator('select[data-field="status"]').selectOption('planned');
    await expect.poll(async () => (await stored())?.['status']).toBe('planned');
    await beds.fill('-4');
    await beds.dispatchEvent('change');
    expect(await page.textContent('[data-testid="facility-table"] [role="alert"]')).toBeTruthy();
    expect((await stored())?.['beds']).toBe(321);

    // Two edits, two undos: the facility is as it was.
    await page.click('[data-testid="undo"]');
    await page.click('[data-testid="undo"]');
    await expect.poll(async () => (await stored())?.['beds']).toBe(before === '' ? null : Number(before));
    expect((await stored())?.['status']).toBe('existing');
    await page.uncheck('[data-testid="table-edit"]');
  });

  it('deletes the new clinic again', async () => {
    await page.selectOption('[data-testid="filter-tier"]', '');
    await page.selectOption('[data-testid="filter-status"]', 'planned');
    await page.click('[data-testid="facility-table"] tbody tr');
    await page.click('[data-testid="facility-delete"]');
    await expect.poll(() => page.locator('[data-testid="facility-table"] tbody tr').count()).toBe(0);
    await page.selectOption('[data-testid="filter-status"]', '');
    // The map flew to the clinic, so the table (not the view) is the count of the whole county.
    expect(await page.locator('[data-testid="facility-table"] tbody tr').count()).toBe(total);
  });

  it('answers an edit in two round trips: the numbers (coverage, township shares, ratios), then the service areas', async () => {
    type Hooks = { workerCalls(): Record<string, number>; isIdle(): boolean; edit(e: unknown): unknown };
    await page.waitForFunction(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.isIdle());
    const id = (await page.locator('[data-testid="facility-table"] tbody tr').first().getAttribute('data-id'))!;
    const before = await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.workerCalls());
    await page.evaluate((fid) => {
      (globalThis as unknown as { __healthshed: Hooks }).__healthshed.edit({ type: 'delete', id: fid });
    }, id);
    // Settled: the areas of the edit were asked for and nothing is running.
    await page.waitForFunction((n) => {
      const h = (globalThis as unknown as { __healthshed: Hooks }).__healthshed;
      return h.isIdle() && (h.workerCalls()['serviceAreas'] ?? 0) > n;
    }, before['serviceAreas'] ?? 0);
    const after = await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.workerCalls());
    const delta = Object.fromEntries(
      Object.keys(after)
        .filter((name) => name !== 'cancel' && after[name] !== (before[name] ?? 0))
        .map((name) => [name, after[name]! - (before[name] ?? 0)]),
    );
    expect(delta).toEqual({ edit: 1, serviceAreas: 1 });
    await page.click('[data-testid="undo"]');
    await expect.poll(() => page.locator('[data-testid="facility-table"] tbody tr').count()).toBe(total);
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
