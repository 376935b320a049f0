/**
 * dBase III (.dbf) tables, the attribute half of a Shapefile, read and written here rather than with parsedbf
 * (shpjs's reader) or mapbox/dbf (shp-write's writer) because:
 * - parsedbf reads an empty numeric field as NaN, keeps records marked deleted, ignores the code page byte, and
 *   trusts the header's record count (a damaged count makes it loop over billions of empty records);
 * - mapbox/dbf writes each UTF-16 code unit as one byte, so Chinese text and field names are destroyed.
 *
 * Reading: C (text), N/F (numbers; blank or `*` overflow → null), L (true/false/null), D (YYYYMMDD →
 * "YYYY-MM-DD"), anything else as text. Text encoding from the .cpg, else the header's code page byte (0x4D/0x7A
 * → GBK), else detected (strict UTF-8, else GB18030). Writing: UTF-8 with a .cpg, field names cut to 10 bytes
 * (never inside a character) and made unique, text up to 254 bytes, numbers as their shortest exact decimal
 * text (N, 24 wide), booleans as L.
 */
import { normaliseEncoding } from '../text';
import { encodeUtf8, makeDecoder, type TextDecoderLike } from '../web';
import { setProperty } from './geojson';

interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
}

export interface DbfTable {
  fields: DbfField[];
  records: (Record<string, unknown> | null)[];
  encoding: string;
  /** Records the header counts but the file does not hold. */
  missing: number;
}

/** A .dbf whose header disagrees with its bytes, in both languages. */
export class DbfDamage extends Error {
  readonly zh: string;
  constructor(en: string, zh: string) {
    super(en);
    this.name = 'DbfDamage';
    this.zh = zh;
  }
}

/** The code page of a dBase language driver id (byte 29), for the ids found on Chinese data. */
function ldidEncoding(ldid: number): string | undefined {
  if (ldid === 0x4d || ldid === 0x7a) return 'gb18030';
  if (ldid === 0x4e) return 'euc-kr';
  if (ldid === 0x4f) return 'big5';
  if (ldid === 0x57 || ldid === 0x03) return 'windows-1252';
  return undefined;
}

/** The encoding a .cpg names ("UTF-8", "GBK", "936", "CP936", "ANSI 936", "65001"). */
export function cpgEncoding(cpg: string): string {
  const t = cpg.trim().replace(/^ANSI\s+/i, '');
  if (/^(65001|utf-?8)$/i.test(t)) return 'utf-8';
  if (/^(cp)?936$/i.test(t)) return 'gb18030';
  if (/^\d+$/.test(t)) return `windows-${t}`;
  return normaliseEncoding(t);
}

