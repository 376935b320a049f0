/**
 * Bicycles on road grades (src/core/travel/terrain/cycling.ts): the riding speed against the power balance solved by
 * bisection (the code uses the cubic's closed-form root), and the terrain search's minutes along a
 * straight road up a uniform slope: uphill at that speed, downhill at the class speed, each way by the direction
 * of travel; off, and for every other profile, the flat ride both ways.
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { localProjection } from '../../src/core/geo/local-projection';
import { withProfile, type ProfileId } from '../../src/core/travel/profiles';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS, validateTravelSettings, type TravelSettings } from '../../src/core/travel/settings';
import { bicycleGradesApply, cyclingKmh } from '../../src/core/travel/terrain/cycling';
import { cellAt, cellCentre, type TerrainGrid } from '../../src/core/travel/terrain/grid';
import { emptyTerrainField, relaxTerrain } from '../../src/core/travel/terrain/search';
import { buildTerrainGraph } from '../../src/core/travel/terrain/terrain-graph';
import { toblerKmh } from '../../src/core/travel/terrain/tobler';

/**
 * The documented rider (cycling.ts's comment): 90 kg, Crr 0.008, CdA 0.5 m², air 1.2 kg/m³, climbing at 5/3 of the
 * flat power; the speed the climbing power holds found by bisection (the code solves the cubic in closed form).
 */
function bisectedKmh(flatKmh: number, grade: number): number {
  const watts = (v: number, g: number) => {
    const theta = Math.atan(g);
    return (90 * 9.81 * (Math.sin(theta) + 0.008 * Math.cos(theta)) + 0.5 * 1.2 * 0.5 * v * v) * v;
  };
  const climbing = (5 / 3) * watts(flatKmh / 3.6, 0);
  let [lo, hi] = [0, 100];
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (watts(mid, grade) > climbing) hi = mid;
    else lo = mid;
  }
  return Math.min(flatKmh, Math.max(3.6 * lo, toblerKmh(grade)));
}

describe('cyclingKmh', () => {
  it('is the power balance’s root uphill, the class speed on the flat and downhill, and a walk where riding is slower', () => {
    let walked = 0;
    for (const flat of [10, 15, 20, 25])
      for (const grade of [0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.3]) {
        expect(cyclingKmh(flat, grade)).toBeCloseTo(bisectedKmh(flat, grade), 6);
        if (cyclingKmh(flat, grade) === toblerKmh(grade)) walked++;
        expect(cyclingKmh(flat, -grade)).toBe(flat);
      }
    expect(cyclingKmh(15, 0)).toBe(15);
    // A utility rider at 15 km/h climbs a 5 % road at about 5.9 km/h, and pushes the bicycle up 15 %.
    expect(cyclingKmh(15, 0.05)).toBeCloseTo(5.9, 1);
    expect(cyclingKmh(15, 0.15)).toBe(toblerKmh(0.15));
    expect(walked).toBeGreaterThan(3);
    // Steeper is never quicker.
    for (let g = 0; g < 0.3; g += 0.001) expect(cyclingKmh(15, g + 0.001)).toBeLessThanOrEqual(cyclingKmh(15, g));
  });

  it('applies to bicycles in terrain mode with an elevation model, unless turned off', () => {
    const terrain = { cellMetres: 100, neighbours: 16 as const, direction: 'to_facility' as const };
    const bike = { ...withProfile(DEFAULT_TRAVEL_SETTINGS, 'bicycle'), mode: 'terrain' as const, terrain };
    expect(bicycleGradesApply(bike, true)).toBe(true);
    expect(bicycleGradesApply(bike, false)).toBe(false);
    expect(bicycleGradesApply({ ...bike, terrain: { ...terrain, bicycleGrades: false } }, true)).toBe(false);
    expect(bicycleGradesApply({ ...bike, mode: 'network' }, true)).toBe(false);
    expect(bicycleGradesApply({ ...withProfile(bike, 'ebike') }, true)).toBe(false);
    expect(validateTravelSettings({ ...bike, terrain: { ...terrain, bicycleGrades: 'yes' as never } })).toEqual([
      { field: 'terrain.bicycleGrades', key: 'not_a_choice', value: 'yes' },
    ]);
  });
});

const GRADE = 0.04;
const projection = localProjection(106.3, 26.4);
const grid: TerrainGrid = { x0: 0, y0: 0, cell: 100, nx: 60, ny: 20 };
/** A plane rising GRADE eastwards: bilinear heights along any road on it rise exactly GRADE per metre east. */
const plane = Float32Array.from({ length: grid.nx * grid.ny }, (_, k) => 100 + GRADE * cellCentre(grid, k)[0]);
// The road's samples (every 50 m from its west end) fall inside cells, never on their edges.
const [WEST, EAST, Y] = [1025, 5025, 1050];
const road: Feature<LineString> = {
  type: 'Feature',
  properties: { class_zh: '乡道' },
  geometry: { type: 'LineString', coordinates: [projection.inverse(WEST, Y), projection.inverse(EAST, Y)] },
};

/** The search from the road's west end: minutes at its east end and at the cell 2 km along it. */
function fromWestEnd(direction: 'to_facility' | 'from_facility', bicycleGrades: boolean, profile: ProfileId = 'bicycle') {
  const settings = { ...withProfile(DEFAULT_TRAVEL_SETTINGS, profile), mode: 'terrain' as const };
  const roads = buildRoadGraph([road], projection, settings, direction);
  const graph = buildTerrainGraph(
    roads,
    { grid, elevation: plane, impassable: null, speedFactor: null },
    { offroadKmh: 4.5, neighbours: 16, direction, bicycleGrades },
  );
  const node = (x: number) => [0, 1].reduce((best, u) => (Math.abs(roads.nodeX[u]! - x) < Math.abs(roads.nodeX[best]! - x) ? u : best), 0);
  const field = emptyTerrainField(graph);
  relaxTerrain(graph, field, [{ id: node(WEST), minutes: 0, label: 0 }], 120, null);
  const metres = Math.hypot(roads.nodeX[1]! - roads.nodeX[0]!, roads.nodeY[1]! - roads.nodeY[0]!);
  return {
    east: field.minutes[node(EAST)]!,
    halfway: field.minutes[graph.roadNodes + cellAt(grid, WEST + 2000, Y)]!,
    metres,
    kmh: settings.roadKmh['乡道']!,
  };
}

