/**
 * GeoJSON (RFC 7946), newline-delimited GeoJSON (one Feature per line; also RFC 8142 text sequences) and the
 * GeoJSON that OpenStreetMap tools write (osmtogeojson, `ogr2ogr … lines`: `highway`, `other_tags`).
 *
 * Limits: a FeatureCollection read from a stream keeps one feature's text at a time, but the other top-level
 * members (`crs`, `name`) are held whole; a single Feature or bare geometry is read whole. The old (2008) `crs`
 * member is honoured (EPSG codes, CRS84). Writing follows RFC 7946: WGS84, polygon rings by the right-hand rule
 * (exterior counter-clockwise, via @turf/rewind), coordinates to 7 decimals (about 1 cm); GCJ-02 output is
 * not RFC 7946 and says so in a `coordinate_system` member.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { crsConverter, crsFromName } from '../../crs';
import { MAX_NESTING, nestedDeeperThan, roundGeometry } from '../geometry';
import { detailOf, IoError } from '../messages';
import { ChunkSource, checkAborted } from '../stream';
import { decodeText, replacedWarning, StreamDecoder } from '../text';
import type { FileCrs, FormatCodec, RawFeature, RawRead, ReadContext, Written } from '../types';
import { encodeUtf8, type ByteStream } from '../web';

/** The record separator of RFC 8142 GeoJSON text sequences. */
const RS = String.fromCharCode(0x1e);

/** Text without leading BOMs, record separators and blanks. */
function trimStartMarks(text: string): string {
  let i = 0;
  while (i < text.length && (text[i] === RS || text[i] === '\uFEFF' || /\s/.test(text[i] as string))) i++;
  return text.slice(i);
}

/** The start of a file as text, from its first non-blank character after an optional BOM or RS. */
function headText(head: Uint8Array): string {
  try {
    return trimStartMarks(decodeText(head.subarray(0, 4096), 'head').text);
  } catch {
    return '';
  }
}

const NDJSON_EXT = /\.(ndjson|geojsonl|geojsons|geojsonseq|jsonl|ldjson)$/i;

/** A JSON value turned into a RawFeature, with the reason when it is not a Feature. */
function featureFromJson(value: unknown, index: number, row?: number): RawFeature {
  const base: RawFeature = { geometry: null, properties: {}, index, ...(row === undefined ? {} : { row }) };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ...base, problem: { code: 'not-a-feature', params: {} } };
  const f = value as { type?: unknown; geometry?: unknown; properties?: unknown; id?: unknown };
  if (f.type !== 'Feature') {
    // A bare geometry in a list of features is read as a feature without properties.
    if (typeof f.type === 'string' && f.type !== 'FeatureCollection' && 'coordinates' in f) {
      if (nestedDeeperThan(value))
        return { ...base, problem: { code: 'nested-too-deep', params: { limit: MAX_NESTING, part: 'geometry' } } };
      return { ...base, geometry: value as Geometry };
    }
    return { ...base, problem: { code: 'not-a-feature', params: {} } };
  }
  if (f.properties !== null && f.properties !== undefined && (typeof f.properties !== 'object' || Array.isArray(f.properties))) {
    return { ...base, problem: { code: 'properties-invalid', params: {} } };
  }
  // Walks that recurse (validation, export, the CRS transform) must never meet a value nested 200,000 deep.
  if (nestedDeeperThan(f.geometry))
    return { ...base, problem: { code: 'nested-too-deep', params: { limit: MAX_NESTING, part: 'geometry' } } };
  if (nestedDeeperThan(f.properties)) {
    return { ...base, problem: { code: 'nested-too-deep', params: { limit: MAX_NESTING, part: 'properties' } } };
  }
  const properties = copyProperties((f.properties as Record<string, unknown> | null) ?? {});
  // A top-level feature id the properties lack is kept as the id property, so it survives export.
  if ((typeof f.id === 'string' || typeof f.id === 'number') && properties.id === undefined) properties.id = f.id;
  return { ...base, geometry: (f.geometry ?? null) as Geometry | null, properties };
}

/**
 * Sets a property, `__proto__` included: a plain assignment of that name would set the object's prototype (or do
 * nothing) and the column would vanish without a word.
 */
