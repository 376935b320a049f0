/**
 * Reads a layer file into a GeoJSON FeatureCollection, by extension: .fgb (FlatGeobuf), .geojson or .json as
 * they are; any other format the import module reads (CSV in UTF-8 or GBK, zipped Shapefile, newline-delimited
 * GeoJSON, GeoTIFF population, .osm.pbf) through it, converted to WGS84 and mapped to the layer's properties.
 * Every failure is an InputError with one line saying which layer, which file and what is wrong, because the
 * person running the command needs to know what to fix, not a stack trace.
 *
 * Every CLI input goes through readInputFile (a regular file, checked before it is opened: a FIFO, a device such
 * as /dev/zero, a directory or a socket is refused at once) and JSON through parseJsonInput (text decoded as the
 * import module decodes it, so UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM and GB18030 read the same in every
 * command; nesting deeper than MAX_JSON_DEPTH refused with the depth, never a stack overflow). A GeoJSON layer
 * larger than streamThreshold (64 MB) is streamed a feature at a time (stream-geojson.ts) instead: its text
 * whole would pass V8's string limit. Both paths give the same features and the same checks. Any other large
 * file goes to the import module as a stream (CSV and newline-delimited GeoJSON are read a chunk at a time).
 *
 * A workbook (.xlsx, .xlsm, .xls) is read like a CSV: its first visible sheet with coordinate columns, the header
 * found below titles and merged cells. `机构.xlsx#名录` reads the sheet 名录, `机构.xlsx#名录!3` that sheet with its
 * header on row 3, `机构.xlsx#!3` the default sheet with its header on row 3 (the export command has --sheet and
 * --header-row for the same).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { GeoJsonGeometryTypes } from 'geojson';
import { readFlatGeobuf } from '../core/io/flatgeobuf';
import { asIoError, finishImport, readSource } from '../core/io/import';
import { describe as describeProblem } from '../core/io/messages';
import { detectFormat } from '../core/io/registry';
import { decodeText } from '../core/io/text';
import type { ByteStream } from '../core/io/web';
import { LAYER_KINDS, type LayerKind } from '../core/io/types';
import type { LooseFeatureCollection } from '../core/ratios/indicators';
import { InputError, oneLine, type CliIo } from './command';
import { MAX_WARNING_LINES, recordDropped, type DroppedRow } from './dropped-rows';
import { streamFeatureCollection, streamThreshold } from './stream-geojson';

export interface LayerSpec {
  /** What the layer is, for messages: "facilities", "population", "zones". */
  label: string;
  /** Geometry types every feature must have. */
  geometry: readonly GeoJsonGeometryTypes[];
  /**
   * The refusal (one line) when a layer of this many features is too large for the command, else null; a
   * streamed layer is checked as it is read, so one too large is refused before its features are built.
   */
  tooMany?: ((features: number) => string | null) | undefined;
}

/** Deepest nesting of arrays and objects a JSON input may have (a MultiPolygon FeatureCollection needs 8). */
const MAX_JSON_DEPTH = 256;

/** Plain words for a system error code met while opening or reading an input. */
function readFailure(code: string | undefined): string {
  return code === 'ENOENT'
    ? 'file not found'
    : code === 'EISDIR'
      ? 'is a directory, not a file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : code === 'ENOTDIR'
          ? 'file not found (a part of the path is a file, not a directory)'
          : `cannot be read (${code ?? 'unknown error'})`;
}

