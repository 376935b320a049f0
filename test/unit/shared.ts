/** Test helpers: the committed data/ and the real tables of ../shared, read the same way the app reads them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CountyId } from '../../src/core/counties';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { LAYER_NAMES, type CountyDataset } from '../../src/core/model';
import { readSharedTables } from '../../scripts/read-shared';
import { REPO_ROOT, sharedDir } from '../../scripts/shared-dir';

export const sharedTables = () => readSharedTables(sharedDir());

export async function readCommittedCounty(id: CountyId): Promise<CountyDataset> {
  const entries = await Promise.all(
    LAYER_NAMES.map(
      async (layer) => [layer, await readFlatGeobuf(new Uint8Array(readFileSync(resolve(REPO_ROOT, 'data', id, `${layer}.fgb`))))] as const,
    ),
  );
  return Object.fromEntries(entries) as unknown as CountyDataset;
}

export function committedBytes(id: CountyId, layer: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(REPO_ROOT, 'data', id, `${layer}.fgb`)));
}

export function readMeta(id: CountyId): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, 'data', id, 'meta.json'), 'utf8')) as Record<string, unknown>;
}
