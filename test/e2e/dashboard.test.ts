/**
 * The overview in the app: headline shares against the circle standard (the same numbers as the coverage
 * panel), the township choropleth on the main map with classes the planner picks, the sorted bar chart, and the
 * open scenario against the baseline after a new facility.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = resolve(import.meta.dirname, '../../test-results/dashboard');
const COUNTY = 'shangyou';

interface Hooks {
  paintProperty(layer: string, name: string): unknown;
  isIdle(): boolean;
  renderedTownships(): string[];
}
const hooks = <T>(page: Page, fn: (h: Hooks) => T): Promise<T> =>
  page.evaluate(`(${fn.toString()})(globalThis.__healthshed)`) as Promise<T>;

/** The township fill as the map holds it: township code → colour (a `match` on the code), or one colour. */
async function fillColours(page: Page): Promise<Record<string, string> | string> {
  const paint = await hooks(page, (h) => h.paintProperty('townships-fill', 'fill-color'));
  if (typeof paint === 'string') return paint;
  const expr = paint as unknown[];
  expect(expr[0]).toBe('match');
  const pairs: Record<string, string> = {};
  for (let i = 2; i + 1 < expr.length; i += 2) pairs[String(expr[i])] = String(expr[i + 1]);
  return pairs;
}

const waitIdle = (page: Page) =>
  page.waitForFunction(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.isIdle(), undefined, {
    timeout: 30_000,
    polling: 200,
  });

/** Rows of the dashboard's township table: code, share, change. */
async function townshipRows(page: Page): Promise<{ code: string; share: number; change: number | null }[]> {
  return page.$$eval('[data-testid="dash-townships"] tbody tr', (rows) =>
    rows.map((r) => ({
      code: r.getAttribute('data-code')!,
      share: Number(r.getAttribute('data-share')),
      change: r.getAttribute('data-change') === '' ? null : Number(r.getAttribute('data-change')),
    })),
  );
}