/** What a path that is not a regular file is, for the message. */
function kindOf(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (info.isDirectory()) return 'is a directory, not a file';
  if (info.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (info.isSocket()) return 'is a socket, not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

/**
 * Checks that `path` is a regular file before anything opens it (opening a FIFO would block, reading /dev/zero
 * would never end) and returns its absolute path and size. `label` starts the message: "facilities", "plan",
 * "export: --in".
 */
export async function statInput(label: string, path: string, cwd: string): Promise<{ file: string; size: number }> {
  const file = resolve(cwd, path);
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new InputError(`${label} ${path}: ${readFailure((error as NodeJS.ErrnoException).code)}`);
  }
  if (!info.isFile()) throw new InputError(`${label} ${path}: ${kindOf(info)}`);
  return { file, size: info.size };
}

/** Reads a whole regular file, turning the usual system errors into plain words. */
export async function readInputFile(label: string, path: string, cwd: string): Promise<Buffer> {
  const { file } = await statInput(label, path, cwd);
  try {
    // Opened without blocking, and checked again on the open descriptor: the path may have been swapped.
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new InputError(`${label} ${path}: ${kindOf(info)}`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${label} ${path}: ${readFailure((error as NodeJS.ErrnoException).code)}`);
  }
}

/** Whether an error is the JavaScript stack running out (deep recursion), not a bug to report as one. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The depth at which `value` first goes deeper than `limit` levels of arrays and objects, or 0; no recursion. */
function depthBeyond(value: unknown, limit = MAX_JSON_DEPTH): number {
  if (value === null || typeof value !== 'object') return 0;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return depth;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return 0;
}

/** Refuses a value nested deeper than MAX_JSON_DEPTH, naming the input. */
export function checkDepth(value: unknown, label: string, path: string): void {
  const depth = depthBeyond(value);
  if (depth > 0)
    throw new InputError(`${label} ${path}: nested too deeply at depth ${depth} (at most ${MAX_JSON_DEPTH} levels of arrays and objects)`);
}

/** Text of a JSON input in whatever encoding its bytes say (BOM, else UTF-8, else GB18030), like the import module. */
export function decodeInputText(bytes: Uint8Array, label: string, path: string): string {
  try {
    return decodeText(bytes, path).text.replace(/^\uFEFF/, '');
  } catch (error) {
    throw new InputError(
      `${label} ${path}: cannot be decoded as text (${oneLine(error instanceof Error ? error.message : String(error))})`,
    );
  }
}

/** Parses JSON text of an input: one line for bad JSON, and "nested too deeply" for a hostile depth. */
export function parseJsonInput(text: string, label: string, path: string, what = 'not valid JSON'): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (isStackOverflow(error)) throw new InputError(`${label} ${path}: nested too deeply (more than the parser can follow)`);
    throw new InputError(`${label} ${path}: ${what} (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
  checkDepth(json, label, path);
  return json;
}

/** Reads, decodes and parses a JSON input file (a plan, --speeds, --exclude). */
export async function readJsonInput(label: string, path: string, cwd: string, what?: string): Promise<unknown> {
  const bytes = await readInputFile(label, path, cwd);
  return parseJsonInput(decodeInputText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), label, path), label, path, what);
}

function isFeatureCollection(value: unknown): value is LooseFeatureCollection {
  if (typeof value !== 'object' || value === null) return false;
  const fc = value as { type?: unknown; features?: unknown };
  return fc.type === 'FeatureCollection' && Array.isArray(fc.features);
}

/** Where a reader's warnings about a whole file or a kept row go: one line each on stderr. */
type Warn = (line: string) => void;

async function parse(bytes: Buffer, path: string, label: string, warn: Warn, table: TableOptions): Promise<LooseFeatureCollection> {
  const ext = extname(path).toLowerCase();
  if (ext === '.fgb') {
    try {
      return (await readFlatGeobuf(new Uint8Array(bytes), {
        onIndexIgnored: (why) => warn(`${label} ${path}: ${why.en}`),
      })) as LooseFeatureCollection;
    } catch (error) {
      throw new InputError(
        `${label} ${path}: not a readable FlatGeobuf file (${oneLine(error instanceof Error ? error.message : String(error))})`,
      );
    }
  }
  if (ext === '.geojson' || ext === '.json') {
    const text = decodeInputText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), label, path);
    const json = parseJsonInput(text, label, path);
    if (!isFeatureCollection(json)) throw new InputError(`${label} ${path}: expected a GeoJSON FeatureCollection`);
    return json;
  }
  return parseOther(bytes, path, label, ext, warn, undefined, table);
}

