import { describe, expect, it } from 'vitest';
import type { FacilityCollection, FacilityFeature } from '../../src/core/history/edit';
import { mergeFacilities } from '../../src/core/io/merge';

const facility = (id: string, lon: number, extra: Partial<FacilityFeature['properties']> = {}): FacilityFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, 25.9] },
  properties: {
    id,
    name: `机构${id}`,
    tier: 'village_clinic',
    kind: 'village_clinic',
    status: 'existing',
    beds: null,
    physicians: 1,
    nurses: null,
    gps: null,
    public_health_staff: null,
    township: 'T1',
    township_name: '甲镇',
    modelled: false,
    ...extra,
  },
});

describe('merging an imported registry into the loaded facilities', () => {
  const current: FacilityCollection = {
    type: 'FeatureCollection',
    features: [facility('A', 114.1, { note: '规划备注' } as never), facility('B', 114.2), facility('C', 114.3)],
  };

  it('updates the ids it knows (position and attributes), adds the new ones, keeps the rest in order', () => {
    const result = mergeFacilities(current, [
      facility('B', 114.25, { beds: 12 }),
      facility('A', 114.15, { physicians: 3 }),
      facility('D', 114.4),
    ]);
    expect(result).toMatchObject({ added: 1, updated: 2, kept: 1 });
    expect(result.facilities.features.map((f) => f.properties.id)).toEqual(['A', 'B', 'C', 'D']);
    const [a, b, c] = result.facilities.features;
    expect(a!.geometry.coordinates).toEqual([114.15, 25.9]);
    expect(a!.properties.physicians).toBe(3);
    // A field the file does not carry survives the update.
    expect((a!.properties as unknown as Record<string, unknown>)['note']).toBe('规划备注');
    expect(b!.properties.beds).toBe(12);
    expect(c).toBe(current.features[2]);
  });

  it('keeps the loaded value of a field the file has no column for (not the import default)', () => {
    const loaded: FacilityCollection = { type: 'FeatureCollection', features: [facility('A', 114.1, { beds: 20, name: '甲村卫生室' })] };
    // The file maps only id, tier and physicians: beds came in as null and the name as the id.
    const row = facility('A', 114.1, { beds: null, name: 'A', physicians: 2 });
    const [a] = mergeFacilities(loaded, [row], ['id', 'tier', 'physicians']).facilities.features;
    expect(a!.properties).toMatchObject({ beds: 20, name: '甲村卫生室', physicians: 2 });
    const [b] = mergeFacilities(loaded, [row]).facilities.features;
    expect(b!.properties).toMatchObject({ beds: null, name: 'A', physicians: 2 });
  });

  it('leaves the loaded collection untouched', () => {
    const before = JSON.stringify(current);
    mergeFacilities(current, [facility('A', 100)]);
    expect(JSON.stringify(current)).toBe(before);
  });
});
