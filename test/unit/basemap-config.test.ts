/**
 * Basemap configuration: tile templates (XYZ, {s}, WMTS names), the tile under a point (against GDAL's own
 * Web Mercator), the deployment's basemap.json, and the build's policy with a tile server's origin, read back
 * by the app's check the way the browser enforces it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basemapOrigins, cspFor, CSP_DIRECTIVES } from '../../scripts/csp';
import { parseDeploymentConfig, templateOrigin, tileAt, tileUrls } from '../../src/app/map/basemap-config';
import { cspAllows } from '../../src/app/map/basemap-csp';
import { gdaltransform } from './gdal';

describe('tile URL templates', () => {
  it('takes XYZ, expands {s} and reads WMTS template names', () => {
    expect(tileUrls('http://gis.local/tiles/{z}/{x}/{y}.png')).toEqual({ ok: true, urls: ['http://gis.local/tiles/{z}/{x}/{y}.png'] });
    expect(tileUrls('https://{s}.tiles.local/{z}/{x}/{y}.png', 'ab')).toEqual({
      ok: true,
      urls: ['https://a.tiles.local/{z}/{x}/{y}.png', 'https://b.tiles.local/{z}/{x}/{y}.png'],
    });
    const wmts =
      'http://t{s}.tdt.local/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}';
    const parsed = tileUrls(wmts, '01234567');
    expect(parsed.ok && parsed.urls.length).toBe(8);
    expect(parsed.ok && parsed.urls[3]).toBe(
      'http://t3.tdt.local/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}',
    );
    expect(templateOrigin('http://gis.local:8080/geoserver/gwc/service/tms/1.0.0/x@EPSG:900913@png/{z}/{x}/{y}.png')).toBe(
      'http://gis.local:8080',
    );
  });

  it('refuses what is not an http(s) template with {z}, {x} and {y}', () => {
    for (const bad of [
      'ftp://gis.local/{z}/{x}/{y}.png',
      'http://gis.local/tiles/{z}/{x}.png',
      'gis.local/{z}/{x}/{y}',
      'javascript:alert(1)//{z}{x}{y}',
      '',
    ])
      expect(tileUrls(bad), bad).toMatchObject({ ok: false, error: { code: 'basemap_bad_url' } });
  });

  it('finds the tile under a point as GDAL’s Web Mercator places it', async () => {
    const points: [number, number][] = [
      [114.34, 25.93],
      [112.9, 35.02],
      [101.1, 38.78],
      [127.0, 42.4],
      [-0.1, 51.5],
    ];
    const metres = await gdaltransform('EPSG:4326', 'EPSG:3857', points);
    const HALF = 20037508.342789244;
    for (const [i, [lon, lat]] of points.entries())
      for (const z of [3, 9, 12, 15]) {
        const size = (2 * HALF) / 2 ** z;
        const [mx, my] = metres[i]!;
        expect(tileAt(lon, lat, z), `${lon},${lat} z${z}`).toEqual({
          x: Math.floor((mx + HALF) / size),
          y: Math.floor((HALF - my) / size),
        });
      }
  });
});

describe('basemap.json beside the build', () => {
  it('reads the default, the files and the timeout', () => {
    const { config, error } = parseDeploymentConfig({
      default: { kind: 'url', url: 'http://gis.local/{z}/{x}/{y}.png', attribution: '县自然资源局', tiles: 'raster', maxzoom: 17 },
      files: [{ url: 'basemap/county.pmtiles', label: '县域底图' }],
      timeoutSeconds: 5,
    });
    expect(error).toBeNull();
    expect(config.default).toEqual({
      kind: 'url',
      url: 'http://gis.local/{z}/{x}/{y}.png',
      attribution: '县自然资源局',
      tiles: 'raster',
      maxzoom: 17,
    });
    expect(config.files).toEqual([{ kind: 'deployed-file', url: 'basemap/county.pmtiles', label: '县域底图' }]);
    expect(config.timeoutSeconds).toBe(5);
  });

  it('names what is wrong and starts with no basemap where the default is unusable', () => {
    const { config, error } = parseDeploymentConfig({ default: { kind: 'wms' }, files: [42], timeoutSeconds: -1 });
    expect(config.default).toEqual({ kind: 'none' });
    expect(config.files).toEqual([]);
    expect(error).toMatchObject({ code: 'basemap_config_invalid', params: { detail: 'files[0], default, timeoutSeconds' } });
    expect(parseDeploymentConfig('nonsense').error?.code).toBe('basemap_config_invalid');
  });
});

describe('the policy of a build with a tile server', () => {
  const self = 'http://127.0.0.1:4173';

  it('names no remote origin by default, and only the configured one when set', () => {
    const plain = cspFor([]);
    expect(plain).not.toMatch(/https?:|\*/);
    expect(plain).toBe(
      Object.entries(CSP_DIRECTIVES)
        .map(([k, v]) => `${k} ${v}`)
        .join('; '),
    );
    const policy = cspFor(['http://gis.county.local:8080']);
    expect(policy).toContain("connect-src 'self' blob: data: http://gis.county.local:8080");
    expect(policy).toContain("img-src 'self' blob: data: http://gis.county.local:8080");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';"); // scripts never come from the tile server
    expect(cspAllows(policy, 'http://gis.county.local:8080/tiles/9/1/2.png', self)).toBe(true);
    for (const other of [
      'http://gis.county.local:8081/t.png',
      'https://gis.county.local:8080/t.png',
      'http://evil.local:8080/t.png',
      'https://tile.openstreetmap.org/0/0/0.png',
    ])
      expect(cspAllows(policy, other, self), other).toBe(false);
    expect(cspAllows(plain, `${self}/basemap/county.pmtiles`, self)).toBe(true);
    expect(cspAllows(plain, 'http://gis.county.local:8080/t.png', self)).toBe(false);
    expect(cspAllows(cspFor(['http://127.0.0.1:*']), 'http://127.0.0.1:9/t.png', self)).toBe(true);
  });

  it('takes origins from HEALTHSHED_BASEMAP_ORIGIN and public/basemap.json, and refuses anything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'healthshed-csp-'));
    try {
      const config = join(dir, 'basemap.json');
      writeFileSync(
        config,
        JSON.stringify({ default: { kind: 'url', url: 'https://{s}.tdt.local/{z}/{x}/{y}.png' }, files: [{ url: 'a.pmtiles' }] }),
      );
      expect(basemapOrigins('http://gis.local:8080, http://10.1.2.3', config)).toEqual([
        'http://gis.local:8080',
        'http://10.1.2.3',
        'https://a.tdt.local',
        'https://b.tdt.local',
        'https://c.tdt.local',
      ]);
      writeFileSync(config, JSON.stringify({ default: { kind: 'url', url: 'http://t{s}.tdt.local/{z}/{x}/{y}', subdomains: '012' } }));
      expect(basemapOrigins('', config)).toEqual(['http://t0.tdt.local', 'http://t1.tdt.local', 'http://t2.tdt.local']);
      expect(basemapOrigins(undefined, join(dir, 'absent.json'))).toEqual([]);
      for (const bad of ["http://gis.local; script-src 'unsafe-eval'", 'http://gis.local/path', '*', 'data:', 'gis.local'])
        expect(() => basemapOrigins(bad, join(dir, 'absent.json')), bad).toThrow(/not an http\(s\) origin/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
