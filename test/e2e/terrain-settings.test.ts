import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

/**
 * Terrain mode's settings as a planner meets them on 上犹县: a profile, the raster's size stated before a run, an
 * elevation model made by GDAL over the west of the county (the east is said to be flat), a file that is not a
 * GeoTIFF and a three-band image refused by name with the model in use kept, a bicycle slowed uphill and the box that
 * turns it off, all of it back after a reload (the autosave), a model naming no CRS read as degrees and said so, and
 * water over the whole county questioned as the wrong layer.
 */
const WAIT = { timeout: 90_000, interval: 250 };
const COUNTY = 'shangyou';

/**
 * 上犹 spans 114.01–114.66°E: this model stops at 114.40°E and reaches past the other three sides. It rises 40 m
 * a column (0.005°, about 500 m) eastwards: an 8 % grade a bicycle climbs slowly.
 */
function files(): { dem: string; bad: string; image: string; silent: string; lake: string; bowtie: string } {
  const dir = mkdtempSync(join(tmpdir(), 'terrain-settings-'));
  const cols = 110;
  const rows = 140;
  const grid = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => 300 + 40 * c + r).join(' ')).join('\n');
  writeFileSync(
    join(dir, 'dem.asc'),
    `ncols ${cols}\nnrows ${rows}\nxllcorner 113.85\nyllcorner 25.55\ncellsize 0.005\nNODATA_value -9999\n${grid}\n`,
  );
  execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:4326', '-of', 'GTiff', join(dir, 'dem.asc'), join(dir, 'dem.tif')]);
  writeFileSync(join(dir, 'bad.tif'), 'not a GeoTIFF');
  // The same heights as a three-band image, and with no coordinate system at all (the ASCII grid alone).
  execFileSync('gdal_translate', ['-q', '-b', '1', '-b', '1', '-b', '1', join(dir, 'dem.tif'), join(dir, 'relief.tif')]);
  execFileSync('gdal_translate', ['-q', '-of', 'GTiff', join(dir, 'dem.asc'), join(dir, 'no-crs.tif')]);
  // A "lake" over the whole county: a basin's outline read as water.
  const lake = [
    [
      [113.9, 25.5],
      [114.8, 25.5],
      [114.8, 26.3],
      [113.9, 26.3],
      [113.9, 25.5],
    ],
  ];
  writeFileSync(
    join(dir, 'lake.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { natural: 'water' }, geometry: { type: 'Polygon', coordinates: lake } }],
    }),
  );
  // A stream (walkable) and a reservoir drawn as a bow-tie: its outline crosses itself.
  writeFileSync(
    join(dir, 'bowtie.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { waterway: 'stream' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [114.2, 25.7],
              [114.2, 25.9],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { landuse: 'reservoir' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [114.3, 25.7],
                [114.34, 25.74],
                [114.34, 25.7],
                [114.3, 25.74],
                [114.3, 25.7],
              ],
            ],
          },
        },
      ],
    }),
  );
  return {
    bowtie: join(dir, 'bowtie.geojson'),
    dem: join(dir, 'dem.tif'),
    bad: join(dir, 'bad.tif'),
    image: join(dir, 'relief.tif'),
    silent: join(dir, 'no-crs.tif'),
    lake: join(dir, 'lake.geojson'),
  };
}

const text = async (page: Page, testid: string) =>
  ((await page.textContent(`[data-testid="${testid}"]`)) ?? '').replace(/\s+/g, ' ').trim();

/** Chooses a ground file over the one in use (`dem` or `water`), as a person does: the file, then 替换 in the dialog. */
async function replaceGround(page: Page, slot: 'dem' | 'water', file: string): Promise<void> {
  await page.setInputFiles(`[data-testid="ground-${slot}-file"]`, file);
  const dialog = page.locator('[data-testid="confirm-ground"]');
  await dialog.waitFor(WAIT);
  await dialog.locator('button', { hasText: '替换' }).click();
}

/**
 * The standard's method line on this ground when the scenario rides an e-bike: the urban and village-clinic parts
 * walk by default, the rural part travels as the scenario does; each way once, in the parts' order.
 */
const byPart = (ground: string) =>
  `各部分按其出行方式计：${['步行', '电动车'].map((p) => `按路网+地形通行时间计（${p}；${ground}），由居民点前往机构`).join('；')}`;
const FLAT = '按平地计算';
const DEM_WEST = '高程 dem.tif，东部未覆盖按平地计算';

