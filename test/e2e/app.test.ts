import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedCounts, startHarness, waitForMap, type Harness } from './harness';

interface Meta {
  name_zh: string;
  name_en: string;
  census2020_population: number;
  counts: Record<'boundary' | 'townships' | 'population' | 'roads' | 'facilities', number>;
}
const meta = (county: string): Meta => JSON.parse(readFileSync(resolve('data', county, 'meta.json'), 'utf8')) as Meta;

/** Every layer of the county is drawn, feature for feature (the whole county is in view). */
async function expectCountyDrawn(page: Page, county: string): Promise<void> {
  const { counts } = meta(county);
  const drawn = await renderedCounts(page);
  expect(drawn['boundary-line']).toBe(1);
  expect(drawn['townships-fill']).toBe(counts.townships);
  expect(drawn['roads-line']).toBe(counts.roads);
  expect(drawn['population-circle']).toBe(counts.population);
  expect(drawn['facilities-symbol']).toBe(counts.facilities);
}

describe('the app in headless Chromium, offline', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('opens on 上犹县 in Chinese with every layer drawn', async () => {
    await waitForMap(page, 'shangyou');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('县域医疗卫生服务圈规划');
    // 268,557 people in 2020 reads 26.86万人 in Chinese.
    expect(await page.textContent('[data-testid="summary-population"]')).toBe('26.86万人');
    await expectCountyDrawn(page, 'shangyou');
    expect(await page.textContent('[data-testid="data-note"]')).toContain('示意');
  });

  it('shows a facility’s attributes when it is clicked', async () => {
    // Click the county general hospital, found by its rendered position.
    const point = await page.evaluate(() => {
      const h = (globalThis as unknown as { __healthshed: { findRendered(layer: string, id: string): { x: number; y: number } | null } })
        .__healthshed;
      return h.findRendered('facilities-symbol', 'CH-360724-1');
    });
    expect(point).not.toBeNull();
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + point!.x, box.y + point!.y);
    const info = page.locator('[data-testid="feature-info"]');
    await expect.poll(() => page.inputValue('[data-testid="facility-edit"] input[data-field="name"]')).toBe('上犹县人民医院');
    expect(await info.textContent()).toContain('县级医院');
    expect(await info.textContent()).toContain('床位');
  });

  it('switches a layer off and on', async () => {
    await page.click('[data-testid="tab-layers"]');
    await page.click('input[data-layer="facilities"]');
    await expect.poll(async () => (await renderedCounts(page))['facilities-symbol']).toBe(0);
    await page.click('input[data-layer="facilities"]');
    await expect.poll(async () => (await renderedCounts(page))['facilities-symbol']).toBe(meta('shangyou').counts.facilities);
  });

  it('switches to English, with numbers and units following', async () => {
    await page.click('[data-testid="language-switch"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en-GB');
    expect(await page.textContent('h1')).toBe('County health service circle planning');
    expect(await page.textContent('[data-testid="summary-population"]')).toBe('268,557 people');
    expect(await page.textContent('[data-testid="data-note"]')).toContain('modelled');
    expect(await page.textContent('[data-testid="county-picker"]')).toContain('Shangyou County');
    // Even the map's attribution line follows the language.
    await expect.poll(() => page.textContent('.maplibregl-ctrl-attrib')).toContain('modelled · Healthshed');
    expect(await page.locator('.maplibregl-ctrl-attrib').count()).toBe(1);
  });

  it.each(['shandan', 'yanhu', 'pingba', 'jingyu'])('switches county to %s and draws it', async (county) => {
    await page.selectOption('[data-testid="county-picker"]', county);
    await waitForMap(page, county);
    await expectCountyDrawn(page, county);
    expect(await page.textContent('[data-testid="summary-population"]')).toBe(
      `${meta(county).census2020_population.toLocaleString('en-GB')} people`,
    );
    expect(await page.textContent('.map-badge')).toContain(meta(county).name_en);
  });

  it('remembers the language and county after a reload', async () => {
    await page.reload();
    await waitForMap(page, 'jingyu');
    expect(await page.getAttribute('html', 'lang')).toBe('en-GB');
  });

  it('made no request that left localhost, and threw no page error', async () => {
    expect(harness.externalRequests, 'requests that left localhost').toEqual([]);
    expect(harness.pageErrors, 'uncaught page errors').toEqual([]);
    // The guard itself works: a request to another host is caught and recorded. A navigation, because the
    // page's Content-Security-Policy stops a fetch to another origin before it is even sent.
    const probe = await harness.newPage('/');
    await probe.goto('https://tiles.example.com/0/0/0.png').catch(() => undefined);
    expect(harness.externalRequests).toEqual(['https://tiles.example.com/0/0/0.png']);
    await probe.context().close();
  });
});
