/**
 * Import and export in the browser: a GBK facility list dropped on the page is mapped, checked, imported as one
 * undoable edit; exports are read back with GDAL; a GCJ-02 list is shifted to WGS84; a large file streams with
 * progress and can be cancelled without touching what is loaded.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromWgs84, gcj02ToWgs84, wgs84ToGcj02 } from '../../src/core/crs';
import { metresBetween } from '../../src/core/io/complete';
import { readCommittedCounty } from '../unit/shared';
import { startHarness, waitForMap, type Harness } from './harness';

const FIXTURE = new URL('../fixtures/io/facilities-gbk.csv', import.meta.url);

/** Where 上犹's first county hospital stands in the embedded data (its county town). */
async function countyHospital(): Promise<[number, number]> {
  const county = await readCommittedCounty('shangyou');
  const hospital = county.facilities.features.find((f) => f.properties.tier === 'county_hospital')!;
  return hospital.geometry.coordinates as [number, number];
}

async function facilityRows(page: Page): Promise<number> {
  await page.click('[data-testid="tab-facilities"]');
  const n = await page.locator('[data-testid="facility-table"] tbody tr').count();
  await page.click('[data-testid="tab-data"]');
  return n;
}

/** Drops bytes on the page as a file, the way a planner drags one from the desktop. */
async function dropFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(
    ({ b64, name, type }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type }));
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { b64: bytes.toString('base64'), name, type },
  );
}

