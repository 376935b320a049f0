/**
 * Zipped Shapefiles (.zip holding .shp, .shx, .dbf, .prj, .cpg), read with shpjs (MIT; its geometry reader,
 * which also sorts polygon rings into exteriors and holes) and our own .dbf reader (dbf.ts), and written by our own
 * .shp/.shx/.dbf writer (shp-write.ts, dbf.ts); zip archives with fflate (MIT).
 *
 * Encoding of the attributes: the .cpg (GBK is common in China), else the .dbf code page byte, else detected.
 * Coordinates: the .prj through the crs module (CGCS2000 Gauss-Krüger zones, Xian 1980 and Beijing 1954 with a
 * warning about their datum); a .prj whose name says GCJ-02 (as this writer marks AMap output) is read as GCJ-02.
 * Without a .prj the numbers decide (see import.ts).
 *
 * Limits of the format, on writing: one geometry type per file, 2D only; field names of at most 10 bytes (3
 * Chinese characters) and text of at most 254 bytes. So that a re-import loses nothing, the zip also holds
 * `<name>.fields.json` with each column's full name and type (other GIS programs ignore it and see the short
 * names). A table without geometry is written as a .dbf alone. When the zip holds several layers, the first is read
 * and the others named in a warning. Reading holds the whole zip in memory.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { fromPrj, gcj02ToWgs84 } from '../../crs';
import { detailOf, IoError } from '../messages';
import { checkAborted } from '../stream';
import { decodeText } from '../text';
import type { FileCrs, FormatCodec, RawFeature, RawRead, ReadContext, Written } from '../types';
import { encodeUtf8, type TextDecoderLike, makeDecoder } from '../web';
import { cpgEncoding, DbfDamage, dbfColumns, readDbf, writeDbf, type DbfKind } from './dbf';
import { setProperty } from './geojson';
import { readZip } from '../zip';
import { shapeTypeOf, writeShp } from './shp-write';

/** The files of one Shapefile layer, as the UI may also hand them over one by one. */
interface ShapefileParts {
  shp?: Uint8Array;
  /** The .shx index: when given, its record count and offsets must match the .shp. */
  shx?: Uint8Array;
  dbf?: Uint8Array;
  prj?: string;
  cpg?: string;
  /** Our `<name>.fields.json` sidecar. */
  fields?: string;
  /** The layer's name in the zip, for messages. */
  layer?: string;
}

interface FieldsSidecar {
  healthshed: number;
  fields: { dbf: string; name: string; type: DbfKind }[];
}

const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
/** GCJ-02 has no WKT: the .prj is WGS84's with a name that says what the numbers are, which this reader honours. */
const GCJ02_PRJ =
  'GEOGCS["GCJ-02 (AMap/Tencent offset coordinates, not WGS84)",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const utf8 = (): TextDecoderLike => makeDecoder('utf-8') as TextDecoderLike;

/** Groups the files of a zip by layer (path without extension), skipping macOS resource forks. */
function layersOf(files: Record<string, Uint8Array>): Map<string, Record<string, Uint8Array>> {
  const layers = new Map<string, Record<string, Uint8Array>>();
  for (const [path, bytes] of Object.entries(files)) {
    if (path.includes('__MACOSX/') || /(^|\/)\._/.test(path)) continue;
    const m = /^(.*)\.(shp|shx|dbf|prj|cpg|fields\.json)$/i.exec(path);
    if (!m) continue;
    const base = (m[1] as string).toLowerCase();
    const entry = layers.get(base) ?? {};
    entry[(m[2] as string).toLowerCase()] = bytes;
    layers.set(base, entry);
  }
  return layers;
}

function prjCrs(prj: string, file: string): { crs?: FileCrs; warning?: { en: string; zh: string } } {
  if (/GEOGCS\s*\[\s*"[^"]*GCJ/i.test(prj)) return { crs: { name: 'gcj02', toWgs84: gcj02ToWgs84, warnings: [] } };
  try {
    const parsed = fromPrj(prj);
    const name = parsed.epsg ? `EPSG:${parsed.epsg}` : parsed.name || 'custom (.prj)';
    const identity = parsed.geographic && /wgs.?(19)?84|cgcs.?2000|china.?geodetic|^$/i.test(parsed.name);
    return { crs: identity ? { name, warnings: [] } : { name, toWgs84: parsed.toWgs84, warnings: [...parsed.warnings] } };
  } catch (error) {
    const zh = (error as { zh?: string }).zh ?? detailOf(error);
    return {
      warning: {
        en: `${file}: ${detailOf(error)} The coordinates are judged from their numbers instead.`,
        zh: `${file}：${zh}已改为根据坐标数值判断坐标系。`,
      },
    };
  }
}

