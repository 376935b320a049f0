/**
 * Export: every format read back by GDAL (same feature count, geometries and attributes, Chinese text intact), and
 * every export re-imported by our reader without loss, for all five layers of data/shangyou plus unknown
 * properties; GCJ-02 output; the population-with-minutes, service-area and township-table exports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import rewind from '@turf/rewind';
import { circle } from '@turf/turf';
import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry, Point, Position } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoverageSummary } from '../../src/core/coverage/aggregate';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import {
  exportLayer,
  importLayer,
  populationWithMinutes,
  serviceAreasForExport,
  townshipTable,
  writeLayer,
  type ImportResult,
  type LayerKind,
  type OutputFormat,
} from '../../src/core/io';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'healthshed-io-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAYERS: { layer: string; kind: LayerKind | undefined }[] = [
  { layer: 'facilities', kind: 'facilities' },
  { layer: 'population', kind: 'population' },
  { layer: 'roads', kind: 'roads' },
  { layer: 'townships', kind: 'zones' },
  // The county outline is none of the four kinds: it goes through as it is.
  { layer: 'boundary', kind: undefined },
];
const FORMATS: { format: OutputFormat; ext: string }[] = [
  { format: 'geojson', ext: 'geojson' },
  { format: 'flatgeobuf', ext: 'fgb' },
  { format: 'csv', ext: 'csv' },
  { format: 'shapefile', ext: 'shp.zip' },
];

async function committed(layer: string): Promise<FeatureCollection<Geometry>> {
  const fc = await readFlatGeobuf<Geometry>(new Uint8Array(readFileSync(join(ROOT, 'data/shangyou', `${layer}.fgb`))));
  if (layer !== 'facilities') return fc;
  // Unknown properties, Chinese-named, one longer than a .dbf name can hold, must survive too.
  return {
    ...fc,
    features: fc.features.map((f, i) => ({
      ...f,
      properties: { ...f.properties, 备注: i % 3 === 0 ? `第${i}号，"重点"` : null, 联系电话号码: `0797-${5500000 + i}` },
    })),
  };
}

/** A geometry made comparable: 7 decimals, RFC 7946 winding, one-part multi-geometries as single ones. */
function normal(g: Geometry | null): unknown {
  if (g === null) return null;
  const r = (p: Position) => p.slice(0, 2).map((v) => Math.round(v * 1e7) / 1e7);
  let out: Geometry;
  switch (g.type) {
    case 'Point':
      out = { type: 'Point', coordinates: r(g.coordinates) };
      break;
    case 'LineString':
      out = { type: 'LineString', coordinates: g.coordinates.map(r) };
      break;
    case 'MultiLineString':
      out =
        g.coordinates.length === 1
          ? { type: 'LineString', coordinates: g.coordinates[0]!.map(r) }
          : { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(r)) };
      break;
    case 'Polygon':
      out = { type: 'Polygon', coordinates: g.coordinates.map((l) => l.map(r)) };
      break;
    case 'MultiPolygon':
      out =
        g.coordinates.length === 1
          ? { type: 'Polygon', coordinates: g.coordinates[0]!.map((l) => l.map(r)) }
          : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((l) => l.map(r))) };
      break;
    default:
      throw new Error(`unexpected ${g.type}`);
  }
  return rewind(out, { reverse: false });
}

