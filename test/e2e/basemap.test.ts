/**
 * The offline basemap in the built app. The files are built here from 上犹县's own layers with GDAL (a raster
 * and a vector MBTiles, and PMTiles copies by the spec-following test writer); a loopback tile server serves
 * the raster tiles as XYZ, plus paths that answer 404, 403 or never. The built app is served as an intranet
 * admin would deploy it: a basemap.json beside index.html naming the tile server and a PMTiles file, and the
 * policy of a build with HEALTHSHED_BASEMAP_ORIGIN set to the tile server (scripts/csp.ts's own `cspFor`). The
 * external-request guard stays on: nothing may leave localhost.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspFor } from '../../scripts/csp';
import { buildBasemapFixtures, RASTER_ATTRIBUTION, VECTOR_ATTRIBUTION_TEXT, type BasemapFixtures } from '../unit/basemap-fixtures';
import { renderedCounts, startHarness, waitForMap, type Harness } from './harness';

const DIST = resolve(process.env.HEALTHSHED_DIST ?? 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};
const XYZ_ATTRIBUTION = '回环瓦片服务 · 上犹县测试';

let harness: Harness;
let page: Page;
let dir: string;
let files: BasemapFixtures;
let tileServer: Server;
let appServer: Server;
let tileOrigin: string;
let appUrl: string;
const tileRequests: string[] = [];
const listen = (server: Server) =>
  new Promise<number>((done) => server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)));

/** A file with byte ranges (PMTiles reads its archive by range). */
function sendFile(req: IncomingMessage, res: ServerResponse, path: string, type: string, headers: Record<string, string> = {}): void {
  const body = readFileSync(path);
  const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
    res.writeHead(206, {
      ...headers,
      'content-type': type,
      'content-range': `bytes ${start}-${end}/${body.length}`,
      'content-length': end - start + 1,
    });
    return void res.end(body.subarray(start, end + 1));
  }
  res.writeHead(200, { ...headers, 'content-type': type, 'content-length': body.length });
  res.end(body);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'healthshed-basemap-e2e-'));
  // GDAL builds the files while the page loads; whatever needs them (the deployment's basemap.json too, so the
  // app checks no server before its tiles exist) waits for them.
  const building = buildBasemapFixtures(dir);
  const ready = building.then((built) => {
    files = built;
    const key = (t: { z: number; x: number; row: number }) => `${t.z}/${t.x}/${2 ** t.z - 1 - t.row}`;
    return {
      tiles: new Map(built.raster.tiles.map((t) => [key(t), t.data])),
      vectorTiles: new Map(built.vector.tiles.map((t) => [key(t), gunzipSync(t.data)])),
    };
  });
  let onceServed = false;

  tileServer = createServer((req, res) => void ready.then(({ tiles, vectorTiles }) => serveTile(req, res, tiles, vectorTiles)));
  function serveTile(req: IncomingMessage, res: ServerResponse, tiles: Map<string, Buffer>, vectorTiles: Map<string, Buffer>): void {
    const url = req.url ?? '';
    tileRequests.push(url);
    const m = /^\/(tiles|missing|key|slow|once|mvt)\/(\d+)\/(\d+)\/(\d+)\.(png|pbf)$/.exec(url);
    const cors = { 'access-control-allow-origin': '*' };
    if (!m) return void res.writeHead(404, cors).end();
    if (m[1] === 'slow') return; // never answers
    if (m[1] === 'key') return void res.writeHead(403, cors).end('key required');
    if (m[1] === 'mvt') {
      const tile = vectorTiles.get(`${m[2]}/${m[3]}/${m[4]}`);
      return void res.writeHead(tile ? 200 : 204, { ...cors, 'content-type': 'application/x-protobuf' }).end(tile);
    }
    // Answers the app's check of one tile, then fails every tile the map asks for.
    if (m[1] === 'once' && onceServed) return void res.writeHead(500, cors).end();
    if (m[1] === 'once') onceServed = true;
    const tile = m[1] === 'tiles' || m[1] === 'once' ? tiles.get(`${m[2]}/${m[3]}/${m[4]}`) : undefined;
    if (!tile) return void res.writeHead(404, cors).end();
    res.writeHead(200, { ...cors, 'content-type': 'image/png' }).end(tile);
  }
  tileOrigin = `http://127.0.0.1:${await listen(tileServer)}`;

  // The policy a build with HEALTHSHED_BASEMAP_ORIGIN=<tile server> carries, in place of the default one.
  const policy = cspFor([tileOrigin]);
  const config = {
    default: {
      kind: 'url',
      url: `${tileOrigin}/tiles/{z}/{x}/{y}.png`,
      tiles: 'raster',
      attribution: XYZ_ATTRIBUTION,
      minzoom: 9,
      maxzoom: 11,
    },
    files: [
      { url: 'basemap/shangyou-vector.pmtiles', label: '上犹县矢量底图（部署目录）' },
      { url: 'basemap/shangyou-raster.mbtiles', label: '上犹县栅格底图（部署目录）' },
    ],
    timeoutSeconds: 4,
  };
  appServer = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers = { 'content-security-policy': policy };
    if (path === '/basemap.json' || path.startsWith('/basemap/')) return void ready.then(() => serveBasemap(req, res, path, headers));
    serveApp(req, res, path, headers);
  });
  function serveBasemap(req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string>): void {
    if (path === '/basemap.json')
      return void res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(config));
    if (path === '/basemap/shangyou-vector.pmtiles') return sendFile(req, res, files.vectorPmtiles, 'application/octet-stream', headers);
    if (path === '/basemap/shangyou-raster.mbtiles') return sendFile(req, res, files.rasterMbtiles, 'application/octet-stream', headers);
    res.writeHead(404, headers).end();
  }
  function serveApp(req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string>): void {
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return void res.writeHead(404, headers).end();
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) {
      const html = readFileSync(file, 'utf8');
      // The meta tag carries the policy with its quotes escaped as Vite writes attributes.
      const attr = (text: string) => text.replaceAll("'", '&#39;');
      const built = attr(cspFor([]));
      if (!html.includes(built)) return void res.writeHead(500).end('the built page does not carry the default policy of scripts/csp.ts');
      return void res.writeHead(200, { ...headers, 'content-type': type }).end(html.replace(built, attr(policy)));
    }
    sendFile(req, res, file, type, headers);
  }
  appUrl = `http://127.0.0.1:${await listen(appServer)}`;

  harness = await startHarness({ fullResolutionMap: true }); // counts the basemap's pixels
  page = await harness.newPage('/favicon.svg'); // a context with the guard; the app comes from the deployment above
  await page.goto(`${appUrl}/?tab=layers`);
  await Promise.all([waitForMap(page, 'shangyou'), building]);
});

