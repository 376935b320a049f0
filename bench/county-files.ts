/** The embedded counties' files, read from data/ as the benches use them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { readFlatGeobuf } from '../src/core/io/flatgeobuf';

const root = resolve(import.meta.dirname, '..');

export async function readCounty(id: string): Promise<Record<'facilities' | 'population' | 'roads' | 'townships', FeatureCollection>> {
  const read = async (layer: string) =>
    (await readFlatGeobuf(new Uint8Array(readFileSync(resolve(root, 'data', id, `${layer}.fgb`))))) as FeatureCollection;
  const [facilities, population, roads, townships] = await Promise.all(['facilities', 'population', 'roads', 'townships'].map(read));
  return { facilities: facilities!, population: population!, roads: roads!, townships: townships! };
}
