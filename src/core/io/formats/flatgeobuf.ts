/**
 * FlatGeobuf through the `flatgeobuf` package (BSD-2-Clause).
 *
 * Reading frames the file itself (../flatgeobuf.ts): the header's feature count, the index size and every feature's
 * length must agree with the bytes, or the file is refused (file-damaged) rather than read in part; a spatial index
 * whose entries do not point at the features is ignored (features are read in file order) with an index-ignored
 * warning. Limits: the whole file is read into memory (no HTTP range reads here). A header CRS other than EPSG:4326/4490
 * is converted from. Writing: one column per property over all features (flatgeobuf-js's own serialize takes
 * the schema from the first feature only and crashes on an empty layer): booleans → Bool, numbers → Double,
 * text → String, anything mixed or nested → Json (read back as the same values). Every feature needs a
 * geometry; a table without geometry belongs in CSV. GCJ-02 output carries no CRS code (it has none).
 */
import type { FeatureCollection, Geometry, GeometryCollection } from 'geojson';
import { crsConverter, crsFromName } from '../../crs';
import { detailOf, IoError } from '../messages';
import { MAX_NESTING, nestedDeeperThan } from '../geometry';
import { FlatGeobufDamage, flatGeobufFeatures, layoutFlatGeobuf, type FlatGeobufLayout } from '../flatgeobuf';
import { checkAborted } from '../stream';
import type { FileCrs, FormatCodec, RawFeature, RawRead, ReadContext, Written } from '../types';
import { fieldNamesOf, setProperty } from './geojson';

const MAGIC = [0x66, 0x67, 0x62];

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const features: RawFeature[] = [];
  let layout: FlatGeobufLayout;
  try {
    layout = layoutFlatGeobuf(bytes);
  } catch (error) {
    if (error instanceof FlatGeobufDamage && error.kind === 'inconsistent') {
      throw new IoError('file-damaged', { file: ctx.fileName, format: 'FlatGeobuf', detail: error.message, detailZh: error.zh });
    }
    throw new IoError('flatgeobuf-invalid', { file: ctx.fileName, detail: detailOf(error) });
  }
  const crsCode = layout.meta.crs?.code ?? 0;
  const columns = (layout.meta.columns ?? []).map((c) => c.name);
  try {
    for (const f of flatGeobufFeatures(bytes, layout)) {
      // FlatGeobuf stores no value for null: every column of the header is a property, null when absent.
      const properties: Record<string, unknown> = {};
      for (const c of columns) properties[c] = null;
      for (const [k, v] of Object.entries(f.properties ?? {})) setProperty(properties, k, v);
      // A Json column may hold anything; nothing nested past MAX_NESTING goes on to the recursive walks.
      if (nestedDeeperThan(properties)) {
        const problem = { code: 'nested-too-deep' as const, params: { limit: MAX_NESTING, part: 'properties' } };
        features.push({ geometry: null, properties: {}, index: features.length, problem });
      } else features.push({ geometry: f.geometry ?? null, properties, index: features.length });
      if (features.length % 10000 === 0) {
        checkAborted(ctx);
        ctx.onProgress?.({ bytesRead: bytes.length, totalBytes: bytes.length, features: features.length });
      }
    }
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw new IoError('flatgeobuf-invalid', { file: ctx.fileName, detail: `feature ${features.length}: ${detailOf(error)}` });
  }
  const notes: NonNullable<RawRead['notes']> = [];
  if (layout.indexDamage) {
    notes.push({
      code: 'index-ignored',
      params: { file: ctx.fileName, detail: layout.indexDamage.en, detailZh: layout.indexDamage.zh, count: features.length },
    });
  }
  let crs: FileCrs | undefined;
  if (crsCode && crsCode !== 4326 && crsCode !== 4490) {
    const name = crsFromName(`EPSG:${crsCode}`);
    if (!name) throw new IoError('crs-unknown', { name: `EPSG:${crsCode}`, file: ctx.fileName });
    crs = { name, toWgs84: crsConverter(name).toWgs84, warnings: [] };
  } else if (crsCode) crs = { name: `EPSG:${crsCode}`, warnings: [] };
  return {
    features,
    fieldNames: columns.length > 0 ? columns : fieldNamesOf(features),
    ...(crs ? { crs } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

type ColumnKind = 'bool' | 'number' | 'string' | 'json';

function columnKinds(collection: FeatureCollection<Geometry | null>, order: readonly string[]): Map<string, ColumnKind> {
  const kinds = new Map<string, ColumnKind | null>();
  for (const k of order) kinds.set(k, null);
  for (const f of collection.features) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (v === null || v === undefined) {
        if (!kinds.has(k)) kinds.set(k, null);
        continue;
      }
      const kind: ColumnKind =
        typeof v === 'boolean'
          ? 'bool'
          : typeof v === 'number' && Number.isFinite(v)
            ? 'number'
            : typeof v === 'string'
              ? 'string'
              : 'json';
      const was = kinds.get(k);
      kinds.set(k, was === undefined || was === null || was === kind ? kind : 'json');
    }
  }
  const out = new Map<string, ColumnKind>();
  for (const [k, v] of kinds) out.set(k, v ?? 'string');
  return out;
}

