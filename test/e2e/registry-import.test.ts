/**
 * A county's registry without coordinates, as a planner imports it on 上犹县 (issue 19): 卫统 columns (执业医师 and
 * 执业助理医师 apart, 实有床位 beside 编制床位) with the definition each mapped field meets shown in the wizard; rows
 * naming a real village (suffixes varied) are placed at that settlement's point, a 卫生院 without village at its
 * township's seat, a row whose village is unknown is listed with its row; the feature info says the position
 * is approximate.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { CountyDataset } from '../../src/core/model';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = '/tmp/shots/registry';

type Hooks = {
  __healthshed: { facilities(): { features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] } };
};
const facilities = (page: Page) => page.evaluate(() => (globalThis as unknown as Hooks).__healthshed.facilities().features);
const layer = async <K extends keyof CountyDataset>(name: K): Promise<CountyDataset[K]> =>
  (await readFlatGeobuf(
    new Uint8Array(readFileSync(resolve(__dirname, `../../data/shangyou/${name}.fgb`))),
  )) as unknown as CountyDataset[K];

describe('a registry without coordinates', () => {
  let harness: Harness;
  let page: Page;
  let villages: CountyDataset['population']['features'];
  let seat: CountyDataset['townships']['features'][number]['properties'];
  let csv: string;

  beforeAll(async () => {
    const [population, townships] = await Promise.all([layer('population'), layer('townships')]);
    // Three village committees of different townships, each name its township's only one.
    const seen = new Set<string>();
    villages = population.features
      .filter((f) => /村民?委员会$|村委会$/.test(f.properties.name))
      .filter((f) => !seen.has(f.properties.township) && seen.add(f.properties.township))
      .slice(0, 3);
    seat = townships.features.find((z) => !z.properties.is_county_seat)!.properties;
    const suffix = [
      (s: string) => s.replace(/村民?委员会$|村委会$/, '村'),
      (s: string) => s.replace(/村民?委员会$|村委会$/, ''),
      (s: string) => s,
    ];
    csv = [
      '机构名称,机构类别,所在乡镇,所在村,经度,纬度,实有床位,编制床位,执业医师,执业助理医师,乡村医生',
      ...villages.map(
        (v, i) => `${v.properties.name}卫生室,村卫生室,${v.properties.township_name},${suffix[i]!(v.properties.name)},,,0,0,0,1,2`,
      ),
      `${seat.name}新区卫生院,乡镇卫生院,${seat.name},,,,30,20,6,3,0`,
      `无此村卫生室,村卫生室,${seat.name},无此村,,,0,0,0,0,1`,
    ].join('\n');
    mkdirSync(SHOTS, { recursive: true });
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows the definitions, places the rows at their villages and seat, and says the position is approximate', async () => {
    await page.click('[data-testid="tab-data"]');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="import-button"]')]);
    await chooser.setFiles({ name: '卫统名录.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');

    const def = (target: string) => page.locator(`[data-testid="field-definition"][data-target="${target}"]`);
    expect(await def('physicians').getAttribute('data-code')).toBe('physicians_sum');
    expect(await def('physicians').textContent()).toContain('医师 = 执业医师 + 执业助理医师（卫统口径）');
    expect(await def('physicians').textContent()).toContain('执业医师 + 执业助理医师');
    expect(await def('beds').textContent()).toContain('床位 = 实有床位');
    expect(await def('village_doctors').getAttribute('data-code')).toBe('village_doctors');
    await page.screenshot({ path: `${SHOTS}/wizard-zh.png` });

    await expect.poll(() => page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe(String(villages.length + 1));
    const unplaced = page.locator(`[data-testid="import-problems"] li[data-row="${villages.length + 3}"]`);
    expect(await unplaced.textContent()).toContain('无此村');

    const before = await facilities(page);
    await page.click('[data-testid="import-go"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    await expect.poll(async () => (await facilities(page)).length).toBe(before.length + villages.length + 1);
    const after = await facilities(page);
    const byName = (name: string) => after.find((f) => f.properties['name'] === name)!;
    for (const v of villages) {
      const f = byName(`${v.properties.name}卫生室`);
      expect(f.geometry.coordinates).toEqual(v.geometry.coordinates);
      expect(f.properties).toMatchObject({ located_by: 'village', physicians: 1, village_doctors: 2 });
    }
    const centre = byName(`${seat.name}新区卫生院`);
    expect(centre.geometry.coordinates).toEqual([seat.seat_lon, seat.seat_lat]);
    expect(centre.properties).toMatchObject({ located_by: 'township_seat', beds: 30, physicians: 9 });

    await page.click('[data-testid="tab-facilities"]');
    await page.fill('[data-testid="filter-search"]', String(villages[0]!.properties.name));
    await page.click(
      `[data-testid="facility-table"] tr[data-id="${String(byName(`${villages[0]!.properties.name}卫生室`).properties['id'])}"]`,
    );
    const cell = page.locator('[data-testid="feature-info"] td[data-key="located_by"]');
    await expect.poll(() => cell.textContent()).toContain('按村庄定位（近似）');
    await page.screenshot({ path: `${SHOTS}/info-zh.png` });
    expect(await page.textContent('[data-testid="feature-info"]')).toContain('位置');
    expect(harness.pageErrors).toEqual([]);
    expect(harness.externalRequests).toEqual([]);
  });
});