/**
 * Any other importable format, through the import module; a file with a bad row fails as a whole, like the
 * others. `bytes` is the whole file, or (a large file) its first 64 KB with `stream` giving all of it: the
 * formats that stream (CSV, newline-delimited GeoJSON) then never hold the file whole; the others are read
 * whole within the import module's limit, or refused by size with one line.
 */
async function parseOther(
  bytes: Buffer,
  path: string,
  label: string,
  ext: string,
  warn: Warn,
  stream?: { stream: ByteStream; size: number },
  table: TableOptions = {},
): Promise<LooseFeatureCollection> {
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!detectFormat(data.subarray(0, 65536), path)) {
    throw new InputError(
      `${label} ${path}: unsupported file type "${ext || '(none)'}" (expected .fgb, .geojson, .json, .ndjson, .csv, .xlsx or .xls, a zipped Shapefile, .tif or .osm.pbf)`,
    );
  }
  const kind = (LAYER_KINDS as readonly string[]).includes(label) ? (label as LayerKind) : undefined;
  try {
    const input = stream ? stream.stream : data;
    const sized = stream ? { totalBytes: stream.size } : {};
    const read = { fileName: path, ...sized, ...(kind ? { kind } : {}), ...table };
    const result = finishImport(await readSource(input, read), kind ? { kind } : {});
    const errors = result.problems.filter((p) => p.severity === 'error');
    // Kept rows and whole files that should be checked (mixed encodings, an ignored index, no .dbf): said, not hidden.
    const warnings = result.problems.filter((p) => p.severity === 'warning');
    warnings.slice(0, MAX_WARNING_LINES).forEach((p) => warn(`${label} ${oneLine(p.message.en)}`));
    if (warnings.length > MAX_WARNING_LINES) warn(`${label} ${path}: and ${warnings.length - MAX_WARNING_LINES} more warnings`);
    const fc = { type: 'FeatureCollection', features: result.features } as LooseFeatureCollection;
    // Population and facility rows the import left out are dropped rows: warned about (or refused with
    // --strict) by dropped-rows.ts like the rows coverage cannot use. Any other layer fails as a whole.
    if (label === 'population' || label === 'facilities') {
      const dropped: DroppedRow[] = errors.map((p) => ({
        where:
          p.row !== undefined
            ? `${p.sheet !== undefined ? `sheet “${p.sheet}”, ` : ''}row ${p.row}`
            : p.feature !== undefined
              ? `feature ${p.feature}`
              : 'a row',
        id: null,
        reason: oneLine(describeProblem(p.code, p.params).en),
      }));
      recordDropped(fc, dropped);
      return fc;
    }
    const first = errors[0];
    if (first) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      throw new InputError(`${label} ${oneLine(first.message.en)}${more}`);
    }
    return fc;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (isStackOverflow(error)) throw new InputError(`${label} ${path}: nested too deeply (more than the reader can follow)`);
    throw new InputError(`${label} ${oneLine(asIoError(error, path).message)}`);
  }
}

