/**
 * The basemap the map draws under the app's layers, and why there is none when one was asked for. It starts
 * from the planner's saved choice or the deployment's basemap.json, checks a tile server with one tile before
 * using it, and serves single files (dropped, or beside the build) through the `basemap://` protocol. A failure
 * leaves the map on its own layers with a coded note; it never blocks the county from drawing.
 */
import type { LngLatBoundsLike } from 'maplibre-gl';
import type { SqlJsStatic } from 'sql.js';
import {
  basemapError,
  EMPTY_DEPLOYMENT,
  loadSavedChoice,
  parseDeploymentConfig,
  saveChoice,
  templateOrigin,
  tileAt,
  tileUrl,
  tileUrls,
  type BasemapChoice,
  type BasemapError,
  type DeployedFileBasemap,
  type DeploymentConfig,
  type UrlBasemap,
} from './basemap-config';
import { cspAllows, pagePolicy } from './basemap-csp';
import {
  fileKind,
  MBTILES_MAX_BYTES,
  mvtLayerNames,
  openMbtiles,
  openPmtiles,
  type OpenResult,
  type TileArchive,
  type TileFormat,
} from './basemap-files';
import { probeTile } from './basemap-probe';
import { retireArchive, serveArchive } from './basemap-protocol';
import { attributionText } from './basemap-style';

export interface ActiveBasemap {
  /** Changes with every basemap shown: the map layer replaces its source when it does. */
  key: string;
  tiles: string[];
  vector: boolean;
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number] | null;
  sourceLayers: string[];
  /** Plain text from the source (the file's metadata, or what the planner or admin typed for a server). */
  attribution: string;
  /** What is shown: the file's name or the server's host. */
  label: string;
  format: TileFormat | 'raster' | 'vector';
  container: 'mbtiles' | 'pmtiles' | 'url';
}

/** Where the map is looking when a server is checked: the tile there is the one fetched. */
export interface ProbeView {
  lon: number;
  lat: number;
  zoom: number;
}

let sqlJs: Promise<SqlJsStatic> | null = null;
/** sql.js with its WebAssembly bundled with the app (never a CDN), loaded the first time an MBTiles is opened. */
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= Promise.all([import('sql.js'), import('sql.js/dist/sql-wasm-browser.wasm?url')]).then(
    ([{ default: init }, { default: wasmUrl }]) => init({ locateFile: () => wasmUrl }),
  );
  return sqlJs;
}

class BasemapState {
  deployment = $state<DeploymentConfig>(EMPTY_DEPLOYMENT);
  deploymentError = $state<BasemapError | null>(null);
  choice = $state<BasemapChoice>({ kind: 'none' });
  active = $state<ActiveBasemap | null>(null);
  status = $state<'none' | 'checking' | 'shown' | 'error'>('none');
  error = $state<BasemapError | null>(null);
  /** Tiles drawn and failed since the basemap was shown (a server that stops answering). */
  tilesLoaded = 0;
  tilesFailed = 0;
  private started = false;
  private generation = 0;
  private view: () => ProbeView = () => ({ lon: 114.35, lat: 25.95, zoom: 9 });

  /** Once, when the map first knows its county: the deployment's config, then the saved or default basemap. */
  async start(view: () => ProbeView): Promise<void> {
    this.view = view;
    if (this.started) return;
    this.started = true;
    await this.readDeployment();
    const saved = loadSavedChoice();
    const usable = saved && (saved.kind !== 'deployed-file' || this.deployment.files.some((f) => f.url === saved.url));
    await this.choose(usable ? saved : this.deployment.default, false);
  }

