/**
 * What a basemap is, where it is configured and how a tile URL is checked. A basemap comes from the planner's own
 * setting (this browser's localStorage: it names a server of their intranet, not project data, so a project file
 * sent to another bureau never carries a URL that only works here) or, when they have chosen none, from the
 * deployment's `basemap.json` beside the build (an intranet admin sets it once for everybody). Nothing is fetched
 * from a tile server unless one of the two names it.
 */

/** A coded reason a basemap is not shown; worded in src/app/messages/basemap.ts. */
export type BasemapErrorCode =
  | 'basemap_bad_url'
  | 'basemap_not_allowed'
  | 'basemap_unreachable'
  | 'basemap_timeout'
  | 'basemap_auth'
  | 'basemap_http'
  | 'basemap_not_tile'
  | 'basemap_tiles_failed'
  | 'basemap_file_too_large'
  | 'basemap_file_unknown'
  | 'basemap_file_damaged'
  | 'basemap_file_format'
  | 'basemap_config_invalid';

export interface BasemapError {
  code: BasemapErrorCode;
  params: Record<string, string | number>;
}

export const basemapError = (code: BasemapErrorCode, params: Record<string, string | number> = {}): BasemapError => ({ code, params });

/** A tile server: an XYZ template ({z}/{x}/{y}, optional {s}) or a WMTS KVP/REST template in Web Mercator. */
export interface UrlBasemap {
  kind: 'url';
  url: string;
  /** Raster images, or vector tiles (MVT) drawn with a plain style of the layers they hold. */
  tiles: 'raster' | 'vector';
  /** Text the planner or the admin gives for the source (the server says nothing of its own). */
  attribution: string;
  /** Replace {s} in turn, e.g. "abc" or "01234567" (Tianditu's t0…t7). */
  subdomains?: string;
  minzoom?: number;
  maxzoom?: number;
}

/** A PMTiles or MBTiles file placed beside the build and listed in basemap.json. */
export interface DeployedFileBasemap {
  kind: 'deployed-file';
  /** Relative to the page (e.g. "basemap/county.pmtiles") or an absolute URL of an allowed origin. */
  url: string;
  label: string;
}

export type BasemapChoice = { kind: 'none' } | UrlBasemap | DeployedFileBasemap | { kind: 'dropped-file' };

/** basemap.json, beside the built index.html. */
export interface DeploymentConfig {
  /** The basemap everybody starts with until they choose another. */
  default: BasemapChoice;
  /** Files beside the build the planner may pick from. */
  files: DeployedFileBasemap[];
  /** How long a tile server has to answer the first tile, in seconds. */
  timeoutSeconds: number;
}

const DEFAULT_TIMEOUT_SECONDS = 8;
export const EMPTY_DEPLOYMENT: DeploymentConfig = { default: { kind: 'none' }, files: [], timeoutSeconds: DEFAULT_TIMEOUT_SECONDS };

/** WMTS template names (RESTful <ResourceURL> and common KVP spellings) for the XYZ placeholders. */
const WMTS_PLACEHOLDERS: [RegExp, string][] = [
  [/\{TileMatrix\}/gi, '{z}'],
  [/\{TileRow\}/gi, '{y}'],
  [/\{TileCol\}/gi, '{x}'],
];

/**
 * The tile URLs MapLibre is given for a template: WMTS names become {z}/{y}/{x}, {s} is expanded over the
 * subdomains (one URL each), and the result must be http(s) with {z}, {x} and {y}. A template that cannot be
 * used is a coded error, never a guess.
 */
export function tileUrls(template: string, subdomains = 'abc'): { ok: true; urls: string[] } | { ok: false; error: BasemapError } {
  let url = template.trim();
  for (const [pattern, replacement] of WMTS_PLACEHOLDERS) url = url.replace(pattern, replacement);
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[a-z]\}/gi, '0'));
  } catch {
    return { ok: false, error: basemapError('basemap_bad_url', { url: template }) };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { ok: false, error: basemapError('basemap_bad_url', { url: template }) };
  if (!['{z}', '{x}', '{y}'].every((p) => url.includes(p))) return { ok: false, error: basemapError('basemap_bad_url', { url: template }) };
  if (!url.includes('{s}')) return { ok: true, urls: [url] };
  const subs = [...subdomains.replace(/[\s,]/g, '')];
  if (subs.length === 0) return { ok: false, error: basemapError('basemap_bad_url', { url: template }) };
  return { ok: true, urls: subs.map((s) => url.replaceAll('{s}', s)) };
}

