/**
 * What the import wizard adds on top of the readers: the app's fields for each imported layer (township by point in
 * polygon), the guess of what a file is, and the GCJ-02 / BD-09 shift preview.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { length as turfLength, booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { bd09ToWgs84, gcj02ToWgs84 } from '../../src/core/crs';
import { applyEdit, checkFacilities, diffFacilities } from '../../src/core/history/index';
import { importLayer, readSource, type ImportResult } from '../../src/core/io';
import {
  completeFacilities,
  completePopulation,
  completeRoads,
  completeZones,
  guessLayerKind,
  metresBetween,
  roadClassOf,
  shiftPreview,
} from '../../src/core/io/complete';

const FIXTURES = resolve(__dirname, '../fixtures/io');
const enc = new TextEncoder();

/** Two townships splitting the fixture's area at longitude 114.38. */
const ZONES: FeatureCollection<Polygon, { code: string; name: string }> = {
  type: 'FeatureCollection',
  features: [
    { code: '360724100', name: '东山镇', ring: [114.38, 114.5] },
    { code: '360724200', name: '水岩乡', ring: [114.2, 114.38] },
  ].map(({ code, name, ring: [w, e] }) => ({
    type: 'Feature' as const,
    properties: { code, name },
    geometry: {
      type: 'Polygon' as const,
      coordinates: [
        [
          [w!, 25.8],
          [e!, 25.8],
          [e!, 26.1],
          [w!, 26.1],
          [w!, 25.8],
        ],
      ],
    },
  })),
};

async function imported(bytes: Uint8Array, fileName: string, kind: 'facilities' | 'population' | 'roads' | 'zones'): Promise<ImportResult> {
  const out = await importLayer(bytes, { fileName, kind });
  if (!out.ok) throw new Error(out.error.message.en);
  return out.result;
}

const point = (lon: number, lat: number, properties: Record<string, unknown>): Feature<Geometry> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});

describe('completeFacilities', () => {
  it('gives every imported facility the fields the app relies on, the township from the polygons', async () => {
    const result = await imported(readFileSync(resolve(FIXTURES, 'facilities-gbk.csv')), 'gbk.csv', 'facilities');
    const facilities = completeFacilities(result.features, ZONES);
    expect(facilities.map((f) => f.properties.id)).toEqual(['F1', 'F2', 'F3', 'F9']);
    const byId = Object.fromEntries(facilities.map((f) => [f.properties.id, f.properties]));
    expect(byId.F1).toMatchObject({
      name: '上犹县人民医院',
      tier: 'county_hospital',
      kind: 'general_hospital',
      status: 'existing',
      beds: 488,
      physicians: 172,
      township: '360724100',
      township_name: '东山镇',
      modelled: false,
    });
    expect(byId.F3).toMatchObject({ tier: 'village_clinic', township: '360724200', township_name: '水岩乡' });
    expect(byId.F9).toMatchObject({ tier: 'township_centre', kind: 'community_health_centre', beds: 1200 });
    // Unknown properties survive; every facility is one the undo history accepts.
    expect(byId.F1!['备注']).toBe('二级甲等');
    const collection = { type: 'FeatureCollection' as const, features: facilities };
    expect(checkFacilities(collection)).toEqual([]);
  });

  it('keeps counts it cannot read as null, not 0, and keeps the file township outside every polygon', () => {
    const [f] = completeFacilities(
      [point(100, 30, { id: 'X', tier: 'village_clinic', beds: 'n/a', township: '999', township_name: '外乡' })],
      ZONES,
    );
    expect(f!.properties).toMatchObject({ beds: null, nurses: null, township: '999', township_name: '外乡', name: 'X' });
  });

  it('leaves out what is not a point or has no known tier', () => {
    const line: Feature<Geometry> = {
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      properties: { id: 'L', tier: 'village_clinic' },
    };
    expect(completeFacilities([line, point(114.4, 25.9, { id: 'T', tier: 'pharmacy' })], ZONES)).toEqual([]);
  });

  it('replacing the loaded facilities by an import is one batch that undo turns back exactly', () => {
    const before = {
      type: 'FeatureCollection' as const,
      features: completeFacilities(
        [point(114.4, 25.9, { id: 'A', tier: 'county_hospital' }), point(114.3, 25.9, { id: 'B', tier: 'village_clinic' })],
        ZONES,
      ),
    };
    const after = {
      type: 'FeatureCollection' as const,
      features: completeFacilities([point(114.41, 25.91, { id: 'C', tier: 'township_centre' })], ZONES),
    };
    const edit = diffFacilities(before, after, 'import:x.csv');
    const applied = applyEdit(before, edit);
    if (!applied.ok) throw new Error(applied.error.en);
    expect(applied.state).toEqual(after);
    const undone = applyEdit(applied.state, applied.inverse);
    if (!undone.ok) throw new Error(undone.error.en);
    expect(undone.state).toEqual(before);
  });
});