export function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A shallow copy of properties that keeps every own key (a spread does too; Object.assign would not). */
function copyProperties(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) setProperty(out, k, v);
  return out;
}

/** The FileCrs of a 2008 GeoJSON `crs` member, when it names something other than WGS84. */
function crsMember(crs: unknown, file: string): FileCrs | undefined {
  const name = (crs as { properties?: { name?: unknown } } | null)?.properties?.name;
  if (typeof name !== 'string') return undefined;
  const parsed = crsFromName(name);
  if (!parsed) throw new IoError('crs-unknown', { name, file });
  if (parsed === 'wgs84' || parsed === 'cgcs2000' || parsed === 'EPSG:4326' || parsed === 'EPSG:4490')
    return { name: parsed, warnings: [] };
  return { name: parsed, toWgs84: crsConverter(parsed).toWgs84, warnings: [] };
}

function fromValue(json: unknown, file: string): RawRead {
  if (Array.isArray(json)) {
    const features = json.map((v, i) => featureFromJson(v, i));
    return { features, fieldNames: fieldNamesOf(features) };
  }
  if (typeof json !== 'object' || json === null) throw new IoError('not-geojson', { file });
  const obj = json as { type?: unknown; features?: unknown; crs?: unknown };
  const crs = crsMember(obj.crs, file);
  let features: RawFeature[];
  if (obj.type === 'FeatureCollection' && Array.isArray(obj.features)) features = obj.features.map((v, i) => featureFromJson(v, i));
  else if (obj.type === 'Feature') features = [featureFromJson(json, 0)];
  else if (typeof obj.type === 'string' && ('coordinates' in obj || 'geometries' in obj)) features = [featureFromJson(json, 0)];
  else throw new IoError('not-geojson', { file });
  return { features, fieldNames: fieldNamesOf(features), ...(crs ? { crs } : {}) };
}

export function fieldNamesOf(features: readonly RawFeature[]): string[] {
  const seen = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties)) seen.add(k);
  return [...seen];
}

function parseNdjsonLine(line: string, index: number, row: number): RawFeature {
  try {
    return featureFromJson(JSON.parse(line), index, row);
  } catch (error) {
    return { geometry: null, properties: {}, index, row, problem: { code: 'json-invalid', params: { detail: detailOf(error) } } };
  }
}

/** Splits text into lines as chunks arrive, handing on each complete line with its 1-based number. */
class LineSplitter {
  private rest = '';
  private line = 0;
  constructor(private readonly onLine: (line: string, row: number) => void) {}
  push(text: string): void {
    const all = this.rest + text;
    let from = 0;
    for (;;) {
      const nl = all.indexOf('\n', from);
      if (nl < 0) break;
      this.line++;
      this.onLine(all.slice(from, nl).replace(/\r$/, ''), this.line);
      from = nl + 1;
    }
    this.rest = all.slice(from);
  }
  end(): void {
    if (this.rest !== '') {
      this.line++;
      this.onLine(this.rest.replace(/\r$/, ''), this.line);
    }
    this.rest = '';
  }
}

function ndjsonCollector(): { splitter: LineSplitter; features: RawFeature[] } {
  const features: RawFeature[] = [];
  const splitter = new LineSplitter((raw, row) => {
    const line = trimStartMarks(raw).trim();
    if (line === '') return;
    features.push(parseNdjsonLine(line, features.length, row));
  });
  return { splitter, features };
}

/**
 * Reads a FeatureCollection (or a top-level array of features) from text chunks, handing on each feature as
 * soon as its closing brace arrives; only that feature's text and the small top-level members are held.
 */
