/**
 * Text encodings of the files people bring: UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), GBK/GB18030 (Excel's
 * plain "CSV" on a Chinese Windows, most older Chinese GIS data) and UTF-16 (Excel's "Unicode text"). Detection:
 * a BOM decides; otherwise the bytes are tried as strict UTF-8 and, failing that, read as GB18030 (a superset of
 * GBK and GB2312). Names for a caller-forced encoding follow the WHATWG labels ('gbk', 'gb2312', 'cp936' all
 * decode as GB18030).
 */
import { IoError } from './messages';
import { makeDecoder, type TextDecoderLike } from './web';

/** What `detected.encoding` reports. */
export type EncodingName = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be' | string;

function bomOf(bytes: Uint8Array): { encoding: EncodingName; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8-bom', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** The WHATWG label a decoder is made with for an encoding name. */
function decoderLabel(encoding: EncodingName): string {
  const e = encoding.toLowerCase().replace(/[\s_]/g, '-');
  if (e === 'utf-8-bom' || e === 'utf8') return 'utf-8';
  if (['gbk', 'gb2312', 'cp936', '936', 'ms936', 'windows-936', 'gb-2312', 'gb18030', 'euc-cn'].includes(e)) return 'gb18030';
  if (/^\d+$/.test(e)) return `windows-${e}`;
  return e;
}

/** Normalises a caller's or a .cpg file's encoding name to what `detected.encoding` reports. */
export function normaliseEncoding(name: string): EncodingName {
  const label = decoderLabel(name.trim());
  return label;
}

function decoderFor(encoding: EncodingName, file: string, fatal = false): TextDecoderLike {
  const decoder = makeDecoder(decoderLabel(encoding), fatal);
  if (!decoder) throw new IoError('encoding-unsupported', { file, encoding });
  return decoder;
}

/**
 * Whether bytes that are not strict UTF-8 are still UTF-8 with a few damaged bytes: decoded leniently, the valid
 * non-ASCII characters outnumber the replaced ones ten to one. GBK text read as UTF-8 gives almost nothing but
 * replacements, so it never passes.
 */
function mostlyUtf8(text: string): { utf8: boolean; replaced: number } {
  let replaced = 0;
  let valid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) replaced++;
    else if (c >= 0x80) valid++;
  }
  return { utf8: valid >= 10 * replaced && valid > 0, replaced };
}

/** A note that some bytes were not valid UTF-8 and were replaced. */
export function replacedWarning(file: string, replaced: number): { en: string; zh: string } {
  return {
    en: `${file}: ${replaced} damaged character(s) were not valid UTF-8 and show as �; check the rows that have them`,
    zh: `${file}：有 ${replaced} 处字符不是有效的 UTF-8，已显示为 �；请检查含有这些字符的行`,
  };
}

/** Decodes a whole file (or a .dbf field, a .prj), detecting the encoding unless one is forced. */
export function decodeText(bytes: Uint8Array, file: string, forced?: string): { text: string; encoding: EncodingName; replaced: number } {
  const bom = bomOf(bytes);
  if (forced) {
    const body = bom && decoderLabel(bom.encoding) === decoderLabel(forced) ? bytes.subarray(bom.length) : bytes;
    return { text: decoderFor(forced, file).decode(body), encoding: normaliseEncoding(forced), replaced: 0 };
  }
  if (bom) return { text: decoderFor(bom.encoding, file).decode(bytes.subarray(bom.length)), encoding: bom.encoding, replaced: 0 };
  try {
    return { text: decoderFor('utf-8', file, true).decode(bytes), encoding: 'utf-8', replaced: 0 };
  } catch (error) {
    if (error instanceof IoError) throw error;
    const lenient = decoderFor('utf-8', file).decode(bytes);
    const judged = mostlyUtf8(lenient);
    if (judged.utf8) return { text: lenient, encoding: 'utf-8', replaced: judged.replaced };
    return { text: decoderFor('gb18030', file).decode(bytes), encoding: 'gb18030', replaced: 0 };
  }
}

