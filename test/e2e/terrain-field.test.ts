/**
 * Issue 16, "the map shows the travel-time field itself": in terrain mode the map draws the field of the tier the
 * settlements are coloured by as one image under the settlements, with a legend in minutes from the field's own
 * stops; dragging a township centre redraws it. Minutes are read back from the pixels the map holds by inverting
 * the colour ramp here (linear between the stops the field came with), and checked against where the facilities
 * are: about 0 at a township centre, more where one was taken away.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = resolve(import.meta.dirname, '../../test-results/terrain-field');
const COUNTY = 'shangyou';

interface Stop {
  minutes: number;
  rgb: [number, number, number];
}
interface FieldOnMap {
  width: number;
  height: number;
  opaque: number;
  coordinates: [number, number][];
  visible: boolean;
  version: number;
  tier: string | null;
  stops: Stop[];
}
interface FacilityFeature {
  properties: { id: string; tier: string };
  geometry: { coordinates: [number, number] };
}
interface Hooks {
  travelField(): FieldOnMap | null;
  travelFieldPatch(lon: number, lat: number, radius: number): number[];
  findRendered(layer: string, id: string): { x: number; y: number } | null;
  facilities(): { features: FacilityFeature[] } | null;
  facility(id: string): FacilityFeature | null;
  view(): { lon: number; lat: number; zoom: number } | null;
  coverageStatus(): { version: number; error: string | null };
}
const hooks = (page: Page) => ({
  field: () => page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.travelField()),
  patch: (lon: number, lat: number, radius: number) =>
    page.evaluate(
      ([x, y, r]) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.travelFieldPatch(x!, y!, r!),
      [lon, lat, radius],
    ),
  coverageVersion: () => page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.coverageStatus().version),
});

/** The minutes a colour stands for on the ramp through `stops` (the nearest point of its segments), null if clear. */
function minutesOf(rgba: number[], stops: Stop[]): number | null {
  if (rgba[3] === 0) return null;
  let best = { distance: Infinity, minutes: NaN };
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1]!;
    const b = stops[i]!;
    const d = [0, 1, 2].map((k) => b.rgb[k]! - a.rgb[k]!);
    const p = [0, 1, 2].map((k) => rgba[k]! - a.rgb[k]!);
    const w = Math.min(1, Math.max(0, (p[0]! * d[0]! + p[1]! * d[1]! + p[2]! * d[2]!) / (d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2)));
    const distance = Math.hypot(...[0, 1, 2].map((k) => p[k]! - w * d[k]!));
    if (distance < best.distance) best = { distance, minutes: a.minutes + w * (b.minutes - a.minutes) };
  }
  return best.minutes;
}

/** The least minutes among the field's pixels within `radius` pixels of a place (null: none reached there). */
async function minutesNear(page: Page, lon: number, lat: number, radius: number, stops: Stop[]): Promise<number | null> {
  const data = await hooks(page).patch(lon, lat, radius);
  let least: number | null = null;
  for (let i = 0; i < data.length; i += 4) {
    const m = minutesOf(data.slice(i, i + 4), stops);
    if (m !== null && (least === null || m < least)) least = m;
  }
  return least;
}

/** The place under a screen point of the map (Web Mercator at MapLibre's 512-pixel world at zoom 0). */
function lonLatAt(view: { lon: number; lat: number; zoom: number }, dx: number, dy: number): [number, number] {
  const world = 512 * 2 ** view.zoom;
  const y = Math.log(Math.tan(Math.PI / 4 + (view.lat * Math.PI) / 360)) - (dy / world) * 2 * Math.PI;
  return [view.lon + (dx / world) * 360, (360 / Math.PI) * Math.atan(Math.exp(y)) - 90];
}

/** The screen point (from the map's top left) of a place, inverse of lonLatAt. */
function screenAt(view: { lon: number; lat: number; zoom: number }, box: { width: number; height: number }, lon: number, lat: number) {
  const world = 512 * 2 ** view.zoom;
  const y = (l: number) => Math.log(Math.tan(Math.PI / 4 + (l * Math.PI) / 360));
  return { x: box.width / 2 + ((lon - view.lon) / 360) * world, y: box.height / 2 - ((y(lat) - y(view.lat)) / (2 * Math.PI)) * world };
}

