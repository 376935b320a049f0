/**
 * The Content-Security-Policy of the built pages (index.html and report.html), injected as a meta tag at build
 * time and sent as a header by `vite preview`. Everything comes from the app's own origin: no remote origin, no
 * inline script and no `unsafe-eval`. `wasm-unsafe-eval` lets HiGHS and sql.js compile their WebAssembly (it
 * allows no JavaScript eval); `blob:` carries MapLibre's workers, the service-area GeoJSON handed to the map and
 * a dropped basemap file; inline styles are allowed because Svelte's style: directives and MapLibre set element
 * styles.
 *
 * A basemap tile server is the one remote origin a deployment may add, and only at build time (a policy in a
 * meta tag cannot be widened later, and a header from the web server could only narrow it further): the origins
 * in HEALTHSHED_BASEMAP_ORIGIN (comma-separated, e.g. `http://gis.county.local:8080`) and those of the URLs in
 * `public/basemap.json` join connect-src and img-src. With neither, the policy names no remote origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self' blob:",
  'child-src': "'self' blob:",
  'connect-src': "'self' blob: data:",
  'img-src': "'self' blob: data:",
  'font-src': "'self' data:",
  'style-src': "'self' 'unsafe-inline'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
};

/** An http(s) origin, exactly (no path, no wildcard but a port `*`), or an error naming the bad value. */
function origin(value: string): string {
  const m = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}|\*))?\/?$/i.exec(value.trim());
  if (!m) throw new Error(`healthshed: basemap origin "${value}" is not an http(s) origin such as http://gis.local:8080`);
  return `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${m[3] ? `:${m[3]}` : ''}`;
}

/** The remote origins a basemap.json names (its default tile URL and any absolute file URL). */
function configOrigins(json: unknown): string[] {
  const found: string[] = [];
  const add = (url: unknown, subdomains: unknown = 'abc') => {
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return;
    // {s} takes each subdomain in turn (the app's rule, src/app/map/basemap-config.ts): each is an origin.
    const subs = url.includes('{s}') && typeof subdomains === 'string' ? [...subdomains.replace(/[\s,]/g, '')] : [''];
    for (const s of subs) found.push(new URL(url.replaceAll('{s}', s).replace(/\{[a-z]+\}/gi, '0')).origin);
  };
  if (typeof json === 'object' && json !== null) {
    const config = json as { default?: { url?: unknown; subdomains?: unknown }; files?: { url?: unknown }[] };
    add(config.default?.url, config.default?.subdomains ?? 'abc');
    if (Array.isArray(config.files)) for (const f of config.files) add(f?.url);
  }
  return found;
}

/** The basemap origins of this build: the environment's and those of public/basemap.json, deduplicated. */
export function basemapOrigins(env: string | undefined, configPath = 'public/basemap.json'): string[] {
  const list = (env ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(origin);
  if (existsSync(configPath)) list.push(...configOrigins(JSON.parse(readFileSync(configPath, 'utf8'))).map(origin));
  return [...new Set(list)];
}

/** The policy with the basemap origins allowed to be fetched and drawn. */
export function cspFor(origins: readonly string[]): string {
  const extra = origins.map(origin);
  return Object.entries(CSP_DIRECTIVES)
    .map(([name, value]) =>
      extra.length && (name === 'connect-src' || name === 'img-src') ? `${name} ${value} ${extra.join(' ')}` : `${name} ${value}`,
    )
    .join('; ');
}

/** Adds the policy to every built page, and to the preview server's responses. */
export function contentSecurityPolicy(origins: readonly string[] = []): Plugin {
  const csp = cspFor(origins);
  return {
    name: 'healthshed-csp',
    apply: (_config, env) => env.command === 'build' || env.isPreview === true,
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: csp }, injectTo: 'head-prepend' }],
    },
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', csp);
        next();
      });
    },
  };
}
