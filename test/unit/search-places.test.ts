/**
 * Finding places by name on the real embedded counties: every township by its whole name, its full pinyin and
 * its pinyin initials; villages and facilities by part of their name; a facility added to the scenario.
 */
import { describe, expect, it } from 'vitest';
import { pinyin } from 'pinyin-pro';
import { booleanPointInPolygon, bbox as turfBbox } from '@turf/turf';
import { COUNTY_IDS } from '../../src/core/counties';
import type { CountyDataset, FacilityFeature } from '../../src/core/model';
import { PlaceIndex, placeAt, placesOf, placeView } from '../../src/core/search/index';
import { readCommittedCounty } from './shared';

const datasets = new Map<string, CountyDataset>();
async function county(id: string): Promise<CountyDataset> {
  if (!datasets.has(id)) datasets.set(id, await readCommittedCounty(id as (typeof COUNTY_IDS)[number]));
  return datasets.get(id)!;
}

// Independent of the index: pinyin-pro asked directly, character by character.
const initialsOf = (name: string) =>
  [...name]
    .map((c) => pinyin(c, { pattern: 'first', toneType: 'none' }))
    .join('')
    .toLowerCase();
const plainOf = (name: string) =>
  [...name]
    .map((c) => pinyin(c, { toneType: 'none', v: true }))
    .join('')
    .toLowerCase();

describe.each(COUNTY_IDS)('searching %s', (id) => {
  it('finds every township as the top hit by its name, its full pinyin and its initials', async () => {
    const data = await county(id);
    const index = new PlaceIndex(placesOf(data));
    for (const z of data.townships.features) {
      const { name, code, population } = z.properties;
      const byName = index.search(name);
      expect(byName[0]?.place, name).toMatchObject({ kind: 'township', id: code });

      // Two townships can share their initials (上犹: 东山镇 and 陡水镇 are both "dsz"): every township with the
      // same initials comes before any other place, the more populous first, so this one is where its rank says.
      const initials = initialsOf(name);
      const twins = data.townships.features
        .filter((t) => initialsOf(t.properties.name) === initials)
        .sort((a, b) => b.properties.population - a.properties.population);
      const hits = index.search(initials, twins.length + 2);
      expect(
        hits.slice(0, twins.length).map((h) => h.place.id),
        `${name} by ${initials}`,
      ).toEqual(twins.map((t) => t.properties.code));
      if (twins.length === 1) expect(hits[0]?.place.id).toBe(code);
      else expect(twins[0]!.properties.population >= population).toBe(true);

      const plain = plainOf(name);
      const byPinyin = index.search(plain);
      expect(byPinyin[0]?.place, `${name} by ${plain}`).toMatchObject({ kind: 'township', id: code });
    }
  });

  it('finds villages and facilities by part of their name, with their township', async () => {
    const data = await county(id);
    const index = new PlaceIndex(placesOf(data));
    const village = data.population.features.find((f) => f.properties.committee_type === '村委会')!;
    const vName = village.properties.name;
    // The name without its ending: a part of it, as a planner types.
    const part = vName.replace(/(村委会|村民委员会|村)$/, '');
    const hits = index.search(part, 50);
    const hit = hits.find((h) => h.place.id === village.properties.id);
    expect(hit, `${vName} by ${part}`).toBeDefined();
    expect(hit!.place.kind).toBe('village');
    expect(hit!.place.township).toBe(village.properties.township_name);
    // Every hit really contains what was typed (in Chinese, the match is exact for a short part).
    if (part.length <= 3) for (const h of hits) expect(h.place.name).toContain(part);
    // The township the village stands in is the one the place says.
    const zone = data.townships.features.find((z) => z.properties.name === hit!.place.township)!;
    expect(booleanPointInPolygon([hit!.place.lon, hit!.place.lat], zone)).toBe(true);

    const facility = data.facilities.features.find((f) => f.properties.tier === 'township_centre')!;
    const byName = index.search(facility.properties.name);
    expect(byName[0]?.place).toMatchObject({ kind: 'facility', id: facility.properties.id, tier: 'township_centre' });
    expect([byName[0]!.place.lon, byName[0]!.place.lat]).toEqual(facility.geometry.coordinates);
  });
});

describe('search details', () => {
  it('ranks 东山镇 first for "dsz", "dongshan" and "东山", and flies to the box of its outline', async () => {
    const data = await county('shangyou');
    const index = new PlaceIndex(placesOf(data));
    const dongshan = data.townships.features.find((z) => z.properties.name === '东山镇')!;
    for (const q of ['dsz', 'dongshan', '东山', 'Dong Shan', 'DSZ']) expect(index.search(q)[0]?.place.id, q).toBe(dongshan.properties.code);
    // Full-pinyin queries spell the name as written.
    expect(index.search('dongshan')[0]!.pinyin).toBe('Dongshan Zhen');
    const [w, s, e, n] = turfBbox(dongshan);
    const view = placeView(index.search('dsz')[0]!.place);
    expect(view.lon).toBeCloseTo((w + e) / 2, 9);
    expect(view.lat).toBeCloseTo((s + n) / 2, 9);
    // The whole township fits 800 px at that zoom: 360° span 512 px at zoom 1 → degrees per px = 360 / (256 * 2^z).
    const pixels = ((e - w) * 256 * 2 ** view.zoom) / 360;
    expect(pixels).toBeLessThanOrEqual(800.5);
  });

  it('finds a facility added to the scenario, and nothing for a name that is not there', async () => {
    const data = await county('shangyou');
    const [lon, lat] = data.population.features[40]!.geometry.coordinates as [number, number];
    const added: FacilityFeature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon + 0.01, lat] },
      properties: {
        ...data.facilities.features[0]!.properties,
        id: 'NEW-test',
        name: '新建村卫生室 7',
        tier: 'village_clinic',
        status: 'planned',
      },
    };
    const withAdded = { ...data, facilities: { ...data.facilities, features: [...data.facilities.features, added] } };
    const hits = new PlaceIndex(placesOf(withAdded)).search('新建村卫生室 7');
    expect(hits[0]?.place).toMatchObject({ id: 'NEW-test', kind: 'facility', lon: lon + 0.01, lat });
    expect(new PlaceIndex(placesOf(data)).search('新建村卫生室 7').some((h) => h.place.id === 'NEW-test')).toBe(false);
    expect(new PlaceIndex(placesOf(data)).search('zzzzqqq')).toEqual([]);
  });

  it('names the settlement or facility a table flies to by its point', async () => {
    const data = await county('shangyou');
    const places = placesOf(data);
    const s = data.population.features[10]!;
    const [lon, lat] = s.geometry.coordinates as [number, number];
    expect(placeAt(places, lon, lat)?.id).toBe(s.properties.id);
    const f = data.facilities.features.find((x) => x.properties.tier === 'county_hospital')!;
    const [flon, flat] = f.geometry.coordinates as [number, number];
    const at = placeAt(places, flon, flat)!;
    // A hospital at the seat may share its point with a settlement: that settlement is named, else the hospital.
    const settlementThere = data.population.features.find((p) => p.geometry.coordinates[0] === flon && p.geometry.coordinates[1] === flat);
    expect(at.id).toBe(settlementThere ? settlementThere.properties.id : f.properties.id);
    expect(placeAt(places, 0, 0)).toBeNull();
  });
});
