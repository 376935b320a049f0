/**
 * Single-file basemaps built from a county's own layers with GDAL (Debian gdal-bin), for the basemap tests: a
 * raster MBTiles (roads and townships burnt into an RGB GeoTIFF, `gdal_translate -of MBTILES`, overviews with
 * `gdaladdo`), a vector MBTiles (`ogr2ogr -f MBTILES`, gzipped MVT), an attribution written into each with
 * Python's sqlite3 (which also reads every tile back for the tests), and PMTiles copies of both written by ./pmtiles-writer.ts. Small: a few dozen tiles each.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writePmtiles } from './pmtiles-writer';

export const RASTER_ATTRIBUTION = '上犹县道路与乡镇 · GDAL 栅格测试底图';
// HTML as real MBTiles often carry it: the app shows its text only.
export const VECTOR_ATTRIBUTION_HTML = '<a href="https://example.invalid/">上犹县矢量测试底图 &copy; GDAL</a>';
export const VECTOR_ATTRIBUTION_TEXT = '上犹县矢量测试底图 © GDAL';

export interface MbtilesDump {
  metadata: Record<string, string>;
  /** Rows as stored: TMS rows (from the south), bytes as written. */
  tiles: { z: number; x: number; row: number; data: Buffer }[];
}

const exec = promisify(execFile);

