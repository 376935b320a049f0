/**
 * Readers never read a file in part without a word (issue 14): a binary file whose declared counts or sizes
 * disagree with its bytes is refused with a coded error (or, for a FlatGeobuf index alone, read whole with a
 * warning); a zip's inflated size is budgeted over all its entries and held to while inflating; GeoJSON nested
 * 200,000 levels deep gives a coded problem, not a stack overflow; a CSV whose rows mix UTF-8 and GBK is decoded
 * row by row with a warning naming the rows; a `__proto__` column is kept; a Shapefile zip without its .dbf or with
 * an unknown .cpg says so. The damaged files are made from the real seed data (data/shangyou) by editing headers,
 * cutting and corrupting; where GDAL is installed it confirms the feature counts of the undamaged files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, createDeflateRaw } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { ByteBuffer } from 'flatbuffers';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { transformGeoJSON } from '../../src/core/crs';
import { importLayer, writeLayer, type ImportOptions, type ImportOutcome, type ImportResult } from '../../src/core/io';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { sharedDir } from '../../scripts/shared-dir';

const ROOT = resolve(__dirname, '../..');
const DATA = join(ROOT, 'data');
const FIXTURES = join(ROOT, 'test/fixtures/io');
const enc = new TextEncoder();
const OGRINFO = '/usr/bin/ogrinfo';

const population = new Uint8Array(readFileSync(join(DATA, 'shangyou/population.fgb')));
/** The same 147 settlements written by GDAL with a packed R-tree index (ogr2ogr -lco SPATIAL_INDEX=YES). */
const indexed = new Uint8Array(readFileSync(join(FIXTURES, 'population-indexed.fgb')));

async function ok(input: Parameters<typeof importLayer>[0], options: ImportOptions): Promise<ImportResult> {
  const out = await importLayer(input, options);
  if (!out.ok) throw new Error(`import failed: ${out.error.message.en}`);
  return out.result;
}

async function failure(input: Uint8Array, options: ImportOptions): Promise<Extract<ImportOutcome, { ok: false }>['error']> {
  const out = await importLayer(input, options);
  if (out.ok) throw new Error(`expected an error, read ${out.result.features.length} features`);
  return out.error;
}

/** A stream of `bytes` in chunks of `size`. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else {
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      }
    },
  });
}

// ── FlatGeobuf ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Absolute byte offset of a header field (flatbuffer vtable slot `slot`: 20 features_count, 22 index_node_size). */
function headerField(bytes: Uint8Array, slot: number): number {
  const bb = new ByteBuffer(bytes);
  bb.setPosition(8);
  const header = Header.getSizePrefixedRootAsHeader(bb);
  const at = bb.__offset(header.bb_pos, slot);
  if (!at) throw new Error(`header field ${slot} is not stored`);
  return header.bb_pos + at;
}

function withCount(bytes: Uint8Array, count: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(headerField(out, 20), BigInt(count), true);
  return out;
}