/** The place at the centre of pixel (px, py) of the field's image (Web Mercator rows, corners from the map's source). */
function placeOfPixel(field: FieldOnMap, px: number, py: number): [number, number] {
  const [[west, north], , [east, south]] = field.coordinates as [[number, number], unknown, [number, number]];
  const y = (l: number) => Math.log(Math.tan(Math.PI / 4 + (l * Math.PI) / 360));
  const my = y(north) + ((py + 0.5) / field.height) * (y(south) - y(north));
  return [west + ((px + 0.5) / field.width) * (east - west), (360 / Math.PI) * Math.atan(Math.exp(my)) - 90];
}

/**
 * A plane rising 5 m per 100 m eastwards (slope 0.05 in true metres at every latitude), over the county and well
 * beyond, as a geographic GeoTIFF made by GDAL from an ASCII grid.
 */
function tiltedPlane(dir: string): string {
  const [west, south, cell, nx, ny] = [113.7, 25.4, 0.001, 1200, 1000];
  const rows: string[] = [];
  for (let j = 0; j < ny; j++) {
    const lat = south + (ny - j - 0.5) * cell;
    const metresPerDegree = 111_320 * Math.cos((lat * Math.PI) / 180);
    const row = new Array<string>(nx);
    for (let i = 0; i < nx; i++) row[i] = (100 + 0.05 * (i + 0.5) * cell * metresPerDegree).toFixed(2);
    rows.push(row.join(' '));
  }
  const asc = join(dir, 'plane.asc');
  writeFileSync(
    asc,
    `ncols ${nx}\nnrows ${ny}\nxllcorner ${west}\nyllcorner ${south}\ncellsize ${cell}\nNODATA_value -9999\n${rows.join('\n')}\n`,
  );
  const tif = join(dir, 'tilted-plane.tif');
  execFileSync('gdal_translate', ['-q', '-of', 'GTiff', '-a_srs', 'EPSG:4326', '-ot', 'Float32', asc, tif]);
  return tif;
}

/** Tobler's pace on a slope relative to the flat (the independent formula: 6·e^(−3.5·|S + 0.05|) km/h). */
const toblerPace = (slope: number) => Math.exp(-3.5 * Math.abs(0.05)) / Math.exp(-3.5 * Math.abs(slope + 0.05));

