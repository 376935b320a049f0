/**
 * Streaming import: CSV and GeoJSON (newline-delimited and FeatureCollection) read from a ReadableStream in chunks
 * give what reading the whole file gives, with progress and cancellation; a file larger than the memory budget is
 * streamed when its format allows and refused with a clear message when it does not; damaged text is reported.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { importLayer, writeLayer, type ImportOptions, type ImportResult, type Progress } from '../../src/core/io';

const ROOT = resolve(__dirname, '../..');
const enc = new TextEncoder();

/** A stream of `bytes` in chunks of `size`, noting whether it was cancelled and how far it was read. */
function chunked(bytes: Uint8Array, size: number) {
  const state = { cancelled: false, pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= bytes.length) controller.close();
      else {
        controller.enqueue(bytes.slice(state.pulled, state.pulled + size));
        state.pulled += size;
      }
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** A generated stream of `rows` CSV lines, made as it is read: the whole text never exists at once. */
function generatedCsv(rows: number) {
  let i = 0;
  let bytes = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === 0) controller.enqueue(enc.encode('名称,经度,纬度,人口,备注\n'));
      if (i >= rows) return controller.close();
      const lines: string[] = [];
      for (let k = 0; k < 2000 && i < rows; k++, i++) {
        lines.push(
          `村${i},${(114 + (i % 1000) / 2000).toFixed(6)},${(25.5 + (i % 997) / 2000).toFixed(6)},${i % 5000},"${'说明'.repeat(20)}"`,
        );
      }
      const chunk = enc.encode(`${lines.join('\n')}\n`);
      bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, bytes: () => bytes };
}

async function ok(input: Parameters<typeof importLayer>[0], options: ImportOptions): Promise<ImportResult> {
  const out = await importLayer(input, options);
  if (!out.ok) throw new Error(out.error.message.en);
  return out.result;
}

const facilitiesCsv = readFileSync(resolve(ROOT, 'test/fixtures/io/facilities.csv'));
const facilitiesGbk = readFileSync(resolve(ROOT, 'test/fixtures/io/facilities-gbk.csv'));

