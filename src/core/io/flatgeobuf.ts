/**
 * FlatGeobuf bytes ↔ GeoJSON FeatureCollection.
 * Limits of the format (as flatgeobuf-js writes it): one geometry type per file is best, the column
 * schema is taken from the first feature, and nested objects are stored as JSON strings.
 */
import { deserialize, serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { FeatureCollection, Geometry } from 'geojson';

export async function readFlatGeobuf<G extends Geometry = Geometry, P = Record<string, unknown>>(
  bytes: Uint8Array,
): Promise<FeatureCollection<G, P>> {
  const features: FeatureCollection<G, P>['features'] = [];
  for await (const feature of deserialize(bytes)) {
    features.push(feature as unknown as FeatureCollection<G, P>['features'][number]);
  }
  return { type: 'FeatureCollection', features };
}

/** Writes WGS84 (EPSG:4326) FlatGeobuf with a spatial index. */
export function writeFlatGeobuf(collection: FeatureCollection): Uint8Array {
  return serialize(collection as Parameters<typeof serialize>[0], 4326);
}
