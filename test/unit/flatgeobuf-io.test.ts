import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { readFlatGeobuf, writeFlatGeobuf } from '../../src/core/io/flatgeobuf';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-fgb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [114.401234, 25.912345] },
      properties: { name: '东山镇卫生院', tier: 'township_centre', beds: 40, urban: true },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [114.5, 26.0] },
      properties: { name: '村卫生室 "A"', tier: 'village_clinic', beds: 0, urban: false },
    },
  ],
};

describe('FlatGeobuf', () => {
  it('reads back what it wrote', async () => {
    const back = await readFlatGeobuf(writeFlatGeobuf(sample));
    expect(back.features.map((f) => f.geometry)).toEqual(sample.features.map((f) => f.geometry));
    expect(back.features.map((f) => f.properties)).toEqual(sample.features.map((f) => f.properties));
  });

  it('writes files that GDAL reads with the same features and Chinese text intact', () => {
    const file = join(dir, 'sample.fgb');
    writeFileSync(file, writeFlatGeobuf(sample));
    const geojson = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file], { encoding: 'utf8' })) as FeatureCollection;
    expect(geojson.features).toHaveLength(2);
    expect(geojson.features[0]!.properties!.name).toBe('东山镇卫生院');
    expect(geojson.features[1]!.properties!.name).toBe('村卫生室 "A"');
    expect(geojson.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [114.401234, 25.912345] });
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(info).toMatch(/ID\["EPSG",4326\]/);
  });
});
