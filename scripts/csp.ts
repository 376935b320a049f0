/**
 * The Content-Security-Policy of the built pages (index.html and report.html), injected as a meta tag at build
 * time and sent as a header by `vite preview`. Everything comes from the app's own origin: no remote origin, no
 * inline script and no `unsafe-eval`. `wasm-unsafe-eval` lets HiGHS compile its WebAssembly (it allows no
 * JavaScript eval); `blob:` carries MapLibre's workers and the service-area GeoJSON handed to the map; inline
 * styles are allowed because Svelte's style: directives and MapLibre set element styles.
 */
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

export const CSP = Object.entries(CSP_DIRECTIVES)
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/** Adds the policy to every built page, and to the preview server's responses. */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'healthshed-csp',
    apply: (_config, env) => env.command === 'build' || env.isPreview === true,
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
    },
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', CSP);
        next();
      });
    },
  };
}
