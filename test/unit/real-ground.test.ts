/**
 * The real ground under the seed counties: GeoNames seats where they match a 2023 township, the real hospitals
 * under their real names with their position labels, and the per-layer provenance the panel shows. Expectations
 * are read from ../shared/data/real and ../shared/data/townships.csv directly, not from the builder.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, Point } from 'geojson';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_IDS, type CountyId } from '../../src/core/counties';
import {
  facilitiesImportOf,
  provenanceRows,
  PROVENANCE_LAYERS,
  type CountyProvenance,
  type ProvenanceRow,
} from '../../src/core/layer-provenance';
import { provenanceOf } from '../../src/core/provenance';
import type { CountyDataset } from '../../src/core/model';
import { sharedDir } from '../../scripts/shared-dir';
import { readCommittedCounty, readMeta, sharedTables } from './shared';

const real = resolve(sharedDir(), 'data/real');
const geonames = JSON.parse(
  readFileSync(resolve(real, 'settlements_geonames_cities500_5counties.wgs84.geojson'), 'utf8'),
) as FeatureCollection<Point, { geonameid: number; name_zh_candidates: string[]; feature_code: string; county_adcode: string }>;
const tertiary = JSON.parse(readFileSync(resolve(real, 'hospitals_3A_5counties.wgs84.geojson'), 'utf8')) as FeatureCollection<
  Point,
  { name: string; county_adcode: string }
>;
const fever = Papa.parse<Record<string, string>>(readFileSync(resolve(real, 'hospitals_fever_clinics_2020_5counties.csv'), 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;
const townships = sharedTables().townships;
const FORMER = ['花寨子', '红寺湖', '榆树川', '西南岔', '燕平'];
/** shared/data/real/README.md: "Matches against the 2023 township list: 山丹 5 of 10, 靖宇 5 of 8, 盐湖 1 of 22, 上犹 1 of 15, 平坝 0 of 11". */
const README_MATCHES: Record<CountyId, number> = { shandan: 5, jingyu: 5, yanhu: 1, shangyou: 1, pingba: 0 };
const stem = (s: string) => s.replace(/(街道|镇|乡)$/, '');

const data = {} as Record<CountyId, CountyDataset>;
beforeAll(async () => {
  for (const id of COUNTY_IDS) data[id] = await readCommittedCounty(id);
});

describe('township seats from GeoNames', () => {
  it.each(COUNTY_IDS)('%s: every real seat is the GeoNames point itself and a 2023 township of that name', (id) => {
    const adcode = COUNTIES[id].adcode;
    const zones = data[id].townships.features;
    const anchored = zones.filter((z) => String((z.properties as { seat_source?: string }).seat_source).startsWith('GeoNames '));
    let byName = 0;
    for (const z of anchored) {
      const gid = Number((z.properties as unknown as { seat_source: string }).seat_source.replace('GeoNames ', ''));
      const point = geonames.features.find((f) => f.properties.geonameid === gid)!;
      expect(point.properties.county_adcode).toBe(adcode);
      // Distance 0: the seat is the point as GeoNames gives it (5 decimals, unchanged by the build's 6-decimal rounding).
      expect([z.properties.seat_lon, z.properties.seat_lat]).toEqual(point.geometry.coordinates.map((c) => Math.round(c * 1e6) / 1e6));
      const row = townships.find((t) => t.township_code === z.properties.code)!;
      expect(row.township_name).toBe(z.properties.name);
      const names = point.properties.name_zh_candidates;
      expect(
        names.some((n) => FORMER.includes(stem(n))),
        `${row.township_name} anchored to a former township`,
      ).toBe(false);
      if (names.some((n) => n === row.township_name || stem(n) === stem(row.township_name))) byName++;
      // Otherwise only the county town (a county or prefecture seat in GeoNames) may anchor the county seat township.
      else {
        expect(z.properties.is_county_seat).toBe(true);
        expect(point.properties.feature_code).toMatch(/^PPLA[23]$/);
      }
      // The seat is in its own zone, inside the outline.
      expect(booleanPointInPolygon([z.properties.seat_lon, z.properties.seat_lat], z)).toBe(true);
    }
    expect(byName).toBe(README_MATCHES[id]);
    // Every point matching a 2023 township by name is used (金家店's alternate names include 三道湖镇).
    const matchable = geonames.features.filter(
      (p) =>
        p.properties.county_adcode === adcode &&
        townships.some(
          (t) =>
            t.county_adcode === adcode &&
            p.properties.name_zh_candidates.some(
              (n) => n === t.township_name || (stem(n) === stem(t.township_name) && !/^PPLA2$/.test(p.properties.feature_code)),
            ),
        ),
    );
    for (const p of matchable)
      expect(
        anchored.some((z) => (z.properties as unknown as { seat_source: string }).seat_source === `GeoNames ${p.properties.geonameid}`),
      ).toBe(true);
    // And meta.json says why each other point is not used.
    const ground = readMeta(id).real_ground as { seats: unknown[]; unused_points: { geonameid: number; reason: string }[] };
    const inCounty = geonames.features.filter((p) => p.properties.county_adcode === adcode).length;
    expect(ground.seats.length + ground.unused_points.length).toBe(inCounty);
    expect(ground.seats.length).toBe(anchored.length);
  });

  it('三道湖镇 stands on GeoNames 金家店, with the README note recorded', () => {
    const ground = readMeta('jingyu').real_ground as { seats: { township_name: string; geonames_name: string; note?: string }[] };
    const seat = ground.seats.find((s) => s.township_name === '三道湖镇')!;
    expect(seat.geonames_name).toBe('Jinjiadian');
    expect(seat.note).toContain('金家店');
  });
});