/** Byte offset of each feature of an FGB without an index, and where the features start. */
function featureOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 12 + view.getUint32(8, true); at < bytes.length; at += 4 + view.getUint32(at, true)) out.push(at);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('FlatGeobuf counts and sizes', () => {
  it('reads the undamaged seed files whole, with the feature counts GDAL gives', async () => {
    const files = readdirSync(DATA).flatMap((c) => {
      const dir = join(DATA, c);
      return existsSync(dir) && !c.includes('.')
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.fgb'))
            .map((f) => join(dir, f))
        : [];
    });
    expect(files.length).toBeGreaterThanOrEqual(25);
    const gdal = existsSync(OGRINFO);
    for (const file of files) {
      const fc = await readFlatGeobuf(new Uint8Array(readFileSync(file)));
      if (gdal) {
        const info = execFileSync(OGRINFO, ['-so', '-al', file], { encoding: 'utf8' });
        expect(Number(/Feature Count: (\d+)/.exec(info)?.[1]), file).toBe(fc.features.length);
      }
    }
    const r = await ok(population, { fileName: 'population.fgb', kind: 'population' });
    expect(r.features).toHaveLength(147);
    expect(r.problems).toEqual([]);
    const i = await ok(indexed, { fileName: 'population-indexed.fgb', kind: 'population' });
    expect(i.features).toHaveLength(147);
    expect(i.problems).toEqual([]);
    if (gdal)
      expect(execFileSync(OGRINFO, ['-so', '-al', join(FIXTURES, 'population-indexed.fgb')], { encoding: 'utf8' })).toMatch(
        /Feature Count: 147/,
      );
  });

  it('refuses a header whose feature count lies (fewer, more, 1), with or without an index, never giving a part', async () => {
    const cases: [string, Uint8Array][] = [
      ['count 146', withCount(population, 146)],
      ['count 148', withCount(population, 148)],
      ['count 1', withCount(population, 1)],
      ['indexed, count 1', withCount(indexed, 1)],
      ['indexed, count 146', withCount(indexed, 146)],
      ['indexed, count 5000', withCount(indexed, 5000)],
    ];
    for (const [name, bytes] of cases) {
      const error = await failure(bytes, { fileName: 'population.fgb', kind: 'population' });
      expect(error.code, name).toBe('file-damaged');
      expect(error.message.en, name).toMatch(/^population\.fgb: the FlatGeobuf file is damaged: .*declares/);
      expect(error.message.zh, name).toMatch(/FlatGeobuf 文件已损坏/);
      await expect(readFlatGeobuf(bytes), name).rejects.toThrow(/declares/);
    }
  });

  it('refuses a file cut short (inside a feature or exactly between two) or with bytes after the last feature', async () => {
    const offsets = featureOffsets(population);
    expect(offsets).toHaveLength(147);
    const cases: [string, Uint8Array][] = [
      ['cut inside the last feature', population.slice(0, population.length - 10)],
      ['cut after feature 1', population.slice(0, offsets[1])],
      ['cut after feature 100', population.slice(0, offsets[100])],
      ['3 stray bytes', concat(population, new Uint8Array([1, 2, 3]))],
      ['a length prefix past the end', concat(population, new Uint8Array([0xe8, 0x03, 0, 0, 9, 9]))],
      ['indexed, cut inside the index', indexed.slice(0, 400)],
    ];
    for (const [name, bytes] of cases) {
      const error = await failure(bytes, { fileName: 'population.fgb', kind: 'population' });
      expect(error.code, name).toBe('file-damaged');
      await expect(readFlatGeobuf(bytes), name).rejects.toThrow();
    }
  });

  it('reads every feature of a file whose index is damaged, ignores the index and says so', async () => {
    const view = new DataView(indexed.buffer, indexed.byteOffset, indexed.byteLength);
    const treeFrom = 12 + view.getUint32(8, true);
    // The last node of the tree is a leaf: point it at the middle of a feature.
    const nodes = 147 + 10 + 1;
    const lastLeaf = treeFrom + (nodes - 1) * 40;
    const pointed = indexed.slice();
    new DataView(pointed.buffer).setBigUint64(lastLeaf + 32, 3n, true);
    const nanBox = indexed.slice();
    new DataView(nanBox.buffer).setFloat64(lastLeaf, 1e300, true);
    new DataView(nanBox.buffer).setFloat64(lastLeaf + 16, -1e300, true);
    const root = indexed.slice();
    new DataView(root.buffer).setBigUint64(treeFrom + 32, 1_000_000n, true);
    for (const [name, bytes] of [
      ['leaf offset', pointed],
      ['leaf box', nanBox],
      ['root pointer', root],
    ] as const) {
      const r = await ok(bytes, { fileName: 'population-indexed.fgb', kind: 'population' });
      expect(r.features, name).toHaveLength(147);
      expect(
        r.problems.map((p) => [p.code, p.severity]),
        name,
      ).toEqual([['index-ignored', 'warning']]);
      expect(r.problems[0]?.message.en, name).toMatch(
        /^population-indexed\.fgb: the spatial index is damaged .*all 147 features were read/,
      );
      expect(r.problems[0]?.message.zh, name).toMatch(/空间索引已损坏/);
      const told: string[] = [];
      expect((await readFlatGeobuf(bytes, { onIndexIgnored: (why) => told.push(why.en) })).features, name).toHaveLength(147);
      expect(told, name).toHaveLength(1);
    }
  });
});

// ── zip ─────────────────────────────────────────────────────────────────────────────────────────────────────────

interface RawEntry {
  name: string;
  data: Uint8Array;
  size: number;
  crc: number;
  method: 0 | 8;
}

