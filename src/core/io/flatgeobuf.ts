/**
 * FlatGeobuf bytes ↔ GeoJSON FeatureCollection.
 * Limits of the format (as flatgeobuf-js writes it): one geometry type per file is best, the column
 * schema is taken from the first feature, and nested objects are stored as JSON strings.
 *
 * Reading goes through `layoutFlatGeobuf`, which frames the file itself rather than trusting flatgeobuf-js's
 * loop (that loop reads from wherever the header's feature count and index size put it and stops quietly at the
 * first length that runs past the end, so a header that lies yields a part of the file without a word). Here
 * the header, the spatial index and every size-prefixed feature must tile the file exactly, and the number of
 * features must be the header's `features_count` (0 there means "unknown"); otherwise the file is refused. The
 * index itself is never used to read (features are read in file order), so an index whose entries do not point
 * at the features is only reported, with every feature still read.
 */
import { ByteBuffer } from 'flatbuffers';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { fromByteBuffer } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

const MAGIC = [0x66, 0x67, 0x62];
/** Bytes of one node of the packed R-tree: a box of four doubles and a 64-bit offset. */
const NODE_BYTES = 40;
/** The smallest size-prefixed feature: the 4-byte prefix and a flatbuffer root offset. */
const MIN_FEATURE_BYTES = 8;

/** What is wrong with a FlatGeobuf file, in both languages (thrown by the layout). */
export class FlatGeobufDamage extends Error {
  readonly zh: string;
  /** 'unreadable': not a FlatGeobuf file one can start on; 'inconsistent': counts or sizes disagree with the bytes. */
  readonly kind: 'unreadable' | 'inconsistent';
  constructor(en: string, zh: string, kind: 'unreadable' | 'inconsistent' = 'inconsistent') {
    super(en);
    this.name = 'FlatGeobufDamage';
    this.zh = zh;
    this.kind = kind;
  }
}

/** Where everything is in a FlatGeobuf file that passed the checks. */
export interface FlatGeobufLayout {
  meta: HeaderMeta;
  /** Byte offset of each feature's size prefix, in file order. */
  offsets: number[];
  /** Why the spatial index was ignored, when it does not point at the features; null when it does (or there is none). */
  indexDamage: { en: string; zh: string } | null;
}

/**
 * Refuses a header flatgeobuf-js would hang on: a spatial index over zero features makes its tree-size loop
 * never end (a damaged count, found by fuzzing). Throws an Error whose message says what is wrong.
 */
function checkFlatGeobufHeader(meta: { featuresCount: number; indexNodeSize: number }): void {
  if (meta.indexNodeSize > 0 && !(meta.featuresCount > 0)) {
    throw new FlatGeobufDamage(
      `the header declares a spatial index over ${meta.featuresCount} features (the file is damaged)`,
      `文件头声明了覆盖 ${meta.featuresCount} 个要素的空间索引（文件已损坏）`,
      'unreadable',
    );
  }
}

/** Nodes of a packed R-tree over `n` items (n ≥ 1) with `nodeSize` children per node, and the leaves' first node. */
function treeNodes(n: number, nodeSize: number): { nodes: number; leavesFrom: number } {
  const size = Math.min(Math.max(nodeSize, 2), 65535);
  let level = n;
  let nodes = n;
  while (level > 1) {
    level = Math.ceil(level / size);
    nodes += level;
  }
  return { nodes, leavesFrom: nodes - n };
}

/**
 * The size-prefixed root table of a flatbuffer (the header) and its vtable must lie inside its bytes, and every
 * field inside the table: a field outside would read as 0 (the flatbuffers reader gives 0 past the end), and a
 * features_count of 0 means "unknown", which would let a damaged header pass for any number of features.
 */