describe('the overview dashboard', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1500, height: 950 });
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows the same headline numbers as the coverage panel, with pass or fail', async () => {
    const line = page.locator('[data-testid="standard-line"]');
    const shortfall = Number(await line.getAttribute('data-shortfall'));
    const pass = await line.getAttribute('data-pass');
    const parts = await line
      .locator('li[data-part]')
      .evaluateAll((items) => items.map((li) => [li.getAttribute('data-part')!, li.querySelector('.share')!.textContent!.trim()] as const));
    expect(parts.map(([id]) => id)).toEqual(['urban', 'rural_centre', 'rural_clinic']);

    await page.click('[data-testid="tab-overview"]');
    await page.waitForSelector('[data-testid="dash-headline"]');
    expect(Number(await page.getAttribute('[data-metric="shortfall"]', 'data-value'))).toBe(shortfall);
    expect(await page.getAttribute('[data-testid="dash-headline"]', 'data-pass')).toBe(pass);
    // The coverage panel shows shares to one decimal as well.
    for (const [id, share] of parts) expect((await page.textContent(`[data-testid="dash-part-${id}"]`))!.trim()).toBe(share);
    expect(await page.textContent('[data-testid="dash-verdict"]')).toContain(pass === 'true' ? '达标' : '未达标');
    // People outside their circle, added up over the townships, are the county's shortfall.
    const outside = await page.$$eval('[data-testid="dash-townships"] tbody tr', (rows) =>
      rows.map((r) => Number(r.getAttribute('data-outside'))),
    );
    expect(outside.length).toBeGreaterThan(3);
    expect(outside.reduce((a, b) => a + b, 0)).toBe(shortfall);
    // The ratios carry met/short marks and the gap in beds and staff.
    const statuses = await page.$$eval('[data-testid="dash-ratios"] tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-status'), r.getAttribute('data-add'), r.querySelector('.mark')?.textContent ?? '']),
    );
    expect(statuses.length).toBeGreaterThan(0);
    for (const [status, add, mark] of statuses) {
      expect(mark).toMatch(status === 'met' ? /^✓/ : /^✗/);
      if (status === 'short') expect(Number(add)).toBeGreaterThan(0);
    }
  });

  it('colours the townships on the main map by their share, in the classes the planner picks', async () => {
    await waitIdle(page);
    const rows = await townshipRows(page);
    // The legend's classes (a last grey entry stands for townships where nobody lives).
    const legendColours = () =>
      page.$$eval('[data-testid="dash-legend"] li', (li) => li.map((l) => l.getAttribute('data-colour')!).filter((c) => c !== '#e5e7eb'));
    const fixed = await fillColours(page);
    expect(typeof fixed).toBe('object');
    const byCode = fixed as Record<string, string>;
    // Every township has its colour, one of the legend's, by its class of the fixed breaks (50, 70, 90 %).
    const palette = ['#d7191c', '#fdae61', '#abd9e9', '#2c7bb6'];
    expect(await legendColours()).toEqual(palette);
    for (const r of rows) {
      const k = r.share < 0.5 ? 0 : r.share < 0.7 ? 1 : r.share < 0.9 ? 2 : 3;
      expect(byCode[r.code], r.code).toBe(palette[k]);
    }
    // The drawn townships are the table's.
    const drawn = await hooks(page, (h) => h.renderedTownships());
    expect(drawn.length).toBeGreaterThan(0);
    for (const code of drawn) expect(Object.keys(byCode)).toContain(code);

    // Seven equal-interval classes: the legend has more classes and the map is recoloured with them.
    await page.selectOption('[data-testid="dash-method"]', 'equal');
    await page.selectOption('[data-testid="dash-count"]', '7');
    await expect.poll(async () => (await legendColours()).length).toBeGreaterThan(4);
    const seven = await legendColours();
    const equal = (await fillColours(page)) as Record<string, string>;
    expect(equal).not.toEqual(byCode);
    for (const r of rows) expect(seven).toContain(equal[r.code]);
    const lowest = rows.reduce((a, b) => (b.share < a.share ? b : a));
    const highest = rows.reduce((a, b) => (b.share > a.share ? b : a));
    expect(equal[lowest.code]).toBe(seven[0]);
    expect(equal[highest.code]).toBe(seven.at(-1));
    // The plan's target: full coverage is a class of its own.
    await page.selectOption('[data-testid="dash-method"]', 'target');
    await expect
      .poll(async () => (await page.locator('[data-testid="dash-legend"] li:not([data-colour="#e5e7eb"])').last().textContent())?.trim())
      .toBe('100.0%');
    expect(await page.isDisabled('[data-testid="dash-count"]')).toBe(true);
    await page.selectOption('[data-testid="dash-method"]', 'fixed');
    // Leaving the overview gives the townships their plain colours back.
    await page.click('[data-testid="tab-coverage"]');
    // (the plain fill picks a colour by the code's remainder, not by the code itself)
    await expect
      .poll(async () => JSON.stringify(await hooks(page, (h) => h.paintProperty('townships-fill', 'fill-color'))))
      .toContain('"%"');
    await page.click('[data-testid="tab-overview"]');
  });

  it('draws one bar per township, sorted from the highest share down, with Chart.js', async () => {
    const chart = page.locator('[data-testid="dash-chart"]');
    await chart.waitFor();
    expect(await chart.locator('canvas').count()).toBe(1);
    const rows = await townshipRows(page);
    expect(Number(await chart.getAttribute('data-bars'))).toBe(rows.length);
    const values = JSON.parse((await chart.getAttribute('data-values'))!) as number[];
    expect(values).toHaveLength(rows.length);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values[0]).toBeCloseTo(rows[0]!.share * 100, 0);
    // The canvas has bars on it, not only axes.
    const ink = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && data[i]! + data[i + 1]! + data[i + 2]! < 600) n++;
      return n / (c.width * c.height);
    });
    expect(ink).toBeGreaterThan(0.05);
    await page.screenshot({ path: join(SHOTS, 'overview-zh.png') });
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'chart-zh.png') });
    await page.locator('[data-testid="dash-headline"]').scrollIntoViewIfNeeded();
  });

  it('compares the open scenario with the baseline after a new township centre: positive change', async () => {
    const before = Number(await page.getAttribute('[data-metric="shortfall"]', 'data-value'));
    expect(before).toBeGreaterThan(0);
    // Fly to the largest settlement out of reach and put a township centre on it.
    await page.click('[data-testid="dash-uncovered"] li:first-child button');
    await page.waitForTimeout(800);
    await waitIdle(page);
    await page.click('[data-add-tier="township_centre"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    // The first edit opened a working scenario; the dashboard compares it with the baseline.
    await expect.poll(() => page.textContent('[data-testid="dash-scenario"]')).toContain('工作方案');
    await expect
      .poll(() => page.getAttribute('[data-metric="shortfall"]', 'data-value').then(Number), { timeout: 30_000 })
      .toBeLessThan(before);
    await expect.poll(() => page.textContent('[data-testid="dash-before-shortfall"]'), { timeout: 30_000 }).not.toBe('…');
    expect((await page.textContent('[data-testid="dash-change-shortfall"]'))!.trim()).toMatch(/^−/);
    const rows = await townshipRows(page);
    expect(rows.every((r) => r.change !== null)).toBe(true);
    expect(Math.max(...rows.map((r) => r.change!))).toBeGreaterThan(0);
    expect(Math.min(...rows.map((r) => r.change!))).toBeGreaterThanOrEqual(0);
    const gained = rows.filter((r) => r.change! > 0).map((r) => r.code);

    // The map of the change: the townships that gained are green, the others grey.
    await page.check('[data-testid="dash-view-change"]');
    await expect.poll(() => page.getAttribute('[data-testid="dash-legend"]', 'data-view')).toBe('change');
    const change = (await fillColours(page)) as Record<string, string>;
    for (const r of rows) {
      const green = ['#c7e9c0', '#74c476', '#238b45'].includes(change[r.code]!);
      expect(green, r.code).toBe(gained.includes(r.code) && r.change! >= 0.0005);
    }
    // Two bars per township now: the baseline and the open scenario.
    expect(Number(await page.getAttribute('[data-testid="dash-chart"]', 'data-bars'))).toBe(rows.length);
    // A township in the table flies the map to it.
    const best = rows.reduce((a, b) => (b.change! > a.change! ? b : a));
    await page.click(`[data-testid="dash-townships"] tr[data-code="${best.code}"] button`);
    await page.waitForTimeout(900);
    await waitIdle(page);
    expect(await hooks(page, (h) => h.renderedTownships())).toContain(best.code);
    await page.screenshot({ path: join(SHOTS, 'compare-zh.png') });
    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => page.textContent('[data-testid="tab-overview"]')).toContain('Overview');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'compare-en.png') });
    await page.locator('[data-testid="dash-chart"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'compare-chart-en.png') });
    await page.check('[data-testid="dash-view-share"]');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'overview-en.png') });
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
