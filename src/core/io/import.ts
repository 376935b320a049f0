/**
 * Import in two steps, so a wizard can show fields and suggestions between them:
 * 1. readSource: bytes or a stream → format detected, features as the file has them (streamed for CSV and
 *    GeoJSON, with progress and cancellation);
 * 2. finishImport: coordinate system (the caller's choice, else the file's, else judged from the numbers by
 *    detectCoordinates), field mapping and tier values (the caller's, else suggested), validation.
 * importLayer does both and returns errors as values.
 */
import type { Feature, Geometry, Position } from 'geojson';
import { crsConverter, crsFromName, detectCoordinates, type Bilingual, type CrsName } from '../crs';
import { applyMapping, describeFields, suggestMapping, suggestTierValues } from './mapping';
import { describe, detailOf, IoError, toFailure, type IoFailure, type MessageCode, type MessageParams } from './messages';
import { geometryProblem, mapPositions } from './geometry';
import { codecById, detectFormat } from './registry';
import { ChunkSource, HEAD_BYTES } from './stream';
import type {
  FarPoint,
  FieldMapping,
  FormatCodec,
  FormatId,
  ImportResult,
  LayerKind,
  Problem,
  Progress,
  RawFeature,
  RawRead,
  ReadContext,
  ReadKind,
  TierValueMapping,
} from './types';
import { FAR_MARGIN_KM, farMeasure, roundKm } from './far';
import { asOutline, checkGeometry, checkProperties, idProperty, outlineTester } from './validate';
import { isByteStream, type AbortSignalLike, type ByteStream } from './web';
import { MAX_IN_MEMORY_FILE_BYTES } from '../budget';

/** Files read whole (Shapefile, FlatGeobuf, GeoTIFF, OSM, GeoJSON given as bytes) may be at most this large (the budget's). */
const DEFAULT_MAX_BYTES = MAX_IN_MEMORY_FILE_BYTES;
/** Raster cells read at most (about 40 km × 40 km at WorldPop's 100 m would be 160,000). */
const DEFAULT_MAX_CELLS = 25_000_000;

export interface ReadOptions {
  /** The file's name: its extension helps tell the format, and every problem names it. */
  fileName: string;
  /** Force a format instead of detecting it. */
  format?: FormatId;
  /** Force a text encoding ('utf-8', 'gbk', 'gb18030'); detected otherwise. */
  encoding?: string;
  /** The layer wanted: picks what multi-layer sources (OSM) give, and the mapping targets. */
  kind?: ReadKind;
  /** The stream's size in bytes when known (File.size), for progress and the memory check. */
  totalBytes?: number;
  signal?: AbortSignalLike;
  onProgress?: (progress: Progress) => void;
  maxBytes?: number;
  maxCells?: number;
  /** WGS84 [minLon, minLat, maxLon, maxLat]: rasters read only this window. */
  bbox?: [number, number, number, number];
  /** A workbook's sheet to read (by name); the first visible sheet with rows when absent. */
  sheet?: string;
  /** The header row of that sheet as Excel numbers it; found when absent. */
  headerRow?: number;
}

/** A source read but not yet mapped or checked. */
export interface SourceLayer {
  fileName: string;
  format: FormatId;
  raw: RawRead;
}

export type ImportInput = Uint8Array | ArrayBuffer | ByteStream;

function contextOf(options: ReadOptions): ReadContext {
  return {
    fileName: options.fileName,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxCells: options.maxCells ?? DEFAULT_MAX_CELLS,
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.bbox ? { bbox: options.bbox } : {}),
    ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
    ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
    ...(options.headerRow !== undefined ? { headerRow: options.headerRow } : {}),
  };
}

function pickCodec(head: Uint8Array, options: ReadOptions): FormatCodec {
  if (options.format) return codecById(options.format);
  const codec = detectFormat(head, options.fileName);
  if (!codec) throw new IoError('unknown-format', { file: options.fileName });
  return codec;
}