function checkRootTable(buf: Uint8Array): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (what: string, zh: string): never => {
    throw new FlatGeobufDamage(
      `the header's ${what} lies outside its ${buf.length - 4} bytes`,
      `文件头的${zh}超出其 ${buf.length - 4} 字节`,
    );
  };
  if (buf.length < 8) bad('table', '数据表');
  const table = 4 + view.getUint32(4, true);
  if (table + 4 > buf.length) bad('table', '数据表');
  const vtable = table - view.getInt32(table, true);
  if (vtable < 4 || vtable + 4 > buf.length) bad('field table', '字段表');
  const vtableSize = view.getUint16(vtable, true);
  const tableSize = view.getUint16(vtable + 2, true);
  // A field table shorter than its own 4 bytes lists no fields: every field reads as its default.
  if (vtableSize < 4) return;
  if (vtable + vtableSize > buf.length || tableSize < 4 || table + tableSize > buf.length) bad('field table', '字段表');
  for (let i = 4; i < vtableSize; i += 2) {
    const at = view.getUint16(vtable + i, true);
    if (at !== 0 && at >= tableSize) bad(`field ${(i - 4) / 2}`, `第 ${(i - 4) / 2} 个字段`);
  }
}

/** Checks the framing of a whole FlatGeobuf file; throws FlatGeobufDamage when its counts or sizes disagree with its bytes. */
export function layoutFlatGeobuf(bytes: Uint8Array): FlatGeobufLayout {
  if (bytes.length < 12 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new FlatGeobufDamage('it does not start with the FlatGeobuf signature', '文件开头不是 FlatGeobuf 标识', 'unreadable');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (headerLength < 4 || 12 + headerLength > bytes.length) {
    throw new FlatGeobufDamage(
      `the header declares ${headerLength} bytes but the file has ${bytes.length - 12} after the signature`,
      `文件头声明长度 ${headerLength} 字节，而标识之后只有 ${bytes.length - 12} 字节`,
    );
  }
  // A copy, so the flatbuffer's vectors (the envelope) are aligned.
  const headerBytes = bytes.slice(8, 12 + headerLength);
  checkRootTable(headerBytes);
  let meta: HeaderMeta;
  try {
    meta = fromByteBuffer(new ByteBuffer(headerBytes));
  } catch (error) {
    throw new FlatGeobufDamage(
      `the header cannot be read (${error instanceof Error ? error.message : String(error)})`,
      `无法读取文件头（${error instanceof Error ? error.message : String(error)}）`,
      'unreadable',
    );
  }
  checkFlatGeobufHeader(meta);
  const declared = meta.featuresCount;
  const featuresFrom = 12 + headerLength;
  if (!Number.isSafeInteger(declared) || declared < 0 || declared * MIN_FEATURE_BYTES > bytes.length - featuresFrom) {
    throw new FlatGeobufDamage(
      `the header declares ${declared} features, more than the ${bytes.length} bytes of the file can hold`,
      `文件头声明 ${declared} 个要素，超出文件 ${bytes.length} 字节所能容纳`,
    );
  }
  let tree: { nodes: number; leavesFrom: number } | null = null;
  let start = featuresFrom;
  if (meta.indexNodeSize > 0) {
    if (meta.indexNodeSize < 2) {
      throw new FlatGeobufDamage(
        `the index node size is ${meta.indexNodeSize} (at least 2)`,
        `索引节点大小为 ${meta.indexNodeSize}（应不小于 2）`,
      );
    }
    tree = treeNodes(declared, meta.indexNodeSize);
    start += tree.nodes * NODE_BYTES;
    if (start > bytes.length) {
      throw new FlatGeobufDamage(
        `the spatial index over ${declared} features needs ${tree.nodes * NODE_BYTES} bytes, more than the file holds after its header`,
        `覆盖 ${declared} 个要素的空间索引需要 ${tree.nodes * NODE_BYTES} 字节，超出文件头之后的长度`,
      );
    }
  }
  const offsets: number[] = [];
  let at = start;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) {
      throw new FlatGeobufDamage(
        `${bytes.length - at} stray byte(s) at the end, after feature ${offsets.length}`,
        `第 ${offsets.length} 个要素之后有 ${bytes.length - at} 个多余字节`,
      );
    }
    const length = view.getUint32(at, true);
    if (length < 4 || at + 4 + length > bytes.length) {
      throw new FlatGeobufDamage(
        `feature ${offsets.length} at byte ${at} declares ${length} bytes, but ${bytes.length - at - 4} remain (cut short, or trailing garbage)`,
        `第 ${offsets.length} 个要素（第 ${at} 字节）声明长度 ${length} 字节，而文件只剩 ${bytes.length - at - 4} 字节（文件被截断或末尾有多余数据）`,
      );
    }
    offsets.push(at);
    at += 4 + length;
    if (declared > 0 && offsets.length > declared) break;
  }
  if (declared > 0 && offsets.length !== declared) {
    const more = offsets.length > declared;
    throw new FlatGeobufDamage(
      more
        ? `the header declares ${declared} features but the file holds more`
        : `the header declares ${declared} features but the file holds ${offsets.length}`,
      more ? `文件头声明 ${declared} 个要素，而文件中多于此数` : `文件头声明 ${declared} 个要素，而文件中只有 ${offsets.length} 个`,
    );
  }
  let indexDamage: FlatGeobufLayout['indexDamage'] = null;
  if (tree) {
    // Each leaf of the index points at one feature (its offset from the first feature); internal nodes point at nodes.
    const featureAt = new Set(offsets.map((o) => o - start));
    const seen = new Set<number>();
    for (let i = 0; i < tree.nodes && !indexDamage; i++) {
      const node = featuresFrom + i * NODE_BYTES;
      const box = [0, 8, 16, 24].map((k) => view.getFloat64(node + k, true));
      const target = Number(view.getBigUint64(node + 32, true));
      const leaf = i >= tree.leavesFrom;
      const boxBad =
        !box.every((v) => Number.isFinite(v)) || (box[0] as number) > (box[2] as number) || (box[1] as number) > (box[3] as number);
      const emptyBox = box.every((v) => Number.isNaN(v) || Math.abs(v) === Infinity);
      if (leaf ? !featureAt.has(target) || seen.has(target) : target >= tree.nodes) {
        indexDamage = {
          en: `index node ${i} points at ${leaf ? `byte ${target} of the features, where no feature starts` : `node ${target}, past the index`}`,
          zh: `索引节点 ${i} 指向${leaf ? `要素区第 ${target} 字节，该处不是要素起点` : `节点 ${target}，超出索引范围`}`,
        };
      } else if (boxBad && !emptyBox) {
        indexDamage = { en: `index node ${i} has an invalid bounding box`, zh: `索引节点 ${i} 的外包框无效` };
      }
      if (leaf) seen.add(target);
    }
  }
  return { meta, offsets, indexDamage };
}

