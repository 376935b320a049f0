/**
 * Finding your way, as a planner does it at 1440×900: the header's search by Chinese name, part of it, pinyin
 * initials and a facility's name, picked with the keyboard and with a click; the map flies there and marks
 * exactly that place; a table's focus button marks its settlement; English labels carry pinyin; the overview's
 * legend sits on the map; and the tab the app opens on (overview on a first visit, then the last one used).
 * Every expected place and coordinate is read from the county's own data files here, not from the app.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { bbox as turfBbox } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { FacilityProps, PopulationProps, ZoneProps } from '../../src/core/model';
import { pinyinName } from '../../src/core/names/pinyin';
import { startHarness, waitForMap, type Harness } from './harness';
import type { Feature, Point } from 'geojson';
import { pinyin } from 'pinyin-pro';

/** Initials straight from pinyin-pro, character by character (independent of the app's index). */
const initialsOf = (name: string) =>
  [...name]
    .map((c) => pinyin(c, { pattern: 'first', toneType: 'none' }))
    .join('')
    .toLowerCase();

const SHOTS = '/tmp/shots/find';
const COUNTY = 'shangyou';
const VIEWPORT = { width: 1440, height: 900 };

async function layer<P>(name: string): Promise<Feature<never, P>[]> {
  const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../data', COUNTY, `${name}.fgb`)));
  return (await readFlatGeobuf(bytes)).features as unknown as Feature<never, P>[];
}

interface Hooks {
  isIdle(): boolean;
  view(): { lon: number; lat: number; zoom: number };
  sourceFeatures(id: string): Promise<Feature[]>;
  layoutProperty(layer: string, name: string): unknown;
  renderedCounts(): Record<string, number>;
}
const hooks = <T>(page: Page, fn: (h: Hooks) => T): Promise<Awaited<T>> =>
  page.evaluate(`(${fn.toString()})(globalThis.__healthshed)`) as Promise<Awaited<T>>;

/** Waits until the map has stopped moving and drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForTimeout(700); // the fly takes 600 ms
  await page.waitForFunction(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.isIdle(), undefined, {
    timeout: 30_000,
    polling: 100,
  });
}

/** What the highlight layer holds: each mark's role, kind, id and geometry type. */
async function marks(page: Page): Promise<{ role: string; kind: string; id: string; type: string; coordinates: unknown }[]> {
  const features = await hooks(page, (h) => h.sourceFeatures('highlight'));
  return features.map((f) => ({
    role: String(f.properties!['role']),
    kind: String(f.properties!['kind']),
    id: String(f.properties!['id']),
    type: f.geometry.type,
    coordinates: f.geometry.type === 'Point' ? (f.geometry as Point).coordinates : null,
  }));
}

async function search(page: Page, text: string): Promise<{ kind: string; id: string; text: string }[]> {
  const input = page.locator('[data-testid="search-input"]');
  await input.click();
  await input.fill(text);
  await page.waitForSelector('[data-testid="search-results"]');
  return page.$$eval('[data-testid="search-results"] li[role="option"]', (items) =>
    items.map((li) => ({ kind: li.getAttribute('data-kind')!, id: li.getAttribute('data-id')!, text: li.textContent ?? '' })),
  );
}

async function expectCentre(page: Page, lon: number, lat: number): Promise<void> {
  const view = await hooks(page, (h) => h.view());
  expect(view.lon).toBeCloseTo(lon, 6);
  expect(view.lat).toBeCloseTo(lat, 6);
}