/** GDAL's reading of a file, as GeoJSON. */
function gdalRead(path: string, format: OutputFormat): FeatureCollection {
  const args =
    format === 'csv'
      ? [
          '-oo',
          'X_POSSIBLE_NAMES=lon',
          '-oo',
          'Y_POSSIBLE_NAMES=lat',
          '-oo',
          'KEEP_GEOM_COLUMNS=NO',
          '-oo',
          'AUTODETECT_TYPE=YES',
          '-oo',
          'QUOTED_FIELDS_AS_STRING=YES',
        ]
      : [];
  const source = format === 'shapefile' ? `/vsizip/${path}` : path;
  return JSON.parse(
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as FeatureCollection;
}

/** Whether GDAL's value stands for ours (GDAL reads .dbf logicals as "T"/"F" text, CSV booleans as text). */
function sameValue(ours: unknown, gdal: unknown): boolean {
  if (ours === null || ours === undefined) return gdal === null || gdal === undefined || gdal === '';
  if (typeof ours === 'boolean') return gdal === ours || gdal === (ours ? 'T' : 'F') || gdal === String(ours) || gdal === (ours ? 1 : 0);
  if (typeof ours === 'number') return typeof gdal === 'number' && Math.abs(gdal - ours) <= 1e-9 * Math.max(1, Math.abs(ours));
  return gdal === ours;
}

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

describe.each(LAYERS)('$layer', ({ layer, kind }) => {
  describe.each(FORMATS)('as $format', ({ format, ext }) => {
    it('is read back by GDAL with the same features, geometries and attributes', async () => {
      const source = await committed(layer);
      const written = await writeLayer(source, { format, name: layer });
      const path = join(dir, `${layer}.${ext}`);
      writeFileSync(path, written.bytes);
      const gdal = gdalRead(path, format);
      expect(gdal.features).toHaveLength(source.features.length);
      source.features.forEach((f, i) => {
        const g = gdal.features[i]!;
        expect(normal(g.geometry), `feature ${i}`).toEqual(normal(f.geometry));
        const ours = Object.entries(f.properties ?? {});
        const theirs = Object.entries(g.properties ?? {});
        if (format === 'shapefile') {
          // Every .dbf field, in order; a .dbf holds 10 bytes of a name, so GDAL sees its start (made unique with a suffix).
          expect(theirs).toHaveLength(ours.length);
          ours.forEach(([key, value], k) => {
            const [gKey, gValue] = theirs[k]!;
            if (utf8Length(key) > 10) expect(key.startsWith(gKey.replace(/_\d+$/, ''))).toBe(true);
            else expect(gKey).toBe(key);
            expect(sameValue(value, gValue), `${layer} ${i} ${key}: ${JSON.stringify(value)} vs ${JSON.stringify(gValue)}`).toBe(true);
          });
        } else {
          // GDAL leaves unset (null) fields out of its GeoJSON; every field it gives must be one of ours.
          for (const [gKey] of theirs) expect(Object.keys(f.properties ?? {})).toContain(gKey);
          for (const [key, value] of ours) {
            expect(
              sameValue(value, g.properties?.[key]),
              `${layer} ${i} ${key}: ${JSON.stringify(value)} vs ${JSON.stringify(g.properties?.[key])}`,
            ).toBe(true);
          }
        }
      });
    });

    it('is re-imported without loss', async () => {
      const source = await committed(layer);
      const written = await writeLayer(source, { format, name: layer });
      const out = await importLayer(written.bytes, { fileName: `${layer}.${ext}`, ...(kind ? { kind } : {}) });
      if (!out.ok) throw new Error(out.error.message.en);
      const back: ImportResult = out.result;
      expect(back.problems).toEqual([]);
      expect(back.features).toHaveLength(source.features.length);
      back.features.forEach((f, i) => {
        expect(normal(f.geometry)).toEqual(normal(source.features[i]!.geometry));
        expect(f.properties).toEqual(source.features[i]!.properties);
      });
    });
  });
});

describe('GCJ-02 output for AMap users', () => {
  it('moves coordinates by the GCJ-02 offset, marks the .prj, and comes back to WGS84 on import', async () => {
    const source = await committed('facilities');
    const zip = await writeLayer(source, { format: 'shapefile', name: 'facilities', crs: 'gcj02' });
    const prj = new TextDecoder().decode(unzipSync(zip.bytes)['facilities.prj']!);
    expect(prj).toMatch(/GCJ-02/);
    const path = join(dir, 'gcj.shp.zip');
    writeFileSync(path, zip.bytes);
    const gdal = gdalRead(path, 'shapefile');
    const moved = (gdal.features[0]!.geometry as Point).coordinates;
    const original = (source.features[0]!.geometry as Point).coordinates;
    // The offset in Jiangxi is a few hundred metres, mostly east-west.
    expect(Math.abs(moved[0]! - original[0]!)).toBeGreaterThan(0.002);
    const back = await importLayer(zip.bytes, { fileName: 'gcj.shp.zip', kind: 'facilities' });
    if (!back.ok) throw new Error(back.error.message.en);
    expect(back.result.detected.crs).toBe('gcj02');
    back.result.features.forEach((f, i) => {
      const a = (f.geometry as Point).coordinates;
      const b = (source.features[i]!.geometry as Point).coordinates;
      expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!)).toBeLessThan(1e-6);
    });
    const json = await writeLayer(source, { format: 'geojson', name: 'facilities', crs: 'gcj02' });
    expect(JSON.parse(new TextDecoder().decode(json.bytes)).coordinate_system).toMatch(/GCJ-02/);
  });
});

