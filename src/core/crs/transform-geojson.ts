/**
 * Applies a point converter to every position of a GeoJSON object (FeatureCollection, Feature or
 * any Geometry, GeometryCollection included) and returns a new object. The input is never
 * mutated and shares nothing mutable with the output: properties and other members are deep-copied
 * (they are JSON by the spec). Null geometries stay null. Extra position values (z, m) are kept
 * as they are. A `bbox` member is dropped, since it describes the old coordinates.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { PointConverter } from './types';

/** Any GeoJSON object, features with null geometry included. */
export type AnyGeoJSON = Geometry | Feature<Geometry | null> | FeatureCollection<Geometry | null>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => cloneJson(v)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, Json>)) out[k] = cloneJson(v);
  return out as T;
}

/** Copies every member except the ones the caller rebuilds and `bbox`. */
function copyMembers(obj: object, skip: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'bbox' || skip.includes(k)) continue;
    out[k] = cloneJson(v as Json);
  }
  return out;
}

function position(p: Position, convert: PointConverter): Position {
  const [x, y] = convert(p[0] as number, p[1] as number);
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

function geometry(g: Geometry, convert: PointConverter): Geometry {
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
      return { ...rest, type: g.type, geometries: g.geometries.map((child) => geometry(child, convert)) };
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
