/**
 * Single-file basemaps: an MBTiles (SQLite, read whole with sql.js) or a PMTiles archive (read by range with the
 * `pmtiles` package), each behind one `TileArchive` the map's `basemap://` protocol serves tiles from. Zoom
 * limits, bounds, names and attribution come from the file's own metadata, never made up: a file that does not
 * state an attribution shows none. Kept free of the DOM and MapLibre so the unit tests read GDAL's files in Node.
 */
import type { SqlJsStatic, Database } from 'sql.js';
import type { PMTiles } from 'pmtiles';
import { basemapError, type BasemapError } from './basemap-config';

export type TileFormat = 'png' | 'jpg' | 'webp' | 'avif' | 'pbf';

export interface TileArchive {
  /** MBTiles or PMTiles, for the panel. */
  container: 'mbtiles' | 'pmtiles';
  format: TileFormat;
  minzoom: number;
  maxzoom: number;
  /** West, south, east, north in degrees, when the file states them. */
  bounds: [number, number, number, number] | null;
  name: string;
  /** The file's own attribution text ('' when it states none). */
  attribution: string;
  /** The vector layers the file's metadata lists (vector tiles only; may be empty: then read from a tile). */
  vectorLayers: string[];
  /** A tile's bytes, decompressed (vector tiles are stored gzipped in MBTiles), or null where there is none. */
  tile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  close(): void;
}

/** A dropped MBTiles is read whole into memory (SQLite needs all of it); above this it is refused. */
export const MBTILES_MAX_BYTES = 256 * 1024 * 1024;

export type OpenResult = { ok: true; archive: TileArchive } | { ok: false; error: BasemapError };

const FORMATS: Record<string, TileFormat> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp', avif: 'avif', pbf: 'pbf', mvt: 'pbf' };

/** A tile's format from its first bytes (a file whose metadata does not say). */
export function sniffFormat(bytes: Uint8Array): TileFormat | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return 'webp';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'pbf'; // gzipped vector tile
  if (bytes[0] === 0x1a) return 'pbf'; // tag 3 (layers), length-delimited: the first byte of a raw vector tile
  return null;
}

/** Bounds as the file states them ("w,s,e,n" or an array), or null if they are not four numbers in range. */
function parseBounds(value: unknown): [number, number, number, number] | null {
  const parts = typeof value === 'string' ? value.split(',').map(Number) : Array.isArray(value) ? value.map(Number) : [];
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [w, s, e, n] = parts as [number, number, number, number];
  return w < e && s < n && w >= -180 && e <= 180 && s >= -90 && n <= 90 ? [w, s, e, n] : null;
}

