/**
 * CSV (RFC 4180, also tab-, semicolon- or pipe-separated) with longitude/latitude columns or a WKT column.
 *
 * Reading streams: text is tokenised chunk by chunk and each record becomes a feature at once, so only one record's
 * text is held. Encoding: UTF-8, UTF-8 with BOM, GBK/GB18030 (detected) or UTF-16 with BOM. Coordinate columns:
 * lon/lng/long/longitude/x/经度 and lat/latitude/y/纬度 (any case), decimal or 度分秒 (114°24′30″); else a WKT
 * column (WKT/geometry/geom/the_geom); that header and row → feature rule is table.ts, shared with Excel sheets.
 * Types: an unquoted field that is a plain number is a number, `true`/`false` a boolean, an empty unquoted field
 * null; a quoted field is always text (GDAL's QUOTED_FIELDS_AS_STRING), so codes such as "360724100" survive a
 * round trip as text.
 *
 * Limits: one field may hold at most 4 MB (an unclosed quote otherwise swallows the file); nested property
 * values are written as JSON text and read back as text. Writing: UTF-8 with BOM so Excel shows Chinese; points
 * as `lon`,`lat` columns, other geometries as a `WKT` column, tables without geometry columns.
 */
import { IoError } from '../messages';
import { ChunkSource, checkAborted } from '../stream';
import { decodeText, StreamDecoder } from '../text';
import type { FormatCodec, RawFeature, RawRead, ReadContext } from '../types';
import type { ByteStream } from '../web';
import { withMixed, withReplaced } from './geojson';
import { writeCsvLayer } from '../csv-write';
import {
  findColumn,
  LAT_NAMES,
  LON_NAMES,
  noCoordinates,
  rowToFeature,
  tableFieldNames,
  tableLayout,
  WKT_NAMES,
  type TableLayout,
} from './table';

const MAX_FIELD = 4 * 1024 * 1024;
const QUOTE = 34;
const LF = 10;
const CR = 13;

type State = 0 | 1 | 2 | 3; // field start, unquoted, quoted, quote inside quoted
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

interface CsvCell {
  text: string;
  quoted: boolean;
}

/** An RFC 4180 tokenizer fed text in chunks; calls onRecord with each record and the line it started on. */
class CsvTokenizer {
  private state: State = FIELD_START;
  private field = '';
  private quoted = false;
  private record: CsvCell[] = [];
  private line = 1;
  private recordLine = 1;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly onRecord: (cells: CsvCell[], line: number) => void,
    private readonly file: string,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  private endField(): void {
    this.record.push({ text: this.field, quoted: this.quoted });
    this.field = '';
    this.quoted = false;
    this.state = FIELD_START;
  }

  private endRecord(): void {
    this.endField();
    const rec = this.record;
    this.record = [];
    // A blank line is not a record.
    if (!(rec.length === 1 && rec[0]?.text === '' && !rec[0].quoted)) this.onRecord(rec, this.recordLine);
  }

  private grow(piece: string): void {
    this.field += piece;
    if (this.field.length > MAX_FIELD) {
      throw new IoError('csv-field-too-long', { file: this.file, row: this.recordLine });
    }
  }

  push(text: string): void {
    const n = text.length;
    const d = this.delim;
    let seg = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case FIELD_START:
          if (this.record.length === 0 && this.field === '') this.recordLine = this.line;
          if (c === QUOTE) {
            this.state = QUOTED;
            this.quoted = true;
            seg = i + 1;
          } else if (c === d) this.endField();
          else if (c === LF) {
            this.line++;
            this.endRecord();
          } else if (c === CR) {
            // CRLF: the LF ends the record.
          } else {
            this.state = UNQUOTED;
            seg = i;
          }
          break;
        case UNQUOTED:
          if (c === d) {
            this.grow(text.slice(seg, i));
            this.endField();
          } else if (c === LF) {
            this.grow(text.slice(seg, i));
            if (this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
            this.line++;
            this.endRecord();
          }
          break;
        case QUOTED:
          if (c === QUOTE) {
            this.grow(text.slice(seg, i));
            this.state = QUOTE_IN_QUOTED;
          } else if (c === LF) this.line++;
          break;
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) {
            this.grow('"');
            this.state = QUOTED;
            seg = i + 1;
          } else if (c === d) this.endField();
          else if (c === LF) {
            this.line++;
            this.endRecord();
          } else if (c !== CR) {
            // Text after a closing quote ("a"b): kept as part of the field, as spreadsheets do.
            this.state = UNQUOTED;
            seg = i;
          }
          break;
      }
    }
    if (this.state === UNQUOTED || this.state === QUOTED) this.grow(text.slice(seg));
  }

  end(): void {
    if (this.state === UNQUOTED && this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
    if (this.state !== FIELD_START || this.record.length > 0 || this.field !== '') this.endRecord();
  }
}

