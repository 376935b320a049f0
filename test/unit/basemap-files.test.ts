/**
 * The basemap file readers against what GDAL wrote: every tile of a raster and a vector MBTiles built here from
 * the county's own layers is read back by the app's reader byte for byte as Python's sqlite3 reads it (vector
 * tiles inflated by Node's zlib), with the zoom limits, bounds, layers and attribution of the file's metadata;
 * the PMTiles copies written by the spec-following test writer read back the same through the `pmtiles` package.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { PMTiles, zxyToTileId, type Source } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileKind, MBTILES_MAX_BYTES, mvtLayerNames, openMbtiles, openPmtiles, type TileArchive } from '../../src/app/map/basemap-files';
import {
  buildBasemapFixtures,
  RASTER_ATTRIBUTION,
  VECTOR_ATTRIBUTION_HTML,
  type BasemapFixtures,
  type MbtilesDump,
} from './basemap-fixtures';
import { hilbertTileId } from './pmtiles-writer';

let dir: string;
let files: BasemapFixtures;
let SQL: SqlJsStatic;
let raster: MbtilesDump;
let vector: MbtilesDump;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'healthshed-basemap-'));
  files = await buildBasemapFixtures(dir);
  SQL = await initSqlJs();
  ({ raster, vector } = files);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bytesSource(bytes: Uint8Array): Source {
  return {
    getKey: () => 'test',
    getBytes: async (offset: number, length: number) => ({ data: bytes.slice(offset, offset + length).buffer }),
  };
}

function mbtiles(path: string): TileArchive {
  const opened = openMbtiles(new Uint8Array(readFileSync(path)), SQL, 'file.mbtiles');
  if (!opened.ok) throw new Error(opened.error.code);
  return opened.archive;
}

async function pmtiles(path: string): Promise<TileArchive> {
  const opened = await openPmtiles(new PMTiles(bytesSource(new Uint8Array(readFileSync(path)))), 'file.pmtiles');
  if (!opened.ok) throw new Error(`${opened.error.code} ${JSON.stringify(opened.error.params)}`);
  return opened.archive;
}

const zoomRange = (dump: MbtilesDump) => ({ min: Math.min(...dump.tiles.map((t) => t.z)), max: Math.max(...dump.tiles.map((t) => t.z)) });

/** Every tile GDAL stored, as the reader gives it: rows are TMS in MBTiles, the reader is asked in XYZ. */
async function expectEveryTile(archive: TileArchive, dump: MbtilesDump, expected: (data: Buffer) => Buffer): Promise<void> {
  expect(dump.tiles.length).toBeGreaterThan(10);
  for (const t of dump.tiles) {
    const got = await archive.tile(t.z, t.x, 2 ** t.z - 1 - t.row);
    expect(got && Buffer.from(got).equals(expected(t.data)), `tile ${t.z}/${t.x}/${t.row}`).toBe(true);
  }
}