/** A tool's standard output; asynchronous so the test's own servers keep answering while GDAL works. */
async function run(command: string, args: string[]): Promise<string> {
  try {
    return (await exec(command, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    throw new Error(
      `${command} ${args[0] ?? ''} … failed (GDAL comes with Debian gdal-bin, scripts/system-deps.sh): ${String((error as { stderr?: string }).stderr ?? error)}`,
      { cause: error },
    );
  }
}

/**
 * Writes each file's attribution and reads back every tile and metadata row, with Python's sqlite3 (not the
 * app's reader), in one process (Python starts slowly on a busy machine).
 */
async function attributeAndDump(entries: { path: string; attribution: string }[]): Promise<MbtilesDump[]> {
  const script = `
import sqlite3, json, base64, sys
out = []
for path, text in json.loads(sys.argv[1]):
    c = sqlite3.connect(path)
    c.execute("DELETE FROM metadata WHERE name = 'attribution'")
    c.execute("INSERT INTO metadata (name, value) VALUES ('attribution', ?)", (text,))
    c.commit()
    meta = dict(c.execute('SELECT name, value FROM metadata').fetchall())
    tiles = [[z, x, y, base64.b64encode(d).decode()] for z, x, y, d in c.execute('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles')]
    out.append({'metadata': meta, 'tiles': tiles})
    c.close()
print(json.dumps(out))
`;
  const arg = JSON.stringify(entries.map((e) => [e.path, e.attribution]));
  const out = await run('/usr/bin/python3', ['-c', script, arg]);
  const parsed = JSON.parse(out) as { metadata: Record<string, string>; tiles: [number, number, number, string][] }[];
  return parsed.map((p) => ({
    metadata: p.metadata,
    tiles: p.tiles.map(([z, x, row, b64]) => ({ z, x, row, data: Buffer.from(b64, 'base64') })),
  }));
}

function toPmtiles(dump: MbtilesDump, tileType: number, tileCompression: number): Uint8Array {
  const bounds = dump.metadata['bounds']!.split(',').map(Number) as [number, number, number, number];
  let vectorLayers: unknown = undefined;
  if (dump.metadata['json']) vectorLayers = (JSON.parse(dump.metadata['json']) as { vector_layers?: unknown }).vector_layers;
  return writePmtiles({
    tiles: dump.tiles.map((t) => ({ z: t.z, x: t.x, y: 2 ** t.z - 1 - t.row, data: t.data })),
    tileType,
    tileCompression,
    bounds,
    metadata: {
      name: dump.metadata['name'],
      attribution: dump.metadata['attribution'],
      ...(vectorLayers ? { vector_layers: vectorLayers } : {}),
    },
  });
}

export interface BasemapFixtures {
  rasterMbtiles: string;
  vectorMbtiles: string;
  rasterPmtiles: string;
  vectorPmtiles: string;
  /** The two MBTiles as sqlite3 reads them. */
  raster: MbtilesDump;
  vector: MbtilesDump;
}

/** Builds the four files for a county (its data/<county>/*.fgb) in `dir`. */
export async function buildBasemapFixtures(dir: string, county = 'shangyou'): Promise<BasemapFixtures> {
  mkdirSync(dir, { recursive: true });
  const data = resolve('data', county);
  const ogr = await run('ogrinfo', ['-so', '-al', join(data, 'boundary.fgb')]);
  const m = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(ogr);
  if (!m) throw new Error(`no extent in ogrinfo's answer for ${county}`);
  const [w, s, e, n] = m.slice(1).map(Number) as [number, number, number, number];
  const pad = 0.02;
  const rasterMbtiles = join(dir, `${county}-raster.mbtiles`);
  const vectorMbtiles = join(dir, `${county}-vector.mbtiles`);
  const rgb = (r: number, g: number, b: number) => ['-b', '1', '-b', '2', '-b', '3', '-burn', `${r}`, '-burn', `${g}`, '-burn', `${b}`];

  // The raster: a pale ground, townships in green, roads in red, cut into tiles with two overview levels.
  async function rasterFile(): Promise<void> {
    const tif = join(dir, 'raster.tif');
    const corners = [`${w - pad}`, `${n + pad}`, `${e + pad}`, `${s - pad}`];
    await run('gdal_create', [
      '-q',
      '-of',
      'GTiff',
      '-outsize',
      '1024',
      '768',
      '-bands',
      '3',
      '-burn',
      '250',
      '-burn',
      '248',
      '-burn',
      '240',
      '-ot',
      'Byte',
      '-a_srs',
      'EPSG:4326',
      '-a_ullr',
      ...corners,
      tif,
    ]);
    await run('gdal_rasterize', ['-q', ...rgb(190, 225, 190), join(data, 'townships.fgb'), tif]);
    await run('gdal_rasterize', ['-q', ...rgb(200, 60, 40), join(data, 'roads.fgb'), tif]);
    await run('gdal_translate', ['-q', '-of', 'MBTILES', '-co', `NAME=${county}-raster`, tif, rasterMbtiles]);
    await run('gdaladdo', ['-q', '-r', 'average', rasterMbtiles, '2', '4']);
  }

  // The vector tiles: the townships and roads layers as they are.
  async function vectorFile(): Promise<void> {
    const vrt = join(dir, 'layers.vrt');
    writeFileSync(
      vrt,
      `<OGRVRTDataSource>${['townships', 'roads']
        .map(
          (l) => `<OGRVRTLayer name="${l}"><SrcDataSource>${join(data, `${l}.fgb`)}</SrcDataSource><SrcLayer>L1</SrcLayer></OGRVRTLayer>`,
        )
        .join('')}</OGRVRTDataSource>`,
    );
    await run('ogr2ogr', [
      '-f',
      'MBTILES',
      vectorMbtiles,
      vrt,
      '-dsco',
      'MINZOOM=8',
      '-dsco',
      'MAXZOOM=11',
      '-dsco',
      `NAME=${county}-vector`,
    ]);
  }

  await Promise.all([rasterFile(), vectorFile()]);
  const [raster, vector] = (await attributeAndDump([
    { path: rasterMbtiles, attribution: RASTER_ATTRIBUTION },
    { path: vectorMbtiles, attribution: VECTOR_ATTRIBUTION_HTML },
  ])) as [MbtilesDump, MbtilesDump];

  const rasterPmtiles = join(dir, `${county}-raster.pmtiles`);
  const vectorPmtiles = join(dir, `${county}-vector.pmtiles`);
  writeFileSync(rasterPmtiles, toPmtiles(raster, 2, 1));
  writeFileSync(vectorPmtiles, toPmtiles(vector, 1, 2));
  return { rasterMbtiles, vectorMbtiles, rasterPmtiles, vectorPmtiles, raster, vector };
}