describe('terrain settings and the ground', () => {
  let harness: Harness;
  let page: Page;
  const { dem, bad, image, silent, lake, bowtie } = files();
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="standard-line"] li[data-part]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('a profile and the raster are chosen, its size is stated before the run, and flat ground is said', async () => {
    await page.click('[data-testid="mode-terrain"]');
    await page.selectOption('[data-testid="travel-profile"]', 'ebike');
    const plan = page.locator('[data-testid="terrain-plan"]');
    await plan.waitFor(WAIT);
    const cells = Number(await plan.getAttribute('data-cells'));
    const [nx, ny] = (await plan.textContent())!
      .match(/[\d,]+ × [\d,]+/)![0]
      .split(' × ')
      .map((n) => Number(n.replace(/,/g, '')));
    expect(nx! * ny!).toBe(cells);
    // Two cores here: the second thread's share of the memory is stated (33 bytes a cell and 8 MiB).
    const threadMb = ((cells * 33 + 8 * 2 ** 20) / 2 ** 20).toLocaleString('zh-CN', { maximumFractionDigits: 0 });
    expect(await plan.textContent()).toContain(`（含第二线程约 ${threadMb} MB，用于并行计算一级机构的通行时间）`);
    // Twice the cell side: about a quarter of the cells.
    await page.selectOption('[data-testid="terrain-cell"]', '200');
    await expect.poll(async () => Number(await plan.getAttribute('data-cells')), WAIT).toBeLessThan(cells / 3.5);
    await page.selectOption('[data-testid="terrain-cell"]', '100');
    // The scenario rides an e-bike (the rural part's travel); the urban and village-clinic parts walk by default.
    await expect.poll(() => text(page, 'standard-method'), WAIT).toBe(byPart(FLAT));
    expect(await text(page, 'ground-dem-facts')).toBe('未加载高程模型：按平地计算');
  });

  it('an elevation model is taken and named; the side it misses is flat, on the panel and in the method line', async () => {
    await page.setInputFiles('[data-testid="ground-dem-file"]', dem);
    await expect.poll(() => text(page, 'ground-dem-facts'), WAIT).toContain('高程模型未覆盖东部，按平地计算');
    expect(await text(page, 'ground-dem-facts')).toContain('dem.tif（EPSG:4326');
    await expect.poll(() => text(page, 'standard-method'), WAIT).toBe(byPart(DEM_WEST));
    await expect.poll(() => page.getAttribute('[data-testid="coverage-ground"]', 'data-flat'), WAIT).toBe('false');
  });

  it('a file that is not a GeoTIFF is refused by name after asking, and the model in use is kept', async () => {
    await page.setInputFiles('[data-testid="ground-dem-file"]', bad);
    const dialog = page.locator('[data-testid="confirm-ground"]');
    await dialog.waitFor(WAIT);
    expect(await dialog.textContent()).toContain('dem.tif');
    await dialog.locator('button', { hasText: '替换' }).click();
    const error = page.locator('[data-testid="ground-dem-error"]');
    await error.waitFor(WAIT);
    expect(await error.getAttribute('data-code')).toBe('geotiff-invalid');
    expect(await error.textContent()).toMatch(/^bad\.tif：.*仍使用原有地形数据$/);
    expect(await page.getAttribute('[data-testid="ground-dem"]', 'data-file')).toBe('dem.tif');
    expect(await text(page, 'standard-method')).toContain('高程 dem.tif');
    // An image of three bands is no elevation model either: refused, saying why.
    await page.setInputFiles('[data-testid="ground-dem-file"]', image);
    await dialog.waitFor(WAIT);
    await dialog.locator('button', { hasText: '替换' }).click();
    await expect.poll(() => error.getAttribute('data-code'), WAIT).toBe('raster-bands');
    expect(await error.textContent()).toMatch(/^relief\.tif：该高程模型有 3 个波段（是影像而非高程？）.*仍使用原有地形数据$/);
    expect(await page.getAttribute('[data-testid="ground-dem"]', 'data-file')).toBe('dem.tif');
  });

  it('a part ridden by bicycle on the model slows uphill, in its method and its figure; the box turns it off', async () => {
    const part = page.locator('[data-testid="standard-line"] li[data-part="rural_centre"]');
    await page.click('[data-testid="standard-edit"]');
    // A built-in plan is copied first, so its words stay as they are.
    await page.click('[data-testid="standard-copy-plan"]');
    const edit = page.locator('[data-testid="standard-edit-part"][data-part="rural_centre"]');
    await edit.waitFor(WAIT);
    await edit.locator('[data-testid="standard-edit-profile"]').selectOption('bicycle');
    await page.click('[data-testid="standard-edit-save"]');
    await page.waitForSelector('[data-testid="standard-edit-saved"]');
    const graded = `按路网+地形通行时间计（自行车，上坡按骑行功率减速；${DEM_WEST}），由居民点前往机构`;
    // The lines are the result's: once they name the bicycle, the part's figure is the bicycle's.
    await expect.poll(() => text(page, 'standard-method'), WAIT).toContain(graded);
    expect(await part.locator('[data-testid="standard-part-method"]').textContent()).toContain('自行车，上坡按骑行功率减速');
    // The tiers' circles under the table stay the scenario's e-bike.
    expect(await text(page, 'tiers-method')).toBe(`各层级服务圈：按路网+地形通行时间计（电动车；${DEM_WEST}），由居民点前往机构`);
    const uphill = Number(await part.getAttribute('data-covered'));
    expect(await page.isChecked('[data-testid="bicycle-grades"]')).toBe(true);
    await page.uncheck('[data-testid="bicycle-grades"]');
    await expect.poll(() => text(page, 'standard-method'), WAIT).toContain(`按路网+地形通行时间计（自行车；${DEM_WEST}）`);
    // At the class speed uphill too, more rural people are within 30 minutes.
    expect(Number(await part.getAttribute('data-covered'))).toBeGreaterThan(uphill);
    await page.locator('[data-testid="terrain-settings"]').screenshot({ path: join(tmpdir(), 'terrain-settings-bicycle.png') });
    await page.locator('[data-testid="standard-line"]').screenshot({ path: join(tmpdir(), 'terrain-standard-bicycle.png') });
    // Back to the e-bike the rural part rode.
    await edit.locator('[data-testid="standard-edit-profile"]').selectOption('ebike');
    await page.click('[data-testid="standard-edit-save"]');
    await expect.poll(() => text(page, 'standard-method'), WAIT).toBe(byPart(DEM_WEST));
  });

  it('a reload brings back the profile, the model, the box and the method line', async () => {
    await page.waitForTimeout(1_000); // the autosave folds the journal shortly after a change
    await page.reload();
    await waitForMap(page, COUNTY);
    await expect.poll(() => text(page, 'ground-dem-facts'), WAIT).toContain('dem.tif（EPSG:4326');
    expect(await page.inputValue('[data-testid="travel-profile"]')).toBe('ebike');
    expect(await page.isChecked('[data-testid="bicycle-grades"]')).toBe(false);
    await expect.poll(() => text(page, 'standard-method'), WAIT).toBe(byPart(DEM_WEST));
    expect(harness.pageErrors).toEqual([]);
  });

  it('a model naming no coordinate system is read as degrees and says so under its facts, in both languages', async () => {
    await replaceGround(page, 'dem', silent);
    await expect
      .poll(() => text(page, 'ground-dem-facts'), WAIT)
      .toContain('no-crs.tif：该高程模型未声明坐标系；其范围为经纬度，已按经纬度（WGS 84）读取');
    // The same heights as dem.tif: the same side missed, the same figures.
    expect(await text(page, 'ground-dem-facts')).toContain('高程模型未覆盖东部，按平地计算');
    // The method line the verdicts stand on says it too, beside the file's name.
    await expect
      .poll(() => text(page, 'standard-method'), WAIT)
      .toBe(byPart('高程 no-crs.tif（未声明坐标系、按 WGS 84 经纬度读取），东部未覆盖按平地计算'));
    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => text(page, 'ground-dem-facts'), WAIT).toContain('no-crs.tif: the elevation model names no coordinate system');
    await page.click('[data-testid="language-switch"]');
    expect(harness.pageErrors).toEqual([]);
  });

  it('water over the whole county is questioned as perhaps the wrong layer; nobody is counted as covered', async () => {
    await page.setInputFiles('[data-testid="ground-water-file"]', lake);
    await expect
      .poll(() => text(page, 'ground-water-facts'), WAIT)
      .toContain('lake.geojson：水体占地形栅格的 100.0%：是否选错了图层（如把县界或流域面当作湖面）？其中的居民点无法离路到达');
    const covered = (tier: string) =>
      page.getAttribute(`[data-testid="coverage-table"] tr[data-tier="${tier}"] td[data-minutes="30"]`, 'data-covered').then(Number);
    await expect.poll(() => covered('township_centre'), WAIT).toBe(0);
    expect(await covered('village_clinic')).toBe(0);
  });

  it('a reservoir whose outline crosses itself is named by its number in the file, in both languages', async () => {
    await replaceGround(page, 'water', bowtie);
    await expect
      .poll(() => text(page, 'ground-water-facts'), WAIT)
      .toContain('bowtie.geojson：1 个水面的边界自相交（文件中第 2 个要素，从 1 起数），属无效多边形');
    await page.click('[data-testid="language-switch"]');
    await expect
      .poll(() => text(page, 'ground-water-facts'), WAIT)
      .toContain('bowtie.geojson: 1 water area(s) cross their own outline (feature no. 2 in the file, counting from 1)');
    await page.click('[data-testid="language-switch"]');
    await page.locator('[data-testid="ground-water-facts"]').screenshot({ path: join(tmpdir(), 'terrain-water-crossing.png') });
    expect(harness.pageErrors).toEqual([]);
  });
});