describe('streamed reading', () => {
  it('gives the same CSV result in 7-byte chunks (multi-byte characters split) as from the whole file, UTF-8 and GBK', async () => {
    for (const [name, bytes] of [
      ['facilities.csv', facilitiesCsv],
      ['facilities-gbk.csv', facilitiesGbk],
    ] as const) {
      const whole = await ok(bytes, { fileName: name, kind: 'facilities' });
      const streamed = await ok(chunked(bytes, 7).stream, { fileName: name, kind: 'facilities', totalBytes: bytes.length });
      expect(streamed.features).toEqual(whole.features);
      expect(streamed.problems).toEqual(whole.problems);
      expect(streamed.detected.encoding).toBe(whole.detected.encoding);
    }
  });

  it('gives the same GeoJSON FeatureCollection and newline-delimited results as from the whole file', async () => {
    const roads = await readFlatGeobuf<Geometry>(new Uint8Array(readFileSync(resolve(ROOT, 'data/shangyou/roads.fgb'))));
    const fc = (await writeLayer(roads, { format: 'geojson', name: 'roads' })).bytes;
    const nd = enc.encode(roads.features.map((f) => JSON.stringify(f)).join('\n'));
    for (const [name, bytes] of [
      ['roads.geojson', fc],
      ['roads.ndjson', nd],
    ] as const) {
      const whole = await ok(bytes, { fileName: name, kind: 'roads' });
      const streamed = await ok(chunked(bytes, 1000).stream, { fileName: name, kind: 'roads' });
      expect(streamed.features).toHaveLength(roads.features.length);
      expect(streamed.features).toEqual(whole.features);
    }
  });

  it('reads a FeatureCollection whose members come in any order, with strings holding brackets and quotes', async () => {
    const text = JSON.stringify({
      name: 'a [tricky] {name} "quoted"',
      features: [
        { type: 'Feature', properties: { note: '] } [ {', 'k"ey': 'v\\"' }, geometry: { type: 'Point', coordinates: [114.1, 25.1] } },
        { type: 'Feature', properties: { note: 'second' }, geometry: { type: 'Point', coordinates: [114.2, 25.2] } },
      ],
      bbox: [1, 2, 3, 4],
      type: 'FeatureCollection',
    });
    const streamed = await ok(chunked(enc.encode(text), 3).stream, { fileName: 'odd.json' });
    expect(streamed.features.map((f) => f.properties)).toEqual([{ note: '] } [ {', 'k"ey': 'v\\"' }, { note: 'second' }]);
  });

  it('reports progress up to the total and stops when cancelled', async () => {
    const progress: Progress[] = [];
    await ok(chunked(facilitiesCsv, 50).stream, {
      fileName: 'f.csv',
      totalBytes: facilitiesCsv.length,
      onProgress: (p) => progress.push(p),
    });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((p, i) => i === 0 || p.bytesRead >= progress[i - 1]!.bytesRead)).toBe(true);
    expect(progress.at(-1)!.bytesRead).toBe(facilitiesCsv.length);
    expect(progress.every((p) => p.totalBytes === facilitiesCsv.length)).toBe(true);

    const controller = new AbortController();
    const big = generatedCsv(1_000_000);
    const out = await importLayer(big.stream, {
      fileName: 'big.csv',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesRead > 1_000_000) controller.abort();
      },
    });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe('aborted');
      expect(out.error.message).toEqual({ en: 'big.csv: import cancelled', zh: 'big.csv：已取消导入' });
    }
    // Reading stopped soon after the abort, far from the end of the 130 MB the stream could give.
    expect(big.bytes()).toBeLessThan(3_000_000);
  });

  it('streams CSV and GeoJSON past a memory budget that a whole-file format may not exceed', async () => {
    const maxBytes = 1_000_000;
    const big = generatedCsv(40_000);
    const r = await ok(big.stream, { fileName: 'villages.csv', kind: 'population', maxBytes });
    expect(big.bytes()).toBeGreaterThan(5 * maxBytes);
    expect(r.features).toHaveLength(40_000);
    expect(r.features[39_999]!.properties).toMatchObject({ name: '村39999', population: 39_999 % 5000 });

    const facilities = await readFlatGeobuf<Geometry>(new Uint8Array(readFileSync(resolve(ROOT, 'data/shangyou/facilities.fgb'))));
    const many: FeatureCollection<Geometry> = {
      type: 'FeatureCollection',
      features: Array.from({ length: 40 }, () => facilities.features).flat(),
    };
    const json = (await writeLayer(many, { format: 'geojson', name: 'many' })).bytes;
    expect(json.length).toBeGreaterThan(maxBytes);
    const streamed = await ok(chunked(json, 65536).stream, { fileName: 'many.geojson', maxBytes });
    expect(streamed.features).toHaveLength(many.features.length);

    const zip = (await writeLayer(many, { format: 'shapefile', name: 'many' })).bytes;
    const refused = await importLayer(chunked(zip, 65536).stream, { fileName: 'many.zip', maxBytes: 100_000, totalBytes: zip.length });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('file-too-large');
      expect(refused.error.message.en).toMatch(
        /^many\.zip: the file is [\d.]+ MB, over the 0\.1 MB that Shapefile \(zip\) files may take in memory; convert it to CSV or newline-delimited GeoJSON/,
      );
      expect(refused.error.message.zh).toMatch(/超过 Shapefile \(zip\) 格式可载入内存的上限/);
    }
    const fgb = await importLayer(readFileSync(resolve(ROOT, 'data/shangyou/roads.fgb')), { fileName: 'roads.fgb', maxBytes: 1000 });
    expect(!fgb.ok && fgb.error.code).toBe('file-too-large');
  });

  it('keeps the features before a break when a streamed FeatureCollection is cut off, and says so', async () => {
    const roads = await readFlatGeobuf<Geometry>(new Uint8Array(readFileSync(resolve(ROOT, 'data/shangyou/roads.fgb'))));
    const text = new TextDecoder().decode((await writeLayer(roads, { format: 'geojson', name: 'roads' })).bytes);
    // Cut in the middle of feature 100 (the file has one feature per line after the header line).
    const lines = text.split('\n');
    const cut = lines.slice(0, 101).join('\n') + '\n' + lines[101]!.slice(0, 40);
    const r = await ok(chunked(enc.encode(cut), 4096).stream, { fileName: 'cut.geojson', kind: 'roads' });
    expect(r.features).toHaveLength(100);
    expect(r.problems.map((p) => [p.feature, p.code])).toEqual([[100, 'json-invalid']]);
    expect(r.detected.warnings.map((w) => w.en)).toEqual([
      'cut.geojson: the file ends early (cut off?); the features before the break were read',
    ]);
  });

  it('reads UTF-8 with a damaged byte as UTF-8, replacing that character and saying so, not as GBK', async () => {
    const bytes = facilitiesCsv.slice();
    const at = bytes.indexOf(0xe5, 200);
    bytes[at] = 0xff;
    for (const input of [bytes, chunked(bytes, 64).stream]) {
      const r = await ok(input, { fileName: 'damaged.csv', kind: 'facilities' });
      expect(r.detected.encoding).toBe('utf-8');
      expect(r.features.map((f) => f.properties?.id)).toEqual(['F1', 'F2', 'F3', 'F9']);
      expect(r.detected.warnings.map((w) => w.en)).toEqual([
        expect.stringMatching(/^damaged\.csv: \d damaged character\(s\) were not valid UTF-8/),
      ]);
    }
  });
});
