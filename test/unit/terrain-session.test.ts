/**
 * Terrain mode through the county session, as the page asks it: coverage with the ground stated (flat ground
 * assumed without a DEM), service areas traced from the field, the field as an image whose pixels are the cells'
 * minutes on the legend's ramp, and the analyses (access, a scenario's evaluation) on the same minutes.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CountyId } from '../../src/core/counties';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { fieldStops } from '../../src/core/travel/terrain/field-image';

const DATA = resolve(__dirname, '../../data');
const COUNTY: CountyId = 'shangyou';
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};
const settings: TravelSettings = {
  ...DEFAULT_TRAVEL_SETTINGS,
  mode: 'terrain',
  terrain: { cellMetres: 200, neighbours: 8, direction: 'to_facility' },
};

describe('terrain mode in the county session', { timeout: 120_000 }, () => {
  it('answers coverage, areas, the field image and the analyses on one set of minutes', async () => {
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty(COUNTY);
    const coverage = await session.coverage({ version: 1, settings, uncoveredTier: 'any' });
    // No elevation model given: the report says flat ground, on the grid the settings chose.
    expect(coverage.report.mode).toBe('terrain');
    expect(coverage.report.ground).toMatchObject({ cellMetres: 200, elevation: null, water: null });
    const plan = session.groundPlan(200, settings);
    expect(plan.cells).toBe(coverage.report.ground!.nx * coverage.report.ground!.ny);
    // Three rasters: the scenario's (by car), and the default reading's walkers and e-bike riders.
    expect(coverage.report.partSettings.map((p) => p?.profile ?? null)).toEqual(['walking', 'ebike', 'walking']);
    expect(plan.engines).toBe(3);
    // 27 bytes a cell each, and 8 per tier searched: three for the car and the walkers, two for the e-bike riders;
    // and up to 8 MiB of bucket lists each engine's graph keeps between searches.
    expect(plan.bytes).toBe(plan.cells * (2 * (27 + 8 * 3) + 27 + 8 * 2) + 3 * 8 * 2 ** 20);

    // Service areas come from the field, per tier and threshold.
    const areas = JSON.parse(new TextDecoder().decode((await session.serviceAreas(1)).bytes)) as {
      features: { properties: { mode: string; minutes: number } }[];
    };
    expect(areas.features.length).toBe(3 * 2);
    expect(areas.features.every((f) => f.properties.mode === 'terrain')).toBe(true);

    // The image: a township centre's pixel has the ramp's first colour (0 minutes), and pixels cover the county.
    const image = (await session.travelField('township_centre'))!;
    expect(image.stops).toEqual(fieldStops([15, 30], 120));
    expect(image.stops.map((s) => s.minutes)).toEqual([0, 15, 30, 60, 90, 120]);
    let opaque = 0;
    for (let p = 3; p < image.rgba.length; p += 4) if (image.rgba[p] === 255) opaque++;
    expect(opaque / (image.width * image.height)).toBeGreaterThan(0.3);
    const [[west, north], , [east, south]] = image.coordinates;
    const centre = dataset.facilities.features.find((f) => f.properties?.tier === 'township_centre')!;
    const [lon, lat] = (centre.geometry as unknown as { coordinates: [number, number] }).coordinates;
    const merc = (y: number) => Math.log(Math.tan(Math.PI / 4 + (y * Math.PI) / 360));
    const px = Math.floor(((lon - west) / (east - west)) * image.width);
    const py = Math.floor(((merc(north) - merc(lat)) / (merc(north) - merc(south))) * image.height);
    const at = (py * image.width + px) * 4;
    const first = image.stops[0]!.rgb;
    for (let c = 0; c < 3; c++) expect(Math.abs(image.rgba[at + c]! - first[c]!)).toBeLessThanOrEqual(40);

    // Access and a scenario's evaluation run on the terrain minutes too.
    const access = await session.access({
      minutes: 30,
      basis: 'physicians',
      peoplePerBed: 133.3,
      peoplePerPhysician: 312.5,
      decay: 'none',
      scope: 'any',
    });
    expect(access.served.length).toBe(dataset.population.features.length);
    const same = await session.evaluate(dataset.facilities);
    expect(same.coverage.county).toEqual(coverage.report.summary.county);

    // A water file with nothing to bar (points only) is refused by name; the ground in use stays (flat, no water).
    const points = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: [centre] }));
    const refused = await session.setGround({ dem: null, water: { name: 'wells.geojson', bytes: points.buffer as ArrayBuffer } }, 200);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error).toMatchObject({ code: 'water-no-barriers', params: { file: 'wells.geojson', features: 1, walkable: 0 } });
    const again = await session.coverage({ version: 2, settings, uncoveredTier: 'any' });
    expect(again.report.ground).toMatchObject({ water: null, elevation: null });
    expect(again.report.summary.county).toEqual(coverage.report.summary.county);
  });
});
