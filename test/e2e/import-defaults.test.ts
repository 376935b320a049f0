/**
 * Import defaults that do not risk the loaded data (issue 15), as a planner meets them on 上犹县: a list of 7 rows
 * picked with the file chooser merges by default (the county's facilities stay, one of them updated by name), a
 * 诊所 row arrives as "other" and is not made a 村卫生室, a point ~150 km away is listed with its distance and
 * direction from the county boundary and left out; replacing is an explicit choice whose confirmation states
 * the counts, and going back and cancelling keeps everything.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Polygon, Position } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = '/tmp/shots/importdef';

type Hooks = {
  __healthshed: { facilities(): { features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] } };
};
const facilities = (page: Page) => page.evaluate(() => (globalThis as unknown as Hooks).__healthshed.facilities().features);

/** Great-circle km (haversine), independent of the app's turf. */
function haversineKm(a: Position, b: Position): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1]! - a[1]!) * r) / 2) ** 2 + Math.cos(a[1]! * r) * Math.cos(b[1]! * r) * Math.sin(((b[0]! - a[0]!) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/** Distance to the outline by brute force over ≤ 20 m pieces of every edge, and the bearing from that point. */
function fromBoundary(outline: Polygon, p: Position): { km: number; bearing: number } {
  let best = { km: Infinity, at: [0, 0] as Position };
  for (const ring of outline.coordinates) {
    for (let i = 1; i < ring.length; i++) {
      const [a, b] = [ring[i - 1]!, ring[i]!];
      const steps = Math.max(1, Math.ceil(haversineKm(a, b) / 0.02));
      for (let k = 0; k <= steps; k++) {
        const q = [a[0]! + ((b[0]! - a[0]!) * k) / steps, a[1]! + ((b[1]! - a[1]!) * k) / steps];
        const km = haversineKm(q, p);
        if (km < best.km) best = { km, at: q };
      }
    }
  }
  const r = Math.PI / 180;
  const [a, b] = [best.at, p];
  const y = Math.sin((b[0]! - a[0]!) * r) * Math.cos(b[1]! * r);
  const x = Math.cos(a[1]! * r) * Math.sin(b[1]! * r) - Math.sin(a[1]! * r) * Math.cos(b[1]! * r) * Math.cos((b[0]! - a[0]!) * r);
  return { km: best.km, bearing: (((Math.atan2(y, x) / r) % 360) + 360) % 360 };
}

async function pick(page: Page, name: string, text: string): Promise<void> {
  await page.click('[data-testid="tab-data"]');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="import-button"]')]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
}

describe('import defaults keep the loaded data', () => {
  let harness: Harness;
  let page: Page;
  let outline: Polygon;
  let far: Position;
  let csv: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const boundary = await readFlatGeobuf(new Uint8Array(readFileSync(resolve(__dirname, '../../data/shangyou/boundary.fgb'))));
    outline = boundary.features[0]!.geometry as Polygon;
    // ~150 km north-east of the county's north-east corner.
    const corner = outline.coordinates[0]!.reduce((a, b) => (b[0]! + b[1]! > a[0]! + a[1]! ? b : a));
    const r = Math.PI / 180;
    far = [corner[0]! + (150 / (111.2 * Math.cos(corner[1]! * r))) * Math.SQRT1_2, corner[1]! + (150 / 111.2) * Math.SQRT1_2];
    csv = [
      '名称,机构类型,经度,纬度,床位数',
      '东山镇卫生院,乡镇卫生院,114.3981,25.9421,55',
      '仁心诊所,诊所,114.405,25.945,0',
      '城南社区卫生服务站,社区卫生服务站,114.41,25.94,0',
      '东山新村卫生室,村卫生室,114.40,25.95,0',
      '水岩新村卫生室,村卫生室,114.3512,25.9876,0',
      '营前新区卫生室,卫生室,114.3,25.99,0',
      `远方卫生室,村卫生室,${far[0]!.toFixed(6)},${far[1]!.toFixed(6)},0`,
    ].join('\n');
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('merges by default: the county keeps its facilities, 诊所 stays out as other, the far point is placed and left out', async () => {
    const before = await facilities(page);
    const names = new Set(before.map((f) => String(f.properties['name'])));
    const dongshan = before.filter((f) => f.properties['name'] === '东山镇卫生院');
    expect(dongshan).toHaveLength(1); // one loaded facility of that name: the row updates it

    await pick(page, '新增机构.csv', csv);
    expect(await page.isChecked('[data-testid="import-mode"] input[value="merge"]')).toBe(true);
    // 诊所 is "other": no tier suggested, the select says so, the note explains.
    expect(await page.inputValue('[data-tier-value="诊所"]')).toBe('');
    expect(await page.getAttribute('[data-tier-value="诊所"]', 'data-other')).toBe('true');
    expect(await page.textContent('[data-tier-value="诊所"] option[value=""]')).toContain('其他机构');
    expect(await page.textContent('[data-testid="import-tier-other-note"]')).toContain('诊所');
    expect(await page.inputValue('[data-tier-value="村卫生室"]')).toBe('village_clinic');
    const clinicProblem = page.locator('[data-testid="import-problems"] li[data-row="3"]');
    expect(await clinicProblem.textContent()).toContain('新增机构.csv 第 3 行（仁心诊所）');

    // The far point: row, name, distance and direction from the boundary, as an independent search finds them.
    const truth = fromBoundary(outline, far);
    expect(truth.km).toBeGreaterThan(140);
    expect(truth.km).toBeLessThan(160);
    const item = page.locator('[data-testid="import-far"] li');
    expect(await item.count()).toBe(1);
    expect(Number(await item.getAttribute('data-row'))).toBe(8);
    expect(Math.abs(Number(await item.getAttribute('data-km')) - truth.km)).toBeLessThan(0.5);
    expect(await item.getAttribute('data-direction')).toBe(
      ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'][Math.round(truth.bearing / 45) % 8],
    );
    expect(await item.textContent()).toContain(`第 8 行 远方卫生室（编号 F-8）：县界以东北 ${Math.round(truth.km)} 公里`);
    expect(await page.isChecked('[data-testid="import-far-keep"]')).toBe(false);
    expect(await page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('5');
    await page.screenshot({ path: `${SHOTS}/wizard-zh.png` });

    // No confirmation for a merge: nothing loaded is removed.
    await page.click('[data-testid="import-go"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    await expect.poll(async () => (await facilities(page)).length).toBe(before.length + 4);
    const after = await facilities(page);
    const added = after.filter((f) => !before.some((g) => g.properties['id'] === f.properties['id']));
    expect(added.map((f) => f.properties['name']).sort()).toEqual(
      ['东山新村卫生室', '城南社区卫生服务站', '水岩新村卫生室', '营前新区卫生室'].sort(),
    );
    for (const f of added) expect(names.has(String(f.properties['name']))).toBe(false);
    // Updated by name, under its own id; every other loaded facility is as it was.
    const updated = after.find((f) => f.properties['id'] === dongshan[0]!.properties['id'])!;
    expect(updated.properties['beds']).toBe(55);
    for (const f of before.filter((g) => g !== dongshan[0])) {
      expect(after.find((g) => g.properties['id'] === f.properties['id'])).toEqual(f);
    }
    expect(after.some((f) => f.properties['name'] === '仁心诊所')).toBe(false);
    expect(after.some((f) => f.properties['name'] === '远方卫生室')).toBe(false);
    expect(after.filter((f) => f.properties['tier'] === 'village_clinic').length).toBe(
      before.filter((f) => f.properties['tier'] === 'village_clinic').length + 4,
    );
    const done = await page.textContent('[data-testid="import-done"]');
    expect(done).toMatch(/新增 4 个，更新 1 个/);
    expect(done).toContain('1 个距县界过远的点未导入');
  });

  it('replacing is chosen explicitly and confirmed with the counts; going back and cancelling keep everything (English)', async () => {
    const before = await facilities(page);
    await page.click('[data-testid="language-switch"]');
    await pick(page, 'new-facilities.csv', csv);
    const item = page.locator('[data-testid="import-far"] li');
    expect(await item.textContent()).toMatch(/Row 8 远方卫生室 \([A-Za-z ]+\) \(id F-8\): \d+ km north-east of the county boundary/);
    expect(await page.textContent('[data-tier-value="诊所"] option[value=""]')).toContain('other');
    // Keeping the far point is the planner's choice: it then counts as one more to import.
    await page.check('[data-testid="import-far-keep"]');
    await expect.poll(() => page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('6');
    await page.uncheck('[data-testid="import-far-keep"]');
    await expect.poll(() => page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('5');
    await page.screenshot({ path: `${SHOTS}/wizard-en.png` });

    await page.check('[data-testid="import-mode"] input[value="replace"]');
    await page.click('[data-testid="import-go"]');
    const confirm = await page.textContent('[data-testid="import-confirm"]');
    expect(confirm).toContain(`Replacing deletes the ${before.length.toLocaleString('en')} health facilities of`);
    expect(confirm).toContain('imports 5');
    await page.screenshot({ path: `${SHOTS}/confirm-en.png` });
    await page.click('[data-testid="import-confirm-back"]');
    expect(await page.getAttribute('[data-testid="import-wizard"]', 'data-step')).toBe('mapping');
    await page.click('[data-testid="import-close"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    expect(await facilities(page)).toEqual(before);

    // In Chinese, the same confirmation with the same numbers.
    await page.click('[data-testid="language-switch"]');
    await pick(page, '新增机构.csv', csv);
    await page.check('[data-testid="import-mode"] input[value="replace"]');
    await page.click('[data-testid="import-go"]');
    expect(await page.textContent('[data-testid="import-confirm"]')).toContain(
      `替换将删除上犹县现有的 ${before.length} 个医疗卫生机构，导入 5 个`,
    );
    await page.screenshot({ path: `${SHOTS}/confirm-zh.png` });
    await page.click('[data-testid="import-confirm-back"]');
    await page.click('[data-testid="import-close"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    expect(await facilities(page)).toEqual(before);
    expect(harness.pageErrors).toEqual([]);
    expect(harness.externalRequests).toEqual([]);
  });
});
