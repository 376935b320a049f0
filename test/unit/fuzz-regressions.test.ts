/**
 * The failures fuzzing found, kept as cases: each gave an uncaught library error, a hang or a crash of the
 * whole process, and now gives a clear error naming the file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLayer } from '../../src/core/io';
import { decodeLzw } from '../../src/core/io/formats/geotiff-lzw';
import { fuzzBases } from '../fixtures/io/fuzz-run';
import { fuzzCase } from '../fixtures/io/fuzz-worker';

const FUZZ = resolve(import.meta.dirname, '../fixtures/io/fuzz');
const SEED = 20261123;

describe('found by fuzzing', () => {
  it('FlatGeobuf case 56: a spatial index over zero features (flatgeobuf-js looped forever) is refused', async () => {
    const c = fuzzCase({ family: 'flatgeobuf', bases: await fuzzBases('flatgeobuf'), seed: SEED }, 56);
    const out = await importLayer(c.bytes, { fileName: 'damaged.fgb' });
    expect(!out.ok && out.error.code).toBe('flatgeobuf-invalid');
    expect(!out.ok && out.error.message.en).toMatch(
      /damaged\.fgb: not a readable FlatGeobuf file \(the header declares a spatial index over 0 features/,
    );
  });

  it('GeoTIFF case 10: a geo key pointing nowhere (an uncaught geotiff.js error) is a clear error', async () => {
    const c = fuzzCase({ family: 'geotiff', bases: await fuzzBases('geotiff'), seed: SEED }, 10);
    const out = await importLayer(c.bytes, { fileName: 'keys.tif' });
    expect(!out.ok && out.error.code).toBe('geotiff-invalid');
    expect(!out.ok && out.error.message.zh).toMatch(/^keys\.tif：不是可读取的 GeoTIFF/);
  });

  it('GeoTIFF case 4818: a damaged LZW strip (geotiff.js grew an array until V8 aborted the process) is a clear error', async () => {
    const out = await importLayer(readFileSync(resolve(FUZZ, 'damaged-lzw-4818.tif.bin')), { fileName: 'lzw.tif', kind: 'population' });
    expect(!out.ok && out.error.code).toBe('geotiff-invalid');
    expect(!out.ok && out.error.message.en).toMatch(/lzw\.tif: not a readable GeoTIFF \(.*LZW/);
  });
});

describe('the bounded LZW decoder', () => {
  it('reads an LZW raster GDAL wrote to the same cells as the uncompressed one', async () => {
    const values = async (name: string) => {
      const out = await importLayer(readFileSync(resolve(FUZZ, name)), { fileName: name, kind: 'population' });
      if (!out.ok) throw new Error(out.error.message.en);
      // GDAL rounded the Int16 copy (10.5 became 11).
      return out.result.features.map((f) => Math.round(Number(f.properties?.['population'])));
    };
    const plain = await values('pop-4326.tif');
    expect(plain.length).toBeGreaterThan(20);
    expect(await values('pop-lzw.tif')).toEqual(plain);
  });

  it('stops at the size of its tile and at codes not in its table', () => {
    // 9-bit codes: 'a', 'b', then 258 ('ab'), 259 ('ba'), … each longer; four bytes of output allowed.
    const codes = [97, 98, 258, 260, 257];
    const bits = codes.map((c) => c.toString(2).padStart(9, '0')).join('');
    const bytes = Uint8Array.from(bits.padEnd(Math.ceil(bits.length / 8) * 8, '0').match(/.{8}/g)!, (b) => parseInt(b, 2));
    expect(Array.from(decodeLzw(bytes, 100))).toEqual([97, 98, 97, 98, 97, 98, 97]);
    expect(() => decodeLzw(bytes, 4)).toThrow(/more than the 4 bytes of its tile/);
    expect(() => decodeLzw(Uint8Array.from([0xff, 0xff, 0xff]), 100)).toThrow(/corrupt LZW data: code 511 where a literal must come/);
  });
});