async function exportFile(page: Page, dir: string, layer: string, format: string, crs = 'wgs84'): Promise<string> {
  await page.selectOption('[data-testid="export-layer"]', layer);
  await page.selectOption('[data-testid="export-format"]', format);
  await page.selectOption('[data-testid="export-crs"]', crs);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-go"]')]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

function featureCount(ogrinfo: string): number {
  return Number(/Feature Count: (\d+)/.exec(ogrinfo)?.[1] ?? NaN);
}

describe('import and export in the browser', () => {
  let harness: Harness;
  let page: Page;
  let dir: string;
  let loaded = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'healthshed-import-'));
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou');
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
    loaded = await facilityRows(page);
  });
  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('maps a dropped GBK list, names its bad rows, imports the good ones as one undoable edit', async () => {
    expect(loaded).toBeGreaterThan(100);
    await page.click('[data-testid="tab-data"]');
    await dropFile(page, await readFile(FIXTURE), '机构名单.csv', 'text/csv');
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    // Read as GBK in the worker: the Chinese headers and names show in the preview.
    const preview = await page.textContent('[data-testid="import-preview"]');
    expect(preview).toContain('机构名称');
    expect(preview).toContain('上犹县人民医院');
    expect(await page.textContent('[data-testid="import-file-info"]')).toMatch(/gb/i);
    expect(await page.inputValue('[data-testid="import-kind"]')).toBe('facilities');
    expect(await page.inputValue('[data-target="beds"]')).toBe('床位数');
    expect(await page.inputValue('[data-target="tier"]')).toBe('机构类型');
    expect(await page.inputValue('[data-tier-value="乡镇卫生院"]')).toBe('township_centre');
    // Rows 5–9 are wrong on purpose: no tier, a pharmacy, a repeated id, a longitude of 214, no coordinates.
    const rows = await page
      .locator('[data-testid="import-problems"] li[data-severity="error"]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-row'))));
    expect(rows.sort()).toEqual([5, 6, 7, 8, 9]);
    expect(await page.textContent('[data-testid="import-problems"]')).toContain('第 8 行');
    expect(await page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('4');

    // The planner says a 药店 counts as a village clinic: one more row comes in.
    await page.selectOption('[data-tier-value="药店"]', 'village_clinic');
    await expect.poll(() => page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('5');

    // Replacing is the planner's explicit choice (merging is the default), confirmed with the counts.
    expect(await page.isChecked('[data-testid="import-mode"] input[value="merge"]')).toBe(true);
    await page.check('[data-testid="import-mode"] input[value="replace"]');
    await page.click('[data-testid="import-go"]');
    const confirm = await page.textContent('[data-testid="import-confirm"]');
    expect(confirm).toContain(`替换将删除上犹县现有的 ${loaded} 个医疗卫生机构，导入 5 个`);
    await page.click('[data-testid="import-confirm-yes"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    await expect.poll(() => facilityRows(page)).toBe(5);
    expect(await page.textContent('[data-testid="import-done"]')).toContain('5');

    await page.click('[data-testid="undo"]');
    await expect.poll(() => facilityRows(page)).toBe(loaded);
  });

  it('exports the facilities as FlatGeobuf and a zipped Shapefile that GDAL reads with the Chinese intact', async () => {
    await page.click('[data-testid="tab-data"]');
    const fgb = await exportFile(page, dir, 'facilities', 'flatgeobuf');
    expect(fgb).toMatch(/上犹县_医疗卫生机构\.fgb$/);
    expect(featureCount(execFileSync('ogrinfo', ['-al', '-so', fgb], { encoding: 'utf8' }))).toBe(loaded);
    expect(execFileSync('ogrinfo', ['-al', '-q', fgb], { encoding: 'utf8' })).toContain('上犹县人民医院');

    const shp = await exportFile(page, dir, 'facilities', 'shapefile');
    expect(shp).toMatch(/\.shp\.zip$/);
    expect(featureCount(execFileSync('ogrinfo', ['-al', '-so', `/vsizip/${shp}`], { encoding: 'utf8' }))).toBe(loaded);
    expect(execFileSync('ogrinfo', ['-al', '-q', `/vsizip/${shp}`], { encoding: 'utf8' })).toContain('上犹县人民医院');

    const settlements = await exportFile(page, dir, 'population', 'geojson', 'gcj02');
    expect(settlements).toMatch(/_gcj02\.geojson$/);
    const points = JSON.parse(await readFile(settlements, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    expect(points.features.length).toBeGreaterThan(100);
    expect(Object.keys(points.features[0]!.properties)).toEqual(
      expect.arrayContaining(['minutes_county_hospital', 'minutes_township_centre', 'minutes_village_clinic', 'minutes_any']),
    );
    const areas = await exportFile(page, dir, 'service-areas', 'flatgeobuf');
    const areaInfo = execFileSync('ogrinfo', ['-al', '-so', areas], { encoding: 'utf8' });
    expect(featureCount(areaInfo)).toBeGreaterThanOrEqual(6); // three tiers × two thresholds at least
    expect(areaInfo).toMatch(/tier_zh: String/);

    const csv = await exportFile(page, dir, 'townships', 'csv');
    const text = await readFile(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // BOM, for Excel
    const townships = featureCount(execFileSync('ogrinfo', ['-al', '-so', csv], { encoding: 'utf8' }));
    expect(townships).toBeGreaterThan(5); // the county row and each township
  });

  it('merges a registry update: the same id updates its facility, a new id is added, the rest stay; one undo', async () => {
    type Hooks = {
      __healthshed: { facilities(): { features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] } };
    };
    const before = await page.evaluate(() => (globalThis as unknown as Hooks).__healthshed.facilities().features);
    const known = before.find((f) => f.properties['tier'] === 'township_centre')!;
    const [lon, lat] = known.geometry.coordinates as [number, number];
    const csv = [
      'id,name,tier,beds,lon,lat',
      `${String(known.properties['id'])},${String(known.properties['name'])},township_centre,999,${lon},${lat}`,
      `NEW-REG-1,新登记卫生室,village_clinic,0,${lon + 0.01},${lat + 0.01}`,
    ].join('\n');
    await page.click('[data-testid="tab-data"]');
    await page.setInputFiles('[data-testid="import-file"]', { name: 'registry.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    // Merging is the default and removes nothing: it goes ahead without a confirmation.
    expect(await page.isChecked('[data-testid="import-mode"] input[value="merge"]')).toBe(true);
    await page.click('[data-testid="import-go"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    await expect.poll(() => facilityRows(page)).toBe(loaded + 1);
    expect(await page.textContent('[data-testid="import-done"]')).toMatch(/新增 1 个，更新 1 个/);
    const after = await page.evaluate(() => (globalThis as unknown as Hooks).__healthshed.facilities().features);
    const updated = after.find((f) => f.properties['id'] === known.properties['id'])!;
    expect(updated.properties['beds']).toBe(999);
    // Fields the file has no column for keep their loaded values.
    expect(updated.properties['physicians']).toBe(known.properties['physicians']);
    expect(updated.properties['kind']).toBe(known.properties['kind']);
    const untouched = before.filter((f) => f.properties['id'] !== known.properties['id']);
    for (const f of untouched) expect(after.find((g) => g.properties['id'] === f.properties['id'])).toEqual(f);

    await page.click('[data-testid="undo"]');
    await expect.poll(() => facilityRows(page)).toBe(loaded);
    const restored = await page.evaluate(() => (globalThis as unknown as Hooks).__healthshed.facilities().features);
    expect(restored.find((f) => f.properties['id'] === known.properties['id'])!.properties['beds']).toBe(known.properties['beds']);
  });

  it('shifts points given in GCJ-02 by a few hundred metres to WGS84', async () => {
    // Three clinics as AMap shows them: their true places, moved into GCJ-02.
    const truth: [number, number][] = [
      [114.3512, 25.9876],
      [114.4011, 25.9402],
      [114.2511, 25.8432],
    ];
    const csv = [
      'id,name,tier,lon,lat',
      ...truth.map(([lon, lat], i) => {
        const [x, y] = wgs84ToGcj02(lon, lat);
        return `G${i + 1},高德卫生室${i + 1},village_clinic,${x.toFixed(7)},${y.toFixed(7)}`;
      }),
    ].join('\n');
    await page.click('[data-testid="tab-data"]');
    await page.setInputFiles('[data-testid="import-file"]', { name: 'amap.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    await page.selectOption('[data-testid="import-crs"]', 'gcj02');
    await page.waitForSelector('[data-testid="import-shift"]');
    const metres = Number(await page.getAttribute('[data-testid="import-shift"]', 'data-metres'));
    expect(metres).toBeGreaterThan(200);
    expect(metres).toBeLessThan(800);
    await page.screenshot({ path: join(tmpdir(), 'healthshed-import-wizard.png') });
    await page.check('[data-testid="import-mode"] input[value="replace"]');
    await page.click('[data-testid="import-go"]');
    await page.click('[data-testid="import-confirm-yes"]');
    await expect.poll(() => facilityRows(page)).toBe(3);

    const out = await exportFile(page, dir, 'facilities', 'geojson');
    const collection = JSON.parse(await readFile(out, 'utf8')) as { features: { geometry: { coordinates: [number, number] } }[] };
    collection.features.forEach((f, i) => {
      const given = wgs84ToGcj02(...truth[i]!);
      expect(metresBetween(f.geometry.coordinates, truth[i]!)).toBeLessThan(5);
      expect(metresBetween(f.geometry.coordinates, given)).toBeGreaterThan(200);
      expect(metresBetween(f.geometry.coordinates, gcj02ToWgs84(...given))).toBeLessThan(0.5);
    });
    await page.click('[data-testid="undo"]');
    await expect.poll(() => facilityRows(page)).toBe(loaded);
  });

  it('explains and converts Gauss-Krüger metres given in the longitude and latitude columns', async () => {
    const places: [number, number][] = [
      [114.41, 25.94],
      [114.3, 25.99],
    ];
    const csv = [
      '名称,机构类型,经度,纬度',
      ...places.map(([lon, lat], i) => {
        const [x, y] = fromWgs84(lon, lat, 'EPSG:4526');
        return `测试卫生室${i + 1},村卫生室,${x.toFixed(2)},${y.toFixed(2)}`;
      }),
    ].join('\n');
    await page.click('[data-testid="tab-data"]');
    await page.setInputFiles('[data-testid="import-file"]', { name: 'metres.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    expect(await page.textContent('[data-testid="import-crs-used"]')).toContain('EPSG:4526');
    expect(await page.textContent('[data-testid="import-crs-explanation"]')).toMatch(/4526|高斯|Gauss/);
    expect(await page.getAttribute('[data-testid="import-counts"]', 'data-imported')).toBe('2');
    await page.click('[data-testid="import-close"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    expect(await facilityRows(page)).toBe(loaded);
  });

  it('replaces the settlements by an imported list, recomputes coverage on it, and 撤销导入 puts them back', async () => {
    const covered = async (): Promise<number> =>
      Number(await page.getAttribute('[data-testid="coverage-table"] tr[data-tier="any"] td[data-minutes="30"]', 'data-covered'));
    const population = async (): Promise<string> => {
      await page.click('[data-testid="tab-layers"]');
      const text = (await page.textContent('[data-testid="summary-population"]')) ?? '';
      await page.click('[data-testid="tab-data"]');
      return text;
    };
    const original = await population();
    // Two villages by the county hospital (within a 30-minute walk of it), one far off.
    const [lon, lat] = await countyHospital();
    const csv = `名称,常住人口,经度,纬度\n城关村,1000,${lon + 0.005},${lat}\n东山村,2000,${lon},${lat + 0.008}\n远山村,3000,114.20,26.10\n`;
    await page.click('[data-testid="tab-data"]');
    await page.setInputFiles('[data-testid="import-file"]', { name: '居民点.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    expect(await page.inputValue('[data-testid="import-kind"]')).toBe('population');
    expect(await page.inputValue('[data-target="population"]')).toBe('常住人口');
    await page.click('[data-testid="import-go"]');
    expect(await page.textContent('[data-testid="import-confirm"]')).toContain('居民点');
    await page.click('[data-testid="import-confirm-yes"]');
    await expect.poll(population).toBe('6,000人');
    // The two villages by the county seat are within 30 minutes of care; the total is never more than 6,000.
    await expect.poll(covered, { timeout: 30_000 }).toBeGreaterThanOrEqual(3000);
    expect(await covered()).toBeLessThanOrEqual(6000);

    await page.click('[data-testid="import-undo-layer"]');
    await expect.poll(population).toBe(original);
    await expect.poll(covered, { timeout: 30_000 }).toBeGreaterThan(6000);
    expect(await page.locator('[data-testid="import-saved-layer"]').count()).toBe(0);
  });

  it('keeps imported settlements across a reload (autosaved with the project) until the county’s own are put back', async () => {
    const population = async (): Promise<string> => {
      await page.click('[data-testid="tab-layers"]');
      const text = (await page.textContent('[data-testid="summary-population"]')) ?? '';
      await page.click('[data-testid="tab-data"]');
      return text;
    };
    const original = await population();
    const [lon, lat] = await countyHospital();
    const csv = `名称,常住人口,经度,纬度\n城关村,1500,${lon + 0.005},${lat}\n东山村,2500,${lon},${lat + 0.008}\n`;
    await page.setInputFiles('[data-testid="import-file"]', { name: '普查点.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    await page.click('[data-testid="import-go"]');
    await page.click('[data-testid="import-confirm-yes"]');
    await expect.poll(population).toBe('4,000人');
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state')).toBe('saved');

    await page.reload();
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
    await page.click('[data-testid="tab-data"]');
    await expect.poll(population).toBe('4,000人');
    expect(await page.textContent('[data-testid="import-saved-layer"]')).toContain('普查点.csv');
    // Coverage is computed on the imported points: never more people than they hold.
    const covered = Number(
      await page.getAttribute('[data-testid="coverage-table"] tr[data-tier="any"] td[data-minutes="30"]', 'data-covered'),
    );
    expect(covered).toBeLessThanOrEqual(4000);

    await page.click('[data-testid="import-restore-county"]');
    await page.click('[data-testid="confirm-restore-layer"] [data-testid="confirm-restore"]'); // it asks first (scenarios.test.ts)
    await expect.poll(population).toBe(original);
    expect(await page.locator('[data-testid="import-saved-layer"]').count()).toBe(0);
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state')).toBe('saved');
    await page.reload();
    await waitForMap(page, 'shangyou');
    await page.click('[data-testid="tab-data"]');
    await expect.poll(population).toBe(original);
  });

  it('streams a large file with progress, stays responsive, and cancels leaving the data as it was', async () => {
    const big = join(dir, 'big-settlements.csv');
    const stream = createWriteStream(big);
    stream.write('id,name,population,lon,lat\n');
    for (let i = 0; i < 1_400_000; i++) {
      if (
        !stream.write(
          `P${i},居民点${i},${100 + (i % 900)},${(114.2 + (i % 1000) * 0.0003).toFixed(6)},${(25.8 + (i % 997) * 0.0003).toFixed(6)}\n`,
        )
      ) {
        await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      }
    }
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    const size = Number(execFileSync('stat', ['-c', '%s', big], { encoding: 'utf8' }));
    expect(size).toBeGreaterThan(50 * 1024 * 1024);

    await page.click('[data-testid="tab-data"]');
    await page.setInputFiles('[data-testid="import-file"]', big);
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid="import-progress"]', 'data-bytes')), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = Number(await page.getAttribute('[data-testid="import-progress"]', 'data-bytes'));
    // The page keeps drawing while the worker reads: frames keep coming (a parse here would stall them).
    const frames = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let n = 0;
          const end = performance.now() + 1000;
          const tick = (): void => {
            n++;
            if (performance.now() < end) requestAnimationFrame(tick);
            else resolve(n);
          };
          requestAnimationFrame(tick);
        }),
    );
    expect(frames).toBeGreaterThan(10);
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="import-progress"]', 'data-bytes'))).toBeGreaterThan(first);
    const before = Number(await page.getAttribute('[data-testid="import-progress"]', 'data-bytes'));
    expect(before).toBeLessThan(size);
    await page.click('[data-testid="import-cancel"]');
    await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
    expect(await facilityRows(page)).toBe(loaded);
    // The worker is free again: a small file reads at once.
    await dropFile(page, await readFile(FIXTURE), 'again.csv', 'text/csv');
    await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
    await page.click('[data-testid="import-close"]');
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