/** Checks each feature is a Feature with one of the allowed geometry types; names the first that is not. */
function checkFeatures(fc: LooseFeatureCollection, path: string, spec: LayerSpec): void {
  const expected = spec.geometry.join(' or ');
  const bad: { index: number; problem: string }[] = [];
  fc.features.forEach((feature, index) => {
    if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature')
      bad.push({ index, problem: 'is not a GeoJSON Feature' });
    else if (feature.geometry === null || feature.geometry === undefined)
      bad.push({ index, problem: `has no geometry (expected ${expected})` });
    else if (!spec.geometry.includes(feature.geometry.type))
      bad.push({ index, problem: `has a ${feature.geometry.type} geometry (expected ${expected})` });
    else if (feature.properties !== null && (typeof feature.properties !== 'object' || Array.isArray(feature.properties))) {
      bad.push({ index, problem: 'has properties that are not an object' });
    }
  });
  const first = bad[0];
  if (first) {
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more)` : '';
    throw new InputError(`${spec.label} ${path}: feature ${first.index}${more} ${first.problem}`);
  }
}

/** Streams a large GeoJSON layer; each feature's nesting is checked as it is parsed, the rest as for the others. */
async function streamLayer(file: string, path: string, spec: LayerSpec): Promise<LooseFeatureCollection> {
  const { features, outer } = await streamFeatureCollection(file, {
    label: spec.label,
    path,
    tooMany: spec.tooMany,
    // A feature sits at depth 3 (the collection, its features array, the feature). Nesting d deep takes 2·d
    // characters, so a short feature (any point) cannot be too deep and is not walked.
    checkFeature: (feature, chars) => {
      if (chars < 2 * (MAX_JSON_DEPTH - 1)) return null;
      const depth = depthBeyond(feature, MAX_JSON_DEPTH - 2);
      return depth > 0 ? `is nested too deeply at depth ${depth + 2} (at most ${MAX_JSON_DEPTH} levels of arrays and objects)` : null;
    },
  });
  checkDepth(outer, spec.label, path);
  if (!isFeatureCollection(outer)) throw new InputError(`${spec.label} ${path}: expected a GeoJSON FeatureCollection`);
  return { ...outer, features } as LooseFeatureCollection;
}

/** The first 64 KB of a large input (to tell its format) and a stream of all of it, read 1 MB at a time. */
async function openStream(label: string, path: string, file: string): Promise<{ head: Buffer; stream: ByteStream }> {
  let head: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(65536);
      head = buffer.subarray(0, (await handle.read(buffer, 0, buffer.length, 0)).bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new InputError(`${label} ${path}: ${readFailure((error as NodeJS.ErrnoException).code)}`);
  }
  const node = createReadStream(file, { highWaterMark: 1 << 20 });
  return { head, stream: Readable.toWeb(node) as unknown as ByteStream };
}

/** Which sheet of a workbook to read and its header row (as Excel numbers it); the reader finds them when absent. */
interface TableOptions {
  sheet?: string;
  headerRow?: number;
}

/** A --header-row value: a row number as Excel shows it. */
export function parseHeaderRow(label: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${label}: --header-row must be a row number (1, 2, …), got "${value}"`);
  return n;
}

/** `机构.xlsx#名录!3` → the file, the sheet and the header row (see the module comment); other paths as they are. */
function splitWorkbookPath(given: string, label: string): { path: string; table: TableOptions } {
  const m = /^(.*\.(?:xlsx|xlsm|xls))#([^!]*)(?:!(.*))?$/i.exec(given);
  if (!m) return { path: given, table: {} };
  const sheet = m[2] as string;
  const headerRow = parseHeaderRow(`${label} ${given}`, m[3]);
  return { path: m[1] as string, table: { ...(sheet !== '' ? { sheet } : {}), ...(headerRow !== undefined ? { headerRow } : {}) } };
}

/** Reads and checks one layer. */
export async function readLayer(
  given: string,
  spec: LayerSpec,
  io: Pick<CliIo, 'cwd' | 'stderr' | 'env'>,
): Promise<LooseFeatureCollection> {
  const { path, table } = splitWorkbookPath(given, spec.label);
  const ext = extname(path).toLowerCase();
  let fc: LooseFeatureCollection;
  const { file, size } = await statInput(spec.label, path, io.cwd);
  const warn = (line: string) => io.stderr(`healthshed: warning: ${oneLine(line)}\n`);
  const large = size > streamThreshold(io.env ?? process.env);
  if (large && (ext === '.geojson' || ext === '.json')) {
    fc = await streamLayer(file, path, spec);
  } else if (large && ext !== '.fgb') {
    const { head, stream } = await openStream(spec.label, path, file);
    fc = await parseOther(head, path, spec.label, ext, warn, { stream, size }, table);
    checkDepth(fc, spec.label, path);
  } else {
    const bytes = await readInputFile(spec.label, path, io.cwd);
    fc = await parse(bytes, path, spec.label, warn, table);
    checkDepth(fc, spec.label, path);
  }
  checkFeatures(fc, path, spec);
  const refusal = spec.tooMany?.(fc.features.length);
  if (refusal) throw new InputError(refusal);
  return fc;
}
