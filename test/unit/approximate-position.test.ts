/**
 * A facility a registry placed only approximately (at its village or township seat) is corrected by a drag, and
 * a registry row placed that way never moves a facility whose position is better known. Checked on the real
 * facilities of 上犹 (their positions are the reference the test compares against).
 */
import { featureFilter, type FilterSpecification } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { MAP_LAYERS } from '../../src/app/map/layers';
import { isApproximate } from '../../src/core/provenance';
import { applyEdit, moveFacility, type FacilityCollection, type FacilityFeature } from '../../src/core/history/index';
import { mergeFacilities } from '../../src/core/io/merge';
import { readCommittedCounty } from './shared';

async function shangyou(): Promise<FacilityCollection> {
  return (await readCommittedCounty('shangyou')).facilities as unknown as FacilityCollection;
}

const at = (f: FacilityFeature): number[] => f.geometry.coordinates;

describe('a facility placed by its village', () => {
  it('is marked manual when dragged to its true place, and undo gives back the approximate mark and the place', async () => {
    const base = await shangyou();
    const target = base.features.find((f) => f.properties.tier === 'village_clinic')!;
    const placed: FacilityCollection = {
      ...base,
      features: base.features.map((f) => (f === target ? { ...f, properties: { ...f.properties, located_by: 'village' } } : f)),
    };
    const to = [at(target)[0]! + 0.01, at(target)[1]! - 0.005];
    const moved = applyEdit(placed, moveFacility(target.properties.id, to[0]!, to[1]!));
    if (!moved.ok) throw new Error(moved.error.code);
    const after = moved.state.features.find((f) => f.properties.id === target.properties.id)!;
    expect(after.geometry.coordinates).toEqual(to);
    expect(after.properties.located_by).toBe('manual');
    const undone = applyEdit(moved.state, moved.inverse);
    if (!undone.ok) throw new Error(undone.error.code);
    const back = undone.state.features.find((f) => f.properties.id === target.properties.id)!;
    expect(back.geometry.coordinates).toEqual(at(target));
    expect(back.properties.located_by).toBe('village');
    // A facility whose position is not approximate moves as before, its mark unchanged.
    const other = base.features.find((f) => f.properties.tier === 'township_centre')!;
    const plain = applyEdit(base, moveFacility(other.properties.id, 114.5, 25.9));
    if (!plain.ok) throw new Error(plain.error.code);
    expect(plain.state.features.find((f) => f.properties.id === other.properties.id)!.properties.located_by).toBe(
      other.properties.located_by,
    );
    expect(plain.inverse.type).toBe('move');
  });

  it('updates the counts of a loaded facility found by name without moving it to the village point', async () => {
    const base = await shangyou();
    const known = base.features.find((f) => f.properties.tier === 'township_centre')!;
    const seat = [at(known)[0]! + 0.02, at(known)[1]! + 0.02];
    const row: FacilityFeature = {
      ...known,
      geometry: { type: 'Point', coordinates: seat },
      properties: { ...known.properties, id: 'F-row-2', beds: 77, located_by: 'township_seat' },
    };
    const merged = mergeFacilities(base, [row], ['name', 'beds']);
    const after = merged.facilities.features.find((f) => f.properties.id === known.properties.id)!;
    expect(merged.updated).toBe(1);
    expect(after.properties.beds).toBe(77);
    expect(after.geometry.coordinates).toEqual(at(known));
    expect(after.properties.located_by).toBe(known.properties.located_by);
    // A row with measured coordinates does move it.
    const measured = mergeFacilities(base, [{ ...row, properties: { ...row.properties, located_by: 'coordinates' } }], ['name', 'beds']);
    expect(measured.facilities.features.find((f) => f.properties.id === known.properties.id)!.geometry.coordinates).toEqual(seat);
  });
});

describe('the map rings an approximate position', () => {
  it('rings a facility placed by its village, seat or address and a plan project placed from its text, not the rest', () => {
    const layer = MAP_LAYERS.facilities.find((l) => l.id === 'facilities-approximate') as { filter: FilterSpecification };
    const ringed = featureFilter(layer.filter, 'filter');
    const rings = (properties: Record<string, unknown>): boolean =>
      ringed.filter({ zoom: 10 }, { type: 1, properties, geometry: [] } as unknown as Parameters<typeof ringed.filter>[1]);
    for (const by of ['village', 'township_seat', 'county_town']) expect(rings({ located_by: by }), by).toBe(isApproximate(by));
    for (const by of ['coordinates', 'geocoded', 'modelled', 'manual']) expect(rings({ located_by: by }), by).toBe(false);
    expect(rings({ location_approximate: true })).toBe(true);
    expect(rings({})).toBe(false);
  });
});