/** A zip of already compressed entries (so one deflated stream can stand for eight entries). */
function zipOf(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(8, e.method, true);
    l.setUint32(14, e.crc, true);
    l.setUint32(18, e.data.length, true);
    l.setUint32(22, e.size, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const c = new DataView(cd.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(10, e.method, true);
    c.setUint32(16, e.crc, true);
    c.setUint32(20, e.data.length, true);
    c.setUint32(24, e.size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, e.data);
    central.push(cd);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((n, p) => n + p.length, 0);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, cdSize, true);
  v.setUint32(16, offset, true);
  return concat(...parts, ...central, end);
}

/** `megabytes` MB of zeros, raw-deflated in a stream (never all in memory), with its CRC. */
async function deflatedZeros(megabytes: number): Promise<{ data: Uint8Array; crc: number; size: number }> {
  const mb = Buffer.alloc(1 << 20);
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((r) => deflate.on('end', r));
  let crc = 0;
  for (let i = 0; i < megabytes; i++) {
    crc = crc32(mb, crc);
    if (!deflate.write(mb)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { data: new Uint8Array(Buffer.concat(parts)), crc, size: megabytes << 20 };
}

/** The central directory entry of `name` in a zip: its offset. */
function centralEntry(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const want = enc.encode(name);
  for (let at = 0; at + 46 < zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const n = view.getUint16(at + 28, true);
    if (n === want.length && want.every((b, i) => zip[at + 46 + i] === b)) return at;
  }
  throw new Error(`no entry ${name}`);
}

async function populationZip(): Promise<Uint8Array> {
  const fc = await readFlatGeobuf<Geometry>(population);
  return (await writeLayer(fc, { format: 'shapefile', name: 'population' })).bytes;
}

describe('zip archives', () => {
  it('refuses a 3.9 MB zip of eight 480 MB entries before inflating, naming the budget for all entries', async () => {
    const zeros = await deflatedZeros(480);
    const names = ['a.shp', 'a.shx', 'a.dbf', 'b.shp', 'b.shx', 'b.dbf', 'c.shp', 'c.dbf'];
    const bomb = zipOf(names.map((name) => ({ name, ...zeros, method: 8 })));
    expect(bomb.length).toBeLessThan(5_000_000);
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const error = await failure(bomb, { fileName: 'bomb.zip' });
    expect(error.code).toBe('zip-too-large');
    expect(error.message.en).toMatch(/^bomb\.zip: the zip's entries would inflate to 3840\.0 MB together, over the budget of 512\.0 MB/);
    expect(error.message.zh).toMatch(/512\.0 MB/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);

  it('budgets the sum of all entries, not each entry alone (eight 1 MB entries against a 4 MB budget)', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 8; i++) files[`layer${i}.${i % 2 ? 'dbf' : 'shp'}`] = new Uint8Array(1 << 20);
    const zip = zipSync(files);
    const error = await failure(zip, { fileName: 'eight.zip', maxBytes: 4 << 20 });
    expect(error.code).toBe('zip-too-large');
    expect(error.params).toMatchObject({ bytes: 8 << 20, limit: 4 << 20 });
  });

  it('stops inflating an entry that gives more than its directory declares, and refuses one that gives less', async () => {
    const zip = await populationZip();
    const read = await ok(zip, { fileName: 'population.zip', kind: 'population' });
    expect(read.features).toHaveLength(147);
    for (const [name, size] of [
      ['smaller', 100],
      ['larger', 1 << 20],
    ] as const) {
      const lying = zip.slice();
      new DataView(lying.buffer).setUint32(centralEntry(lying, 'population.dbf') + 24, size, true);
      const error = await failure(lying, { fileName: 'population.zip', kind: 'population' });
      expect(error.code, name).toBe('file-damaged');
      expect(error.message.en, name).toMatch(/population\.dbf" inflates to/);
    }
    // A 5 MB entry whose directory says 1,000 bytes: stopped, not inflated whole.
    const big = zipSync({ 'x.shp': new Uint8Array(5 << 20) });
    new DataView(big.buffer).setUint32(centralEntry(big, 'x.shp') + 24, 1000, true);
    expect((await failure(big, { fileName: 'x.zip' })).code).toBe('file-damaged');
  });

  it('refuses a central directory whose entry count, offsets or sizes disagree with the bytes', async () => {
    const zip = await populationZip();
    const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const eocd = zip.length - 22;
    const fewer = zip.slice();
    view(fewer).setUint16(eocd + 8, view(zip).getUint16(eocd + 8, true) - 1, true);
    view(fewer).setUint16(eocd + 10, view(zip).getUint16(eocd + 10, true) - 1, true);
    const offset = zip.slice();
    view(offset).setUint32(centralEntry(offset, 'population.shp') + 42, 7, true);
    const compressed = zip.slice();
    view(compressed).setUint32(centralEntry(compressed, 'population.shp') + 20, zip.length, true);
    const cut = zip.slice(0, zip.length - 30);
    for (const [name, bytes] of [
      ['entry count', fewer],
      ['local offset', offset],
      ['compressed size', compressed],
      ['cut short', cut],
    ] as const) {
      const error = await failure(bytes, { fileName: 'population.zip', kind: 'population' });
      expect(error.code, name).toBe('file-damaged');
      expect(error.message.en, name).toMatch(/^population\.zip: the zip file is damaged/);
    }
  });
});

// ── Shapefile members ───────────────────────────────────────────────────────────────────────────────────────────

function rezip(zip: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(zip) as Record<string, Uint8Array>;
  edit(files);
  return zipSync(files);
}

describe('Shapefile record counts', () => {
  it('refuses a .dbf whose header declares more or fewer records than it holds, or ends early', async () => {
    const zip = await populationZip();
    const cases: [string, (d: Uint8Array) => Uint8Array][] = [
      ['declares 148', (d) => (new DataView(d.buffer).setUint32(4, 148, true), d)],
      ['declares 146', (d) => (new DataView(d.buffer).setUint32(4, 146, true), d)],
      ['cut short', (d) => d.slice(0, d.length - 200)],
      [
        'end mark at record 100',
        (d) => {
          const v = new DataView(d.buffer);
          d[v.getUint16(8, true) + 99 * v.getUint16(10, true)] = 0x1a;
          return d;
        },
      ],
    ];
    for (const [name, edit] of cases) {
      const bytes = rezip(zip, (f) => {
        f['population.dbf'] = edit((f['population.dbf'] as Uint8Array).slice());
      });
      const error = await failure(bytes, { fileName: 'population.zip', kind: 'population' });
      expect(error.code, name).toBe('file-damaged');
      expect(error.message.en, name).toMatch(/^population\.zip: the Shapefile file is damaged: .*\.dbf/);
    }
  });

  it('refuses a .shp cut short or whose header length or .shx disagree with its records', async () => {
    const zip = await populationZip();
    const shp = unzipSync(zip)['population.shp'] as Uint8Array;
    const cases: [string, (f: Record<string, Uint8Array>) => void][] = [
      ['cut inside a record', (f) => (f['population.shp'] = shp.slice(0, shp.length - 5))],
      [
        'cut after record 100, header length kept',
        (f) => (f['population.shp'] = shp.slice(0, 100 + 100 * 28)), // 28 bytes a point record
      ],
      [
        'header length 1 record short',
        (f) => {
          const s = shp.slice();
          new DataView(s.buffer).setInt32(24, (s.length - 28) / 2);
          f['population.shp'] = s;
        },
      ],
      ['.shx one record short', (f) => (f['population.shx'] = (f['population.shx'] as Uint8Array).slice(0, -8))],
    ];
    for (const [name, edit] of cases) {
      const error = await failure(rezip(zip, edit), { fileName: 'population.zip', kind: 'population' });
      expect(error.code, name).toBe('file-damaged');
    }
  });

  it('refuses a .shp and .dbf that hold different numbers of records', async () => {
    const zip = await populationZip();
    const fc = await readFlatGeobuf<Geometry>(population);
    const fewer = (await writeLayer({ ...fc, features: fc.features.slice(0, 140) }, { format: 'shapefile', name: 'population' })).bytes;
    const bytes = rezip(zip, (f) => {
      f['population.dbf'] = unzipSync(fewer)['population.dbf'] as Uint8Array;
    });
    const error = await failure(bytes, { fileName: 'population.zip', kind: 'population' });
    expect(error.code).toBe('file-damaged');
    expect(error.message.en).toMatch(/the \.shp holds 147 records but the \.dbf 140/);
  });

  it('says so when the zip has no .dbf, or a .cpg naming an unknown encoding', async () => {
    const zip = await populationZip();
    const noDbf = rezip(zip, (f) => {
      delete f['population.dbf'];
    });
    const r = await ok(noDbf, { fileName: 'population.zip' });
    expect(r.features).toHaveLength(147);
    expect(r.problems.map((p) => [p.code, p.severity, p.file])).toEqual([['shapefile-no-dbf', 'warning', 'population.zip']]);
    expect(r.problems[0]?.message.en).toBe(
      'population.zip: the zip holds no .dbf for layer "population", so its features have no attributes',
    );
    expect(r.problems[0]?.message.zh).toMatch(/^population\.zip：压缩包中没有图层“population”的 \.dbf 文件/);

    const badCpg = rezip(zip, (f) => {
      f['population.cpg'] = enc.encode('KLINGON-42');
    });
    const c = await ok(badCpg, { fileName: 'population.zip', kind: 'population' });
    expect(c.features).toHaveLength(147);
    expect(c.problems.map((p) => [p.code, p.severity])).toEqual([['cpg-unknown', 'warning']]);
    expect(c.problems[0]?.message.en).toMatch(/^population\.zip: the \.cpg names the encoding "KLINGON-42", which is not known/);
  });
});

// ── GeoTIFF and OSM PBF ─────────────────────────────────────────────────────────────────────────────────────────

/** The varint at `at`: its value and the offset after it. */
function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[at++] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, at];
  }
}

/** The datasize (field 3) of an OSM PBF BlobHeader. */
function blobDataSize(header: Uint8Array): number {
  for (let at = 0; at < header.length;) {
    const [key, next] = varint(header, at);
    if (key === 0x18) return varint(header, next)[0];
    if ((key & 7) === 2) {
      const [len, from] = varint(header, next);
      at = from + len;
    } else at = varint(header, next)[1];
  }
  throw new Error('no datasize');
}

describe('GeoTIFF blocks and OSM blobs', () => {
  it('refuses a GeoTIFF whose last strip or tile runs past the end of the file', async () => {
    for (const name of ['pop-4326.tif', 'pop-deflate.tif', 'pop-lzw.tif']) {
      const tif = new Uint8Array(readFileSync(join(FIXTURES, 'fuzz', name)));
      const whole = await ok(tif, { fileName: name, kind: 'population' });
      expect(whole.features.length, name).toBeGreaterThan(0);
      // GDAL writes the directory first and the blocks after it: cutting the end cuts the last block.
      expect(new DataView(tif.buffer, tif.byteOffset).getUint32(4, true)).toBeLessThan(tif.length / 2);
      for (const cut of [1, 7]) {
        const error = await failure(tif.slice(0, tif.length - cut), { fileName: name, kind: 'population' });
        expect(error.code, name).toBe('file-damaged');
        expect(error.message.en, name).toMatch(/the GeoTIFF file is damaged: (strip|tile) \d+ .* runs past the end of the file/);
      }
    }
  });

  it('refuses an OSM PBF blob whose declared raw size is not what it inflates to', async () => {
    const file = join(sharedDir(), 'data/osm/monaco.osm.pbf');
    if (!existsSync(file)) return;
    const pbf = new Uint8Array(readFileSync(file));
    const view = new DataView(pbf.buffer, pbf.byteOffset, pbf.byteLength);
    // Skip the OSMHeader blob; the next (OSMData) Blob message starts with raw_size (field 2, varint).
    const first = view.getInt32(0);
    const at = 4 + first + blobDataSize(pbf.subarray(4, 4 + first));
    const blobAt = at + 4 + view.getInt32(at);
    expect(pbf[blobAt]).toBe(0x10);
    const lying = pbf.slice();
    const b = lying[blobAt + 1] as number;
    // One less (or more) in the low bits of the first varint byte: the same length, a different size.
    lying[blobAt + 1] = (b & 0x7f) === 0 ? b + 1 : b - 1;
    const error = await failure(lying, { fileName: 'monaco.osm.pbf', kind: 'roads' });
    expect(error.code).toBe('osm-invalid');
    expect(error.message.en).toMatch(/a compressed blob inflates to/);
  });
});

// ── GeoJSON nesting ─────────────────────────────────────────────────────────────────────────────────────────────

const DEEP = 200_000;
const deepArray = (inner: string) => '['.repeat(DEEP) + inner + ']'.repeat(DEEP);
const deepObject = (inner: string) => '{"a":'.repeat(DEEP) + inner + '}'.repeat(DEEP);

describe('GeoJSON nested 200,000 levels deep', () => {
  const good = '{"type":"Feature","properties":{"name":"水岩村","population":10},"geometry":{"type":"Point","coordinates":[114.35,25.98]}}';
  const kind = 'population';
  const cases: [string, string, string][] = [
    ['coordinates', `{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":${deepArray('0')}}}`, 'geometry'],
    [
      'polygon coordinates',
      `{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":${deepArray('1')}}}`,
      'geometry',
    ],
    [
      'properties array',
      `{"type":"Feature","properties":{"name":${deepArray('"x"')}},"geometry":{"type":"Point","coordinates":[114.3,25.9]}}`,
      'properties',
    ],
    [
      'properties object',
      `{"type":"Feature","properties":{"name":${deepObject('1')}},"geometry":{"type":"Point","coordinates":[114.3,25.9]}}`,
      'properties',
    ],
    [
      'geometry collections',
      `{"type":"Feature","properties":{},"geometry":${'{"type":"GeometryCollection","geometries":['.repeat(DEEP)}{"type":"Point","coordinates":[1,2]}${']}'.repeat(DEEP)}}`,
      'geometry',
    ],
  ];
  for (const [name, feature, part] of cases) {
    it(`gives a coded problem for the deep feature (${name}), reads the others, never a stack overflow`, async () => {
      const text = `{"type":"FeatureCollection","features":[${feature},${good}]}`;
      const bytes = enc.encode(text);
      for (const [how, input] of [
        ['whole', bytes],
        ['stream', chunked(bytes, 65536)],
        ['lines', enc.encode(`${feature}\n${good}\n`)],
      ] as const) {
        const r = await ok(input, { fileName: how === 'lines' ? 'deep.ndjson' : 'deep.geojson', kind, totalBytes: bytes.length });
        expect(
          r.features.map((f) => f.properties?.name),
          how,
        ).toEqual(['水岩村']);
        const deep = r.problems.filter((p) => p.code === 'nested-too-deep');
        expect(deep, how).toHaveLength(1);
        expect(deep[0]?.severity).toBe('error');
        expect(deep[0]?.params).toEqual({ limit: 100, part });
        expect(deep[0]?.message.en).toMatch(/(feature 0|row 1): is nested too deeply \(more than 100 levels/);
        expect(deep[0]?.message.zh).toMatch(/嵌套层级过深/);
      }
    }, 60_000);
  }

  it('gives a coded problem for a whole file that is one deep Feature or geometry', async () => {
    const r = await ok(enc.encode(cases[2]?.[1] as string), { fileName: 'one.geojson', kind: 'facilities' });
    expect(r.problems.map((p) => p.code)).toEqual(['nested-too-deep']);
    const g = await ok(enc.encode(`{"type":"MultiPoint","coordinates":${deepArray('1')}}`), { fileName: 'g.geojson' });
    expect(g.problems.map((p) => p.code)).toEqual(['nested-too-deep']);
  });

  it('copies deep properties in the CRS transform without recursion, and refuses deeply nested collections by name', () => {
    let props: unknown = 1;
    for (let i = 0; i < DEEP; i++) props = { a: props };
    const f = {
      type: 'Feature',
      properties: { deep: props, __proto__x: 1 },
      geometry: { type: 'Point', coordinates: [1, 2] },
    } as unknown as Feature;
    const out = transformGeoJSON(f, (x, y) => [x + 1, y]);
    expect(out.geometry).toEqual({ type: 'Point', coordinates: [2, 2] });
    let depth = 0;
    for (let v = (out.properties as { deep: unknown }).deep; typeof v === 'object' && v !== null; v = (v as { a: unknown }).a) depth++;
    expect(depth).toBe(DEEP);
    let g: Geometry = { type: 'Point', coordinates: [1, 2] };
    for (let i = 0; i < DEEP; i++) g = { type: 'GeometryCollection', geometries: [g] };
    const fc: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: g }] };
    expect(() => transformGeoJSON(fc, (x, y) => [x, y])).toThrow(/nested too deeply/);
  });
});