/** Whether `bytes` are strict UTF-8 (an incomplete sequence at the very end is allowed: it may continue). */
export function isUtf8(bytes: Uint8Array): boolean {
  const d = makeDecoder('utf-8', true);
  if (!d) return true;
  try {
    d.decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a byte stream chunk by chunk. The encoding is decided on the first chunk (a BOM, else strict UTF-8);
 * if a later chunk is not UTF-8 and everything before it was plain ASCII, the rest is read as GB18030; if UTF-8
 * text came before, the file mixes encodings and an IoError names the byte offset.
 */
export class StreamDecoder {
  encoding: EncodingName | undefined;
  private decoder: TextDecoderLike | undefined;
  private pending = new Uint8Array(0);
  private offset = 0;
  private asciiSoFar = true;
  private lenient = false;
  private readonly forced: string | undefined;
  /** Characters replaced by U+FFFD after damaged UTF-8. */
  replaced = 0;

  constructor(
    private readonly file: string,
    forced?: string,
  ) {
    this.forced = forced;
  }

  private start(bytes: Uint8Array): Uint8Array {
    const bom = bomOf(bytes);
    if (this.forced) {
      this.encoding = normaliseEncoding(this.forced);
      this.decoder = decoderFor(this.forced, this.file);
      return bom && decoderLabel(bom.encoding) === decoderLabel(this.forced) ? bytes.subarray(bom.length) : bytes;
    }
    if (bom) {
      this.encoding = bom.encoding;
      this.decoder = decoderFor(bom.encoding, this.file);
      return bytes.subarray(bom.length);
    }
    if (isUtf8(bytes)) {
      this.encoding = 'utf-8';
      this.decoder = decoderFor('utf-8', this.file, true);
    } else if (mostlyUtf8(decoderFor('utf-8', this.file).decode(bytes)).utf8) {
      this.encoding = 'utf-8';
      this.decoder = decoderFor('utf-8', this.file);
      this.lenient = true;
    } else {
      this.encoding = 'gb18030';
      this.decoder = decoderFor('gb18030', this.file);
    }
    return bytes;
  }

  /** Text of the next chunk (may be empty while a BOM is still incomplete). */
  push(chunk: Uint8Array): string {
    let bytes = chunk;
    if (!this.decoder) {
      // A BOM needs its first 3 bytes together.
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      if (joined.length < 3) {
        this.pending = joined;
        return '';
      }
      this.pending = new Uint8Array(0);
      bytes = this.start(joined);
    }
    return this.decode(bytes);
  }

  private decode(bytes: Uint8Array): string {
    const decoder = this.decoder as TextDecoderLike;
    try {
      const text = decoder.decode(bytes, { stream: true });
      if (this.asciiSoFar) this.asciiSoFar = bytes.every((b) => b < 0x80);
      this.offset += bytes.length;
      if (this.lenient) this.replaced += countReplaced(text);
      return text;
    } catch {
      this.offset += bytes.length;
      if (this.encoding === 'utf-8' && this.asciiSoFar && !this.forced) {
        // Plain ASCII so far, and now bytes that are not UTF-8: the file is GBK.
        this.encoding = 'gb18030';
        this.decoder = decoderFor('gb18030', this.file);
        return this.decoder.decode(bytes, { stream: true });
      }
      // UTF-8 text came before: a damaged byte, not another encoding. Go on, replacing what cannot be read.
      this.decoder = decoderFor('utf-8', this.file);
      this.lenient = true;
      const text = this.decoder.decode(bytes, { stream: true });
      this.replaced += countReplaced(text);
      return text;
    }
  }

  /** The text still held back (an incomplete sequence at the end). */
  end(): string {
    if (!this.decoder) {
      if (this.pending.length === 0) return '';
      const rest = this.start(this.pending);
      this.pending = new Uint8Array(0);
      return this.decode(rest) + this.flush();
    }
    return this.flush();
  }

  private flush(): string {
    try {
      return (this.decoder as TextDecoderLike).decode();
    } catch {
      // The file ends inside a multi-byte character.
      this.replaced++;
      return '\uFFFD';
    }
  }
}

function countReplaced(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}
