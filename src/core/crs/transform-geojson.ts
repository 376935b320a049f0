/**
 * Applies a point converter to every position of a GeoJSON object (FeatureCollection, Feature or
 * any Geometry, GeometryCollection included) and returns a new object. The input is never
 * mutated and shares nothing mutable with the output: properties and other members are deep-copied
 * (they are JSON by the spec). Null geometries stay null. Extra position values (z, m) are kept
 * as they are. A `bbox` member is dropped, since it describes the old coordinates.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { CrsError, type PointConverter } from './types';

/** Any GeoJSON object, features with null geometry included. */
export type AnyGeoJSON = Geometry | Feature<Geometry | null> | FeatureCollection<Geometry | null>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sets a member, `__proto__` included (an assignment of that name would change the prototype instead). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of JSON, without recursion: a value nested 200,000 levels deep cannot overflow the stack. */
function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: [object, Record<string, unknown>][] = [[value, root as Record<string, unknown>]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [object, Record<string, unknown>];
    const entries: [string, unknown][] = Array.isArray(from) ? from.map((v, i) => [String(i), v]) : Object.entries(from);
    for (const [k, v] of entries) {
      if (v === null || typeof v !== 'object') {
        put(to, k, v);
        continue;
      }
      const copy = Array.isArray(v) ? [] : {};
      put(to, k, copy);
      stack.push([v, copy as Record<string, unknown>]);
    }
  }
  return root as T;
}

/** GeometryCollections nested deeper than this are refused (RFC 7946 advises against nesting them at all). */
const MAX_COLLECTION_DEPTH = 100;

/** Copies every member except the ones the caller rebuilds and `bbox`. */
function copyMembers(obj: object, skip: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'bbox' || skip.includes(k)) continue;
    put(out, k, cloneJson(v as Json));
  }
  return out;
}

function position(p: Position, convert: PointConverter): Position {
  const [x, y] = convert(p[0] as number, p[1] as number);
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

function geometry(g: Geometry, convert: PointConverter, depth = 0): Geometry {
  const rest = copyMembers(g, ['type', 'coordinates', 'geometries']);
  switch (g.type) {
    case 'Point':
      return { ...rest, type: g.type, coordinates: position(g.coordinates, convert) };
    case 'MultiPoint':
    case 'LineString':
      return { ...rest, type: g.type, coordinates: g.coordinates.map((p) => position(p, convert)) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...rest, type: g.type, coordinates: g.coordinates.map((l) => l.map((p) => position(p, convert))) };
    case 'MultiPolygon':
      return { ...rest, type: g.type, coordinates: g.coordinates.map((r) => r.map((l) => l.map((p) => position(p, convert)))) };
    case 'GeometryCollection':
      if (depth >= MAX_COLLECTION_DEPTH) {
        throw new CrsError(
          `GeometryCollection nested too deeply (more than ${MAX_COLLECTION_DEPTH} levels)`,
          `几何集合（GeometryCollection）嵌套层级过深（超过 ${MAX_COLLECTION_DEPTH} 层）`,
        );
      }
      return { ...rest, type: g.type, geometries: g.geometries.map((child) => geometry(child, convert, depth + 1)) };
  }
}

function feature(f: Feature<Geometry | null>, convert: PointConverter): Feature<Geometry | null> {
  return {
    ...copyMembers(f, ['type', 'geometry', 'properties']),
    type: 'Feature',
    properties: cloneJson(f.properties),
    geometry: f.geometry === null ? null : geometry(f.geometry, convert),
  } as Feature<Geometry | null>;
}

/**
 * A copy of `input` with `convert` applied to every position. The output has the same type as the
 * input. Throws on an object whose `type` is not a GeoJSON type.
 */
export function transformGeoJSON<T extends AnyGeoJSON>(input: T, convert: PointConverter): T {
  const obj: AnyGeoJSON = input;
  switch (obj.type) {
    case 'FeatureCollection': {
      const out: FeatureCollection<Geometry | null> = {
        ...copyMembers(obj, ['type', 'features']),
        type: 'FeatureCollection',
        features: obj.features.map((f) => feature(f, convert)),
      };
      return out as T;
    }
    case 'Feature':
      return feature(obj, convert) as T;
    case 'Point':
    case 'MultiPoint':
    case 'LineString':
    case 'MultiLineString':
    case 'Polygon':
    case 'MultiPolygon':
    case 'GeometryCollection':
      return geometry(obj, convert) as T;
    default:
      throw new TypeError(`Not a GeoJSON object: type ${String((obj as { type?: unknown }).type)}`);
  }
}
