/**
 * A bounded LZW decoder for GeoTIFF strips and tiles, registered in place of geotiff.js's own. That one follows
 * dictionary links without a bound and grows its output without a limit, so a damaged LZW strip (found by
 * fuzzing) loops until V8 aborts the whole process, which no try/catch can stop. This one stops at the size the
 * tile can have and at any code the dictionary cannot hold, and throws an Error that the reader turns into a
 * clear message. Same bit order (most significant first) and code-width changes ("early change") as TIFF 6.0.
 */
import { BaseDecoder } from 'geotiff';

const CLEAR = 256;
const EOI = 257;
const TABLE = 4096;
/** The largest strip or tile decoded, whatever the header says. */
const MAX_BLOCK_BYTES = 256 * 1024 * 1024;

/** Decodes TIFF LZW data into at most `maxBytes` bytes. Throws an Error on corrupt data. */
export function decodeLzw(input: Uint8Array, maxBytes: number): Uint8Array {
  const prefix = new Int16Array(TABLE);
  const suffix = new Uint8Array(TABLE);
  const lengths = new Uint16Array(TABLE);
  const first = new Uint8Array(TABLE);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    lengths[i] = 1;
    first[i] = i;
  }
  const out = new Uint8Array(maxBytes);
  let n = 0;
  let size = 258;
  let bits = 9;
  let pos = 0;
  let old = -1;

  const read = (): number => {
    const a = pos >> 3;
    if (a >= input.length) return EOI; // ran off the end without an EOI code: what was read stands
    const chunk = (input[a]! << 16) | ((input[a + 1] ?? 0) << 8) | (input[a + 2] ?? 0);
    const code = (chunk >>> (24 - (pos & 7) - bits)) & ((1 << bits) - 1);
    pos += bits;
    return code;
  };
  const emit = (code: number): void => {
    const length = lengths[code]!;
    if (n + length > maxBytes) throw new Error(`LZW data decodes to more than the ${maxBytes} bytes of its tile`);
    for (let k = length - 1, c = code; k >= 0; k--, c = prefix[c]!) out[n + k] = suffix[c]!;
    n += length;
  };
  const add = (p: number, c: number): void => {
    if (size >= TABLE) return; // full: the encoder should clear; further codes only refer to the table
    prefix[size] = p;
    suffix[size] = c;
    lengths[size] = lengths[p]! + 1;
    first[size] = first[p]!;
    size++;
    if (size + 1 >= 1 << bits && bits < 12) bits++;
  };

  for (let code = read(); code !== EOI; code = read()) {
    if (code === CLEAR) {
      size = 258;
      bits = 9;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new Error(`corrupt LZW data: code ${code} where a literal must come`);
      emit(code);
    } else if (code < size) {
      emit(code);
      add(old, first[code]!);
    } else if (code === size && size < TABLE) {
      // The code being defined: the previous string and its own first byte.
      add(old, first[old]!);
      emit(code);
    } else {
      throw new Error(`corrupt LZW data: code ${code} is not in the table of ${size}`);
    }
    old = code;
  }
  return out.subarray(0, n);
}

interface Parameters {
  tileWidth: number;
  tileHeight: number;
  bitsPerSample: number | ArrayLike<number>;
}

/** The bytes a strip or tile can hold, from the decoder's parameters. */
function blockBytes({ tileWidth, tileHeight, bitsPerSample }: Parameters): number {
  const bits = typeof bitsPerSample === 'number' ? [bitsPerSample] : Array.from(bitsPerSample);
  const perPixel = Math.ceil(bits.reduce((a, b) => a + b, 0) / 8);
  const bytes = tileWidth * tileHeight * perPixel;
  if (!Number.isFinite(bytes) || bytes <= 0 || bytes > MAX_BLOCK_BYTES)
    throw new Error(`a tile of ${tileWidth} × ${tileHeight} cells (${bits.join('/')} bits) is not one this reader decodes`);
  return bytes;
}

export class BoundedLzwDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBuffer): ArrayBuffer {
    const decoded = decodeLzw(new Uint8Array(buffer), blockBytes(this.parameters as unknown as Parameters));
    return decoded.slice().buffer;
  }
}
