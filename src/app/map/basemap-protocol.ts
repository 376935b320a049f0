/**
 * `basemap://<key>/{z}/{x}/{y}`: MapLibre asks this protocol (on the main thread, also for its workers) for the
 * tiles of an open single-file basemap, dropped or beside the build, whichever container it is.
 */
import { addProtocol } from 'maplibre-gl';
import type { TileArchive } from './basemap-files';

const archives = new Map<string, TileArchive>();
let added = false;
let transparent: Promise<ImageBitmap> | null = null;

function ensureProtocol(): void {
  if (added) return;
  added = true;
  addProtocol('basemap', async (params) => {
    const m = /^basemap:\/\/([^/]+)\/(\d+)\/(\d+)\/(\d+)/.exec(params.url);
    const archive = m ? archives.get(m[1]!) : undefined;
    if (!m || !archive) throw new Error(`no basemap for ${params.url}`);
    const bytes = await archive.tile(Number(m[2]), Number(m[3]), Number(m[4]));
    if (bytes) return { data: bytes.slice().buffer };
    // No tile there: an empty vector tile, or a transparent image (not an error: files often skip empty tiles).
    if (archive.format === 'pbf') return { data: new ArrayBuffer(0) };
    transparent ??= createImageBitmap(new ImageData(1, 1));
    return { data: await transparent };
  });
}

/** Serves an archive's tiles under `key`; the URL template for the map's source. */
export function serveArchive(key: string, archive: TileArchive): string {
  ensureProtocol();
  archives.set(key, archive);
  return `basemap://${key}/{z}/{x}/{y}`;
}

/** Stops serving an archive and closes it, a little later: the map may still ask for its tiles while it swaps sources. */
export function retireArchive(key: string): void {
  const archive = archives.get(key);
  if (!archive) return;
  setTimeout(() => {
    archives.delete(key);
    archive.close();
  }, 5000);
}
