/**
 * Geometry helpers shared by the readers and writers: a structural check of untrusted GeoJSON geometries,
 * emptiness, walking positions, rounding, and WKT in both directions (CSV files carry non-point geometries as WKT).
 */
import type { Geometry, Position } from 'geojson';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

function isPosition(p: unknown): p is Position {
  return Array.isArray(p) && p.length >= 2 && p.length <= 4 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function isArrayOf(value: unknown, depth: number): boolean {
  if (!Array.isArray(value)) return false;
  if (depth === 0) return isPosition(value);
  return value.every((v) => isArrayOf(v, depth - 1));
}

const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** Why an untrusted value is not a usable GeoJSON geometry, or undefined when it is one (an empty one included). */
export function geometryProblem(g: unknown, depth = 0): string | undefined {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) return 'not an object';
  const { type, coordinates, geometries } = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (typeof type !== 'string') return `geometry type is ${Array.isArray(type) ? 'an array' : typeof type}, not text`;
  if (!GEOMETRY_TYPES.has(type)) return `unknown geometry type ${JSON.stringify(type.slice(0, 40))}`;
  if (type === 'GeometryCollection') {
    if (!Array.isArray(geometries)) return 'GeometryCollection without geometries';
    if (depth > 8) return 'nested too deep';
    for (const child of geometries) {
      const p = geometryProblem(child, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (type === 'Point' && Array.isArray(coordinates) && coordinates.length === 0) return undefined;
  if (!isArrayOf(coordinates, DEPTH[type] as number)) return 'coordinates are not arrays of number pairs';
  if (type === 'LineString' && (coordinates as unknown[]).length === 1) return 'a line with one point';
  if (type === 'Polygon' || type === 'MultiPolygon') {
    const polys = (type === 'Polygon' ? [coordinates] : coordinates) as Position[][][];
    for (const rings of polys) {
      for (const ring of rings) {
        if (ring.length > 0 && ring.length < 4) return 'a polygon ring with fewer than 4 positions';
      }
    }
  }
  return undefined;
}

/** Levels of arrays and objects a feature's geometry or properties may have (a MultiPolygon needs 5). */
export const MAX_NESTING = 100;

/**
 * Whether a JSON value holds arrays or objects more than `limit` levels deep, found without recursion (so a
 * hostile file with 200,000 levels cannot overflow the stack here, and is refused before any recursive walk).
 */
export function nestedDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [object, number];
    if (depth > limit) return true;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, depth + 1]);
  }
  return false;
}

/** True for null, an empty Point, and geometries without any position. */
export function isEmptyGeometry(g: Geometry | null): boolean {
  if (g === null) return true;
  let any = false;
  forEachPosition(g, () => {
    any = true;
  });
  return !any;
}

export function forEachPosition(g: Geometry, visit: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length >= 2) visit(g.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      g.coordinates.forEach(visit);
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of g.coordinates) line.forEach(visit);
      return;
    case 'MultiPolygon':
      for (const poly of g.coordinates) for (const ring of poly) ring.forEach(visit);
      return;
    case 'GeometryCollection':
      for (const child of g.geometries) forEachPosition(child, visit);
      return;
  }
}

/** A new geometry with `f` applied to every position. */
export function mapPositions(g: Geometry, f: (p: Position) => Position): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: g.coordinates.length >= 2 ? f(g.coordinates) : [] };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map(f) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map(f) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(f)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((l) => l.map(f)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((l) => l.map(f))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((c) => mapPositions(c, f)) };
  }
}

/** Rounds a number to `decimals` places (without turning -0 into "-0"). */
export function roundTo(v: number, decimals: number): number {
  const k = 10 ** decimals;
  const r = Math.round(v * k) / k;
  return r === 0 ? 0 : r;
}

export function roundGeometry(g: Geometry, decimals: number): Geometry {
  return mapPositions(g, (p) => p.map((v) => roundTo(v, decimals)));
}

// ── WKT ──────────────────────────────────────────────────────────────────────────────────────────────────────────

function wktNumber(v: number, decimals: number): string {
  return String(roundTo(v, decimals));
}

function wktPositions(ps: Position[], d: number): string {
  return `(${ps.map((p) => p.map((v) => wktNumber(v, d)).join(' ')).join(', ')})`;
}