export class FeatureScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private outer: string[] = [];
  private outerTail = '';
  private inFeatures = false;
  private featuresDone = false;
  private featuresDepth = 0;
  private capture: string[] | null = null;
  private scalar = false;
  count = 0;
  private started = false;
  private topIsArray = false;

  constructor(private readonly onFeature: (json: string | null, index: number) => void) {}

  private addOuter(s: string): void {
    if (s === '') return;
    this.outer.push(s);
    this.outerTail = (this.outerTail + s).slice(-64);
  }

  push(text: string): void {
    const n = text.length;
    let outerFrom = this.inFeatures ? -1 : 0;
    let capFrom = this.capture ? 0 : -1;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (!this.started) {
        if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff || c === 0x1e) continue;
        this.started = true;
        this.topIsArray = c === 91;
      }
      if (this.inFeatures && !this.capture && this.depth === this.featuresDepth) {
        // Between elements of the feature array: a scalar element is not a feature.
        if (c === 44 /* , */) {
          if (this.scalar) this.endScalar();
          continue;
        }
        if (c !== 123 && c !== 91 && c !== 93 && c !== 32 && c !== 9 && c !== 10 && c !== 13 && !this.scalar) {
          this.scalar = true;
          if (c === 34) this.inString = true;
          continue;
        }
      }
      if (c === 34) {
        this.inString = true;
        continue;
      }
      if (c === 123 || c === 91) {
        this.depth++;
        if (this.inFeatures && !this.capture && this.depth === this.featuresDepth + 1) {
          this.capture = [];
          capFrom = i;
        } else if (!this.inFeatures && !this.featuresDone && c === 91) {
          const isTopArray = this.topIsArray && this.depth === 1;
          let isFeatures = false;
          if (!isTopArray && this.depth === 2) {
            if (outerFrom >= 0) this.addOuter(text.slice(outerFrom, i));
            outerFrom = i;
            isFeatures = /"features"\s*:\s*$/.test(this.outerTail);
          }
          if (isTopArray || isFeatures) {
            if (outerFrom >= 0) this.addOuter(text.slice(outerFrom, i));
            this.addOuter('[');
            outerFrom = -1;
            this.inFeatures = true;
            this.featuresDepth = this.depth;
          }
        }
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (this.capture && this.depth === this.featuresDepth) {
          this.capture.push(text.slice(capFrom, i + 1));
          this.emit(this.capture.join(''));
          this.capture = null;
          capFrom = -1;
        } else if (this.inFeatures && !this.capture && this.depth === this.featuresDepth - 1) {
          if (this.scalar) this.endScalar();
          this.inFeatures = false;
          this.featuresDone = true;
          this.addOuter(']');
          outerFrom = i + 1;
        }
      }
    }
    if (this.capture && capFrom >= 0) this.capture.push(text.slice(capFrom));
    if (outerFrom >= 0) this.addOuter(text.slice(outerFrom));
  }

  private endScalar(): void {
    this.scalar = false;
    this.emit(null);
  }

  private emit(json: string | null): void {
    this.onFeature(json, this.count++);
  }

  /** The top-level value without the features (so `type`, `crs` and `name` can be read), and whether the text ended cleanly. */
  end(): { outer: string; complete: boolean; truncatedFeature: boolean } {
    const truncatedFeature = this.capture !== null;
    if (this.scalar) this.endScalar();
    return { outer: this.outer.join(''), complete: this.depth === 0 && !this.inString && this.started, truncatedFeature };
  }
}

/** Adds the note about damaged UTF-8 to a read. */
export function withReplaced(read: RawRead, replaced: number, file: string): RawRead {
  return replaced > 0 ? { ...read, warnings: [...(read.warnings ?? []), replacedWarning(file, replaced)] } : read;
}

/** Adds the warning that names the rows read as GBK in a file whose lines mix UTF-8 and GBK. */
export function withMixed(read: RawRead, gbkRows: readonly number[], file: string): RawRead {
  if (gbkRows.length === 0) return read;
  const rows = gbkRows.slice(0, 20).join(', ') + (gbkRows.length > 20 ? ', …' : '');
  return { ...read, notes: [...(read.notes ?? []), { code: 'encoding-mixed', params: { file, count: gbkRows.length, rows } }] };
}

async function readStream(stream: ByteStream, ctx: ReadContext, head: Uint8Array): Promise<RawRead> {
  const decoder = new StreamDecoder(ctx.fileName, ctx.encoding);
  return withReplaced(await readStreamWith(decoder, stream, ctx, head), decoder.replaced, ctx.fileName);
}