describe('MBTiles written by GDAL', () => {
  it('raster: every tile equals what sqlite3 reads, with the metadata of the file', async () => {
    const archive = mbtiles(files.rasterMbtiles);
    expect(archive.format).toBe(raster.metadata['format']);
    expect(archive.minzoom).toBe(Number(raster.metadata['minzoom']));
    expect(archive.maxzoom).toBe(Number(raster.metadata['maxzoom']));
    expect(zoomRange(raster)).toEqual({ min: archive.minzoom, max: archive.maxzoom });
    expect(archive.bounds).toEqual(raster.metadata['bounds']!.split(',').map(Number));
    expect(archive.attribution).toBe(RASTER_ATTRIBUTION);
    await expectEveryTile(archive, raster, (d) => d);
    // Outside the tiles: none (the map then draws nothing there).
    expect(await archive.tile(archive.maxzoom, 0, 0)).toBeNull();
    archive.close();
  });

  it('vector: tiles inflated from their gzip equal zlib’s, layers and attribution from the metadata', async () => {
    const archive = mbtiles(files.vectorMbtiles);
    expect(archive.format).toBe('pbf');
    const layers = (JSON.parse(vector.metadata['json']!) as { vector_layers: { id: string }[] }).vector_layers.map((l) => l.id);
    expect(archive.vectorLayers).toEqual(layers);
    expect(archive.attribution).toBe(VECTOR_ATTRIBUTION_HTML);
    expect([archive.minzoom, archive.maxzoom]).toEqual([Number(vector.metadata['minzoom']), Number(vector.metadata['maxzoom'])]);
    await expectEveryTile(archive, vector, (d) => gunzipSync(d));
    // The MVT layers of a tile are among those the metadata lists, read by field number from the bytes.
    const densest = vector.tiles.reduce((a, b) => (b.data.length > a.data.length ? b : a));
    const names = await mvtLayerNames(gunzipSync(densest.data));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(layers).toContain(name);
    archive.close();
  });

  it('refuses a file over the size limit before opening it, and a damaged one with a code', () => {
    const big = openMbtiles(new Uint8Array(MBTILES_MAX_BYTES + 1), SQL, 'big.mbtiles');
    expect(big.ok ? null : big.error.code).toBe('basemap_file_too_large');
    const cut = new Uint8Array(readFileSync(files.rasterMbtiles)).subarray(0, 3000);
    const damaged = openMbtiles(cut, SQL, 'cut.mbtiles');
    expect(damaged.ok ? null : damaged.error.code).toBe('basemap_file_damaged');
    const notSqlite = openMbtiles(new TextEncoder().encode('hello, this is not a database'), SQL, 'x.mbtiles');
    expect(notSqlite.ok ? null : notSqlite.error.code).toBe('basemap_file_damaged');
  });
});

describe('PMTiles from the spec-following writer', () => {
  it('tile ids follow the same Hilbert curve as the pmtiles package', () => {
    for (let z = 0; z <= 9; z++)
      for (let k = 0; k < 40; k++) {
        const n = 2 ** z;
        const x = (k * 7919 + z) % n;
        const y = (k * 104729 + 3 * z) % n;
        expect(hilbertTileId(z, x, y), `${z}/${x}/${y}`).toBe(zxyToTileId(z, x, y));
      }
  });

  it('raster: every tile and the metadata read back through the pmtiles package', async () => {
    const archive = await pmtiles(files.rasterPmtiles);
    expect(archive.container).toBe('pmtiles');
    expect(archive.format).toBe('png');
    expect(zoomRange(raster)).toEqual({ min: archive.minzoom, max: archive.maxzoom });
    expect(archive.attribution).toBe(RASTER_ATTRIBUTION);
    const [w, s, e, n] = raster.metadata['bounds']!.split(',').map(Number) as [number, number, number, number];
    const b = archive.bounds!;
    for (const [got, want] of [
      [b[0], w],
      [b[1], s],
      [b[2], e],
      [b[3], n],
    ] as const)
      expect(Math.abs(got - want)).toBeLessThan(1e-6);
    await expectEveryTile(archive, raster, (d) => d);
  });

  it('vector: gzipped tiles come back inflated, with the layers of the metadata', async () => {
    const archive = await pmtiles(files.vectorPmtiles);
    expect(archive.format).toBe('pbf');
    expect(archive.vectorLayers).toEqual(['townships', 'roads']);
    await expectEveryTile(archive, vector, (d) => gunzipSync(d));
  });

  it('tells the two containers apart by their first bytes', () => {
    const head = (path: string) => new Uint8Array(readFileSync(path)).subarray(0, 16);
    expect(fileKind(head(files.rasterMbtiles))).toBe('mbtiles');
    expect(fileKind(head(files.vectorPmtiles))).toBe('pmtiles');
    expect(fileKind(new TextEncoder().encode('{"type":"FeatureCollection"}'))).toBeNull();
  });
});
