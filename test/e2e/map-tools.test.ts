import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

/**
 * The map's tool strip as a planner uses it on 上犹县: it sits above the map (covering no label or suggestion),
 * measures distances and areas that GDAL's SpatiaLite (ellipsoidal ST_Length / ST_Area) agrees with, and saves
 * the view as an image with its legend and scale in the chosen language.
 */
const WAIT = { timeout: 20_000, interval: 200 };
const SHOTS = resolve(import.meta.dirname, '../../test-results/map-tools');

type Hooks = {
  sourceFeatures(id: string): Promise<{ geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[]>;
  view(): { lon: number; lat: number; zoom: number };
};

/** GDAL's own measure (SpatiaLite on the WGS 84 ellipsoid) of one geometry: [length or area, perimeter]. */
function gdalMeasure(geometry: object, sql: string): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'measure-'));
  const file = join(dir, 'g.geojson');
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry }] }));
  const out = execFileSync('ogrinfo', ['-q', '-dialect', 'SQLite', '-sql', sql, file], { encoding: 'utf8' });
  return [...out.matchAll(/\(Real\) = ([-\d.e+]+)/g)].map((m) => Number(m[1]));
}

/** Web-mercator: where a screen pixel of the map falls, from the map's centre and zoom (512-pixel tiles). */
function unproject(view: { lon: number; lat: number; zoom: number }, dx: number, dy: number): [number, number] {
  const world = 512 * 2 ** view.zoom;
  const cx = ((view.lon + 180) / 360) * world;
  const cy = ((1 - Math.log(Math.tan(Math.PI / 4 + (view.lat * Math.PI) / 360)) / Math.PI) / 2) * world;
  const x = cx + dx;
  const y = cy + dy;
  const lon = (x / world) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / world))) * 180) / Math.PI;
  return [lon, lat];
}

async function vertices(page: Page): Promise<[number, number][]> {
  const features = await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.sourceFeatures('measure'));
  return features.filter((f) => f.properties['role'] === 'vertex').map((f) => f.geometry.coordinates as [number, number]);
}