describe('real hospitals', () => {
  it.each(['yanhu', 'jingyu', 'shangyou'] as const)('%s: real hospitals under their real names, labelled exact or approximate', (id) => {
    const adcode = COUNTIES[id].adcode;
    const facilities = data[id].facilities.features;
    const realOnes = facilities.filter((f) => f.properties.modelled === false);
    // Geocoded: at their own point, exact.
    for (const h of tertiary.features.filter((f) => f.properties.county_adcode === adcode)) {
      const name = h.properties.name.replace(/（.*?）$/, '');
      const f = facilities.find((x) => x.properties.name === name)!;
      expect(f, name).toBeDefined();
      expect(f.properties['located_by']).toBe('geocoded');
      expect(f.properties['position_source']).toMatch(/^geocoded \(Baidu, converted\)/);
      expect(f.geometry.coordinates).toEqual(h.geometry.coordinates.map((c) => Math.round(c * 1e6) / 1e6));
      // Beds and staff unknown, never a made-up 0.
      expect(f.properties.beds ?? null).toBeNull();
    }
    // The county's own hospitals from the fever-clinic list: in place of the modelled one, at the county seat, approximate.
    const county = COUNTIES[id].zh;
    const seat = data[id].townships.features.find((z) => z.properties.is_county_seat)!;
    for (const row of fever.filter((r) => r.county_adcode === adcode && (r.name === `${county}人民医院` || r.name === `${county}中医院`))) {
      const matches = facilities.filter((x) => x.properties.name === row.name);
      expect(matches, row.name).toHaveLength(1);
      const f = matches[0]!;
      expect(f.properties.modelled).toBe(false);
      expect(f.properties['located_by']).toBe('county_town');
      // The street, where the list gives one, is kept with the position it was not geocoded to.
      expect(f.properties['position_source']).toBe(
        row.address ? `county town (address not geocoded): ${row.address}` : 'county town (address not geocoded)',
      );
      expect(f.properties.township).toBe(seat.properties.code);
      expect(String(f.properties['modelled_fields']).split(',')).toContain('physicians');
      expect(provenanceOf(f.properties)).toBe('real');
    }
    // Nothing else is real; every real one is labelled.
    for (const f of realOnes) expect(['geocoded', 'county_town']).toContain(f.properties['located_by']);
    for (const f of facilities.filter((x) => x.properties.modelled === true)) expect(f.properties['located_by']).toBe('modelled');
    const listed = new Set([...tertiary.features.map((f) => f.properties.name.replace(/（.*?）$/, '')), ...fever.map((r) => r.name)]);
    for (const f of realOnes) expect(listed.has(f.properties.name), f.properties.name).toBe(true);
  });

  it('盐湖: the prefecture hospitals known only by an address are listed as not placed, not put on the map', () => {
    const names = data.yanhu.facilities.features.map((f) => f.properties.name);
    const ground = readMeta('yanhu').real_ground as { hospitals: { name: string; action: string }[] };
    for (const n of ['运城市第一医院', '运城市第二医院']) {
      expect(names).not.toContain(n);
      expect(ground.hospitals.find((h) => h.name === n)?.action).toBe('not_placed');
    }
  });

  it('counties with no real hospital keep every facility modelled', () => {
    for (const id of ['shandan', 'pingba'] as const)
      expect(data[id].facilities.features.every((f) => f.properties.modelled === true)).toBe(true);
  });
});