function sliceText(decoder: TextDecoderLike, bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function detectEncoding(view: Uint8Array, start: number): string {
  const sample = view.subarray(start, Math.min(view.length, start + 4 * 1024 * 1024));
  if (sample.every((b) => b < 0x80)) return 'utf-8';
  const strict = makeDecoder('utf-8', true);
  try {
    strict?.decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

function readValue(field: DbfField, raw: Uint8Array, decoder: TextDecoderLike): unknown {
  switch (field.type) {
    case 'N':
    case 'F': {
      const t = sliceText(decoder, raw).trim();
      if (t === '' || /^\*+$/.test(t)) return null;
      const n = Number(t.replace(/^\+/, ''));
      return Number.isFinite(n) ? n : null;
    }
    case 'L': {
      const c = String.fromCharCode(raw[0] ?? 32);
      if ('TtYy'.includes(c)) return true;
      if ('FfNn'.includes(c)) return false;
      return null;
    }
    case 'D': {
      const t = sliceText(decoder, raw).trim();
      const m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
      return m ? `${m[1]}-${m[2]}-${m[3]}` : t === '' ? null : t;
    }
    default: {
      let end = raw.length;
      while (end > 0 && (raw[end - 1] === 0x20 || raw[end - 1] === 0)) end--;
      if (end === 0) return null;
      return sliceText(decoder, raw.subarray(0, end));
    }
  }
}

/** Reads a .dbf; `encoding` from the .cpg when there is one. Throws Error with a plain reason when damaged. */
export function readDbf(bytes: Uint8Array, encoding?: string): DbfTable {
  if (bytes.length < 33) throw new Error('the .dbf is shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength < 33 || headerLength > bytes.length) throw new Error('the .dbf header length is out of range');
  if (recordLength < 1) throw new Error('the .dbf record length is 0');
  const enc = encoding ?? ldidEncoding(bytes[29] ?? 0) ?? detectEncoding(bytes, headerLength);
  const decoder = makeDecoder(enc) ?? (makeDecoder('utf-8') as TextDecoderLike);
  const fields: DbfField[] = [];
  let width = 1;
  for (let at = 32; at + 32 <= headerLength && bytes[at] !== 0x0d; at += 32) {
    const nameBytes = bytes.subarray(at, at + 11);
    const nul = nameBytes.indexOf(0);
    const name = decoder.decode(nul >= 0 ? nameBytes.subarray(0, nul) : nameBytes).trim();
    const field = {
      name,
      type: String.fromCharCode(bytes[at + 11] ?? 67).toUpperCase(),
      length: bytes[at + 16] ?? 0,
      decimals: bytes[at + 17] ?? 0,
    };
    fields.push(field);
    width += field.length;
    if (fields.length > 2048) throw new Error('the .dbf has more than 2048 fields');
  }
  if (width > recordLength) throw new Error(`the .dbf fields (${width} bytes) do not fit its record length (${recordLength})`);
  // Names repeated in the header get a suffix, so no column is lost.
  const used = new Map<string, number>();
  for (const f of fields) {
    const n = used.get(f.name) ?? 0;
    used.set(f.name, n + 1);
    if (n > 0 || f.name === '') f.name = `${f.name || 'field'}_${n + 1}`;
  }
  // The header's record count must match the bytes: a .dbf cut short, ended early by its 0x1A end mark, or holding
  // more records than it declares is refused rather than read in part.
  const available = Math.floor((bytes.length - headerLength) / recordLength);
  if (declared > available) {
    throw new DbfDamage(
      `the .dbf header declares ${declared} records but the file holds ${available}`,
      `.dbf 文件头声明 ${declared} 条记录，而文件中只有 ${available} 条`,
    );
  }
  const after = headerLength + declared * recordLength;
  if (bytes.length - after >= recordLength && (bytes[after] === 0x20 || bytes[after] === 0x2a)) {
    throw new DbfDamage(
      `the .dbf header declares ${declared} records but the file holds ${available}`,
      `.dbf 文件头声明 ${declared} 条记录，而文件中有 ${available} 条`,
    );
  }
  const records: (Record<string, unknown> | null)[] = [];
  for (let r = 0; r < declared; r++) {
    let at = headerLength + r * recordLength;
    if (bytes[at] === 0x1a) {
      throw new DbfDamage(
        `the .dbf ends (0x1A) at record ${r + 1} of the ${declared} its header declares`,
        `.dbf 在第 ${r + 1} 条记录处结束（0x1A），而文件头声明 ${declared} 条`,
      );
    }
    if (bytes[at] === 0x2a) {
      records.push(null);
      continue;
    }
    at += 1;
    const rec: Record<string, unknown> = {};
    for (const f of fields) {
      setProperty(rec, f.name, readValue(f, bytes.subarray(at, at + f.length), decoder));
      at += f.length;
    }
    records.push(rec);
  }
  return { fields, records, encoding: enc, missing: Math.max(0, declared - records.length) };
}

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────────────

export type DbfKind = 'bool' | 'number' | 'string' | 'json';

export interface DbfColumn {
  /** The property name. */
  name: string;
  /** The name in the .dbf (≤ 10 bytes of UTF-8, unique). */
  dbfName: string;
  kind: DbfKind;
}

/** Cuts UTF-8 text to at most `max` bytes without splitting a character. */
function cutUtf8(text: string, max: number): { bytes: Uint8Array; cut: boolean } {
  const bytes = encodeUtf8(text);
  if (bytes.length <= max) return { bytes, cut: false };
  let end = max;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return { bytes: bytes.subarray(0, end), cut: true };
}

/**
 * Unique .dbf names (≤ 10 UTF-8 bytes, compared without case) for property names, in order; a name `short`
 * gives is used in place of the name's first 10 bytes (still cut and made unique).
 */
function dbfNames(names: readonly string[], short: Readonly<Record<string, string>> = {}): string[] {
  const taken = new Set<string>();
  const decoder = makeDecoder('utf-8') as TextDecoderLike;
  return names.map((name) => {
    const clean = (short[name] ?? name).replace(/[\s\0]/g, '_') || 'field';
    let candidate = decoder.decode(cutUtf8(clean, 10).bytes);
    for (let n = 1; taken.has(candidate.toLowerCase()); n++) {
      const suffix = `_${n}`;
      candidate = decoder.decode(cutUtf8(clean, 10 - suffix.length).bytes) + suffix;
    }
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

function kindOf(values: Iterable<unknown>): DbfKind {
  let kind: DbfKind | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const k: DbfKind =
      typeof v === 'boolean' ? 'bool' : typeof v === 'number' && Number.isFinite(v) ? 'number' : typeof v === 'string' ? 'string' : 'json';
    if (kind === null) kind = k;
    else if (kind !== k) return 'json';
  }
  return kind ?? 'string';
}

/** Columns for the properties of all rows, in `order` first; `short`: .dbf names chosen for some of them. */
export function dbfColumns(
  rows: readonly Record<string, unknown>[],
  order: readonly string[] = [],
  short: Readonly<Record<string, string>> = {},
): DbfColumn[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const n of order) {
    if (!seen.has(n) && rows.some((r) => n in r)) {
      seen.add(n);
      names.push(n);
    }
  }
  for (const r of rows) {
    for (const n of Object.keys(r)) {
      if (!seen.has(n)) {
        seen.add(n);
        names.push(n);
      }
    }
  }
  const dbf = dbfNames(names, short);
  return names.map((name, i) => ({ name, dbfName: dbf[i] as string, kind: kindOf(rows.map((r) => r[name])) }));
}

/** The .dbf bytes for rows; `truncated` lists the columns whose text was cut to 254 bytes. */
export function writeDbf(
  rows: readonly Record<string, unknown>[],
  columns: readonly DbfColumn[],
): { bytes: Uint8Array; truncated: string[] } {
  const truncated = new Set<string>();
  const cells: Uint8Array[][] = rows.map(() => []);
  const widths = columns.map((col, c) => {
    let w = 1;
    rows.forEach((row, r) => {
      const v = row[col.name];
      let b: Uint8Array;
      if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) b = new Uint8Array(0);
      else if (col.kind === 'bool') b = encodeUtf8(v ? 'T' : 'F');
      else if (col.kind === 'number') b = encodeUtf8(String(v));
      else {
        const text = typeof v === 'string' && col.kind === 'string' ? v : JSON.stringify(v);
        const { bytes, cut } = cutUtf8(text, 254);
        if (cut) truncated.add(col.name);
        b = bytes;
      }
      (cells[r] as Uint8Array[])[c] = b;
      w = Math.max(w, b.length);
    });
    return col.kind === 'bool' ? 1 : col.kind === 'number' ? 24 : Math.min(254, w);
  });
  const headerLength = 32 + 32 * columns.length + 1;
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  if (recordLength > 65535) throw new Error('the .dbf record would be longer than 65,535 bytes');
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const view = new DataView(out.buffer);
  const now = new Date();
  out[0] = 0x03;
  out[1] = now.getUTCFullYear() - 1900;
  out[2] = now.getUTCMonth() + 1;
  out[3] = now.getUTCDate();
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  out[29] = 0; // code page from the .cpg (UTF-8)
  columns.forEach((col, c) => {
    const at = 32 + 32 * c;
    out.set(encodeUtf8(col.dbfName).subarray(0, 10), at);
    out[at + 11] = (col.kind === 'bool' ? 'L' : col.kind === 'number' ? 'N' : 'C').charCodeAt(0);
    out[at + 16] = widths[c] as number;
    // Numbers are written with as many decimals as they need; the header's decimal count only marks the type.
    out[at + 17] = col.kind === 'number' ? (rows.every((r) => Number.isInteger(r[col.name] ?? 0)) ? 0 : 15) : 0;
  });
  out[headerLength - 1] = 0x0d;
  let at = headerLength;
  rows.forEach((_, r) => {
    out[at++] = 0x20;
    columns.forEach((col, c) => {
      const w = widths[c] as number;
      const b = (cells[r] as Uint8Array[])[c] as Uint8Array;
      out.fill(0x20, at, at + w);
      if (col.kind === 'number') out.set(b, at + w - b.length);
      else out.set(b, at);
      at += w;
    });
  });
  out[at] = 0x1a;
  return { bytes: out, truncated: [...truncated] };
}
