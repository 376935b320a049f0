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
export function decodeText(
  bytes: Uint8Array,
  file: string,
  forced?: string,
): { text: string; encoding: EncodingName; replaced: number; gbkRows?: number[] } {
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
    // Some lines UTF-8 text and others GBK (rows pasted from two sources): each line as it fits, and the rows named.
    const mixed = decodeMixed(bytes, file);
    if (mixed) return { text: mixed.text, encoding: 'utf-8+gb18030', replaced: mixed.replaced, gbkRows: mixed.gbkRows };
    const lenient = decoderFor('utf-8', file).decode(bytes);
    const judged = mostlyUtf8(lenient);
    if (judged.utf8) return { text: lenient, encoding: 'utf-8', replaced: judged.replaced };
    return { text: decoderFor('gb18030', file).decode(bytes), encoding: 'gb18030', replaced: 0 };
  }
}

/** Whether every byte is below 0x80 (a loop: `every` with a callback costs seconds on a 600 MB file). */
function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Whether `bytes` are strict UTF-8 (an incomplete sequence at the very end is allowed: it may continue). */
function isUtf8(bytes: Uint8Array): boolean {
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

  /** Line by line (CSV): each line in the encoding it fits (see LineDecoder), when no BOM or encoding decides. */
  private readonly perLine: boolean;
  private lines: LineDecoder | undefined;
  private lineRest = new Uint8Array(0);

  constructor(
    private readonly file: string,
    forced?: string,
    options: { perLine?: boolean } = {},
  ) {
    this.forced = forced;
    this.perLine = options.perLine ?? false;
  }

  /** 1-based numbers of the lines read as GBK in a file that mixes encodings (line-by-line reading only). */
  get mixedRows(): number[] {
    return this.lines?.mixed ? this.lines.gbkRows : [];
  }

  private lineText(bytes: Uint8Array, last: boolean): string {
    const lines = this.lines as LineDecoder;
    let all = bytes;
    if (this.lineRest.length > 0) {
      all = new Uint8Array(this.lineRest.length + bytes.length);
      all.set(this.lineRest);
      all.set(bytes, this.lineRest.length);
    }
    // Whole lines only, so no character is split; a line longer than 16 MB is decoded as it is.
    const cut = last || all.length - all.lastIndexOf(0x0a) > 16 * 1024 * 1024 ? all.length : all.lastIndexOf(0x0a) + 1;
    this.lineRest = all.slice(cut);
    const text = cut > 0 ? lines.decode(all.subarray(0, cut)) : '';
    this.encoding = lines.encoding;
    this.replaced = lines.replaced;
    return text;
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
    if (this.perLine) {
      this.lines = new LineDecoder(this.file);
      this.decoder = decoderFor('utf-8', this.file);
      this.encoding = 'utf-8';
    } else if (isUtf8(bytes)) {
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
    return this.lines ? this.lineText(bytes, false) : this.decode(bytes);
  }

  private decode(bytes: Uint8Array): string {
    const decoder = this.decoder as TextDecoderLike;
    try {
      const text = decoder.decode(bytes, { stream: true });
      if (this.asciiSoFar) this.asciiSoFar = isAscii(bytes);
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
      if (this.lines) return this.lineText(rest, true);
      return this.decode(rest) + this.flush();
    }
    if (this.lines) return this.lineText(new Uint8Array(0), true);
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

// ── files that mix encodings line by line ───────────────────────────────────────────────────────────────────────

/**
 * How one line's bytes fit: plain ASCII; valid UTF-8 with Chinese in it ('utf8': real UTF-8 text); valid UTF-8
 * without (a 'weak' fit: GBK bytes can happen to be valid UTF-8 of accented Latin or Cyrillic letters); not UTF-8
 * but valid GB18030 and with (next to) no UTF-8 Chinese in it ('gbk'); or UTF-8 with damaged bytes ('damaged').
 */
type LineFit = 'ascii' | 'utf8' | 'weak' | 'gbk' | 'damaged';

/** Whether bytes[from, to) are strict GB18030 (GBK two-byte and GB18030 four-byte sequences). */
function isGb18030(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    if (b === 0x80 || b === 0xff || i + 1 >= to) return false;
    const t = bytes[i + 1] as number;
    if ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfe)) {
      i++;
      continue;
    }
    if (t >= 0x30 && t <= 0x39 && i + 3 < to) {
      const t2 = bytes[i + 2] as number;
      const t3 = bytes[i + 3] as number;
      if (t2 >= 0x81 && t2 <= 0xfe && t3 >= 0x30 && t3 <= 0x39) {
        i += 3;
        continue;
      }
    }
    return false;
  }
  return true;
}