describe('completePopulation, completeRoads, completeZones', () => {
  it('settlements get people, the urban flag and their township; rows without people are left out', () => {
    const out = completePopulation(
      [
        point(114.45, 25.95, { id: 'P1', population: 1200, urban: true }),
        point(114.3, 25.95, { id: 'P2', population: 300 }),
        point(114.3, 25.9, { id: 'P3', population: null }),
      ],
      ZONES,
    );
    expect(out.map((f) => f.properties)).toMatchObject([
      { id: 'P1', population: 1200, urban: true, committee_type: '居委会', township: '360724100' },
      { id: 'P2', population: 300, urban: false, committee_type: '村委会', township: '360724200' },
    ]);
  });

  it('roads get a Chinese class, an OSM highway value and their length; multi-lines are split', () => {
    const multi: Feature<Geometry> = {
      type: 'Feature',
      geometry: {
        type: 'MultiLineString',
        coordinates: [
          [
            [114.3, 25.9],
            [114.31, 25.9],
          ],
          [
            [114.4, 25.9],
            [114.4, 25.91],
          ],
        ],
      },
      properties: { id: 'R1', highway: 'secondary' },
    };
    const out = completeRoads([multi]);
    expect(out.map((r) => r.properties.id)).toEqual(['R1-1', 'R1-2']);
    expect(out[0]!.properties).toMatchObject({ class_zh: '县道', highway: 'secondary' });
    expect(out[0]!.properties.length_m).toBeCloseTo(turfLength(out[0]!, { units: 'meters' }), 0);
    expect(roadClassOf('G323国道', undefined)).toBe('国道');
    expect(roadClassOf(undefined, 'trunk_link')).toBe('国道');
    expect(roadClassOf(undefined, 'track')).toBe('村道');
  });

  it('townships get a code when the file has none, and a seat inside the polygon', () => {
    const out = completeZones(
      ZONES.features.map((z, i) => ({ ...z, properties: i === 0 ? { name: '甲乡' } : { code: '42', name: '乙乡' } })),
    );
    expect(out.map((z) => [z.properties.code, z.properties.name])).toEqual([
      ['Z1', '甲乡'],
      ['42', '乙乡'],
    ]);
    for (const z of out) expect(booleanPointInPolygon([z.properties.seat_lon, z.properties.seat_lat], z)).toBe(true);
  });
});

describe('guessLayerKind', () => {
  async function guess(text: string, fileName: string) {
    return guessLayerKind((await readSource(enc.encode(text), { fileName })).raw);
  }

  it('tells facilities from settlements by their columns, and zones and roads by geometry', async () => {
    expect(await guess(readFileSync(resolve(FIXTURES, 'facilities.csv'), 'utf8'), 'f.csv')).toBe('facilities');
    expect(await guess('名称,常住人口,经度,纬度\n甲村,1200,114.3,25.9\n乙村,800,114.31,25.91\n', 'p.csv')).toBe('population');
    const zones = JSON.stringify(ZONES);
    expect(await guess(zones, 'z.geojson')).toBe('zones');
    const roads = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { highway: 'primary' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [114.3, 25.9],
              [114.4, 25.9],
            ],
          },
        },
      ],
    });
    expect(await guess(roads, 'r.geojson')).toBe('roads');
  });
});

describe('shiftPreview', () => {
  const raw = async () =>
    (await readSource(enc.encode('name,lon,lat\nA,114.40,25.94\nB,114.30,25.99\nC,114.25,25.84\n'), { fileName: 'g.csv' })).raw;

  it('converts sample points from GCJ-02 or BD-09 and measures the move', async () => {
    const gcj = shiftPreview(await raw(), 'gcj02');
    expect(gcj).toHaveLength(3);
    for (const s of gcj) {
      expect(s.after).toEqual(gcj02ToWgs84(s.before[0], s.before[1]));
      expect(s.metres).toBeCloseTo(metresBetween(s.before, s.after), 6);
      // In southern Jiangxi the GCJ-02 offset is a few hundred metres.
      expect(s.metres).toBeGreaterThan(200);
      expect(s.metres).toBeLessThan(800);
    }
    const bd = shiftPreview(await raw(), 'bd09');
    expect(bd[0]!.after).toEqual(bd09ToWgs84(114.4, 25.94));
    expect(bd[0]!.metres).toBeGreaterThan(gcj[0]!.metres);
  });

  it('shows nothing for systems that do not shift by an offset', async () => {
    expect(shiftPreview(await raw(), 'wgs84')).toEqual([]);
    expect(shiftPreview(await raw(), 'EPSG:4547')).toEqual([]);
  });

  it('metresBetween: one degree of latitude is about 111 km', () => {
    expect(metresBetween([114, 25], [114, 26])).toBeGreaterThan(110_000);
    expect(metresBetween([114, 25], [114, 26])).toBeLessThan(112_000);
  });
});