function readSidecar(text: string | undefined): Map<string, { name: string; type: DbfKind }> {
  const map = new Map<string, { name: string; type: DbfKind }>();
  if (!text) return map;
  try {
    const parsed = JSON.parse(text) as FieldsSidecar;
    if (!Array.isArray(parsed.fields)) return map;
    for (const f of parsed.fields) {
      if (typeof f?.dbf === 'string' && typeof f.name === 'string') map.set(f.dbf, { name: f.name, type: f.type });
    }
  } catch {
    // A damaged sidecar only loses the long names.
  }
  return map;
}

function shapefileDamaged(file: string, en: string, zh: string): IoError {
  return new IoError('file-damaged', { file, format: 'Shapefile', detail: en, detailZh: zh });
}

/**
 * Byte offsets of the .shp records, found by walking their length prefixes; throws when the header's file length
 * or a record's length disagrees with the bytes (shpjs stops quietly at the first record that runs past the end).
 */
function shpRecords(shp: Uint8Array, file: string): number[] {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const declared = view.getInt32(24) * 2;
  if (declared !== shp.length) {
    throw shapefileDamaged(
      file,
      `the .shp header declares ${declared} bytes but the file has ${shp.length}`,
      `.shp 文件头声明 ${declared} 字节，而文件有 ${shp.length} 字节`,
    );
  }
  const offsets: number[] = [];
  let at = 100;
  while (at < shp.length) {
    const length = at + 8 <= shp.length ? view.getInt32(at + 4) * 2 : -1;
    if (length < 0 || at + 8 + length > shp.length) {
      throw shapefileDamaged(
        file,
        `.shp record ${offsets.length + 1} at byte ${at} runs past the end of the file`,
        `.shp 第 ${offsets.length + 1} 条记录（第 ${at} 字节）超出文件末尾`,
      );
    }
    offsets.push(at);
    at += 8 + length;
  }
  return offsets;
}

/** The .shx must index exactly the .shp's records. */
function checkShx(shx: Uint8Array, records: readonly number[], file: string): void {
  const view = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
  const count = Math.floor((shx.length - 100) / 8);
  if (shx.length < 100 || (shx.length - 100) % 8 !== 0 || view.getInt32(24) * 2 !== shx.length || count !== records.length) {
    throw shapefileDamaged(
      file,
      `the .shx indexes ${Math.max(0, count)} records but the .shp holds ${records.length}`,
      `.shx 索引了 ${Math.max(0, count)} 条记录，而 .shp 有 ${records.length} 条`,
    );
  }
  for (let i = 0; i < count; i++) {
    if (view.getInt32(100 + i * 8) * 2 !== records[i]) {
      throw shapefileDamaged(
        file,
        `.shx entry ${i + 1} does not point at .shp record ${i + 1}`,
        `.shx 第 ${i + 1} 项未指向 .shp 第 ${i + 1} 条记录`,
      );
    }
  }
}