describe('per-layer provenance', () => {
  const byLayer = (rows: ProvenanceRow[]) => Object.fromEntries(rows.map((r) => [r.layer, r]));

  it.each(COUNTY_IDS)('%s: the rows are meta.json, with counts recounted from the layers', (id) => {
    const record = readMeta(id).provenance as CountyProvenance;
    const rows = byLayer(provenanceRows({ county: record, layers: {}, facilities: data[id].facilities.features }));
    expect(Object.keys(rows)).toEqual([...PROVENANCE_LAYERS]);
    const f = data[id].facilities.features;
    const modelled = f.filter((x) => x.properties.modelled === true).length;
    const approximate = f.filter((x) => x.properties.modelled === false && x.properties['located_by'] === 'county_town').length;
    expect(rows.facilities!.counts).toEqual({ real: f.length - modelled - approximate, approximate, modelled });
    expect(rows.facilities!.status).toBe(modelled === f.length ? 'modelled' : 'partly_real');
    expect(record.facilities.counts).toEqual(rows.facilities!.counts);
    const seats = data[id].townships.features.filter((z) =>
      String((z.properties as { seat_source?: string }).seat_source).startsWith('GeoNames '),
    ).length;
    expect(rows.townships!.counts).toEqual({ real: 0, approximate: seats, modelled: data[id].townships.features.length - seats });
    expect(rows.townships!.sources.some((s) => s.name.startsWith('GeoNames'))).toBe(seats > 0);
    expect(rows.roads!.status).toBe('modelled');
    expect(rows.boundary!.status).toBe('real');
    for (const r of Object.values(rows)) expect(r.imported).toBeNull();
  });

  it('an imported layer replaces the county source with its file and date', () => {
    const record = readMeta('shangyou').provenance as CountyProvenance;
    const rows = byLayer(
      provenanceRows({
        county: record,
        layers: {
          roads: {
            kind: 'inline',
            name: 'osm-roads.geojson',
            data: { type: 'FeatureCollection', features: [] },
            at: '2026-12-05T07:00:00Z',
          } as never,
          population: { kind: 'session', id: 's1', name: '村级人口.xlsx', features: 10 },
        },
        facilities: data.shangyou.facilities.features,
        facilitiesImport: facilitiesImportOf({
          undo: [
            { edit: { type: 'move' }, label: 'move' },
            { edit: { type: 'replace' }, label: 'import:卫统名录.xlsx' },
            { edit: { type: 'layer' }, label: 'import:osm-roads.geojson' },
          ],
        }),
      }),
    );
    expect(rows.roads!.status).toBe('imported');
    expect(rows.roads!.sources).toEqual([{ name: 'osm-roads.geojson', licence: '', date: '2026-12-05T07:00:00Z', url: null }]);
    expect(rows.population!.imported).toEqual({ file: '村级人口.xlsx', at: null });
    expect(rows.facilities!.imported?.file).toBe('卫统名录.xlsx');
    // The county's own layers keep their record.
    expect(rows.townships!.imported).toBeNull();
    expect(rows.townships!.sources).toEqual(record.townships.sources);
    expect(facilitiesImportOf({ undo: [{ edit: { type: 'layer' }, label: 'import:x.geojson' }] })).toBeNull();
  });
});
