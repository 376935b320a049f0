/** Test helpers: the committed data/ and the real tables of ../shared, read the same way the app reads them. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

/** A workbook's cell as openpyxl reads it: value, data type, number format. */
export type WorkbookCell = [value: unknown, type: string, format: string];

const READ_WORKBOOK = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([{"name": ws.title, "rows": [[[c.value, c.data_type, c.number_format] for c in row] for row in ws.iter_rows()]}
                  for ws in wb.worksheets], ensure_ascii=False))
`;

/** A workbook's sheets as openpyxl (Debian's python3-openpyxl, an independent reader) reads them. */
export function readWorkbook(bytes: Uint8Array): { name: string; rows: WorkbookCell[][] }[] {
  const dir = mkdtempSync(join(tmpdir(), 'healthshed-workbook-'));
  try {
    const path = join(dir, 'book.xlsx');
    writeFileSync(path, bytes);
    const out = execFileSync('/usr/bin/python3', ['-c', READ_WORKBOOK, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return JSON.parse(out) as { name: string; rows: WorkbookCell[][] }[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