  private async readDeployment(): Promise<void> {
    try {
      const response = await fetch(new URL('basemap.json', globalThis.document?.baseURI ?? globalThis.location.href), {
        cache: 'no-store',
      });
      // No file (a 404, or a server that answers every path with the page): no deployment basemap.
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return;
      const { config, error } = parseDeploymentConfig(await response.json());
      this.deployment = config;
      this.deploymentError = error;
    } catch (error) {
      this.deploymentError = basemapError('basemap_config_invalid', { detail: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Shows a basemap (or none) and, when the planner chose it, remembers it in this browser. */
  async choose(choice: BasemapChoice, save = true): Promise<boolean> {
    const generation = ++this.generation;
    this.choice = choice;
    if (save) saveChoice(choice);
    if (choice.kind === 'none' || choice.kind === 'dropped-file') {
      this.show(generation, null);
      return true;
    }
    this.status = 'checking';
    this.error = null;
    const result = choice.kind === 'url' ? await this.fromUrl(choice) : await this.fromDeployedFile(choice);
    if (generation !== this.generation) return false; // a later choice won
    if ('error' in result) return this.fail(generation, result.error);
    this.show(generation, result.active);
    return true;
  }

  /** A PMTiles or MBTiles the planner dropped or picked: lasts for this visit (its bytes are not stored). */
  async dropFile(file: File): Promise<boolean> {
    const generation = ++this.generation;
    this.choice = { kind: 'dropped-file' };
    this.status = 'checking';
    this.error = null;
    const kind = fileKind(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
    let opened: OpenResult;
    if (kind === 'pmtiles') {
      const { PMTiles, FileSource } = await import('pmtiles');
      opened = await openPmtiles(new PMTiles(new FileSource(file)), file.name);
    } else if (kind === 'mbtiles') {
      // SQLite needs the whole file in memory: refused from its size before it is read.
      if (file.size > MBTILES_MAX_BYTES)
        return this.fail(
          generation,
          basemapError('basemap_file_too_large', {
            name: file.name,
            mb: Math.round(file.size / 1048576),
            limit: MBTILES_MAX_BYTES / 1048576,
          }),
        );
      opened = openMbtiles(new Uint8Array(await file.arrayBuffer()), await loadSqlJs(), file.name);
    } else {
      return this.fail(generation, basemapError('basemap_file_unknown', { name: file.name }));
    }
    if (generation !== this.generation) return false;
    if (!opened.ok) return this.fail(generation, opened.error);
    this.show(generation, await this.fromArchive(opened.archive, file.name, generation));
    return true;
  }

  /** The map could not draw a tile of the basemap (called by the map layer). */
  tileFailed(): void {
    this.tilesFailed++;
    // A server that answered the check but whose tiles then fail: say so rather than show a blank basemap.
    if (this.status === 'shown' && this.tilesLoaded === 0 && this.tilesFailed >= 3 && this.active) {
      this.error = basemapError('basemap_tiles_failed', { host: this.active.label });
      this.status = 'error';
    }
  }

  tileLoaded(): void {
    this.tilesLoaded++;
  }

  private fail(generation: number, error: BasemapError): false {
    if (generation === this.generation) {
      this.replaceActive(null);
      this.error = error;
      this.status = 'error';
    }
    return false;
  }

  private show(generation: number, active: ActiveBasemap | null): void {
    if (generation !== this.generation) return;
    this.replaceActive(active);
    this.error = null;
    this.status = active ? 'shown' : 'none';
  }

  private replaceActive(active: ActiveBasemap | null): void {
    const previous = this.active?.key;
    this.active = active;
    this.tilesLoaded = 0;
    this.tilesFailed = 0;
    if (previous && previous !== active?.key) retireArchive(previous);
  }

  private allowed(url: string): BasemapError | null {
    return cspAllows(pagePolicy(), url, globalThis.location.origin)
      ? null
      : basemapError('basemap_not_allowed', { origin: new URL(url).origin });
  }

  private probeZoom(minzoom: number, maxzoom: number): { z: number; lon: number; lat: number } {
    const view = this.view();
    return { z: Math.max(minzoom, Math.min(maxzoom, Math.round(view.zoom))), lon: view.lon, lat: view.lat };
  }

  private async fromUrl(choice: UrlBasemap): Promise<{ active: ActiveBasemap } | { error: BasemapError }> {
    const urls = tileUrls(choice.url, choice.subdomains);
    if (!urls.ok) return { error: urls.error };
    const origin = templateOrigin(choice.url)!;
    // Every subdomain is an origin of its own to the policy.
    for (const url of urls.urls) {
      const refused = this.allowed(url.replace(/\{[a-z]\}/gi, '0'));
      if (refused) return { error: refused };
    }
    const minzoom = choice.minzoom ?? 0;
    const maxzoom = choice.maxzoom ?? 18;
    const { z, lon, lat } = this.probeZoom(minzoom, maxzoom);
    const { x, y } = tileAt(lon, lat, z);
    const vector = choice.tiles === 'vector';
    const probe = await probeTile(tileUrl(urls.urls[0]!, z, x, y), vector, this.deployment.timeoutSeconds * 1000);
    if (!probe.ok) return { error: probe.error };
    return {
      active: {
        key: `url-${this.generation}`,
        tiles: urls.urls,
        vector,
        minzoom,
        maxzoom,
        bounds: null,
        sourceLayers: probe.layers,
        attribution: attributionText(choice.attribution),
        label: new URL(origin).host,
        format: choice.tiles,
        container: 'url',
      },
    };
  }

  private async fromDeployedFile(choice: DeployedFileBasemap): Promise<{ active: ActiveBasemap } | { error: BasemapError }> {
    const base = globalThis.document?.baseURI ?? globalThis.location.href;
    const url = new URL(choice.url, base).href;
    const refused = this.allowed(url);
    if (refused) return { error: refused };
    const generation = this.generation;
    const name = choice.label;
    const host = new URL(url).host;
    const timeoutMs = this.deployment.timeoutSeconds * 1000;
    let opened: OpenResult;
    if (/\.mbtiles$/i.test(new URL(url).pathname)) {
      const fetched = await fetchWhole(url, timeoutMs, name);
      if ('error' in fetched) return fetched;
      opened = openMbtiles(fetched.bytes, await loadSqlJs(), name);
    } else {
      const { PMTiles, FetchSource } = await import('pmtiles');
      opened = await withTimeout(openPmtiles(new PMTiles(new FetchSource(url)), name), timeoutMs, host);
      if (!opened.ok && opened.error.code === 'basemap_file_damaged') {
        const status = /Bad response code: (\d+)/.exec(String(opened.error.params['detail']))?.[1];
        if (status)
          opened = {
            ok: false,
            error: basemapError(status === '401' || status === '403' ? 'basemap_auth' : 'basemap_http', { host, status }),
          };
        else if (/fetch/i.test(String(opened.error.params['detail'])))
          opened = { ok: false, error: basemapError('basemap_unreachable', { host }) };
      }
    }
    if (!opened.ok) return { error: opened.error };
    return { active: await this.fromArchive(opened.archive, name, generation) };
  }

  private async fromArchive(archive: TileArchive, label: string, generation: number): Promise<ActiveBasemap> {
    const key = `f${generation}`;
    const template = serveArchive(key, archive);
    const vector = archive.format === 'pbf';
    let sourceLayers = archive.vectorLayers;
    if (vector && sourceLayers.length === 0) {
      // No layer list in the metadata: the layers of the tile at the centre of its bounds.
      const [w, s, e, n] = archive.bounds ?? [-180, -85, 180, 85];
      const { x, y } = tileAt((w + e) / 2, (s + n) / 2, archive.minzoom);
      const bytes = await archive.tile(archive.minzoom, x, y);
      sourceLayers = bytes ? await mvtLayerNames(bytes).catch(() => []) : [];
    }
    return {
      key,
      tiles: [template],
      vector,
      minzoom: archive.minzoom,
      maxzoom: archive.maxzoom,
      bounds: archive.bounds,
      sourceLayers,
      attribution: attributionText(archive.attribution),
      label: label || archive.name,
      format: archive.format,
      container: archive.container,
    };
  }
}

async function fetchWhole(url: string, timeoutMs: number, name: string): Promise<{ bytes: Uint8Array } | { error: BasemapError }> {
  const host = new URL(url).host;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal });
    clearTimeout(timer);
    if (response.status === 401 || response.status === 403)
      return { error: basemapError('basemap_auth', { host, status: response.status }) };
    if (!response.ok) return { error: basemapError('basemap_http', { host, status: response.status }) };
    const size = Number(response.headers.get('content-length') ?? 0);
    if (size > MBTILES_MAX_BYTES)
      return {
        error: basemapError('basemap_file_too_large', { name, mb: Math.round(size / 1048576), limit: MBTILES_MAX_BYTES / 1048576 }),
      };
    return { bytes: new Uint8Array(await response.arrayBuffer()) };
  } catch {
    return {
      error: basemapError(controller.signal.aborted ? 'basemap_timeout' : 'basemap_unreachable', {
        host,
        seconds: Math.round(timeoutMs / 1000),
      }),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function withTimeout(promise: Promise<OpenResult>, timeoutMs: number, host: string): Promise<OpenResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<OpenResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, error: basemapError('basemap_timeout', { host, seconds: Math.round(timeoutMs / 1000) }) }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The camera MapLibre would take for a county's bounds (the view a server is checked at). */
export function viewOf(bounds: LngLatBoundsLike, zoom: number): ProbeView {
  const [w, s, e, n] = bounds as [number, number, number, number];
  return { lon: (w + e) / 2, lat: (s + n) / 2, zoom };
}

/** A file that is a single-file basemap by its name (its bytes are checked when it is opened). */
export const isBasemapFile = (name: string): boolean => /\.(pmtiles|mbtiles)$/i.test(name);

export const basemap = new BasemapState();