const minutesAt = (metres: number, kmh: number) => (metres * 60) / (kmh * 1000);

describe('the terrain search on a graded road', () => {
  it('rides a bicycle up the slope at the climbing speed and down it at the class speed, by the direction of travel', () => {
    const out = fromWestEnd('from_facility', true); // riding out of the facility, east: uphill
    expect(out.metres).toBeCloseTo(EAST - WEST, 0);
    const up = bisectedKmh(out.kmh, GRADE);
    expect(up).toBeLessThan(out.kmh / 2);
    expect(out.east).toBeCloseTo(minutesAt(out.metres, up), 3);
    // The cell 2 km along is linked at the sample where the road enters it: 2 km up the slope.
    expect(out.halfway).toBeCloseTo(minutesAt(2000, up), 2);
    // Patients at the east end ride west to the facility: downhill, at the class speed.
    const back = fromWestEnd('to_facility', true);
    expect(back.east).toBeCloseTo(minutesAt(back.metres, back.kmh), 3);
    expect(back.halfway).toBeCloseTo(minutesAt(2000, back.kmh), 2);
  });

  it('rides flat both ways when turned off, and for an e-bike', () => {
    for (const direction of ['to_facility', 'from_facility'] as const) {
      const off = fromWestEnd(direction, false);
      expect(off.east).toBeCloseTo(minutesAt(off.metres, off.kmh), 3);
      const ebike = fromWestEnd(direction, false, 'ebike');
      expect(ebike.east).toBeCloseTo(minutesAt(ebike.metres, ebike.kmh), 3);
    }
  });
});

describe('the coverage engine with a bicycle on a graded road', () => {
  const at = (x: number, y: number) => projection.inverse(x, y);
  const point = (id: string, x: number, props: Record<string, unknown>): Feature<Point> => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: at(x, Y) },
    properties: { id, name: id, ...props },
  });
  const collection = <T extends Feature>(features: T[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  /**
   * A village at the road's top (east) and a township centre at its foot (west), or (`onWater`) at its middle on a
   * cell of water, so it starts from its snap to the road: the village's minutes.
   */
  function villageMinutes(
    profile: ProfileId,
    direction: 'to_facility' | 'from_facility',
    bicycleGrades?: boolean,
    onWater = false,
  ): number {
    const centreX = onWater ? (WEST + EAST) / 2 : WEST;
    const data = {
      population: collection([point('village', EAST, { population: 100 })]) as FeatureCollection<Point>,
      facilities: collection([point('tc', centreX, { tier: 'township_centre', status: 'existing' })]) as FeatureCollection<Point>,
      roads: collection([road]),
    };
    const engine = new CoverageEngine(data, DEFAULT_TRAVEL_SETTINGS, 120);
    const g = engine.terrainGridAt(100);
    // A plane rising GRADE per metre east in the engine's own metres (the road runs east–west in both projections).
    const elevation = Float32Array.from({ length: g.nx * g.ny }, (_, k) => 100 + GRADE * cellCentre(g, k)[0]);
    const impassable = new Uint8Array(g.nx * g.ny);
    if (onWater) impassable[cellAt(g, ...engine.projection.forward(...at(centreX, Y)))] = 1;
    engine.setTerrain({
      surface: { grid: g, elevation, impassable: onWater ? impassable : null, speedFactor: null },
      facts: { cellMetres: 100, nx: g.nx, ny: g.ny, elevation: null, water: null },
    });
    const settings: TravelSettings = {
      ...withProfile(DEFAULT_TRAVEL_SETTINGS, profile),
      mode: 'terrain',
      terrain: { cellMetres: 100, neighbours: 16, direction, ...(bicycleGrades === undefined ? {} : { bicycleGrades }) },
    };
    engine.setSettings(settings, 120);
    return engine.times.township_centre[0]!;
  }

  it('times the bicycle slower riding up to the village than down from it, unless turned off; an e-bike alike both ways', () => {
    const down = villageMinutes('bicycle', 'to_facility');
    const up = villageMinutes('bicycle', 'from_facility');
    // 4 km: uphill at the climbing speed, downhill at 15 km/h (the ends' walks within their cells on top).
    expect(up - down).toBeCloseTo(minutesAt(4000, bisectedKmh(15, GRADE)) - minutesAt(4000, 15), 0);
    expect(up - down).toBeGreaterThan(10);
    expect(villageMinutes('bicycle', 'from_facility', false)).toBeCloseTo(down, 1);
    expect(villageMinutes('ebike', 'from_facility')).toBeCloseTo(villageMinutes('ebike', 'to_facility'), 3);
  });

  it('rides graded from a facility on water, which starts from its snap to the road', () => {
    const down = villageMinutes('bicycle', 'to_facility', true, true);
    const up = villageMinutes('bicycle', 'from_facility', true, true);
    // 2 km from the snap to the village: its partial ride is graded as the rest of the road is.
    expect(up - down).toBeCloseTo(minutesAt(2000, bisectedKmh(15, GRADE)) - minutesAt(2000, 15), 0);
    expect(villageMinutes('bicycle', 'from_facility', false, true)).toBeCloseTo(down, 1);
  });
});