describe('the travel-time field in terrain mode', () => {
  let harness: Harness;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="coverage-table"]', { state: 'attached' });
  });
  afterAll(async () => {
    await harness.close();
  });

  /** Whether the dataset worker has started the terrain search's second thread (workers/terrain.worker.ts). */
  const fieldThreadStarted = () => page.workers().some((w) => w.url().includes('terrain.worker'));

  it('draws no field outside terrain mode', async () => {
    expect(await hooks(page).field()).toBeNull();
    // The second thread starts with the first terrain computation, not before.
    expect(fieldThreadStarted()).toBe(false);
    expect(await page.locator('[data-testid="field-legend"]').count()).toBe(0);
    expect(await page.locator('[data-testid="field-toggle"]').count()).toBe(0);
  });

  it('draws the field of the colouring tier, about 0 minutes at each of its facilities, with a legend in minutes', async () => {
    await page.selectOption('[data-testid="colour-tier"]', 'township_centre');
    await page.click('[data-testid="mode-terrain"]');
    await expect.poll(async () => (await hooks(page).field())?.tier ?? null, { timeout: 60_000 }).toBe('township_centre');
    const field = (await hooks(page).field())!;
    expect(field.visible).toBe(true);
    expect(field.version).toBe(await hooks(page).coverageVersion());
    expect(fieldThreadStarted()).toBe(true);
    // Most of the raster is reached within the search's limit; beyond it (the far corners) the image is clear.
    expect(field.opaque / (field.width * field.height)).toBeGreaterThan(0.3);
    expect(field.opaque).toBeLessThan(field.width * field.height);
    expect(field.stops[0]!.minutes).toBe(0);
    expect(field.stops.map((s) => s.minutes)).toEqual(expect.arrayContaining([0, 15, 30]));

    // Each township centre sits on (nearly) 0 minutes: the image is where the map says it is.
    const centres = (await page.evaluate(() =>
      (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities(),
    ))!.features.filter((f) => f.properties.tier === 'township_centre');
    expect(centres.length).toBeGreaterThan(5);
    for (const c of centres) {
      const [lon, lat] = c.geometry.coordinates;
      expect(await minutesNear(page, lon, lat, 1, field.stops), c.properties.id).toBeLessThan(4);
    }

    // The legend: the field's first and last stops under the ramp, the unit in the reader's language.
    const legend = page.locator('[data-testid="field-legend"]');
    await expect.poll(() => legend.isVisible()).toBe(true);
    const ticks = await legend.locator('[data-minutes]').evaluateAll((spans) => spans.map((s) => s.textContent));
    expect(ticks[0]).toBe('0');
    expect(ticks.at(-1)).toBe(String(field.stops.at(-1)!.minutes));
    expect(await legend.textContent()).toContain('分钟');
    // Its title names the tier and the travel it was measured by (the scenario's profile).
    const profile = (await page.locator('[data-testid="travel-profile"] option:checked').textContent())!.trim();
    expect(await legend.textContent()).toContain(`出行时间面（乡镇卫生院，${profile}）`);
    await page.click('[data-testid="language-switch"]');
    expect(await legend.textContent()).toContain('min');
    await page.click('[data-testid="language-switch"]');
    await page.screenshot({ path: resolve(SHOTS, 'field.png') });
  });

  it('redraws the field when a township centre is dragged: about 0 minutes where it lands, more where it was', async () => {
    const before = (await hooks(page).field())!;
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    // Where every facility is drawn on screen.
    const drawn = await page.evaluate(() => {
      const h = (globalThis as unknown as { __healthshed: Hooks }).__healthshed;
      return h.facilities()!.features.map((f) => ({
        id: f.properties.id,
        tier: f.properties.tier,
        at: h.findRendered('facilities-symbol', f.properties.id),
      }));
    });
    // A centre well inside the map. Village clinics sit at the seats too, their icons (14 px, hit within 2 px of
    // padding: 9 px of their point) under the centre's (19 px: 11.5 px): the press lands on the centre's icon on its
    // side away from them, where only the centre is hit.
    const reach = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
    let picked: { id: string; from: { x: number; y: number } } | null = null;
    for (const c of drawn) {
      const at = c.at;
      if (c.tier !== 'township_centre' || !at || at.x < 200 || at.x > box.width - 200 || at.y < 200 || at.y > box.height - 200) continue;
      const near = drawn.filter((o) => o.id !== c.id && o.at && Math.hypot(o.at.x - at.x, o.at.y - at.y) < 30).map((o) => o.at!);
      const away = near.reduce((v, o) => ({ x: v.x + at.x - o.x, y: v.y + at.y - o.y }), { x: 0, y: 0 });
      const length = Math.hypot(away.x, away.y) || 1;
      for (let r = 0; r <= 10.5 && !picked; r += 0.5) {
        const press = { x: at.x + (r * away.x) / length, y: at.y + (r * away.y) / length };
        if (near.every((o) => reach(press, o) > 10)) picked = { id: c.id, from: press };
      }
      if (picked) break;
    }
    expect(picked, 'a township centre inside the map, pressable on its own').not.toBeNull();
    const { id, from } = picked!;
    const old = (await page.evaluate((fid) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facility(fid), id))!;
    const [oldLon, oldLat] = old.geometry.coordinates;
    const dx = from.x < box.width / 2 ? 140 : -140;
    const dy = from.y < box.height / 2 ? 100 : -100;
    const view = (await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.view()))!;
    const [toLon, toLat] = lonLatAt(view, from.x + dx - box.width / 2, from.y + dy - box.height / 2);
    const landingBefore = await minutesNear(page, toLon, toLat, 1, before.stops);
    expect(landingBefore ?? Infinity, 'the landing place is away from every township centre').toBeGreaterThan(8);

    await page.mouse.move(box.x + from.x, box.y + from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + from.x + dx / 2, box.y + from.y + dy / 2, { steps: 5 });
    await page.mouse.move(box.x + from.x + dx, box.y + from.y + dy, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await hooks(page).field())?.version ?? 0, { timeout: 60_000 }).toBeGreaterThan(before.version);
    await expect.poll(async () => (await hooks(page).field())!.version, { timeout: 60_000 }).toBe(await hooks(page).coverageVersion());

    const moved = (await page.evaluate((fid) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facility(fid), id))!;
    const [newLon, newLat] = moved.geometry.coordinates;
    expect(Math.hypot(newLon - toLon, newLat - toLat)).toBeLessThan(0.01);
    const after = (await hooks(page).field())!;
    expect(await minutesNear(page, newLon, newLat, 1, after.stops)).toBeLessThan(4);
    // Where the centre was, people now go further (or to another centre that was further away).
    expect((await minutesNear(page, oldLon, oldLat, 1, after.stops)) ?? Infinity).toBeGreaterThan(4);
    await page.screenshot({ path: resolve(SHOTS, 'field-after-drag.png') });
  });

  it('hides and shows the field with its toggle; the map image names the field in its legend while shown', async () => {
    await page.uncheck('[data-testid="field-toggle"]');
    await expect.poll(async () => (await hooks(page).field())?.visible).toBe(false);
    expect(await page.locator('[data-testid="field-legend"]').count()).toBe(0);
    await page.check('[data-testid="field-toggle"]');
    await expect.poll(async () => (await hooks(page).field())?.visible, { timeout: 60_000 }).toBe(true);
    const field = (await hooks(page).field())!;

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="map-image"]')]);
    await download.saveAs(resolve(SHOTS, 'map-image.png'));
    const legend = JSON.parse((await page.locator('[data-testid="map-image"]').getAttribute('data-legend'))!) as {
      title: string;
      labels: string[];
    }[];
    const group = legend.find((g) => g.title.startsWith('出行时间面'));
    expect(group, JSON.stringify(legend)).toBeDefined();
    expect(group!.labels).toEqual(field.stops.map((s) => `${s.minutes.toLocaleString('zh-CN')} 分钟`));
  });

  it('draws no field once the mode is network again', async () => {
    await page.click('[data-testid="mode-network"]');
    await expect.poll(async () => (await hooks(page).field())?.visible ?? false, { timeout: 60_000 }).toBe(false);
    expect(await page.locator('[data-testid="field-legend"]').count()).toBe(0);
    expect(harness.pageErrors).toEqual([]);
    expect(harness.externalRequests).toEqual([]);
  });
});