export async function writeFlatGeobufLayer(
  collection: FeatureCollection<Geometry | null>,
  options: { name: string; crs: 'wgs84' | 'gcj02'; columns?: string[] },
): Promise<Written> {
  const missing = collection.features.filter((f) => f.geometry === null).length;
  if (missing > 0) {
    throw new IoError('write-unsupported', {
      format: 'FlatGeobuf',
      detail: `${missing} feature(s) have no geometry; write tables as CSV`,
      detailZh: `${missing} 个要素没有几何；统计表请输出为 CSV`,
    });
  }
  if (collection.features.length === 0) throw new IoError('no-features', { file: options.name });
  const [{ buildHeader }, { buildFeature }, { parseGeometry, parseGC }, { inferGeometryType }, { ColumnType }, { magicbytes }] =
    await Promise.all([
      import('flatgeobuf/lib/mjs/generic/featurecollection.js'),
      import('flatgeobuf/lib/mjs/generic/feature.js'),
      import('flatgeobuf/lib/mjs/geojson/geometry.js'),
      import('flatgeobuf/lib/mjs/generic/header.js'),
      import('flatgeobuf/lib/mjs/flat-geobuf/column-type.js'),
      import('flatgeobuf/lib/mjs/constants.js'),
    ]);
  const kinds = columnKinds(collection, options.columns ?? []);
  const typeOf: Record<ColumnKind, number> = {
    bool: ColumnType.Bool,
    number: ColumnType.Double,
    string: ColumnType.String,
    json: ColumnType.Json,
  };
  const columns = [...kinds].map(([name, kind]) => ({
    name,
    type: typeOf[kind],
    title: null,
    description: null,
    width: -1,
    precision: -1,
    scale: -1,
    nullable: true,
    unique: false,
    primary_key: false,
  }));
  const features = collection.features as { geometry: Geometry; properties: Record<string, unknown> | null }[];
  const headerMeta = {
    geometryType: inferGeometryType(features as Parameters<typeof inferGeometryType>[0]),
    columns,
    envelope: null,
    featuresCount: features.length,
    indexNodeSize: 0,
    crs: null,
    title: null,
    description: null,
    metadata: null,
  };
  const header = buildHeader(headerMeta, options.crs === 'wgs84' ? 4326 : 0);
  const parts = features.map((f) => {
    const props: Record<string, unknown> = {};
    for (const c of columns) {
      const v = f.properties?.[c.name];
      props[c.name] = v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
    }
    const g = f.geometry;
    const parsed =
      g.type === 'GeometryCollection' ? parseGC(g as GeometryCollection) : parseGeometry(g as Exclude<Geometry, GeometryCollection>);
    return buildFeature(parsed, props as Parameters<typeof buildFeature>[1], headerMeta);
  });
  const size = magicbytes.length + header.length + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  out.set(magicbytes);
  out.set(header, magicbytes.length);
  let at = magicbytes.length + header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { bytes: out, mime: 'application/flatgeobuf', warnings: [] };
}

export const flatgeobufCodec: FormatCodec = {
  id: 'flatgeobuf',
  label: 'FlatGeobuf',
  extensions: ['.fgb'],
  limits: {
    en: 'Read whole into memory, in file order: a file whose feature count or sizes disagree with its bytes is refused; a damaged spatial index is ignored with a warning. One column type per property (mixed or nested values are stored as JSON). Every feature needs a geometry. No spatial index is written.',
    zh: '整体载入内存，按文件顺序读取：要素数或长度与文件内容不符的文件不予读取；空间索引损坏时忽略索引并给出提示。每个属性一种列类型（混合或嵌套值以 JSON 保存）。每个要素都须有几何。不写空间索引。',
  },
  sniff: (head) => (MAGIC.every((b, i) => head[i] === b) ? 1 : 0),
  read,
  write: (collection, options) => writeFlatGeobufLayer(collection, options),
};