async function readStreamWith(decoder: StreamDecoder, stream: ByteStream, ctx: ReadContext, head: Uint8Array): Promise<RawRead> {
  const source = new ChunkSource(stream, ctx, ctx.totalBytes);
  const ndjson = NDJSON_EXT.test(ctx.fileName) || looksNdjson(headText(head));
  if (ndjson) {
    const { splitter, features } = ndjsonCollector();
    for await (const chunk of source.chunks()) {
      splitter.push(decoder.push(chunk));
      source.features = features.length;
    }
    splitter.push(decoder.end());
    splitter.end();
    source.progress();
    return { features, fieldNames: fieldNamesOf(features), ...(decoder.encoding ? { encoding: decoder.encoding } : {}) };
  }
  const features: RawFeature[] = [];
  const scanner = new FeatureScanner((json, index) => {
    if (json === null) {
      features.push({ geometry: null, properties: {}, index, problem: { code: 'not-a-feature', params: {} } });
      return;
    }
    try {
      features.push(featureFromJson(JSON.parse(json), index));
    } catch (error) {
      features.push({ geometry: null, properties: {}, index, problem: { code: 'json-invalid', params: { detail: detailOf(error) } } });
    }
  });
  for await (const chunk of source.chunks()) {
    scanner.push(decoder.push(chunk));
    source.features = features.length;
  }
  scanner.push(decoder.end());
  const { outer, complete, truncatedFeature } = scanner.end();
  if (truncatedFeature) {
    features.push({
      geometry: null,
      properties: {},
      index: scanner.count,
      problem: { code: 'json-invalid', params: { detail: 'the file ends inside this feature' } },
    });
  }
  let top: unknown;
  try {
    top = JSON.parse(outer);
  } catch (error) {
    if (features.length === 0 || !complete) {
      if (features.length > 0) {
        // Features were read before the text broke off: keep them, say the file is cut.
        return {
          features,
          fieldNames: fieldNamesOf(features),
          warnings: [truncatedWarning(ctx.fileName)],
          encoding: decoder.encoding ?? 'utf-8',
        };
      }
      throw new IoError('json-invalid-file', { file: ctx.fileName, detail: complete ? detailOf(error) : 'the file ends early' });
    }
  }
  if (top !== undefined && !Array.isArray(top)) {
    const obj = top as { type?: unknown; features?: unknown; crs?: unknown } | null;
    if (obj === null || typeof obj !== 'object') throw new IoError('not-geojson', { file: ctx.fileName });
    if (obj.type !== 'FeatureCollection') {
      // Not a collection: the scanner held the whole (single feature or geometry) value in `outer`.
      return { ...fromValue(top, ctx.fileName), encoding: decoder.encoding ?? 'utf-8' };
    }
    const crs = crsMember(obj.crs, ctx.fileName);
    return { features, fieldNames: fieldNamesOf(features), encoding: decoder.encoding ?? 'utf-8', ...(crs ? { crs } : {}) };
  }
  return { features, fieldNames: fieldNamesOf(features), encoding: decoder.encoding ?? 'utf-8' };
}

function truncatedWarning(file: string) {
  return {
    en: `${file}: the file ends early (cut off?); the features before the break were read`,
    zh: `${file}：文件不完整（可能被截断）；已读取断点之前的要素`,
  };
}

/** A first line that is a whole JSON object of type Feature, followed by more text, is newline-delimited. */
function looksNdjson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  const first = text.slice(0, nl).trim();
  if (!first.startsWith('{')) return false;
  try {
    const v = JSON.parse(first) as { type?: unknown };
    return v.type === 'Feature' || (typeof v.type === 'string' && v.type !== 'FeatureCollection');
  } catch {
    return false;
  }
}

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const { text, encoding, replaced, gbkRows = [] } = decodeText(bytes, ctx.fileName, ctx.encoding);
  const body = text.replace(/^[\uFEFF\s]+/, '');
  if (body.startsWith(RS) || NDJSON_EXT.test(ctx.fileName) || looksNdjson(body)) {
    const { splitter, features } = ndjsonCollector();
    splitter.push(body.split(RS).join('\n'));
    splitter.end();
    return withMixed(
      withReplaced({ features, fieldNames: fieldNamesOf(features), encoding }, replaced, ctx.fileName),
      gbkRows,
      ctx.fileName,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new IoError('json-invalid-file', { file: ctx.fileName, detail: detailOf(error) });
  }
  return withMixed(withReplaced({ ...fromValue(json, ctx.fileName), encoding }, replaced, ctx.fileName), gbkRows, ctx.fileName);
}