/** Reads one layer from its parts. */
async function readShapefileParts(parts: ShapefileParts, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const file = ctx.fileName;
  if (!parts.shp && !parts.dbf) throw new IoError('shapefile-no-shp', { file });
  let geometries: (Geometry | null)[] = [];
  let shpCount: number | undefined;
  if (parts.shp) {
    const shp = parts.shp;
    if (shp.length < 100) throw new IoError('shapefile-invalid', { file, detail: 'the .shp is shorter than its 100-byte header' });
    const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
    if (view.getInt32(0) !== 9994)
      throw new IoError('shapefile-invalid', { file, detail: 'the .shp does not start with the Shapefile code 9994' });
    const recordAt = shpRecords(shp, file);
    shpCount = recordAt.length;
    if (parts.shx) checkShx(parts.shx, recordAt, file);
    const shapeType = view.getInt32(32, true);
    if (shapeType === 0) geometries = recordAt.map(() => null);
    else {
      const { parseShp } = await import('shpjs');
      try {
        geometries = (parseShp(view, undefined) as (Geometry | null)[]).map((g) => {
          if (!g) return null;
          delete (g as { bbox?: unknown }).bbox;
          return g;
        });
      } catch (error) {
        throw new IoError('shapefile-invalid', { file, detail: detailOf(error) });
      }
      if (geometries.length !== shpCount) {
        throw shapefileDamaged(
          file,
          `${geometries.length} of the ${shpCount} .shp records could be read`,
          `.shp 的 ${shpCount} 条记录中只能读取 ${geometries.length} 条`,
        );
      }
    }
  }
  let records: (Record<string, unknown> | null)[] = [];
  let fieldNames: string[] = [];
  let encoding: string | undefined;
  let unknownCpg: string | undefined;
  if (parts.dbf) {
    try {
      let forced = ctx.encoding;
      if (parts.cpg !== undefined && parts.cpg.trim() !== '') {
        const named = cpgEncoding(parts.cpg);
        if (makeDecoder(named)) forced = named;
        else unknownCpg = parts.cpg.trim().slice(0, 40);
      }
      const table = readDbf(parts.dbf, forced);
      if (shpCount !== undefined && table.records.length !== shpCount) {
        throw shapefileDamaged(
          file,
          `the .shp holds ${shpCount} records but the .dbf ${table.records.length}`,
          `.shp 有 ${shpCount} 条记录，而 .dbf 有 ${table.records.length} 条`,
        );
      }
      records = table.records;
      encoding = table.encoding;
      const sidecar = readSidecar(parts.fields);
      const rename = new Map(table.fields.map((f) => [f.name, sidecar.get(f.name)]));
      fieldNames = table.fields.map((f) => rename.get(f.name)?.name ?? f.name);
      if (sidecar.size > 0) {
        records = records.map((r) => {
          if (!r) return r;
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(r)) {
            const s = rename.get(k);
            if (!s) setProperty(out, k, v);
            else if (s.type === 'json' && typeof v === 'string') {
              try {
                setProperty(out, s.name, JSON.parse(v) as unknown);
              } catch {
                setProperty(out, s.name, v);
              }
            } else setProperty(out, s.name, s.type === 'string' && typeof v === 'number' ? String(v) : v);
          }
          return out;
        });
      }
    } catch (error) {
      if (error instanceof IoError) throw error;
      if (error instanceof DbfDamage) throw shapefileDamaged(file, error.message, error.zh);
      throw new IoError('shapefile-invalid', { file, detail: detailOf(error) });
    }
  }
  const notes: NonNullable<RawRead['notes']> = [];
  if (!parts.dbf && geometries.length > 0) notes.push({ code: 'shapefile-no-dbf', params: { file, layer: parts.layer ?? file } });
  if (unknownCpg !== undefined) notes.push({ code: 'cpg-unknown', params: { file, encoding: unknownCpg, used: encoding ?? 'utf-8' } });
  const n = Math.max(geometries.length, records.length);
  const features: RawFeature[] = [];
  for (let i = 0; i < n; i++) {
    const rec = records[i];
    const feature: RawFeature = { geometry: geometries[i] ?? null, properties: rec ? { ...rec } : {}, index: i };
    if (rec === null) feature.problem = { code: 'record-deleted', params: {} };
    features.push(feature);
  }
  const warnings = [];
  let crs: FileCrs | undefined;
  if (parts.prj && parts.prj.trim() !== '') {
    const found = prjCrs(parts.prj, file);
    crs = found.crs;
    if (found.warning) warnings.push(found.warning);
  }
  return {
    features,
    fieldNames,
    ...(encoding ? { encoding } : {}),
    ...(crs ? { crs } : {}),
    warnings,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  // One budget for everything inflated from the zip, checked on the declared sizes before inflating and on the
  // sizes found while inflating (zip.ts).
  const files = await readZip(bytes, {
    file: ctx.fileName,
    budget: ctx.maxBytes,
    keep: (name) => /\.(shp|shx|dbf|prj|cpg|fields\.json)$/i.test(name) && !name.includes('__MACOSX/') && !/(^|\/)\._/.test(name),
  });
  const layers = [...layersOf(files)].filter(([, l]) => l.shp || l.dbf).sort(([a], [b]) => a.localeCompare(b));
  const first = layers[0];
  if (!first) throw new IoError('shapefile-no-shp', { file: ctx.fileName });
  const [, layer] = first;
  const text = (b: Uint8Array | undefined): string | undefined => (b ? decodeText(b, ctx.fileName).text : undefined);
  const out = await readShapefileParts(
    {
      ...(layer.shp ? { shp: layer.shp } : {}),
      ...(layer.shx ? { shx: layer.shx } : {}),
      ...(layer.dbf ? { dbf: layer.dbf } : {}),
      layer: first[0],
      ...(layer.prj ? { prj: text(layer.prj) as string } : {}),
      ...(layer.cpg ? { cpg: utf8().decode(layer.cpg) } : {}),
      ...(layer['fields.json'] ? { fields: utf8().decode(layer['fields.json']) } : {}),
    },
    ctx,
  );
  if (layers.length > 1) {
    const others = layers.slice(1).map(([name]) => name);
    (out.warnings ??= []).push({
      en: `${ctx.fileName}: the zip holds ${layers.length} layers; read "${first[0]}", not ${others.join(', ')}`,
      zh: `${ctx.fileName}：压缩包内有 ${layers.length} 个图层；已读取“${first[0]}”，未读取 ${others.join('、')}`,
    });
  }
  return out;
}