describe('the map tool strip on 上犹县', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
    await page.click('[data-testid="tab-coverage"]');
    await page.waitForSelector('[data-testid="coverage-table"]');
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('sits above the map, so it covers neither a label nor a suggestion', async () => {
    const strip = (await page.locator('[data-testid="edit-toolbar"]').boundingBox())!;
    const map = (await page.locator('[data-testid="map"]').boundingBox())!;
    expect(strip.width).toBeGreaterThan(0);
    // The strip ends where the map begins: nothing drawn on the map is under it.
    expect(strip.y + strip.height).toBeLessThanOrEqual(map.y + 0.5);
    // Adding a facility still works from the strip: the button arms the tool, Esc disarms it.
    const add = page.locator('[data-add-tier="village_clinic"]');
    await add.click();
    await expect.poll(() => add.getAttribute('class'), WAIT).toContain('active');
    await page.keyboard.press('Escape');
    await expect.poll(() => add.getAttribute('class'), WAIT).not.toContain('active');
  });

  it('measures a distance point by point, as GDAL measures the same path on the ellipsoid', async () => {
    const map = (await page.locator('[data-testid="map"]').boundingBox())!;
    const view = await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.view());
    await page.click('[data-testid="measure-length"]');
    const clicks = [
      [300, 250],
      [650, 330],
      [820, 620],
      [900, 640],
    ];
    for (const [x, y] of clicks) await page.mouse.click(map.x + x!, map.y + y!);
    // Backspace takes the last point back; Enter finishes.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    const result = page.locator('[data-testid="measure-result"][data-finished="true"]');
    await result.waitFor(WAIT);
    const points = await vertices(page);
    expect(points).toHaveLength(3);
    // Each vertex is where the planner clicked (web-mercator from the view, within a pixel's width).
    const metresPerPixel = (40_075_016.686 * Math.cos((view.lat * Math.PI) / 180)) / (512 * 2 ** view.zoom);
    points.forEach(([lon, lat], k) => {
      const [ex, ey] = unproject(view, clicks[k]![0]! - map.width / 2, clicks[k]![1]! - map.height / 2);
      const dx = (lon - ex) * 111_320 * Math.cos((lat * Math.PI) / 180);
      const dy = (lat - ey) * 110_574;
      expect(Math.hypot(dx, dy)).toBeLessThan(1.5 * metresPerPixel);
    });
    const [gdalLength] = gdalMeasure({ type: 'LineString', coordinates: points }, 'SELECT ST_Length(geometry, 1) AS el FROM g');
    const shown = Number(await result.getAttribute('data-length'));
    expect(Math.abs(shown - gdalLength!) / gdalLength!).toBeLessThan(1e-6);
    // The text says it in kilometres with the unit of the language.
    expect(await result.textContent()).toContain(`${(gdalLength! / 1000).toFixed(1)}`);
    expect(await result.textContent()).toContain('公里');
    await page.screenshot({ path: resolve(SHOTS, 'length-zh.png') });
  });

  it('measures an area by double-clicking to close it, as GDAL measures the polygon; Esc clears it', async () => {
    const map = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.click('[data-testid="measure-area"]');
    for (const [x, y] of [
      [420, 220],
      [760, 260],
      [700, 560],
    ])
      await page.mouse.click(map.x + x!, map.y + y!);
    await page.mouse.dblclick(map.x + 450, map.y + 520);
    const result = page.locator('[data-testid="measure-result"][data-finished="true"]');
    await result.waitFor(WAIT);
    const points = await vertices(page);
    expect(points).toHaveLength(4); // the double-click's two clicks make one point
    const [area, perimeter] = gdalMeasure(
      { type: 'Polygon', coordinates: [[...points, points[0]!]] },
      'SELECT ST_Area(geometry, 1) AS a, ST_Perimeter(geometry, 1) AS p FROM g',
    );
    // SpatiaLite's spheroid area is lwgeom's series approximation, within ~3e-5 of GeographicLib's exact one.
    expect(Math.abs(Number(await result.getAttribute('data-area')) - area!) / area!).toBeLessThan(1e-4);
    expect(Math.abs(Number(await result.getAttribute('data-length')) - perimeter!) / perimeter!).toBeLessThan(1e-6);
    expect(await result.textContent()).toContain('平方公里');
    await page.screenshot({ path: resolve(SHOTS, 'area-zh.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => vertices(page), WAIT).toHaveLength(0);
  });

  it('saves the map view as a PNG with title, legend and scale, in the language of the UI', async () => {
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await page.click('.lang');
      await page.waitForFunction((l) => document.querySelector('.shell')?.getAttribute('data-lang') === l, lang);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="map-image"]')]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^healthshed-shangyou-${lang}-view-\\d{4}-\\d{2}-\\d{2}\\.png$`));
      const file = resolve(SHOTS, `view-${lang}.png`);
      await download.saveAs(file);
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      const map = (await page.locator('[data-testid="map"]').boundingBox())!;
      // The map at twice its pixels, with the title above and the legend below it.
      expect(width).toBe(Math.round(map.width * 2));
      expect(height).toBeGreaterThan(map.height * 2 + 150);
      const legend = JSON.parse((await page.locator('[data-testid="map-image"]').getAttribute('data-legend'))!) as {
        title: string;
        labels: string[];
      }[];
      const labels = legend.flatMap((g) => g.labels);
      // What the map draws is in the legend, in the UI's language.
      expect(labels).toContain(lang === 'zh' ? '县界' : 'County outline');
      expect(labels).toContain(lang === 'zh' ? '乡镇卫生院' : 'Township health centre');
      expect(labels.some((l) => (lang === 'zh' ? /≤ 15 分钟/ : /≤ 15 min/).test(l))).toBe(true);
    }
    // A layer switched off leaves the legend.
    await page.click('[data-testid="tab-layers"]');
    await page.locator('input[data-layer="roads"]').uncheck();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="map-image"]')]);
    await download.saveAs(resolve(SHOTS, 'view-no-roads.png'));
    const legend = JSON.parse((await page.locator('[data-testid="map-image"]').getAttribute('data-legend'))!) as { labels: string[] }[];
    expect(legend.flatMap((g) => g.labels)).not.toContain('village road');
    expect(legend.flatMap((g) => g.labels)).toContain('County outline');
  });
});