/** The delimiter of a header line: the most frequent of , \t ; | outside quotes (comma when none). */
function sniffDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
    ['|', 0],
  ]);
  let inQuotes = false;
  for (const ch of firstLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) as number) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [ch, n] of counts) {
    if (n > most) {
      best = ch;
      most = n;
    }
  }
  return best;
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/** The typed value of one cell (see the module comment). */
function cellValue(cell: CsvCell): unknown {
  if (cell.quoted) return cell.text;
  const t = cell.text;
  if (t === '') return null;
  if (NUMBER.test(t)) {
    // Long digit strings (ID card numbers, 18-digit codes) lose digits as doubles: keep them as text.
    const digits = t.replace(/^-/, '').replace(/[.eE].*$/, '').length;
    if (digits <= 15) return Number(t);
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  return t;
}

/** Collects features from records; the first record is the header. */
function collector(): {
  onRecord: (cells: CsvCell[], line: number) => void;
  features: RawFeature[];
  layout: () => TableLayout | undefined;
  mismatched: { line: number; found: number }[];
} {
  const features: RawFeature[] = [];
  const mismatched: { line: number; found: number }[] = [];
  let layout: TableLayout | undefined;
  return {
    features,
    mismatched,
    layout: () => layout,
    onRecord(cells, line) {
      if (!layout) {
        layout = tableLayout(cells.map((c) => c.text));
        return;
      }
      if (cells.length !== layout.header.length) mismatched.push({ line, found: cells.length });
      features.push(rowToFeature(cells.map(cellValue), line, features.length, layout));
    },
  };
}

function finish(c: ReturnType<typeof collector>, file: string, encoding: string | undefined): RawRead {
  const layout = c.layout();
  if (!layout) throw new IoError('csv-no-header', { file });
  return {
    features: c.features,
    fieldNames: tableFieldNames(layout, c.features),
    ...(encoding ? { encoding } : {}),
    ...noCoordinates(layout, file),
    notes: c.mismatched.map(({ line, found }) => ({ row: line, code: 'row-columns', params: { found, expected: layout.header.length } })),
  };
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/^\uFEFF/, '');
}

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const { text, encoding, replaced, gbkRows } = decodeText(bytes, ctx.fileName, ctx.encoding);
  if (text.trim() === '') throw new IoError('file-empty', { file: ctx.fileName });
  const c = collector();
  const tokenizer = new CsvTokenizer(sniffDelimiter(firstLine(text)), c.onRecord, ctx.fileName);
  tokenizer.push(text);
  tokenizer.end();
  return withMixed(withReplaced(finish(c, ctx.fileName, encoding), replaced, ctx.fileName), gbkRows ?? [], ctx.fileName);
}

async function readStream(stream: ByteStream, ctx: ReadContext): Promise<RawRead> {
  const source = new ChunkSource(stream, ctx, ctx.totalBytes);
  // Line by line, so a file whose rows mix UTF-8 and GBK has each row decoded as it fits.
  const decoder = new StreamDecoder(ctx.fileName, ctx.encoding, { perLine: true });
  const c = collector();
  let tokenizer: CsvTokenizer | undefined;
  let pending = '';
  const feed = (text: string): void => {
    if (tokenizer) {
      tokenizer.push(text);
      return;
    }
    // The delimiter is sniffed from the whole header line.
    pending += text;
    if (pending.includes('\n') || pending.length > 1 << 20) {
      tokenizer = new CsvTokenizer(sniffDelimiter(firstLine(pending)), c.onRecord, ctx.fileName);
      tokenizer.push(pending);
      pending = '';
    }
  };
  for await (const chunk of source.chunks()) {
    feed(decoder.push(chunk));
    source.features = c.features.length;
  }
  feed(decoder.end());
  if (!tokenizer) {
    if (pending.trim() === '') throw new IoError('file-empty', { file: ctx.fileName });
    tokenizer = new CsvTokenizer(sniffDelimiter(firstLine(pending)), c.onRecord, ctx.fileName);
    tokenizer.push(pending);
  }
  tokenizer.end();
  source.progress();
  return withMixed(
    withReplaced(finish(c, ctx.fileName, decoder.encoding), decoder.replaced, ctx.fileName),
    decoder.mixedRows,
    ctx.fileName,
  );
}

function sniff(head: Uint8Array, fileName: string): number {
  if (/\.(csv|tsv|txt)$/i.test(fileName)) return 0.8;
  let text: string;
  try {
    text = decodeText(head.subarray(0, 4096), fileName).text;
  } catch {
    return 0;
  }
  // Control characters other than tab and line ends mean binary, not text.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32)) return 0;
  }
  const line = firstLine(text);
  if (line.trimStart().startsWith('{') || line.trimStart().startsWith('[')) return 0;
  const cells = line.split(sniffDelimiter(line)).map((s) => s.replace(/"/g, ''));
  const hasLon = findColumn(cells, LON_NAMES) >= 0 && findColumn(cells, LAT_NAMES) >= 0;
  if (hasLon || findColumn(cells, WKT_NAMES) >= 0) return 0.7;
  return cells.length > 1 ? 0.1 : 0;
}

export const csvCodec: FormatCodec = {
  id: 'csv',
  label: 'CSV',
  extensions: ['.csv', '.tsv', '.txt'],
  limits: {
    en: 'Points as lon/lat columns, other geometries as WKT, tables without geometry. Quoted fields are text, unquoted plain numbers are numbers; nested values become JSON text. A field is at most 4 MB. Read in a stream.',
    zh: '点以 lon/lat 两列保存，其他几何以 WKT 列保存，统计表不含几何。带引号的字段为文本，不带引号的纯数字为数值；嵌套值保存为 JSON 文本。单个字段最多 4 MB。支持流式读取。',
  },
  sniff,
  read,
  readStream: (stream, ctx) => readStream(stream, ctx),
  // The one CSV writer (csv-write.ts), formula cells neutralised.
  write: async (collection, options) => writeCsvLayer(collection, options),
};