/** A zipped Shapefile of a layer: .shp, .shx, .dbf, .cpg (UTF-8), .prj and the names sidecar. */
export async function writeShapefile(
  collection: FeatureCollection<Geometry | null>,
  options: { name: string; crs: 'wgs84' | 'gcj02'; columns?: string[]; shortNames?: Readonly<Record<string, string>> },
): Promise<Written> {
  const geometries = collection.features.map((f) => f.geometry);
  const type = shapeTypeOf(geometries);
  if (type !== null && typeof type === 'object') {
    throw new IoError('write-unsupported', { format: 'Shapefile', detail: type.error, detailZh: type.errorZh });
  }
  const rows = collection.features.map((f) => (f.properties ?? {}) as Record<string, unknown>);
  const columns = dbfColumns(rows, options.columns, options.shortNames);
  const { bytes: dbf, truncated } = writeDbf(rows, columns);
  const name = options.name.replace(/[\\/:*?"<>|]/g, '_') || 'layer';
  const files: Record<string, Uint8Array> = { [`${name}.dbf`]: dbf, [`${name}.cpg`]: encodeUtf8('UTF-8') };
  if (type !== null) {
    const { shp, shx } = writeShp(type, geometries);
    files[`${name}.shp`] = shp;
    files[`${name}.shx`] = shx;
    files[`${name}.prj`] = encodeUtf8(options.crs === 'gcj02' ? GCJ02_PRJ : WGS84_PRJ);
  }
  const sidecar: FieldsSidecar = { healthshed: 1, fields: columns.map((c) => ({ dbf: c.dbfName, name: c.name, type: c.kind })) };
  files[`${name}.fields.json`] = encodeUtf8(JSON.stringify(sidecar, null, 1));
  const { zipSync } = await import('fflate');
  const bytes = zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
  return {
    bytes,
    mime: 'application/zip',
    warnings: truncated.map((field) => ({
      en: `${field}: text longer than 254 bytes was cut to fit the .dbf`,
      zh: `${field}：超过 254 字节的文字已截断以适应 .dbf`,
    })),
  };
}

export const shapefileCodec: FormatCodec = {
  id: 'shapefile',
  label: 'Shapefile (zip)',
  extensions: ['.zip', '.shp.zip'],
  limits: {
    en: 'One geometry type per file, 2D; field names ≤ 10 bytes and text ≤ 254 bytes in the .dbf (full names kept in <name>.fields.json); read whole into memory; the first layer of a zip is read.',
    zh: '每个文件一种几何类型，仅二维；.dbf 字段名不超过 10 字节、文字不超过 254 字节（完整字段名保存在 <name>.fields.json）；整体载入内存；压缩包只读取第一个图层。',
  },
  sniff: (head, fileName) =>
    head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 ? (/\.zip$/i.test(fileName) ? 0.9 : 0.7) : 0,
  read,
  write: (collection, options) => writeShapefile(collection, options),
};
