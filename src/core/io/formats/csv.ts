/**
 * CSV (RFC 4180, also tab-, semicolon- or pipe-separated) with longitude/latitude columns or a WKT column.
 *
 * Reading streams: text is tokenised chunk by chunk and each record becomes a feature at once, so only one record's
 * text is held. Encoding: UTF-8, UTF-8 with BOM, GBK/GB18030 (detected) or UTF-16 with BOM. Coordinate columns:
 * lon/lng/long/longitude/x/经度 and lat/latitude/y/纬度 (any case), decimal or 度分秒 (114°24′30″); else a WKT
 * column (WKT/geometry/geom/the_geom). Types: an unquoted field that is a plain number is a number, `true`/`false`
 * a boolean, an empty unquoted field null; a quoted field is always text (GDAL's QUOTED_FIELDS_AS_STRING), so
 * codes such as "360724100" survive a round trip as text.
 *
 * Limits: one field may hold at most 4 MB (an unclosed quote otherwise swallows the file); nested property
 * values are written as JSON text and read back as text. Writing: UTF-8 with BOM so Excel shows Chinese; points
 * as `lon`,`lat` columns, other geometries as a `WKT` column, tables without geometry columns.
 */
import { parseWkt } from '../geometry';
import { detailOf, IoError } from '../messages';
import { ChunkSource, checkAborted } from '../stream';
import { decodeText, StreamDecoder } from '../text';
import type { FormatCodec, RawFeature, RawRead, ReadContext } from '../types';
import type { ByteStream } from '../web';
import { setProperty, withMixed, withReplaced } from './geojson';
import { writeCsvLayer } from '../csv-write';

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

const LON_NAMES = ['lon', 'lng', 'long', 'longitude', 'x', '经度', '东经', 'point_x', 'x坐标', 'gps经度', 'wgs84经度'];
const LAT_NAMES = ['lat', 'latitude', 'y', '纬度', '北纬', 'point_y', 'y坐标', 'gps纬度', 'wgs84纬度'];
const WKT_NAMES = ['wkt', 'geometry', 'geom', 'the_geom', 'shape', 'wkt_geom'];

const squash = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_\-()（）]/g, '');

function findColumn(header: readonly string[], names: readonly string[]): number {
  const wanted = names.map(squash);
  for (const name of wanted) {
    const i = header.findIndex((h) => squash(h) === name);
    if (i >= 0) return i;
  }
  return -1;
}