describe('what the app exports', () => {
  it('writes population points with minutes to the nearest facility of each tier', async () => {
    const population = (await committed('population')) as FeatureCollection<Point, Record<string, unknown>>;
    const n = population.features.length;
    const minutes = {
      county_hospital: Float32Array.from({ length: n }, (_, i) => 10 + i / 4),
      township_centre: Float32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? Infinity : i / 8)),
    };
    const { collection, columns } = populationWithMinutes(population, [
      { name: 'minutes_county_hospital', minutes: minutes.county_hospital },
      { name: 'minutes_township_centre', minutes: minutes.township_centre },
    ]);
    const written = await writeLayer(collection, { format: 'csv', name: 'population', columns });
    const path = join(dir, 'pop-minutes.csv');
    writeFileSync(path, written.bytes);
    const gdal = gdalRead(path, 'csv');
    expect(gdal.features).toHaveLength(n);
    const header = new TextDecoder('utf-8', { ignoreBOM: true }).decode(written.bytes).split('\r\n')[0];
    expect(header!.startsWith('\uFEFFlon,lat,id,name,population,minutes_county_hospital,minutes_township_centre,')).toBe(true);
    gdal.features.forEach((f, i) => {
      // Minutes are written to 0.01.
      expect(Math.abs(f.properties!.minutes_county_hospital - (10 + i / 4))).toBeLessThanOrEqual(0.0051);
      if (i % 10 === 0) expect(f.properties!.minutes_township_centre ?? null).toBeNull();
      else expect(Math.abs(f.properties!.minutes_township_centre - i / 8)).toBeLessThanOrEqual(0.0051);
      expect(f.properties!.name).toBe(population.features[i]!.properties.name);
    });
  });

  it('writes service areas per tier and threshold as polygons', async () => {
    const areas = [15, 30].map((minutes) => {
      const c = circle([114.4, 25.94], minutes * 0.4, { units: 'kilometers', steps: 32 });
      return { ...c, properties: { tier: 'township_centre' as const, minutes, mode: 'buffer' } } as Feature<
        typeof c.geometry,
        { tier: 'township_centre'; minutes: number; mode: string }
      >;
    });
    const { collection, columns } = serviceAreasForExport(areas);
    for (const { format, ext } of FORMATS) {
      const written = await writeLayer(collection, { format, name: 'areas', columns });
      const path = join(dir, `areas.${ext}`);
      writeFileSync(path, written.bytes);
      const gdal = gdalRead(path, format);
      expect(gdal.features.map((f) => [f.properties!.tier, f.properties!.tier_zh, f.properties!.minutes])).toEqual([
        ['township_centre', '乡镇卫生院', 15],
        ['township_centre', '乡镇卫生院', 30],
      ]);
      gdal.features.forEach((f, i) => expect(normal(f.geometry)).toEqual(normal(areas[i]!.geometry)));
    }
  });

  it('writes the township coverage and ratio table as CSV without geometry, or joined to the townships', async () => {
    const reach = (covered: number, population: number) => ({ covered, share: covered / population });
    const area = (code: string, name: string, population: number) => ({
      code,
      name,
      population,
      tiers: {
        county_hospital: { '15': reach(population / 4, population), '30': reach(population / 2, population) },
        township_centre: { '15': reach(population / 2, population), '30': reach(population, population) },
        village_clinic: { '15': reach(population, population), '30': reach(population, population) },
        emergency_station: { '15': reach(0, population), '30': reach(0, population) },
      },
      any: { '15': reach(population, population), '30': reach(population, population) },
    });
    const townships = (await committed('townships')) as FeatureCollection<never, { code: string; name: string }>;
    const zones = townships.features.map((z) => area(z.properties.code, z.properties.name, 1000));
    const summary = {
      population_total: 1000 * zones.length,
      thresholds: [15, 30],
      county: area('360724', '上犹县', 1000 * zones.length),
      zones,
      // 700 of each township's 1,000 people meet every part of the standard.
      townships: townships.features.map((z) => ({
        code: z.properties.code,
        name: z.properties.name,
        population: 1000,
        covered: 700,
        share: 0.7,
      })),
      standard: { shortfall: 300 * zones.length, verdict: 'fail' },
    } as unknown as CoverageSummary;
    const table = townshipTable(summary);
    const csv = await writeLayer(table.collection, { format: 'csv', name: 'table', columns: table.columns });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.bytes);
    expect(text.startsWith('\uFEFFcode,name,population,')).toBe(true);
    const path = join(dir, 'table.csv');
    writeFileSync(path, csv.bytes);
    const gdal = gdalRead(path, 'csv');
    expect(gdal.features).toHaveLength(zones.length + 1);
    expect(gdal.features[0]!.geometry).toBeNull();
    expect(gdal.features[0]!.properties).toMatchObject({
      code: '360724',
      name: '上犹县',
      county_hospital_15min: 3750,
      township_centre_30min_share: 1,
      standard_met: 700 * zones.length,
      standard_share: 0.7,
      standard_verdict: 'fail',
    });
    expect(gdal.features[1]!.properties).toMatchObject({ standard_met: 700, standard_share: 0.7 });
    const joined = townshipTable(summary, undefined, townships as never);
    const zip = await writeLayer(joined.collection, { format: 'shapefile', name: 'table', columns: joined.columns });
    writeFileSync(join(dir, 'table.zip'), zip.bytes);
    const polygons = gdalRead(join(dir, 'table.zip'), 'shapefile');
    expect(polygons.features).toHaveLength(zones.length);
    expect(polygons.features.map((f) => f.properties!.name)).toEqual(townships.features.map((z) => z.properties.name));
  });

  it('gives clear errors as values for what a format cannot hold', async () => {
    const mixed: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [114, 25] } },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'LineString',
            coordinates: [
              [114, 25],
              [115, 26],
            ],
          },
        },
      ],
    };
    const shp = await exportLayer(mixed, { format: 'shapefile', name: 'mixed' });
    expect(!shp.ok && shp.error.message.en).toMatch(/Shapefile cannot hold this layer: a Shapefile holds one geometry type/);
    const table: FeatureCollection<Geometry | null> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { a: 1 }, geometry: null }],
    };
    const fgb = await exportLayer(table, { format: 'flatgeobuf', name: 't' });
    expect(!fgb.ok && fgb.error.message.zh).toMatch(/统计表请输出为 CSV/);
  });
});

