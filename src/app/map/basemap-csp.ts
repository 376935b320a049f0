/**
 * Whether the page's Content-Security-Policy lets the map fetch tiles from an origin. The policy is fixed when
 * the app is built (scripts/csp.ts: `'self'` plus the origins of HEALTHSHED_BASEMAP_ORIGIN and of the build's
 * basemap.json), so a URL typed later for any other origin cannot work however it is entered: it is refused
 * before any request with a message that the admin must allow it. MapLibre fetches tiles (connect-src) and
 * images may be drawn from them (img-src): both must allow the origin.
 */

function sources(policy: string, directive: string): string[] | null {
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name?.toLowerCase() === directive) return values;
  }
  return null;
}

/** A CSP source expression against an origin: 'self', a scheme, or scheme://host[:port|:*] (no path matching needed here). */
function matches(source: string, origin: URL, self: string): boolean {
  if (source === "'self'") return origin.origin === self;
  if (source === '*') return origin.protocol === 'http:' || origin.protocol === 'https:';
  if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return origin.protocol === source.toLowerCase();
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:]+)(?::(\d+|\*))?/i.exec(source);
  if (!m) return false;
  const [, scheme, host, port] = m;
  if (scheme && `${scheme.toLowerCase()}:` !== origin.protocol) return false;
  const hostname = host!.toLowerCase();
  if (hostname.startsWith('*.') ? !origin.hostname.endsWith(hostname.slice(1)) : hostname !== origin.hostname) return false;
  const defaultPort = origin.protocol === 'https:' ? '443' : '80';
  const actual = origin.port || defaultPort;
  return port === '*' || (port ?? defaultPort) === actual;
}

/** True when `policy` lets the page fetch and draw from `url`'s origin (no policy: everything is allowed). */
export function cspAllows(policy: string | null, url: string, self: string): boolean {
  if (!policy) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return ['connect-src', 'img-src'].every((directive) => {
    const list = sources(policy, directive) ?? sources(policy, 'default-src');
    return !list || list.some((s) => matches(s, target, self));
  });
}

/** The policy the page was built with (the meta tag scripts/csp.ts adds), or null in development. */
export function pagePolicy(): string | null {
  return globalThis.document?.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null;
}