describe('the travel-time field over an elevation model: uphill is slower than downhill', () => {
  let harness: Harness;
  let page: Page;
  let dem: string;

  beforeAll(async () => {
    dem = tiltedPlane(mkdtempSync(join(tmpdir(), 'healthshed-dem-')));
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="coverage-table"]', { state: 'attached' });
  });
  afterAll(async () => {
    await harness.close();
  });

  /** Minutes along the image row of a place, at pixel offsets east (+) and west (−) of it. */
  async function rowMinutes(lon: number, lat: number, offsets: number[]): Promise<number[]> {
    const field = (await hooks(page).field())!;
    const radius = Math.max(...offsets.map(Math.abs));
    const data = await hooks(page).patch(lon, lat, radius);
    const side = 2 * radius + 1;
    return offsets.map((o) => {
      const at = (radius * side + radius + o) * 4;
      const m = minutesOf(data.slice(at, at + 4), field.stops);
      if (m === null) throw new Error(`nothing reached ${o} pixels from the place`);
      return m;
    });
  }
  /** Minutes walked per pixel towards the place from the west and from the east, between 4 and 10 pixels out. */
  async function paces(lon: number, lat: number): Promise<{ fromWest: number; fromEast: number }> {
    const [w10, w4, e4, e10] = await rowMinutes(lon, lat, [-10, -4, 4, 10]);
    return { fromWest: (w10! - w4!) / 6, fromEast: (e10! - e4!) / 6 };
  }

  it('a township centre added far from roads: as slow from the west as from the east on flat ground, slower uphill once the plane is loaded, and later downhill once it moves uphill', async () => {
    await page.selectOption('[data-testid="colour-tier"]', 'township_centre');
    await page.click('[data-testid="mode-terrain"]');
    await expect.poll(async () => (await hooks(page).field())?.tier ?? null, { timeout: 60_000 }).toBe('township_centre');
    let field = (await hooks(page).field())!;

    // The place furthest from any township centre in the middle of the county: far from roads too.
    const [cLon, cLat] = placeOfPixel(field, field.width / 2, field.height / 2);
    const radius = 150;
    const data = await hooks(page).patch(cLon, cLat, radius);
    let far = { i: 0, minutes: -1 };
    for (let i = 0; i < data.length; i += 4) {
      const m = minutesOf(data.slice(i, i + 4), field.stops);
      if (m !== null && m > far.minutes) far = { i: i / 4, minutes: m };
    }
    const side = 2 * radius + 1;
    const px = Math.floor(field.width / 2) - radius + (far.i % side);
    const py = Math.floor(field.height / 2) - radius + Math.floor(far.i / side);
    const [lon, lat] = placeOfPixel(field, px, py);
    expect(far.minutes).toBeGreaterThan(30);

    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const view = (await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.view()))!;
    const at = screenAt(view, box, lon, lat);
    const ids = new Set(
      (await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities()))!.features.map(
        (f) => f.properties.id,
      ),
    );
    let version = field.version;
    await page.click('[data-add-tier="township_centre"]');
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await expect.poll(async () => (await hooks(page).field())?.version ?? 0, { timeout: 60_000 }).toBeGreaterThan(version);
    await expect.poll(async () => (await hooks(page).field())!.version, { timeout: 60_000 }).toBe(await hooks(page).coverageVersion());
    const added = (await page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities()))!.features.find(
      (f) => !ids.has(f.properties.id),
    )!;
    expect(added.properties.tier).toBe('township_centre');
    const [fLon, fLat] = added.geometry.coordinates;
    expect(await minutesNear(page, fLon, fLat, 1, field.stops)).toBeLessThan(4);

    const flat = await paces(fLon, fLat);
    expect(flat.fromWest / flat.fromEast).toBeGreaterThan(0.9);
    expect(flat.fromWest / flat.fromEast).toBeLessThan(1.1);

    // The plane: walking to the centre from the west is uphill (slope +0.05), from the east downhill (−0.05).
    version = (await hooks(page).field())!.version;
    await page.setInputFiles('[data-testid="ground-dem-file"]', dem);
    await expect.poll(async () => (await hooks(page).field())?.version ?? 0, { timeout: 90_000 }).toBeGreaterThan(version);
    await expect.poll(async () => (await hooks(page).field())!.version, { timeout: 60_000 }).toBe(await hooks(page).coverageVersion());
    await page.screenshot({ path: resolve(SHOTS, 'field-dem.png') });
    const sloped = await paces(fLon, fLat);
    const expected = toblerPace(0.05) / toblerPace(-0.05); // 1.419
    expect(sloped.fromWest / sloped.fromEast).toBeGreaterThan(expected - 0.12);
    expect(sloped.fromWest / sloped.fromEast).toBeLessThan(expected + 0.12);
    expect(sloped.fromWest / flat.fromWest).toBeCloseTo(toblerPace(0.05), 1);

    // The centre dragged 30 px east, uphill: 8 pixels west of where it was, downhill of it, the minutes rise.
    const [before] = await rowMinutes(fLon, fLat, [-8]);
    field = (await hooks(page).field())!;
    version = field.version;
    const from = screenAt(view, box, fLon, fLat);
    await page.mouse.move(box.x + from.x, box.y + from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + from.x + 15, box.y + from.y, { steps: 5 });
    await page.mouse.move(box.x + from.x + 30, box.y + from.y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await hooks(page).field())?.version ?? 0, { timeout: 60_000 }).toBeGreaterThan(version);
    await expect.poll(async () => (await hooks(page).field())!.version, { timeout: 60_000 }).toBe(await hooks(page).coverageVersion());
    const moved = (await page.evaluate(
      (fid) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facility(fid),
      added.properties.id,
    ))!;
    expect(moved.geometry.coordinates[0]).toBeGreaterThan(fLon);
    const [after] = await rowMinutes(fLon, fLat, [-8]);
    expect(after! - before!).toBeGreaterThan(10);
    await page.screenshot({ path: resolve(SHOTS, 'field-dem-moved.png') });
    expect(harness.pageErrors).toEqual([]);
  });
});