/** Reads a file into features as it has them. Throws IoError. */
export async function readSource(input: ImportInput, options: ReadOptions): Promise<SourceLayer> {
  const ctx = contextOf(options);
  if (isByteStream(input)) {
    const source = new ChunkSource(input, ctx, options.totalBytes);
    // Progress comes from whichever reader goes through the whole stream, counting from its start.
    source.silent = true;
    const head = await source.head();
    if (head.length === 0) {
      await source.cancel();
      throw new IoError('file-empty', { file: options.fileName });
    }
    const codec = pickCodec(head, options);
    // Streaming codecs read the chunks themselves; the others get the whole file, within the memory budget.
    const replay: ByteStream = { getReader: () => readerOf(source) };
    if (codec.readStream) return { fileName: options.fileName, format: codec.id, raw: await codec.readStream(replay, ctx, head) };
    source.silent = false;
    source.progress();
    const bytes = await source.all(codec.label);
    return { fileName: options.fileName, format: codec.id, raw: await readWhole(codec, bytes, ctx) };
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new IoError('file-empty', { file: options.fileName });
  const codec = pickCodec(bytes.subarray(0, HEAD_BYTES), options);
  if (bytes.length > ctx.maxBytes && !codec.readStream) {
    throw new IoError('file-too-large', { file: options.fileName, bytes: bytes.length, limit: ctx.maxBytes, format: codec.label });
  }
  return { fileName: options.fileName, format: codec.id, raw: await readWhole(codec, bytes, ctx) };
}

async function readWhole(codec: FormatCodec, bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  if (!codec.read) throw new IoError('unknown-format', { file: ctx.fileName });
  return codec.read(bytes, ctx);
}

/** A reader over a ChunkSource (head first), so codecs see an ordinary stream. */
function readerOf(source: ChunkSource) {
  const it = source.chunks();
  return {
    read: async () => {
      const r = await it.next();
      return r.done ? { done: true } : { done: false, value: r.value };
    },
    cancel: async () => {
      await it.return(undefined);
    },
    releaseLock: () => undefined,
  };
}

export interface FinishOptions {
  kind?: LayerKind;
  /** The CRS the caller says the coordinates are in: wgs84, cgcs2000, gcj02, bd09 or EPSG:n (or a name crsFromName reads). */
  crs?: string;
  /** Where the data should be (WGS84 [lon, lat], e.g. the county centre), for unprefixed Gauss-Krüger numbers. */
  hint?: [number, number];
  /** The county outline (Polygon, MultiPolygon, Feature or FeatureCollection): features outside it are flagged. */
  outline?: unknown;
  /** The confirmed mapping; suggested when absent. */
  mapping?: FieldMapping;
  /** The confirmed tier of each tier text; suggested when absent. */
  tierValues?: TierValueMapping;
  /**
   * Points farther than FAR_MARGIN_KM outside the outline are left out unless their source index (RawFeature.index)
   * is listed here: the planner chose to keep them.
   */
  keepFar?: readonly number[];
}

/**
 * File, row or feature, and the feature's name when it has one: "机构.csv 第 7 行（远山诊所）"; a workbook's row
 * names its sheet: "机构.xlsx 工作表“名录”第 7 行".
 */
function place(file: string, row: number | undefined, feature: number | undefined, name?: string, sheet?: string): Bilingual {
  const zhName = name ? `（${name}）` : '';
  const enName = name ? ` (${name})` : '';
  if (row !== undefined && sheet !== undefined)
    return { en: `${file}, sheet “${sheet}”, row ${row}${enName}`, zh: `${file} 工作表“${sheet}”第 ${row} 行${zhName}` };
  if (row !== undefined) return { en: `${file}, row ${row}${enName}`, zh: `${file} 第 ${row} 行${zhName}` };
  if (feature !== undefined) return { en: `${file}, feature ${feature}${enName}`, zh: `${file} 要素 ${feature}${zhName}` };
  return { en: file, zh: file };
}

/** The name of a feature for messages (at most 40 characters), if it has one. */
function nameOf(properties: Record<string, unknown>): string | undefined {
  const name = properties.name;
  if (typeof name !== 'string' && typeof name !== 'number') return undefined;
  const text = String(name).trim();
  return text === '' ? undefined : text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function makeProblem(
  file: string,
  at: { row?: number | undefined; feature?: number | undefined; name?: string | undefined; sheet?: string | undefined },
  severity: 'error' | 'warning',
  code: MessageCode,
  params: MessageParams,
): Problem {
  const where = place(file, at.row, at.feature, at.name, at.sheet);
  const text = describe(code, params);
  // A problem with the whole file: its text already begins with the file name.
  const whole = at.row === undefined && at.feature === undefined && text.en.startsWith(`${file}:`);
  return {
    file,
    ...(at.sheet !== undefined && at.row !== undefined ? { sheet: at.sheet } : {}),
    ...(at.row !== undefined ? { row: at.row } : {}),
    ...(at.feature !== undefined ? { feature: at.feature } : {}),
    ...(at.name !== undefined ? { name: at.name } : {}),
    severity,
    code,
    params,
    message: whole ? text : { en: `${where.en}: ${text.en}`, zh: `${where.zh}：${text.zh}` },
  };
}

/** Up to `n` first positions of the features, spread over the file. */
function samplePositions(features: readonly RawFeature[], n = 200): [number, number][] {
  const usable = features.filter((f) => !f.problem && f.geometry && !geometryProblem(f.geometry));
  const step = Math.max(1, Math.floor(usable.length / n));
  const out: [number, number][] = [];
  for (let i = 0; i < usable.length && out.length < n; i += step) {
    let first: Position | undefined;
    const g = usable[i]?.geometry as Geometry;
    const visit = (p: Position): void => {
      first ??= p;
    };
    switch (g.type) {
      case 'Point':
        if (g.coordinates.length >= 2) visit(g.coordinates);
        break;
      case 'GeometryCollection':
        break;
      default:
        mapPositions(g, (p) => {
          visit(p);
          return p;
        });
    }
    if (first) out.push([first[0] as number, first[1] as number]);
  }
  return out;
}

interface CrsDecision {
  crs: string;
  source: ImportResult['detected']['crsSource'];
  explanation: Bilingual | null;
  convert: ((x: number, y: number) => [number, number]) | null;
  swapped: boolean;
  warnings: Bilingual[];
}

function outlineCentre(outline: ReturnType<typeof asOutline>): [number, number] | undefined {
  if (!outline) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polys = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
  for (const poly of polys) {
    for (const p of poly[0] ?? []) {
      minX = Math.min(minX, p[0] as number);
      maxX = Math.max(maxX, p[0] as number);
      minY = Math.min(minY, p[1] as number);
      maxY = Math.max(maxY, p[1] as number);
    }
  }
  return Number.isFinite(minX) ? [(minX + maxX) / 2, (minY + maxY) / 2] : undefined;
}

const GEOGRAPHIC = new Set(['wgs84', 'cgcs2000', 'gcj02', 'bd09', 'EPSG:4326', 'EPSG:4490']);

function decideCrs(source: SourceLayer, options: FinishOptions, hint: [number, number] | undefined): CrsDecision {
  const { raw, fileName } = source;
  const warnings: Bilingual[] = [...(raw.crs?.warnings ?? [])];
  if (raw.wgs84) {
    return { crs: raw.crs?.name ?? 'wgs84', source: 'file', explanation: null, convert: null, swapped: false, warnings };
  }
  const sample = samplePositions(raw.features);
  const verdict = sample.length > 0 ? detectCoordinates(sample, hint ? { hint } : {}) : undefined;
  if (options.crs !== undefined) {
    const name = crsFromName(options.crs);
    if (!name) throw new IoError('crs-unknown', { name: options.crs });
    // The caller's choice stands; say so when the numbers disagree with it.
    if (verdict && GEOGRAPHIC.has(name) && (verdict.kind === 'projected' || verdict.kind === 'swapped')) warnings.push(verdict.explanation);
    if (verdict && !GEOGRAPHIC.has(name) && verdict.kind === 'degrees') warnings.push(verdict.explanation);
    const convert = name === 'wgs84' || name === 'cgcs2000' ? null : crsConverter(name).toWgs84;
    return { crs: name, source: 'caller', explanation: null, convert, swapped: false, warnings };
  }
  if (raw.crs) {
    return { crs: raw.crs.name, source: 'file', explanation: null, convert: raw.crs.toWgs84 ?? null, swapped: false, warnings };
  }
  if (!verdict) return { crs: 'wgs84', source: 'default', explanation: null, convert: null, swapped: false, warnings };
  switch (verdict.kind) {
    case 'degrees':
      return { crs: 'wgs84', source: 'detected', explanation: verdict.explanation, convert: null, swapped: false, warnings };
    case 'swapped':
      return { crs: 'wgs84', source: 'detected', explanation: verdict.explanation, convert: (x, y) => [y, x], swapped: true, warnings };
    case 'invalid':
      return { crs: 'wgs84', source: 'default', explanation: verdict.explanation, convert: null, swapped: false, warnings };
    case 'projected': {
      const best = verdict.guesses[0];
      if (!best || verdict.needsHint) {
        throw new IoError('crs-needs-choice', { file: fileName, en: verdict.explanation.en, zh: verdict.explanation.zh });
      }
      const to = crsConverter(best.crs as CrsName).toWgs84;
      const convert = best.axisOrder === 'yx' ? (x: number, y: number) => to(y, x) : to;
      return { crs: best.crs, source: 'detected', explanation: verdict.explanation, convert, swapped: best.axisOrder === 'yx', warnings };
    }
  }
}

function convertGeometry(g: Geometry, convert: (x: number, y: number) => [number, number]): Geometry {
  return mapPositions(g, (p) => {
    const [x, y] = convert(p[0] as number, p[1] as number);
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  });
}

/**
 * A read source's features in WGS84 as they stand, coordinates converted by the same CRS decision as an import but
 * nothing mapped or validated: for layers the import does not map, such as the terrain model's water barriers.
 */
export function featuresInWgs84(source: SourceLayer, hint?: [number, number]): Feature<Geometry | null>[] {
  const raw = expandOsmTags(source.raw);
  const crs = decideCrs({ ...source, raw }, {}, hint);
  return raw.features.map((f) => ({
    type: 'Feature',
    geometry: f.geometry && crs.convert ? convertGeometry(f.geometry, crs.convert) : f.geometry,
    properties: f.properties,
  }));
}

/** OSM keys GDAL's OSM driver leaves in `other_tags` ("k"=>"v" pairs) that the layers use (water: the barrier tags). */
const OSM_KEYS = ['highway', 'oneway', 'name', 'name:zh', 'amenity', 'healthcare', 'waterway', 'natural', 'landuse', 'water'];

/** Parses GDAL's hstore text: "amenity"=>"hospital","name"=>"A \"B\"". */
function parseHstore(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out[(m[1] as string).replace(/\\(.)/g, '$1')] = (m[2] as string).replace(/\\(.)/g, '$1');
  }
  return out;
}

/** OpenStreetMap data exported by GDAL: the tags the layers use come out of `other_tags` (which is kept). */
function expandOsmTags(raw: RawRead): RawRead {
  if (!raw.fieldNames.includes('other_tags')) return raw;
  const added = new Set<string>();
  const features = raw.features.map((f) => {
    const tags = f.properties.other_tags;
    if (typeof tags !== 'string') return f;
    const parsed = parseHstore(tags);
    const extra: Record<string, unknown> = {};
    for (const k of OSM_KEYS) {
      if (parsed[k] !== undefined && (f.properties[k] === undefined || f.properties[k] === null)) {
        extra[k] = parsed[k];
        added.add(k);
      }
    }
    return Object.keys(extra).length > 0 ? { ...f, properties: { ...f.properties, ...extra } } : f;
  });
  return { ...raw, features, fieldNames: [...raw.fieldNames, ...[...added].filter((k) => !raw.fieldNames.includes(k))] };
}

const ID_PREFIX: Record<LayerKind, string> = { facilities: 'F', population: 'P', roads: 'R', zones: 'Z' };

/** Far points listed one by one (with a keep choice each); the rest are counted and left out. */
const FAR_LISTED = 200;

/** Coordinates, mapping and validation of a read source. Throws IoError when the coordinate system needs a choice. */
export function finishImport(source: SourceLayer, options: FinishOptions = {}): ImportResult {
  const { fileName } = source;
  // A sheet read under a header without coordinates (the planner may choose another): refused here, as CSV's read is.
  if (source.raw.blocking) throw new IoError(source.raw.blocking.code, source.raw.blocking.params);
  const raw = options.kind ? expandOsmTags(source.raw) : source.raw;
  const sheet = raw.sheet;
  const kind = options.kind;
  const outline = asOutline(options.outline);
  const inOutline = outline ? outlineTester(outline) : undefined;
  const hint = options.hint ?? outlineCentre(outline);
  const crs = decideCrs({ ...source, raw }, options, hint);
  const mapping = kind ? (options.mapping ?? suggestMapping(raw.fieldNames, kind, raw.features.slice(0, 500))) : {};
  const tierField = mapping.tier ?? null;
  const tierValues = kind === 'facilities' ? { ...suggestTierValues(raw.features, tierField), ...(options.tierValues ?? {}) } : {};
  const problems: Problem[] = [];
  for (const note of raw.notes ?? []) problems.push(makeProblem(fileName, { ...note, sheet }, 'warning', note.code, note.params));
  const features: Feature<Geometry | null>[] = [];
  const idKey = idProperty(kind);
  const firstSeen = new Map<string, string>();
  const measure = outline ? farMeasure(outline) : undefined;
  const keepFar = new Set(options.keepFar ?? []);
  const far: FarPoint[] = [];
  let farCount = 0;
  let read = 0;
  for (const f of raw.features) {
    read++;
    let at: { row: number | undefined; feature: number | undefined; name?: string | undefined; sheet: string | undefined } = {
      row: f.row,
      feature: f.row === undefined ? f.index : undefined,
      sheet,
    };
    if (f.problem) {
      problems.push(makeProblem(fileName, at, 'error', f.problem.code, f.problem.params));
      continue;
    }
    let properties = f.properties;
    if (kind) {
      const mapped = applyMapping(properties, kind, mapping, tierValues);
      properties = mapped.properties;
      at = { ...at, name: nameOf(properties) };
      for (const p of mapped.problems) problems.push(makeProblem(fileName, at, p.severity, p.code, p.params));
    }
    let geometry = f.geometry;
    if (geometry && crs.convert && !geometryProblem(geometry)) {
      try {
        geometry = convertGeometry(geometry, crs.convert);
      } catch (error) {
        problems.push(makeProblem(fileName, at, 'error', 'geometry-invalid', { detail: detailOf(error) }));
        continue;
      }
    }
    let findings = [...checkGeometry(geometry, kind, inOutline), ...checkProperties(properties, kind)].map((x) =>
      x.code === 'coord-convert-failed' ? { ...x, params: { crs: crs.crs } } : x,
    );
    // A point outside the county: how far and which way; beyond the margin it is left out unless kept.
    if (measure && geometry?.type === 'Point' && !findings.some((x) => x.severity === 'error')) {
      findings = findings.map((x) => {
        if (x.code !== 'outside-outline') return x;
        const [lon, lat] = geometry.coordinates as [number, number];
        const where = measure(lon, lat);
        // Past the exact limit only a lower bound is known: within the margin it says nothing worth showing.
        if (where.atLeast && where.km <= FAR_MARGIN_KM) return x;
        const params = { ...x.params, km: roundKm(where.km), dir: where.direction, ...(where.atLeast ? { atLeast: true } : {}) };
        if (where.km <= FAR_MARGIN_KM) return { ...x, params };
        const kept = keepFar.has(f.index);
        farCount++;
        if (far.length < FAR_LISTED) {
          const id = kind && idKey ? properties[idKey] : undefined;
          far.push({
            index: f.index,
            ...(f.row !== undefined ? { row: f.row } : { feature: f.index }),
            id: id === undefined || id === null || id === '' ? (kind ? `${ID_PREFIX[kind]}-${f.row ?? f.index + 1}` : null) : String(id),
            name: at.name ?? null,
            km: where.km,
            direction: where.direction,
            atLeast: where.atLeast,
            lon,
            lat,
            kept,
          });
        }
        return kept
          ? { severity: 'warning' as const, code: 'far-outside-kept' as const, params: { ...params, margin: FAR_MARGIN_KM } }
          : { severity: 'error' as const, code: 'far-outside' as const, params: { ...params, margin: FAR_MARGIN_KM } };
      });
    }
    for (const x of findings) problems.push(makeProblem(fileName, at, x.severity, x.code, x.params));
    if (findings.some((x) => x.severity === 'error')) continue;
    if (kind && idKey) {
      let id = properties[idKey];
      if ((id === undefined || id === null || id === '') && kind !== 'zones') {
        id = `${ID_PREFIX[kind]}-${f.row ?? f.index + 1}`;
        properties = { ...properties, [idKey]: id };
      }
      if (id !== undefined && id !== null && id !== '') {
        const key = String(id);
        const first = firstSeen.get(key);
        if (first !== undefined) {
          problems.push(makeProblem(fileName, at, 'error', 'duplicate-id', { id: key, first }));
          continue;
        }
        firstSeen.set(key, f.row !== undefined ? `row ${f.row}` : `feature ${f.index}`);
      }
    }
    features.push({ type: 'Feature', geometry, properties });
  }
  const warnings = [...(raw.warnings ?? []), ...crs.warnings];
  // Rows left out (a row with two errors is one row), and the things to check.
  const rejected = read - features.length;
  return {
    features,
    problems,
    detected: {
      format: source.format,
      encoding: raw.encoding ?? null,
      crs: crs.crs,
      crsSource: crs.source,
      crsExplanation: crs.explanation,
      swapped: crs.swapped,
      fields: describeFields(raw.fieldNames, raw.features.slice(0, 2000)),
      mapping,
      tierValues,
      warnings,
      far,
      farCount,
    },
    counts: { read, imported: features.length, rejected, warnings: problems.filter((p) => p.severity === 'warning').length },
  };
}

export type ImportOptions = ReadOptions & FinishOptions;

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; error: IoFailure };

/** Any thrown value as an IoError (CrsError and library errors become a read failure naming the file). */
export function asIoError(error: unknown, file: string): IoError {
  if (error instanceof IoError) return error;
  const zh = (error as { zh?: unknown } | null)?.zh;
  if (typeof zh === 'string') return new IoError('prj-unreadable', { file, en: detailOf(error), zh });
  return new IoError('read-failed', { file, detail: detailOf(error) });
}

/** Reads, converts, maps and checks a file. Never throws: a file that cannot be read at all gives { ok: false }. */
export async function importLayer(input: ImportInput, options: ImportOptions): Promise<ImportOutcome> {
  try {
    const source = await readSource(input, options);
    return { ok: true, result: finishImport(source, options) };
  } catch (error) {
    return { ok: false, error: toFailure(asIoError(error, options.fileName)) };
  }
}