describe('finding your way', () => {
  let harness: Harness;
  let page: Page;
  let townships: Feature<never, ZoneProps>[];
  let settlements: Feature<Point, PopulationProps>[];
  let facilities: Feature<Point, FacilityProps>[];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [townships, settlements, facilities] = await Promise.all([
      layer<ZoneProps>('townships'),
      layer<PopulationProps>('population') as Promise<Feature<Point, PopulationProps>[]>,
      layer<FacilityProps>('facilities') as Promise<Feature<Point, FacilityProps>[]>,
    ]);
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, VIEWPORT);
    await waitForMap(page, COUNTY);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('finds 东山镇 by "dsz", goes there with Enter and outlines it', async () => {
    const dongshan = townships.find((z) => z.properties.name === '东山镇')!;
    const hits = await search(page, 'dsz');
    // 陡水镇 has the same initials: both townships first, the larger (the county seat) on top.
    expect(hits[0]).toMatchObject({ kind: 'township', id: dongshan.properties.code });
    expect(hits[0]!.text).toContain('乡镇');
    expect(hits[1]).toMatchObject({ kind: 'township', id: townships.find((z) => z.properties.name === '陡水镇')!.properties.code });
    await page.keyboard.press('Enter');
    await settled(page);
    const [w, s, e, n] = turfBbox(dongshan as unknown as Feature);
    await expectCentre(page, (w + e) / 2, (s + n) / 2);
    const marked = await marks(page);
    expect(marked.map((m) => [m.role, m.kind, m.id])).toEqual([
      ['area', 'township', dongshan.properties.code],
      ['label', 'township', dongshan.properties.code],
    ]);
    expect(marked[1]!.coordinates).toEqual([dongshan.properties.seat_lon, dongshan.properties.seat_lat]);
    expect((await hooks(page, (h) => h.renderedCounts()))['highlight-line']).toBe(1);
    await page.screenshot({ path: `${SHOTS}/dsz-dongshan.png` });
  });

  it('finds places by part of a name ("东山") and picks the second with ↓ and Enter', async () => {
    const hits = await search(page, '东山');
    expect(hits.length).toBeGreaterThan(1);
    const names = new Map<string, string>([
      ...townships.map((z) => [`township:${z.properties.code}`, z.properties.name] as [string, string]),
      ...settlements.map(
        (p) =>
          [`${p.properties.committee_type === '村委会' ? 'village' : 'settlement'}:${p.properties.id}`, p.properties.name] as [
            string,
            string,
          ],
      ),
      ...facilities.map((f) => [`facility:${f.properties.id}`, f.properties.name] as [string, string]),
    ]);
    // Every hit is a real place of its kind whose name holds what was typed; the township comes first.
    for (const h of hits) expect(names.get(`${h.kind}:${h.id}`), `${h.kind}:${h.id}`).toContain('东山');
    expect(hits[0]!.kind).toBe('township');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getAttribute('[data-testid="search-results"] li[aria-selected="true"]', 'data-id')).toBe(hits[1]!.id);
    await page.keyboard.press('Enter');
    await settled(page);
    const second = hits[1]!;
    const point =
      second.kind === 'facility'
        ? facilities.find((f) => f.properties.id === second.id)!.geometry.coordinates
        : second.kind === 'township'
          ? null
          : settlements.find((p) => p.properties.id === second.id)!.geometry.coordinates;
    if (point) {
      await expectCentre(page, point[0]!, point[1]!);
      expect(await marks(page)).toEqual([{ role: 'point', kind: second.kind, id: second.id, type: 'Point', coordinates: point }]);
    } else expect((await marks(page)).map((m) => m.id)).toEqual([second.id, second.id]);
  });

  it('finds a village by its pinyin initials and goes there with a click', async () => {
    // A village in 陡水镇 whose initials no other settlement has.
    const all = settlements.map((p) => initialsOf(p.properties.name));
    const village = settlements.find(
      (p, k) =>
        p.properties.committee_type === '村委会' &&
        p.properties.township_name === '陡水镇' &&
        all.indexOf(all[k]!) === all.lastIndexOf(all[k]!),
    )!;
    const initials = initialsOf(village.properties.name);
    const hits = await search(page, initials);
    const k = hits.findIndex((h) => h.id === village.properties.id);
    expect(k, `${village.properties.name} by ${initials}`).toBeGreaterThanOrEqual(0);
    expect(hits[k]!.kind).toBe('village');
    expect(hits[k]!.text).toContain('陡水镇');
    await page.click(`[data-testid="search-results"] li[data-id="${village.properties.id}"]`);
    await settled(page);
    const [lon, lat] = village.geometry.coordinates;
    await expectCentre(page, lon!, lat!);
    expect(await marks(page)).toEqual([
      { role: 'point', kind: 'village', id: village.properties.id, type: 'Point', coordinates: [lon, lat] },
    ]);
    expect((await hooks(page, (h) => h.renderedCounts()))['highlight-ring']).toBe(1);
    await page.screenshot({ path: `${SHOTS}/village-click.png` });
  });

  it('finds a facility by its name, and one just added to the scenario', async () => {
    const centre = facilities.find((f) => f.properties.tier === 'township_centre' && f.properties.township_name === '营前镇')!;
    const hits = await search(page, centre.properties.name);
    expect(hits[0]).toMatchObject({ kind: 'facility', id: centre.properties.id });
    expect(hits[0]!.text).toContain('机构');
    await page.click(`[data-testid="search-results"] li[data-id="${centre.properties.id}"]`);
    await settled(page);
    await expectCentre(page, centre.geometry.coordinates[0]!, centre.geometry.coordinates[1]!);
    expect((await marks(page)).map((m) => [m.role, m.id])).toEqual([['point', centre.properties.id]]);

    // A planned clinic added through the app's own intent is searchable at once, under its new name.
    const [lon, lat] = [centre.geometry.coordinates[0]! + 0.002, centre.geometry.coordinates[1]! + 0.001];
    const added = await page.evaluate(
      ([x, y]) =>
        (globalThis as unknown as { __healthshed: { edit(e: unknown): { id?: string } } }).__healthshed.edit({
          type: 'add',
          tier: 'village_clinic',
          lon: x,
          lat: y,
        }),
      [lon, lat],
    );
    const feature = await page.evaluate(
      (id) =>
        (globalThis as unknown as { __healthshed: { facility(id: string): Feature<Point, FacilityProps> } }).__healthshed.facility(id),
      added.id!,
    );
    const addedHits = await search(page, feature.properties.name);
    expect(addedHits[0]).toMatchObject({ kind: 'facility', id: added.id });
    await page.keyboard.press('Enter');
    await settled(page);
    await expectCentre(page, lon, lat);
    await page.keyboard.press('Escape');
  });

  it("marks the settlement a table's focus button flies to", async () => {
    const list = page.locator('[data-testid="uncovered-list"] button');
    await list.first().waitFor();
    const id = (await list.first().getAttribute('data-id'))!;
    await list.first().click();
    await settled(page);
    const settlement = settlements.find((p) => p.properties.id === id)!;
    await expectCentre(page, settlement.geometry.coordinates[0]!, settlement.geometry.coordinates[1]!);
    const marked = await marks(page);
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatchObject({ role: 'point', id, coordinates: settlement.geometry.coordinates });
    expect((await hooks(page, (h) => h.renderedCounts()))['highlight-label']).toBe(1);
    await page.screenshot({ path: `${SHOTS}/table-focus.png` });
    // Emptying the search box takes the mark away.
    await page.locator('[data-testid="search-input"]').fill('');
    await expect.poll(() => marks(page)).toEqual([]);
  });

  it('labels the map in English with pinyin beside the Chinese, and shows pinyin in the results', async () => {
    await page.click('[data-testid="language-switch"]');
    const field = await hooks(page, (h) => h.layoutProperty('townships-label', 'text-field'));
    expect(JSON.stringify(field)).toContain('name_py');
    expect(JSON.stringify(await hooks(page, (h) => h.layoutProperty('facilities-label', 'text-field')))).toContain('name_py');
    const labels = await hooks(page, (h) => h.sourceFeatures('township-labels'));
    expect(labels.length).toBe(townships.length);
    for (const l of labels) expect(l.properties!['name_py']).toBe(pinyinName(String(l.properties!['name'])));
    const hits = await search(page, 'dongshan');
    expect(hits[0]!.text).toContain('东山镇');
    expect(hits[0]!.text).toContain('Dongshan Zhen');
    expect(hits[0]!.text).toContain('township');
    await page.screenshot({ path: `${SHOTS}/english-search.png` });
    await page.keyboard.press('Enter');
    await settled(page);
    await page.screenshot({ path: `${SHOTS}/english-labels.png` });
    // In Chinese, Chinese names only.
    await page.click('[data-testid="language-switch"]');
    expect(await hooks(page, (h) => h.layoutProperty('townships-label', 'text-field'))).toEqual(['get', 'name']);
  });

  it("puts the overview's legend inside the map, in both languages", async () => {
    await page.click('[data-testid="tab-overview"]');
    for (const lang of ['zh', 'en']) {
      const legend = page.locator('[data-testid="dash-legend"]');
      await legend.waitFor();
      const map = (await page.locator('[data-testid="map"]').boundingBox())!;
      const box = (await legend.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(map.x);
      expect(box.y).toBeGreaterThanOrEqual(map.y);
      expect(box.x + box.width).toBeLessThanOrEqual(map.x + map.width);
      expect(box.y + box.height).toBeLessThanOrEqual(Math.min(map.y + map.height, VIEWPORT.height));
      // Its colours are the township fill's classes.
      const colours = await legend.locator('li').evaluateAll((li) => li.map((l) => l.getAttribute('data-colour')));
      expect(colours.length).toBeGreaterThan(1);
      await page.screenshot({ path: `${SHOTS}/overview-legend-${lang}.png` });
      if (lang === 'zh') await page.click('[data-testid="language-switch"]');
    }
    await page.click('[data-testid="language-switch"]');
  });

  it('opens a first visit on the overview and comes back to the last tab used', async () => {
    const context = await harness.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${harness.baseUrl}/?county=${COUNTY}`);
      await waitForMap(fresh, COUNTY);
      expect(await fresh.getAttribute('[data-testid="tab-overview"]', 'aria-selected')).toBe('true');
      await fresh.waitForSelector('[data-testid="dashboard"]');
      await fresh.screenshot({ path: `${SHOTS}/first-visit.png` });
      await fresh.click('[data-testid="tab-siting"]');
      await fresh.reload();
      await waitForMap(fresh, COUNTY);
      expect(await fresh.getAttribute('[data-testid="tab-siting"]', 'aria-selected')).toBe('true');
      // The address can ask for a tab.
      await fresh.goto(`${harness.baseUrl}/?county=${COUNTY}&tab=ratios`);
      await waitForMap(fresh, COUNTY);
      expect(await fresh.getAttribute('[data-testid="tab-ratios"]', 'aria-selected')).toBe('true');
    } finally {
      await context.close();
    }
  });

  it('made no request that left localhost, and threw no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
