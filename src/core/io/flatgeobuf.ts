/**
 * FlatGeobuf bytes ↔ GeoJSON FeatureCollection.
 * Limits of the format (as flatgeobuf-js writes it): one geometry type per file is best, the column
 * schema is taken from the first feature, and nested objects are stored as JSON strings.
 */
import { deserialize, serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { FeatureCollection, Geometry } from 'geojson';

/**
 * Refuses a header flatgeobuf-js would hang on: a spatial index over zero features makes its tree-size loop
 * never end (a damaged count, found by fuzzing). Throws an Error whose message says what is wrong.
 */
export function checkFlatGeobufHeader(meta: { featuresCount: number; indexNodeSize: number }): void {
  if (meta.indexNodeSize > 0 && !(meta.featuresCount > 0)) {
    throw new Error(`the header declares a spatial index over ${meta.featuresCount} features (the file is damaged)`);
  }
}

export async function readFlatGeobuf<G extends Geometry = Geometry, P = Record<string, unknown>>(
  bytes: Uint8Array,
): Promise<FeatureCollection<G, P>> {
  const features: FeatureCollection<G, P>['features'] = [];
  for await (const feature of deserialize(bytes, { headerMetaFn: checkFlatGeobufHeader })) {
    features.push(feature as unknown as FeatureCollection<G, P>['features'][number]);
  }
  return { type: 'FeatureCollection', features };
}

/** Writes WGS84 (EPSG:4326) FlatGeobuf with a spatial index. */
export function writeFlatGeobuf(collection: FeatureCollection): Uint8Array {
  return serialize(collection as Parameters<typeof serialize>[0], 4326);
}
