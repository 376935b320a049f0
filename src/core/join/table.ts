/**
 * A table to join, read through the import's readers (readSource and its codecs: CSV in any of its encodings, a
 * workbook's sheet under the header its reader finds), so every table format the import reads is a table here too.
 * Rows without coordinates are what a join table has: the readers' coordinate problems are not problems here. The
 * readers keep long digit strings as text and numbers as numbers, so a code a spreadsheet rounded is seen as one.
 */
import { IoError } from '../io/messages';
import { readSource } from '../io/import';
import type { TableRow } from './match';

export interface JoinTable {
  fileName: string;
  format: string;
  encoding: string | null;
  /** A workbook's sheet the rows come from. */
  sheet: string | null;
  columns: string[];
  rows: TableRow[];
}

/** A table larger than this is not a join table (the import reads layers of any size). */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

/** Reads the whole file: a join table is small. */
async function bytesOf(stream: unknown): Promise<Uint8Array> {
  const reader = (stream as { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }> } }).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value) {
      parts.push(value);
      total += value.length;
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads a table (see the module comment). Throws IoError like the import. */
export async function readJoinTable(file: { size: number; stream(): unknown }, fileName: string): Promise<JoinTable> {
  if (file.size > MAX_TABLE_BYTES)
    throw new IoError('file-too-large', { file: fileName, bytes: file.size, limit: MAX_TABLE_BYTES, format: 'table' });
  const source = await readSource(await bytesOf(file.stream()), { fileName, maxBytes: MAX_TABLE_BYTES });
  // A reader's `blocking` (no coordinate columns) and its rows' coordinate problems concern layers, not tables.
  return {
    fileName,
    format: source.format,
    encoding: source.raw.encoding ?? null,
    sheet: source.raw.sheet ?? null,
    columns: source.raw.fieldNames,
    rows: source.raw.features.map((f) => ({ row: f.row ?? f.index + 2, values: f.properties })),
  };
}