/** The features of a laid-out file as GeoJSON, in file order (each copied so its vectors are aligned). */
export function* flatGeobufFeatures(bytes: Uint8Array, layout: FlatGeobufLayout): Generator<Feature<Geometry | null>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let id = 0; id < layout.offsets.length; id++) {
    const at = layout.offsets[id] as number;
    const length = view.getUint32(at, true);
    const own = bytes.slice(at, at + 4 + length);
    const feature = FgbFeature.getSizePrefixedRootAsFeature(new ByteBuffer(own));
    yield fromFeature(id, feature, layout.meta) as unknown as Feature<Geometry | null>;
  }
}

/**
 * Reads a whole FlatGeobuf file. Throws FlatGeobufDamage (an Error) when the header's counts or sizes disagree with
 * the bytes, so a damaged file never gives a part of its features; a damaged index alone is ignored (every feature
 * is still read) and `onIndexIgnored` is told why, for the caller to pass on.
 */
export async function readFlatGeobuf<G extends Geometry = Geometry, P = Record<string, unknown>>(
  bytes: Uint8Array,
  options: { onIndexIgnored?: (why: { en: string; zh: string }) => void } = {},
): Promise<FeatureCollection<G, P>> {
  const layout = layoutFlatGeobuf(bytes);
  if (layout.indexDamage) options.onIndexIgnored?.(layout.indexDamage);
  const features: FeatureCollection<G, P>['features'] = [];
  for (const feature of flatGeobufFeatures(bytes, layout)) {
    features.push(feature as unknown as FeatureCollection<G, P>['features'][number]);
  }
  return { type: 'FeatureCollection', features };
}

/** Writes WGS84 (EPSG:4326) FlatGeobuf with a spatial index. */
export function writeFlatGeobuf(collection: FeatureCollection): Uint8Array {
  return serialize(collection as Parameters<typeof serialize>[0], 4326);
}
