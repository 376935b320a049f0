/**
 * One tile fetched before a tile server becomes the basemap: a server that does not answer, answers too slowly,
 * wants a key or answers something that is not a tile is named with a code instead of leaving the map blank. A
 * request the page's policy blocks is told apart (the browser fires `securitypolicyviolation`) so the planner
 * learns the admin must allow the origin.
 */
import { basemapError, type BasemapError } from './basemap-config';
import { mvtLayerNames, sniffFormat } from './basemap-files';

export type ProbeResult = { ok: true; layers: string[] } | { ok: false; error: BasemapError };

async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? (await import('fflate')).gunzipSync(bytes) : bytes;
}

export async function probeTile(url: string, vector: boolean, timeoutMs: number): Promise<ProbeResult> {
  const controller = new AbortController();
  let timedOut = false;
  let blocked = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    if (event.blockedURI && url.startsWith(event.blockedURI)) blocked = true;
  };
  globalThis.document?.addEventListener('securitypolicyviolation', onViolation);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  try {
    const response = await fetch(url, { signal: controller.signal, credentials: 'omit', cache: 'no-store' });
    if (response.status === 401 || response.status === 403)
      return { ok: false, error: basemapError('basemap_auth', { host, status: response.status }) };
    if (!response.ok) return { ok: false, error: basemapError('basemap_http', { host, status: response.status }) };
    const bytes = new Uint8Array(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    if (!vector) {
      const format = sniffFormat(bytes);
      if (format && format !== 'pbf') return { ok: true, layers: [] };
      return { ok: false, error: basemapError('basemap_not_tile', { host, type: type || '?' }) };
    }
    try {
      const layers = await mvtLayerNames(await gunzipIfNeeded(bytes));
      if (layers.length > 0) return { ok: true, layers };
    } catch {
      // not a vector tile: said below
    }
    return { ok: false, error: basemapError('basemap_not_tile', { host, type: type || '?' }) };
  } catch {
    // A blocked request's violation event may come just after the fetch rejects.
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (blocked) return { ok: false, error: basemapError('basemap_not_allowed', { origin: new URL(url).origin }) };
    if (timedOut) return { ok: false, error: basemapError('basemap_timeout', { host, seconds: Math.round(timeoutMs / 1000) }) };
    return { ok: false, error: basemapError('basemap_unreachable', { host }) };
  } finally {
    clearTimeout(timer);
    globalThis.document?.removeEventListener('securitypolicyviolation', onViolation);
  }
}