// ── CSV encodings and column names ──────────────────────────────────────────────────────────────────────────────

function lines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, from)) {
    out.push(bytes.subarray(from, nl + 1));
    from = nl + 1;
  }
  if (from < bytes.length) out.push(bytes.subarray(from));
  return out;
}

describe('CSV rows in mixed encodings', () => {
  const utf8 = new Uint8Array(readFileSync(join(FIXTURES, 'facilities.csv')));
  const gbk = new Uint8Array(readFileSync(join(FIXTURES, 'facilities-gbk.csv')));
  const u = lines(utf8);
  const g = lines(gbk);

  it('decodes each row in the encoding it fits and names the GBK rows, whole or streamed', async () => {
    expect(u.length).toBe(g.length);
    // Header and rows 2–4 in UTF-8, rows 5–8 in GBK, the rest UTF-8 again.
    const mixed = concat(...u.map((line, i) => (i >= 4 && i <= 7 ? (g[i] as Uint8Array) : line)));
    const plain = await ok(utf8, { fileName: 'facilities.csv', kind: 'facilities' });
    for (const input of [mixed, chunked(mixed, 7), chunked(mixed, 65536)]) {
      const r = await ok(input, { fileName: 'mixed.csv', kind: 'facilities' });
      expect(r.features).toEqual(plain.features);
      expect(r.detected.encoding).toBe('utf-8+gb18030');
      const notes = r.problems.filter((p) => p.code === 'encoding-mixed');
      expect(notes).toHaveLength(1);
      expect(notes[0]?.severity).toBe('warning');
      expect(notes[0]?.params).toEqual({ file: 'mixed.csv', count: 4, rows: '5, 6, 7, 8' });
      expect(notes[0]?.message.en).toMatch(/^mixed\.csv: the file mixes encodings: 4 row\(s\) are GBK\/GB18030 \(rows 5, 6, 7, 8\)/);
      expect(notes[0]?.message.zh).toMatch(/第 5, 6, 7, 8 行/);
      const strip = (ps: typeof plain.problems) => ps.map((p) => [p.code, p.row, p.params]);
      expect(strip(r.problems.filter((p) => p.code !== 'encoding-mixed'))).toEqual(strip(plain.problems));
    }
    // A GBK file with a few UTF-8 rows: the same.
    const mostlyGbk = concat(...g.map((line, i) => (i === 2 || i === 3 ? (u[i] as Uint8Array) : line)));
    const r = await ok(mostlyGbk, { fileName: 'mixed.csv', kind: 'facilities' });
    expect(r.features).toEqual(plain.features);
    expect(r.problems.find((p) => p.code === 'encoding-mixed')?.params.count).toBe(g.length - 2);
  });

  it('reads a pure GBK and a pure UTF-8 file exactly as before, without the warning', async () => {
    const plain = await ok(utf8, { fileName: 'facilities.csv', kind: 'facilities' });
    for (const [bytes, encoding] of [
      [utf8, 'utf-8'],
      [gbk, 'gb18030'],
    ] as const) {
      for (const input of [bytes, chunked(bytes, 7), chunked(bytes, 4096)]) {
        const r = await ok(input, { fileName: 'f.csv', kind: 'facilities' });
        expect(r.detected.encoding).toBe(encoding);
        expect(r.features).toEqual(plain.features);
        expect(r.problems.map((p) => p.params)).toEqual(plain.problems.map((p) => p.params));
        expect(r.problems.some((p) => p.code === 'encoding-mixed')).toBe(false);
      }
    }
  });
});