/** WKT of a geometry (OGC simple features, 2D or 3D as the positions are). */
export function toWkt(g: Geometry, decimals = 7): string {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length < 2 ? 'POINT EMPTY' : `POINT (${g.coordinates.map((v) => wktNumber(v, decimals)).join(' ')})`;
    case 'MultiPoint':
      return g.coordinates.length === 0
        ? 'MULTIPOINT EMPTY'
        : `MULTIPOINT (${g.coordinates.map((p) => wktPositions([p], decimals)).join(', ')})`;
    case 'LineString':
      return g.coordinates.length === 0 ? 'LINESTRING EMPTY' : `LINESTRING ${wktPositions(g.coordinates, decimals)}`;
    case 'MultiLineString':
      return g.coordinates.length === 0
        ? 'MULTILINESTRING EMPTY'
        : `MULTILINESTRING (${g.coordinates.map((l) => wktPositions(l, decimals)).join(', ')})`;
    case 'Polygon':
      return g.coordinates.length === 0 ? 'POLYGON EMPTY' : `POLYGON (${g.coordinates.map((l) => wktPositions(l, decimals)).join(', ')})`;
    case 'MultiPolygon':
      return g.coordinates.length === 0
        ? 'MULTIPOLYGON EMPTY'
        : `MULTIPOLYGON (${g.coordinates.map((p) => `(${p.map((l) => wktPositions(l, decimals)).join(', ')})`).join(', ')})`;
    case 'GeometryCollection':
      return g.geometries.length === 0
        ? 'GEOMETRYCOLLECTION EMPTY'
        : `GEOMETRYCOLLECTION (${g.geometries.map((c) => toWkt(c, decimals)).join(', ')})`;
  }
}

/** Parses OGC WKT (with or without Z/M/ZM, an SRID=n; prefix, EMPTY) into a GeoJSON geometry; throws on bad input. */
export function parseWkt(text: string): Geometry {
  const src = text.trim().replace(/^SRID=\d+;/i, '');
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`WKT: ${what} at character ${at + 1}`);
  };
  const skip = (): void => {
    while (at < src.length && /\s/.test(src[at] as string)) at++;
  };
  const word = (): string => {
    skip();
    const m = /^[A-Za-z]+/.exec(src.slice(at, at + 40));
    if (!m) return '';
    at += m[0].length;
    return m[0].toUpperCase();
  };
  const expect = (ch: string): void => {
    skip();
    if (src[at] !== ch) fail(`expected "${ch}"`);
    at++;
  };
  const peek = (): string => {
    skip();
    return src[at] ?? '';
  };
  const num = (): number => {
    skip();
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(at, at + 40));
    if (!m) return fail('expected a number');
    at += m[0].length;
    return Number(m[0]);
  };
  const position = (): Position => {
    const p = [num(), num()];
    while (/[-+.\d]/.test(peek())) p.push(num());
    return p.slice(0, 3);
  };
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const out = [item()];
    while (peek() === ',') {
      at++;
      out.push(item());
    }
    expect(')');
    return out;
  };
  const empty = (): boolean => {
    const save = at;
    if (word() === 'EMPTY') return true;
    at = save;
    return false;
  };
  const pointInMulti = (): Position => {
    if (peek() === '(') {
      expect('(');
      const p = position();
      expect(')');
      return p;
    }
    return position();
  };
  const geometry = (depth: number): Geometry => {
    if (depth > 8) fail('nested too deep');
    const type = word();
    const save = at;
    const dims = word();
    if (dims !== 'Z' && dims !== 'M' && dims !== 'ZM') at = save;
    switch (type) {
      case 'POINT':
        if (empty()) return { type: 'Point', coordinates: [] };
        expect('(');
        {
          const p = position();
          expect(')');
          return { type: 'Point', coordinates: p };
        }
      case 'MULTIPOINT':
        return { type: 'MultiPoint', coordinates: empty() ? [] : list(pointInMulti) };
      case 'LINESTRING':
        return { type: 'LineString', coordinates: empty() ? [] : list(position) };
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: empty() ? [] : list(() => list(position)) };
      case 'POLYGON':
        return { type: 'Polygon', coordinates: empty() ? [] : list(() => list(position)) };
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: empty() ? [] : list(() => list(() => list(position))) };
      case 'GEOMETRYCOLLECTION':
        return { type: 'GeometryCollection', geometries: empty() ? [] : list(() => geometry(depth + 1)) };
      default:
        return fail(type ? `unknown geometry type ${type}` : 'expected a geometry type');
    }
  };
  const g = geometry(0);
  skip();
  if (at < src.length) fail('unexpected text after the geometry');
  return g;
}
