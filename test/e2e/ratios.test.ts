import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
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
    // The quote is cited by the plan's title, not by the seed file it was extracted to.
    expect(title).toContain('原文（《上犹县“十四五”卫生健康发展规划（征求意见稿）》）');
    expect(title).not.toContain('004_2ec91ca39f6c96f4.txt');
    expect(await page.textContent(row('gps_per_10000'))).toContain('约束性');
    // 上犹's plan states none of the rules the tool checks; the others are other plans' norms (plan-rules.test.ts).
    expect(await page.locator('[data-testid="rule-checks"] li[data-rule]').count()).toBe(0);
  });

  it('judges the county, not the townships: a township row shows its value and need, never a status', async () => {
    await page.click('[data-testid="ratio-panel"] details:has([data-testid="township-ratios"]) > summary');
    const table = '[data-testid="township-ratios"]';
    await page.waitForSelector(`${table} tr[data-row="county"]`, { state: 'visible' });
    // The county row carries the verdict: 上犹's beds are short, in whole beds, as in the indicator table.
    const add = await page.getAttribute(row('beds_per_1000'), 'data-add');
    const county = (await page.textContent(`${table} tr[data-row="county"]`))!;
    expect(county).toContain(`缺 ${Number(add).toLocaleString('en')}\u00a0张床位`); // the number kept beside its unit
    const townships = page.locator(`${table} tr[data-row="township"]`);
    expect(await townships.count()).toBe(15);
    const statusWords = /达标|未达标|不足|短缺|缺\s|超\s|超出/;
    for (const text of await townships.allTextContents()) {
      expect(text).not.toMatch(statusWords);
      // A township with people has a value, and with it its need; one without people (an industrial park) has neither.
      if (/\d/.test(text)) expect(text).toContain('参考');
    }
    expect(await page.locator(`${table} tr[data-row="township"] [data-status]`).count()).toBe(0);
    // A township's need is the county target for its own people: 7.5 beds per 1,000.
    const need = Number(await page.getAttribute(`${table} tr[data-row="township"] td[data-indicator="beds_per_1000"]`, 'data-need'));
    expect(need).toBeGreaterThan(0);
    expect(await page.textContent(`${table} tr[data-row="township"] td[data-indicator="beds_per_1000"]`)).toContain(
      `参考 需 ${Math.ceil(need - 1e-9).toLocaleString('en')}`,
    );
    await page.locator(table).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/ratios-1.png' });
  });

  it('shows an indicator’s definition on hover', async () => {
    const tip = page.locator(`${row('physicians_per_1000')} [data-testid="definition-tip"]`);
    expect(await tip.isVisible()).toBe(false);
    await page.hover(`${row('physicians_per_1000')} th`);
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = (await tip.textContent())!;
    expect(text).toContain('分子：执业（助理）医师');
    expect(text).toContain('分母：每千常住人口');
    await page.screenshot({ path: '/tmp/ratios-2.png' });
    await page.hover(`${row('beds_per_1000')} th`);
    await expect
      .poll(async () => page.locator(`${row('beds_per_1000')} [data-testid="definition-tip"]`).textContent())
      .toContain('规划未注明常住或户籍');
    await page.mouse.move(0, 0);
  });

  it('judges the beds on the target year’s people once a growth rate is chosen, and names that population', async () => {
    // Beds (existing and planned) and 2020 people, read here from the committed layers.
    const layer = async (name: string) =>
      readFlatGeobuf(new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../data/shangyou', `${name}.fgb`))));
    const facilities = (await layer('facilities')).features.filter((f) => ['existing', 'planned'].includes(String(f.properties!.status)));
    const beds = facilities.reduce((sum, f) => sum + (typeof f.properties!.beds === 'number' ? f.properties!.beds : 0), 0);
    const census = (await layer('population')).features.reduce((sum, f) => sum + Number(f.properties!.population), 0);
    const value = async () => Number(await page.getAttribute(row('beds_per_1000'), 'data-value'));
    const used = page.locator('[data-testid="ratio-population"]');
    expect(await value()).toBeCloseTo((beds / census) * 1000, 9);
    expect(await used.textContent()).toContain('2020 年普查');

    const box = page.locator('[data-testid="population-settings"]');
    await box.locator('input[data-field="year"]').fill('2025');
    await box.locator('input[data-field="rate"]').fill('-2');
    await page.click('[data-testid="population-apply"]');
    const grown = census * 0.98 ** 5;
    await expect.poll(value).toBeCloseTo((beds / grown) * 1000, 9);
    expect(await used.getAttribute('data-year')).toBe('2025');
    expect(await used.getAttribute('data-basis')).toBe('growth');
    expect(Number(await used.getAttribute('data-county'))).toBe(Math.round(grown));
    const text = (await used.textContent())!;
    expect(text).toContain('2025 年');
    expect(text).toContain('-2.0%');
    expect(await used.getAttribute('title')).toContain('全县 2020 年普查比例');
    // The gap is sized for the same people: 7.5 beds per 1,000 of 2025's.
    expect(await page.textContent('[data-testid="gap-table"] thead')).toContain('按 2025 年人口');
    expect(Number(await page.getAttribute(row('beds_per_1000'), 'data-add'))).toBe(Math.ceil((7.5 * grown) / 1000 - 1e-9) - beds);
    await used.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/ratios-population.png' });

    // The overview's ratio rows and the report name the same population.
    await page.click('[data-testid="tab-overview"]');
    await expect.poll(() => page.textContent('[data-testid="dash-ratio-population"]')).toContain('2025 年');
    await page.locator('[data-testid="dash-ratio-population"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/ratios-population-overview.png' });
    await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
    const report = await page.context().newPage();
    await report.goto(new URL('/report.html?county=shangyou&lang=zh', page.url()).href);
    const named = report.locator('[data-testid="report-ratio-population"]');
    await expect.poll(() => named.getAttribute('data-basis'), { timeout: 30_000 }).toBe('growth');
    expect(await named.textContent()).toContain('2025 年');
    await named.scrollIntoViewIfNeeded();
    await report.screenshot({ path: '/tmp/ratios-population-report.png' });
    await report.close();
    await page.click('[data-testid="tab-ratios"]');

    // Back to the census: the first value again.
    await box.locator('input[data-basis="census2020"]').check();
    await expect.poll(value).toBeCloseTo((beds / census) * 1000, 9);
    expect(await used.getAttribute('data-basis')).toBe('census2020');
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