function sniffJson(head: Uint8Array, fileName: string): number {
  const text = headText(head);
  if (text.startsWith(RS)) return 0.9;
  if (!text.startsWith('{') && !text.startsWith('[')) return /\.(geo)?json$/i.test(fileName) ? 0.2 : 0;
  if (/"type"\s*:\s*"(FeatureCollection|Feature|Point|LineString|Polygon|Multi\w+|GeometryCollection)"/.test(text)) return 0.9;
  return /\.(geo)?json$/i.test(fileName) ? 0.6 : 0.3;
}

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * RFC 7946 text: rings rewound to the right-hand rule, coordinates rounded, one feature per line. Properties are
 * written in `columns` order first.
 */
async function writeGeoJson(
  collection: FeatureCollection<Geometry | null>,
  options: { name: string; crs: 'wgs84' | 'gcj02'; columns?: string[]; decimals: number },
): Promise<Written> {
  const { default: rewind } = await import('@turf/rewind');
  const head: Record<string, unknown> = { type: 'FeatureCollection', name: options.name };
  if (options.crs === 'gcj02') head.coordinate_system = 'GCJ-02 (AMap/Tencent), not WGS84: not RFC 7946';
  const lines = collection.features.map((f) => {
    let geometry: Geometry | null = f.geometry ? roundGeometry(f.geometry, options.decimals) : null;
    if (geometry && (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon' || geometry.type === 'GeometryCollection')) {
      geometry = rewind(geometry, { reverse: false, mutate: true }) as Geometry;
    }
    const out: Feature<Geometry | null> = { type: 'Feature', properties: orderProperties(f.properties ?? {}, options.columns), geometry };
    return JSON.stringify(out);
  });
  const text = `${JSON.stringify(head).slice(0, -1)},"features":[\n${lines.join(',\n')}\n]}\n`;
  return { bytes: encodeUtf8(text), mime: 'application/geo+json', warnings: [] };
}

export function orderProperties(props: Record<string, unknown>, columns?: readonly string[]): Record<string, unknown> {
  if (!columns || columns.length === 0) return props;
  const out: Record<string, unknown> = {};
  for (const c of columns) if (Object.hasOwn(props, c)) setProperty(out, c, props[c]);
  for (const [k, v] of Object.entries(props)) if (!Object.hasOwn(out, k)) setProperty(out, k, v);
  return out;
}

export const geojsonCodec: FormatCodec = {
  id: 'geojson',
  label: 'GeoJSON',
  extensions: ['.geojson', '.json'],
  limits: {
    en: 'One layer per file. Streamed reading holds one feature at a time; a single Feature or geometry is read whole. Writes RFC 7946 (WGS84, right-hand rings, 7 decimals); nested property values stay JSON.',
    zh: '每个文件一个图层。流式读取时每次只保留一个要素；单个要素或几何整体读取。输出符合 RFC 7946（WGS84、右手法则环向、7 位小数）；嵌套属性保持 JSON。',
  },
  sniff: sniffJson,
  read,
  readStream: (stream, ctx, head) => readStream(stream, ctx, head),
  write: (collection, options) => writeGeoJson(collection, options),
};

export const ndjsonCodec: FormatCodec = {
  id: 'ndjson',
  label: 'GeoJSON (newline-delimited)',
  extensions: ['.ndjson', '.geojsonl', '.geojsons', '.geojsonseq', '.jsonl'],
  limits: {
    en: 'One Feature per line (RFC 8142 record separators allowed); a broken line is reported and skipped. Read in a stream, one line at a time.',
    zh: '每行一个要素（允许 RFC 8142 记录分隔符）；损坏的行会被报告并跳过。流式逐行读取。',
  },
  sniff: (head, fileName) => (NDJSON_EXT.test(fileName) ? 0.95 : looksNdjson(headText(head)) ? 0.95 : 0),
  read,
  readStream: (stream, ctx, head) => readStream(stream, ctx, head),
};
