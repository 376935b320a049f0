import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

type Hooks = { findRendered(layer: string, id: string): { x: number; y: number } | null };
const row = (indicator: string) => `[data-testid="indicator-table"] tr[data-indicator="${indicator}"]`;

async function clickFacility(page: Page, id: string): Promise<void> {
  const at = await page.evaluate(
    (fid) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.findRendered('facilities-symbol', fid),
    id,
  );
  expect(at, `${id} is drawn`).not.toBeNull();
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  await page.mouse.click(box.x + at!.x, box.y + at!.y);
  await expect.poll(() => page.textContent('[data-testid="feature-info"]')).toContain(id);
}

describe('beds and staff against the plan, in the browser', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou');
    await waitForMap(page, 'shangyou');
    await page.click('[data-testid="tab-ratios"]');
    await page.waitForSelector(row('beds_per_1000'));
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows each indicator against the plan with its quote, kind and status', async () => {
    expect(await page.getAttribute(row('beds_per_1000'), 'data-status')).toBe('short');
    const title = await page.getAttribute(row('beds_per_1000'), 'title');
    expect(title).toContain('每千人口医疗卫生机构床位数 | 张 | 5.05 | 7.5 | 预期性');
    expect(title).toContain('004_2ec91ca39f6c96f4.txt');
    expect(await page.textContent(row('gps_per_10000'))).toContain('约束性');
    expect(await page.locator('[data-testid="rule-checks"] li[data-rule]').count()).toBe(5);
  });

  it('flips the beds status when beds are added to one hospital, and back', async () => {
    const add = Number(await page.getAttribute(row('beds_per_1000'), 'data-add'));
    expect(add).toBeGreaterThan(0);
    await clickFacility(page, 'CH-360724-1');
    const beds = page.locator('[data-testid="facility-edit"] input[data-field="beds"]');
    const before = Number(await beds.inputValue());
    await beds.fill(String(before + add));
    await beds.dispatchEvent('change');
    await expect.poll(() => page.getAttribute(row('beds_per_1000'), 'data-status')).toBe('met');
    await beds.fill(String(before + add - 1));
    await beds.dispatchEvent('change');
    await expect.poll(() => page.getAttribute(row('beds_per_1000'), 'data-status')).toBe('short');
    expect(await page.getAttribute(row('beds_per_1000'), 'data-add')).toBe('1');
  });

  it('shows "no data" when a count is cleared, never 0', async () => {
    const nurses = page.locator('[data-testid="facility-edit"] input[data-field="nurses"]');
    await nurses.fill('');
    await nurses.dispatchEvent('change');
    await expect.poll(() => page.textContent(row('nurses_per_1000'))).toContain('*');
  });

  it('makes a custom plan whose edited target changes the status', async () => {
    await page.click('[data-testid="plan-copy"]');
    await expect.poll(() => page.inputValue('[data-testid="plan-picker"]')).toMatch(/^custom:/);
    const target = page.locator(`${row('physicians_per_1000')} input.target`);
    await target.fill('0.5');
    await target.dispatchEvent('change');
    await expect.poll(() => page.getAttribute(row('physicians_per_1000'), 'data-status')).toBe('met');
  });

  it('refuses a broken plan file with a clear message and changes nothing', async () => {
    const selected = await page.inputValue('[data-testid="plan-picker"]');
    await page.setInputFiles('[data-testid="plan-import"]', {
      name: 'broken-plan.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ county: { zh: '测试县' }, indicators: [{ id: 'beds_per_1000', target_2025: 'seven', comparator: '>=' }] }),
      ),
    });
    await expect.poll(() => page.textContent('[data-testid="plan-import-errors"]')).toContain('broken-plan.json');
    expect(await page.textContent('[data-testid="plan-import-errors"]')).toContain('target_2025');
    expect(await page.inputValue('[data-testid="plan-picker"]')).toBe(selected);
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
