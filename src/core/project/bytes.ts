/**
 * The outer layer of a project file: plain UTF-8 JSON, or the same gzip-compressed (RFC 1952, with fflate).
 * Unpacking checks everything gzip records (header, the CRC-32 and the length of the contents) so a damaged
 * file is told apart from a cut-off one, and stops at a size limit instead of exhausting memory.
 */
import { Inflate, gzipSync } from 'fflate';
import { makeDecoder } from '../io/web';

/** Larger text cannot become one JavaScript string anyway. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

export type BytesProblem =
  { code: 'truncated' } | { code: 'corrupt'; reason: 'header' | 'deflate' | 'checksum' | 'size' | 'utf8' } | { code: 'too_large' };

export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

let crcTable: Int32Array | null = null;

/** CRC-32 (IEEE 802.3), as gzip stores it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const table = crcTable;
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** Where the compressed data start after the gzip header, or a problem with the header. */
function bodyStart(bytes: Uint8Array): number | BytesProblem {
  if (bytes.length < 18) return { code: 'truncated' };
  if (bytes[2] !== 8 || (bytes[3]! & 0xe0) !== 0) return { code: 'corrupt', reason: 'header' };
  const flags = bytes[3]!;
  let at = 10;
  if (flags & 4) at += 2 + (bytes[10]! | (bytes[11]! << 8));
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (at < bytes.length && bytes[at] !== 0) at++;
    at++;
  }
  if (flags & 2) at += 2;
  return at > bytes.length - 8 ? { code: 'truncated' } : at;
}

const SLICE = 64 * 1024;

/** The contents of a gzip file, checked against its CRC-32 and length. */
export function gunzip(bytes: Uint8Array, limit = MAX_TEXT_BYTES): Uint8Array | BytesProblem {
  const start = bodyStart(bytes);
  if (typeof start !== 'number') return start;
  const body = bytes.subarray(start, bytes.length - 8);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    chunks.push(chunk);
    total += chunk.length;
    if (final) done = true;
  });
  try {
    for (let at = 0; at < body.length; at += SLICE) {
      inflater.push(body.subarray(at, Math.min(body.length, at + SLICE)), at + SLICE >= body.length);
      if (total > limit) return { code: 'too_large' };
    }
    if (body.length === 0) inflater.push(body, true);
  } catch (error) {
    // fflate's code 0 is "unexpected EOF": the data stop before the compressed stream ends.
    return (error as { code?: unknown }).code === 0 ? { code: 'truncated' } : { code: 'corrupt', reason: 'deflate' };
  }
  if (!done) return { code: 'truncated' };
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  if (crc32(out) !== u32(bytes, bytes.length - 8)) return { code: 'corrupt', reason: 'checksum' };
  if (out.length >>> 0 !== u32(bytes, bytes.length - 4)) return { code: 'corrupt', reason: 'size' };
  return out;
}

/** gzip with a zero timestamp, so saving the same project twice gives the same bytes. */
export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 6, mtime: 0 });
}

/**
 * UTF-8 bytes to text, refusing invalid sequences; a byte-order mark is dropped. An incomplete character at the
 * very end is left out rather than refused (streaming mode), so a file cut inside a Chinese name reads as cut
 * off, not as damaged.
 */
export function decodeText(bytes: Uint8Array): string | BytesProblem {
  const decoder = makeDecoder('utf-8', true);
  if (!decoder) throw new Error('decodeText: this platform has no TextDecoder');
  let text: string;
  try {
    text = decoder.decode(bytes, { stream: true });
  } catch {
    return { code: 'corrupt', reason: 'utf8' };
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