/** The origin (scheme://host:port) a template's tiles come from. */
export function templateOrigin(template: string): string | null {
  const check = tileUrls(template, 'a');
  if (!check.ok) return null;
  return new URL(check.urls[0]!.replace(/\{[a-z]\}/gi, '0')).origin;
}

/** One tile's URL. */
export function tileUrl(template: string, z: number, x: number, y: number): string {
  return template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
}

/** The XYZ tile holding a point at zoom z (Web Mercator). */
export function tileAt(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const clamped = Math.max(-85.0511, Math.min(85.0511, lat));
  const rad = (clamped * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max = 2000): string | null => (typeof v === 'string' && v.length <= max ? v : null);
const zoom = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 24 ? v : undefined);

/** A choice as stored or configured; anything else is null (the caller says why). */
function parseChoice(value: unknown): BasemapChoice | null {
  if (!isRecord(value)) return null;
  if (value['kind'] === 'none') return { kind: 'none' };
  if (value['kind'] === 'url') {
    const url = text(value['url']);
    if (!url) return null;
    const tiles = value['tiles'] === 'vector' ? 'vector' : 'raster';
    const choice: UrlBasemap = { kind: 'url', url, tiles, attribution: text(value['attribution']) ?? '' };
    const subdomains = text(value['subdomains'], 64);
    if (subdomains) choice.subdomains = subdomains;
    const minzoom = zoom(value['minzoom']);
    const maxzoom = zoom(value['maxzoom']);
    if (minzoom !== undefined) choice.minzoom = minzoom;
    if (maxzoom !== undefined) choice.maxzoom = maxzoom;
    return choice;
  }
  if (value['kind'] === 'deployed-file') {
    const url = text(value['url']);
    return url ? { kind: 'deployed-file', url, label: text(value['label'], 200) ?? url } : null;
  }
  return null;
}

/**
 * basemap.json as the admin wrote it:
 * `{ "default": {"kind": "url", "url": "http://gis.local/tiles/{z}/{x}/{y}.png", "attribution": "…"},
 *    "files": [{"url": "basemap/county.pmtiles", "label": "县域底图"}], "timeoutSeconds": 8 }`.
 * Unusable parts are a coded error: the app then starts with no basemap and says why.
 */
export function parseDeploymentConfig(value: unknown): { config: DeploymentConfig; error: BasemapError | null } {
  if (!isRecord(value)) return { config: EMPTY_DEPLOYMENT, error: basemapError('basemap_config_invalid', { detail: 'not an object' }) };
  const problems: string[] = [];
  const files: DeployedFileBasemap[] = [];
  const listed = Array.isArray(value['files']) ? (value['files'] as unknown[]) : [];
  for (const [i, entry] of listed.entries()) {
    const file = parseChoice(isRecord(entry) ? { ...entry, kind: 'deployed-file' } : entry);
    if (file?.kind === 'deployed-file') files.push(file);
    else problems.push(`files[${i}]`);
  }
  let initial: BasemapChoice = { kind: 'none' };
  if (value['default'] !== undefined) {
    const parsed = parseChoice(value['default']);
    if (parsed && parsed.kind !== 'dropped-file') initial = parsed;
    else problems.push('default');
  }
  const t = value['timeoutSeconds'];
  const timeoutSeconds = typeof t === 'number' && t > 0 && t <= 120 ? t : DEFAULT_TIMEOUT_SECONDS;
  if (t !== undefined && timeoutSeconds !== t) problems.push('timeoutSeconds');
  return {
    config: { default: initial, files, timeoutSeconds },
    error: problems.length ? basemapError('basemap_config_invalid', { detail: problems.join(', ') }) : null,
  };
}

const STORAGE_KEY = 'healthshed.basemap';

/** The planner's own choice in this browser, or null when they never chose (the deployment's default applies). */
export function loadSavedChoice(): BasemapChoice | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    return raw ? parseChoice(JSON.parse(raw)) : null;
  } catch {
    return null; // storage refused or a damaged entry: as if never chosen
  }
}

/** Remembers a choice; a dropped file is not kept (its bytes stay with this page only), so "none" is kept then. */
export function saveChoice(choice: BasemapChoice): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(choice.kind === 'dropped-file' ? { kind: 'none' } : choice));
  } catch {
    // Not remembered: the basemap still shows for this visit.
  }
}