/** Degrees from a number or a 度分秒 text (114°24′30″E, 114度24分30秒); NaN when it is neither. */
function parseDegrees(text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  const m =
    /^([-+]?\d+(?:\.\d+)?)\s*[°度:]\s*(?:(\d+(?:\.\d+)?)\s*['′’分:]?\s*)?(?:(\d+(?:\.\d+)?)\s*(?:["″”秒]|'')?\s*)?([EWNSewns东西南北])?$/.exec(
      t,
    );
  if (!m) return NaN;
  const value = Math.abs(Number(m[1])) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  const negative = (m[1] as string).startsWith('-') || /[WSws西南]/.test(m[4] ?? '');
  return negative ? -value : value;
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

interface CsvLayout {
  header: string[];
  lon: number;
  lat: number;
  wkt: number;
}

function layoutOf(cells: CsvCell[], file: string): CsvLayout {
  const header = cells.map((c, i) => c.text.replace(/^\uFEFF/, '').trim() || `column_${i + 1}`);
  // Repeated header names get a suffix so no column is lost.
  const seen = new Map<string, number>();
  for (let i = 0; i < header.length; i++) {
    const h = header[i] as string;
    const n = seen.get(h) ?? 0;
    seen.set(h, n + 1);
    if (n > 0) header[i] = `${h}_${n + 1}`;
  }
  const lon = findColumn(header, LON_NAMES);
  const lat = findColumn(header, LAT_NAMES);
  const wkt = findColumn(header, WKT_NAMES);
  if ((lon < 0 || lat < 0) && wkt < 0) throw new IoError('csv-no-coordinates', { file, columns: header.slice(0, 20).join(', ') });
  return { header, lon: lat >= 0 ? lon : -1, lat: lon >= 0 ? lat : -1, wkt };
}

function recordToFeature(cells: CsvCell[], line: number, index: number, layout: CsvLayout): RawFeature {
  const { header, lon, lat, wkt } = layout;
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) {
    if (i === lon || i === lat || (i === wkt && lon < 0)) continue;
    const cell = cells[i];
    // setProperty: a column named __proto__ is kept like any other.
    setProperty(properties, header[i] as string, cell ? cellValue(cell) : null);
  }
  // Cells beyond the header are kept under numbered names rather than dropped.
  for (let i = header.length; i < cells.length; i++) {
    const cell = cells[i] as CsvCell;
    if (cell.text !== '') setProperty(properties, `column_${i + 1}`, cellValue(cell));
  }
  const feature: RawFeature = { geometry: null, properties, row: line, index };
  if (lon >= 0) {
    const x = cells[lon]?.text ?? '';
    const y = cells[lat]?.text ?? '';
    if (x.trim() === '' || y.trim() === '') {
      feature.problem = { code: 'coord-missing', params: { columns: `${header[lon]}, ${header[lat]}` } };
      return feature;
    }
    const lonV = parseDegrees(x);
    const latV = parseDegrees(y);
    if (!Number.isFinite(lonV) || !Number.isFinite(latV)) {
      feature.problem = { code: 'coord-not-number', params: { value: `${x.slice(0, 40)}, ${y.slice(0, 40)}` } };
      return feature;
    }
    feature.geometry = { type: 'Point', coordinates: [lonV, latV] };
    return feature;
  }
  const text = cells[wkt]?.text ?? '';
  if (text.trim() === '') {
    feature.problem = { code: 'coord-missing', params: { columns: header[wkt] as string } };
    return feature;
  }
  try {
    feature.geometry = parseWkt(text);
  } catch (error) {
    feature.problem = { code: 'geometry-invalid', params: { detail: detailOf(error) } };
  }
  return feature;
}

/** Collects features from records; the first record is the header. */
function collector(file: string): {
  onRecord: (cells: CsvCell[], line: number) => void;
  features: RawFeature[];
  layout: () => CsvLayout | undefined;
  mismatched: { line: number; found: number }[];
} {
  const features: RawFeature[] = [];
  const mismatched: { line: number; found: number }[] = [];
  let layout: CsvLayout | undefined;
  return {
    features,
    mismatched,
    layout: () => layout,
    onRecord(cells, line) {
      if (!layout) {
        layout = layoutOf(cells, file);
        return;
      }
      if (cells.length !== layout.header.length) mismatched.push({ line, found: cells.length });
      features.push(recordToFeature(cells, line, features.length, layout));
    },
  };
}

function finish(c: ReturnType<typeof collector>, file: string, encoding: string | undefined): RawRead {
  const layout = c.layout();
  if (!layout) throw new IoError('csv-no-header', { file });
  const fieldNames = layout.header.filter((_, i) => i !== layout.lon && i !== layout.lat && !(i === layout.wkt && layout.lon < 0));
  const extra = new Set<string>();
  for (const f of c.features) for (const k of Object.keys(f.properties)) if (!fieldNames.includes(k)) extra.add(k);
  return {
    features: c.features,
    fieldNames: [...fieldNames, ...extra],
    ...(encoding ? { encoding } : {}),
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
  const c = collector(ctx.fileName);
  const tokenizer = new CsvTokenizer(sniffDelimiter(firstLine(text)), c.onRecord, ctx.fileName);
  tokenizer.push(text);
  tokenizer.end();
  return withMixed(withReplaced(finish(c, ctx.fileName, encoding), replaced, ctx.fileName), gbkRows ?? [], ctx.fileName);
}

async function readStream(stream: ByteStream, ctx: ReadContext): Promise<RawRead> {
  const source = new ChunkSource(stream, ctx, ctx.totalBytes);
  // Line by line, so a file whose rows mix UTF-8 and GBK has each row decoded as it fits.
  const decoder = new StreamDecoder(ctx.fileName, ctx.encoding, { perLine: true });
  const c = collector(ctx.fileName);
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