describe('formula text (OWASP CSV injection)', () => {
  const FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-1+1', '@SUM(1)', '\t=1+1', '\r=1+1', '＝1+1'];
  const layer: FeatureCollection<Point, Record<string, unknown>> = {
    type: 'FeatureCollection',
    features: FORMULAS.map((name, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [114.4 + i / 100, 25.9] },
      properties: { id: name, name, beds: -3.5 + i, note: i === 0 ? null : `第${i}号` },
    })),
  };

  it('is prefixed with a single quote in CSV; numbers stay numbers', async () => {
    const csv = await writeLayer(layer, { format: 'csv', name: 'evil' });
    const path = join(dir, 'evil.csv');
    writeFileSync(path, csv.bytes);
    const gdal = gdalRead(path, 'csv');
    // GDAL reads a lone CR inside a quoted field as LF; the file holds the CR (csv-write.test.ts reads it back).
    const asGdal = (text: string) => text.replace(/\r/g, '\n');
    expect(gdal.features.map((f) => [f.properties!.id, f.properties!.name, f.properties!.beds])).toEqual(
      FORMULAS.map((name, i) => [asGdal(`'${name}`), asGdal(`'${name}`), -3.5 + i]),
    );
  });

  it('keeps the exact text in GeoJSON and FlatGeobuf', async () => {
    const json = await writeLayer(layer, { format: 'geojson', name: 'evil' });
    const fromJson = (JSON.parse(new TextDecoder().decode(json.bytes)) as FeatureCollection).features;
    const fgb = await writeLayer(layer, { format: 'flatgeobuf', name: 'evil' });
    const fromFgb = (await readFlatGeobuf<Point>(fgb.bytes)).features;
    for (const features of [fromJson, fromFgb]) {
      expect(features.map((f) => [f.properties!.id, f.properties!.name, f.properties!.beds])).toEqual(
        FORMULAS.map((name, i) => [name, name, -3.5 + i]),
      );
    }
  });
});