describe('CSV columns named like Object members', () => {
  it('keeps __proto__, constructor and prototype columns as properties, whole and streamed', async () => {
    const bytes = enc.encode(
      '__proto__,constructor,prototype,hasOwnProperty,lon,lat\n1,甲,"x",true,114.4,25.9\n2,乙,"y",false,114.5,25.8\n',
    );
    for (const input of [bytes, chunked(bytes, 5)]) {
      const r = await ok(input, { fileName: 'proto.csv' });
      expect(r.features).toHaveLength(2);
      const p = r.features[0]?.properties as Record<string, unknown>;
      expect(Object.keys(p)).toEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty']);
      expect(Object.getOwnPropertyDescriptor(p, '__proto__')?.value).toBe(1);
      expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
      expect(p.constructor).toBe('甲');
      expect(p.prototype).toBe('x');
      expect(r.detected.fields.map((f) => f.name)).toEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty']);
      expect(r.problems).toEqual([]);
    }
    // And through GeoJSON, whose JSON.parse keeps the key.
    const gj = enc.encode(
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"__proto__":5,"name":"a"},"geometry":{"type":"Point","coordinates":[114.4,25.9]}}]}',
    );
    const g = await ok(gj, { fileName: 'proto.geojson' });
    expect(Object.getOwnPropertyDescriptor(g.features[0]?.properties, '__proto__')?.value).toBe(5);
  });
});