/** The fit of bytes[from, to) (one line), by one pass over the UTF-8 sequences. */
function lineFit(bytes: Uint8Array, from: number, to: number): LineFit {
  let ascii = true;
  let bad = 0;
  let chinese = 0;
  let twoByte = 0;
  for (let i = from; i < to;) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    ascii = false;
    const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = n > 0 && i + n <= to;
    for (let k = 1; ok && k < n; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok && n === 3) {
      const cp = ((b & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) ok = false;
      else if (cp >= 0x4e00 && cp <= 0x9fff) chinese++;
    } else if (ok && n === 4) {
      const b1 = bytes[i + 1] as number;
      if ((b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) ok = false;
    } else if (ok && n === 2) {
      const cp = ((b & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
      // ° · × ÷ are common in Chinese tables (度分秒 coordinates); other two-byte letters are what GBK looks like.
      if (cp !== 0xb0 && cp !== 0xb7 && cp !== 0xd7 && cp !== 0xf7) twoByte++;
    }
    if (ok) i += n;
    else {
      bad++;
      i++;
    }
  }
  if (ascii) return 'ascii';
  if (bad === 0) return chinese > 0 && twoByte === 0 ? 'utf8' : 'weak';
  return isGb18030(bytes, from, to) && chinese * 4 < bad ? 'gbk' : 'damaged';
}

/**
 * Decodes text whose lines may each be UTF-8 or GBK/GB18030, line by line, keeping count across calls (so a stream
 * can be fed block by block, each block ending at a line end). A line takes the encoding it fits; a 'weak' line
 * (valid UTF-8 that GBK bytes can also form) goes with the file's GBK lines when there are more of those so far.
 */
export class LineDecoder {
  private readonly utf8 = makeDecoder('utf-8') as TextDecoderLike;
  private readonly gbk: TextDecoderLike;
  /** Lines read so far. */
  line = 0;
  /** 1-based numbers of the lines read as GBK/GB18030. */
  readonly gbkRows: number[] = [];
  /** Lines of non-ASCII text read as UTF-8. */
  utf8Lines = 0;
  /** Characters replaced by U+FFFD in damaged UTF-8 lines. */
  replaced = 0;

  constructor(file: string) {
    this.gbk = decoderFor('gb18030', file);
  }

  /** Whether the lines read so far mix UTF-8 and GBK text. */
  get mixed(): boolean {
    return this.gbkRows.length > 0 && this.utf8Lines > 0;
  }

  get encoding(): EncodingName {
    return this.mixed ? 'utf-8+gb18030' : this.gbkRows.length > 0 ? 'gb18030' : 'utf-8';
  }

  /** Text of whole lines (the last may lack its line end only at the end of the file). */
  decode(bytes: Uint8Array): string {
    const lines: { from: number; to: number; fit: LineFit }[] = [];
    let gbkHere = 0;
    let utf8Here = 0;
    for (let from = 0; from < bytes.length;) {
      const nl = bytes.indexOf(0x0a, from);
      const to = nl < 0 ? bytes.length : nl + 1;
      const fit = lineFit(bytes, from, to);
      if (fit === 'gbk') gbkHere++;
      else if (fit === 'utf8') utf8Here++;
      lines.push({ from, to, fit });
      from = to;
    }
    const weakAsGbk = this.gbkRows.length + gbkHere > this.utf8Lines + utf8Here;
    const parts: string[] = [];
    let runFrom = 0;
    let runGbk: boolean | null = null;
    const flush = (to: number): void => {
      if (to <= runFrom) return;
      const slice = bytes.subarray(runFrom, to);
      const text = runGbk ? this.gbk.decode(slice) : this.utf8.decode(slice);
      if (!runGbk) this.replaced += countReplaced(text);
      parts.push(text);
      runFrom = to;
    };
    for (const l of lines) {
      this.line++;
      const asGbk = l.fit === 'gbk' || (l.fit === 'weak' && weakAsGbk);
      if (l.fit === 'ascii') continue;
      if (asGbk) this.gbkRows.push(this.line);
      else this.utf8Lines++;
      if (runGbk !== null && runGbk !== asGbk) flush(l.from);
      runGbk = asGbk;
    }
    flush(bytes.length);
    return parts.join('');
  }
}

/**
 * The text of a whole file whose lines mix UTF-8 and GBK text, decoded line by line, or undefined when it does not
 * mix them (then decodeText decides for the whole file, as before).
 */
function decodeMixed(bytes: Uint8Array, file: string): { text: string; gbkRows: number[]; replaced: number } | undefined {
  let gbk = false;
  let utf8 = false;
  for (let from = 0; from < bytes.length && !(gbk && utf8);) {
    const nl = bytes.indexOf(0x0a, from);
    const to = nl < 0 ? bytes.length : nl + 1;
    const fit = lineFit(bytes, from, to);
    if (fit === 'gbk') gbk = true;
    else if (fit === 'utf8') utf8 = true;
    from = to;
  }
  if (!gbk || !utf8) return undefined;
  const d = new LineDecoder(file);
  const text = d.decode(bytes);
  return { text, gbkRows: d.gbkRows, replaced: d.replaced };
}