afterAll(async () => {
  await harness?.close();
  await new Promise((done) => tileServer?.close(done));
  appServer?.closeAllConnections();
  await new Promise((done) => appServer?.close(done));
  tileServer?.closeAllConnections();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const panel = () => page.locator('[data-testid="basemap-panel"]');

async function waitShown(): Promise<void> {
  await page
    .waitForSelector('[data-testid="basemap-panel"][data-status="shown"]', { timeout: 15_000, state: 'attached' })
    .catch(async (error: unknown) => {
      throw new Error(
        `basemap not shown: ${await panel().innerText()} / ${await page.locator('[data-testid="basemap-note"]').allInnerTexts()}`,
        { cause: error },
      );
    });
  await page.waitForFunction(() => (globalThis as unknown as { __healthshed: { isIdle(): boolean } }).__healthshed.isIdle(), undefined, {
    timeout: 15_000,
    polling: 200,
  });
}

/** Pixels of the drawn map within `tolerance` of a colour (the map keeps its drawing buffer). */
function pixelsNear(rgb: [number, number, number], tolerance = 12): Promise<number> {
  return page.evaluate(
    ([r, g, b, t]) => {
      const gl = document.querySelector<HTMLCanvasElement>('[data-testid="map"] canvas')!;
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [gl.width, gl.height];
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(gl, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs(data[i]! - r!) <= t! && Math.abs(data[i + 1]! - g!) <= t! && Math.abs(data[i + 2]! - b!) <= t!) n++;
      return n;
    },
    [...rgb, tolerance],
  );
}

const attributionText = () => page.locator('.maplibregl-ctrl-attrib').innerText();
// The raster basemap's township fill, burnt by gdal_rasterize (190, 225, 190).
const RASTER_GREEN: [number, number, number] = [190, 225, 190];

async function setAppLayers(on: boolean): Promise<void> {
  for (const layer of ['townships', 'roads', 'population', 'facilities']) {
    const box = page.locator(`input[data-layer="${layer}"]`);
    if ((await box.isChecked()) !== on) await box.click();
  }
}

describe('basemap', () => {
  it('draws the deployment’s tile server under the county, with the attribution the admin gave', async () => {
    await waitShown();
    expect(tileRequests.some((u) => u.startsWith('/tiles/'))).toBe(true);
    expect(await attributionText()).toContain(XYZ_ATTRIBUTION);
    await setAppLayers(false); // the app's own fills would cover the basemap
    await page.waitForTimeout(300);
    expect(await pixelsNear(RASTER_GREEN)).toBeGreaterThan(20_000);
    await expect.poll(() => panel().getAttribute('data-status')).toBe('shown');
  });

  it('draws a dropped raster MBTiles and PMTiles, with the attribution from the file', async () => {
    await setAppLayers(false);
    await page.locator('input[name="basemap-mode"][value="file"]').check();
    const before = tileRequests.length;
    for (const file of [files.rasterMbtiles, files.rasterPmtiles]) {
      await page.locator('[data-testid="basemap-file"]').setInputFiles(file);
      await waitShown();
      await expect.poll(() => page.locator('[data-testid="basemap-shown"]').innerText()).toContain(file.split('/').pop()!);
      expect(await page.locator('[data-testid="basemap-source"]').innerText()).toContain(RASTER_ATTRIBUTION);
      expect(await attributionText()).toContain(RASTER_ATTRIBUTION);
      expect(await pixelsNear(RASTER_GREEN)).toBeGreaterThan(20_000);
    }
    expect(tileRequests.length, 'a file basemap asks no server').toBe(before);
    // An MBTiles beside the build, listed in basemap.json: read whole from the app's own origin.
    await page.locator('label', { hasText: '上犹县栅格底图（部署目录）' }).locator('input').check();
    await expect.poll(() => page.locator('[data-testid="basemap-shown"]').innerText()).toContain('上犹县栅格底图（部署目录）');
    await waitShown();
    expect(await attributionText()).toContain(RASTER_ATTRIBUTION);
    expect(await pixelsNear(RASTER_GREEN)).toBeGreaterThan(20_000);
  });

  it('draws vector tiles (MBTiles dropped, PMTiles beside the build) in the plain style, attribution as text', async () => {
    // The plain style draws the county's roads (a layer named "roads") in #a8a29e.
    const ROAD_GREY: [number, number, number] = [168, 162, 158];
    await setAppLayers(false);
    const blank = await pixelsNear(ROAD_GREY, 6);
    await page.locator('input[name="basemap-mode"][value="file"]').check();
    await page.locator('[data-testid="basemap-file"]').setInputFiles(files.vectorMbtiles);
    await waitShown();
    expect(await pixelsNear(ROAD_GREY, 6)).toBeGreaterThan(blank + 500);
    await page.locator('label', { hasText: '上犹县矢量底图（部署目录）' }).locator('input').check();
    await expect.poll(() => page.locator('[data-testid="basemap-shown"]').innerText()).toContain('上犹县矢量底图（部署目录）');
    await waitShown();
    expect(await pixelsNear(ROAD_GREY, 6)).toBeGreaterThan(blank + 500);
    expect(await attributionText()).toContain(VECTOR_ATTRIBUTION_TEXT);
    // The same vector tiles from a tile server: their layers are read from the tile the app checks first.
    await page.locator('input[name="basemap-mode"][value="url"]').check();
    await page.locator('[data-testid="basemap-url"]').fill(`${tileOrigin}/mvt/{z}/{x}/{y}.pbf`);
    await page.locator('[data-testid="basemap-tiles"]').selectOption('vector');
    await page.locator('[data-testid="basemap-attribution"]').fill('回环矢量瓦片');
    await page.locator('[data-testid="basemap-apply"]').click();
    await waitShown();
    expect(await pixelsNear(ROAD_GREY, 6)).toBeGreaterThan(blank + 500);
    expect(tileRequests.filter((u) => u.startsWith('/mvt/')).length).toBeGreaterThan(1);
    await page.locator('[data-testid="basemap-tiles"]').selectOption('raster'); // the failures below are raster servers
    expect(await page.locator('.maplibregl-ctrl-attrib a[href*="example.invalid"]').count(), 'no link from the file’s HTML').toBe(0);
  });

  it('says why a tile server is missing (404, a key, no answer, not allowed) and the county still draws', async () => {
    await setAppLayers(true);
    await page.locator('input[name="basemap-mode"][value="url"]').check();
    const cases: [string, string, RegExp][] = [
      [`${tileOrigin}/missing/{z}/{x}/{y}.png`, 'basemap_http', /404/],
      [`${tileOrigin}/key/{z}/{x}/{y}.png`, 'basemap_auth', /403/],
      [`${tileOrigin}/slow/{z}/{x}/{y}.png`, 'basemap_timeout', /4 秒内未响应/],
      [`${tileOrigin}/once/{z}/{x}/{y}.png`, 'basemap_tiles_failed', /瓦片无法加载/],
      ['http://127.0.0.1:9/tiles/{z}/{x}/{y}.png', 'basemap_not_allowed', /管理员/],
    ];
    for (const [url, code, words] of cases) {
      await page.locator('[data-testid="basemap-url"]').fill(url);
      await page.locator('[data-testid="basemap-apply"]').click();
      const note = page.locator(`[data-testid="basemap-note"][data-code="${code}"]`);
      await note.waitFor({ timeout: 10_000 });
      expect(await note.innerText()).toMatch(words);
      expect(await note.innerText()).toContain(code.toUpperCase());
    }
    // No basemap source left on the map, and the county's own layers all drawn.
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid="basemap-shown"]').length)).toBe(0);
    const counts = await renderedCounts(page);
    expect(counts['boundary-line']).toBeGreaterThan(0);
    expect(counts['townships-fill']).toBeGreaterThan(0);
    expect(counts['facilities-symbol']).toBeGreaterThan(0);
    expect(tileRequests.some((u) => u.startsWith('/slow/'))).toBe(true);
    // The note follows the language.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-testid="basemap-note"]').innerText())
      .toMatch(/No basemap: .*security policy does not allow http:\/\/127\.0\.0\.1:9.*the admin must add it/);
    // The planner's choice is kept in this browser (the last one tried).
    const saved = await page.evaluate(() => localStorage.getItem('healthshed.basemap'));
    expect(JSON.parse(saved!)).toMatchObject({ kind: 'url', url: 'http://127.0.0.1:9/tiles/{z}/{x}/{y}.png' });
  });

  it('made no request that left localhost, and threw no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