function vectorLayerIds(json: unknown): string[] {
  const layers = (json as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers.map((l) => (l as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
}

/** Gzip or zlib as MBTiles writers store vector tiles; other bytes as they are. */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return (await import('fflate')).gunzipSync(bytes);
  if (bytes[0] === 0x78 && (bytes[0] * 256 + bytes[1]!) % 31 === 0) return (await import('fflate')).unzlibSync(bytes);
  return bytes;
}

/** Opens MBTiles bytes with a loaded sql.js (the app loads it with its bundled wasm; tests with Node's). */
export function openMbtiles(bytes: Uint8Array, SQL: SqlJsStatic, name: string): OpenResult {
  if (bytes.byteLength > MBTILES_MAX_BYTES)
    return {
      ok: false,
      error: basemapError('basemap_file_too_large', {
        name,
        mb: Math.round(bytes.byteLength / 1048576),
        limit: MBTILES_MAX_BYTES / 1048576,
      }),
    };
  if (new TextDecoder().decode(bytes.subarray(0, 15)) !== 'SQLite format 3')
    return { ok: false, error: basemapError('basemap_file_damaged', { name, detail: 'not an SQLite database' }) };
  let db: Database;
  const meta = new Map<string, string>();
  try {
    db = new SQL.Database(bytes);
    for (const row of db.exec('SELECT name, value FROM metadata')[0]?.values ?? []) meta.set(String(row[0]), String(row[1]));
    // A file without any tile is no basemap.
    const zooms = db.exec('SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles')[0]?.values[0] ?? [];
    if (zooms[0] === null || zooms[0] === undefined) throw new Error('no tiles');
    const first = db.exec('SELECT tile_data FROM tiles LIMIT 1')[0]?.values[0]?.[0];
    const format = FORMATS[(meta.get('format') ?? '').toLowerCase()] ?? (first instanceof Uint8Array ? sniffFormat(first) : null);
    if (!format) {
      db.close();
      return { ok: false, error: basemapError('basemap_file_format', { name, format: meta.get('format') ?? '?' }) };
    }
    let json: unknown = null;
    try {
      json = JSON.parse(meta.get('json') ?? 'null');
    } catch {
      json = null; // a damaged layer list: the layers are read from a tile instead
    }
    const statement = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
    const minzoom = Number(meta.get('minzoom') ?? zooms[0]);
    const maxzoom = Number(meta.get('maxzoom') ?? zooms[1]);
    const archive: TileArchive = {
      container: 'mbtiles',
      format,
      minzoom: Number.isInteger(minzoom) ? minzoom : Number(zooms[0]),
      maxzoom: Number.isInteger(maxzoom) ? maxzoom : Number(zooms[1]),
      bounds: parseBounds(meta.get('bounds')),
      name: meta.get('name') ?? name,
      attribution: meta.get('attribution') ?? '',
      vectorLayers: vectorLayerIds(json),
      async tile(z, x, y) {
        // MBTiles rows count from the south (TMS); the map asks from the north (XYZ).
        const row = statement.get([z, x, 2 ** z - 1 - y])[0];
        statement.reset();
        if (!(row instanceof Uint8Array)) return null;
        return format === 'pbf' ? inflate(row) : row;
      },
      close() {
        statement.free();
        db.close();
      },
    };
    return { ok: true, archive };
  } catch (error) {
    return {
      ok: false,
      error: basemapError('basemap_file_damaged', { name, detail: error instanceof Error ? error.message : String(error) }),
    };
  }
}

const PMTILES_TYPES: Record<number, TileFormat> = { 1: 'pbf', 2: 'png', 3: 'jpg', 4: 'webp', 5: 'avif' };

/** Opens a PMTiles archive (a dropped file, a file beside the build, or bytes in a test) through the pmtiles package. */
export async function openPmtiles(archive: PMTiles, name: string): Promise<OpenResult> {
  try {
    const header = await archive.getHeader();
    const format = PMTILES_TYPES[header.tileType];
    if (!format) return { ok: false, error: basemapError('basemap_file_format', { name, format: `PMTiles type ${header.tileType}` }) };
    const meta = ((await archive.getMetadata()) ?? {}) as Record<string, unknown>;
    return {
      ok: true,
      archive: {
        container: 'pmtiles',
        format,
        minzoom: header.minZoom,
        maxzoom: header.maxZoom,
        bounds: parseBounds([header.minLon, header.minLat, header.maxLon, header.maxLat]),
        name: typeof meta['name'] === 'string' ? meta['name'] : name,
        attribution: typeof meta['attribution'] === 'string' ? meta['attribution'] : '',
        vectorLayers: vectorLayerIds(meta),
        async tile(z, x, y) {
          const found = await archive.getZxy(z, x, y);
          return found ? new Uint8Array(found.data) : null;
        },
        close() {},
      },
    };
  } catch (error) {
    return {
      ok: false,
      error: basemapError('basemap_file_damaged', { name, detail: error instanceof Error ? error.message : String(error) }),
    };
  }
}

/** Which container a file is, by its first bytes (names lie less often than not, but bytes never). */
export function fileKind(head: Uint8Array): 'mbtiles' | 'pmtiles' | null {
  if (new TextDecoder().decode(head.subarray(0, 15)) === 'SQLite format 3') return 'mbtiles';
  if (
    head[0] === 0x50 &&
    head[1] === 0x4d &&
    head[2] === 0x54 &&
    head[3] === 0x69 &&
    head[4] === 0x6c &&
    head[5] === 0x65 &&
    head[6] === 0x73
  )
    return 'pmtiles';
  return null;
}

/** The names of the layers in a vector tile (Tile.layers = 3, Layer.name = 1 in the MVT spec). */
export async function mvtLayerNames(bytes: Uint8Array): Promise<string[]> {
  const { PbfReader } = await import('pbf');
  const names: string[] = [];
  new PbfReader(bytes).readFields((tag, _result, pbf) => {
    if (tag !== 3) return;
    const layer = pbf.readMessage((t, l: { name: string }, p) => (t === 1 ? (l.name = p.readString()) : undefined), { name: '' });
    if (layer.name && !names.includes(layer.name)) names.push(layer.name);
  }, null);
  return names;
}
