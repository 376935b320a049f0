import { area, booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { catchmentAreas, type AccessResult } from '../../src/core/access/index';
import { clipHalfPlane, clipToConvex, insideMask, normalizeRings, ringsToPolygons, type Ring } from '../../src/core/access/clip';
import { traceLabels } from '../../src/core/access/trace';
import { accessOf, at, BUFFER, engineOf, facility, NETWORK, pointIndex, road, settlement, type Layers } from '../fixtures/access/engine';

const nearestId = (r: AccessResult, scope: 'any' | 'village_clinic', id: string): string | null => {
  const j = r.scopes[scope]!.catchments.site[pointIndex(r, id)]!;
  return j >= 0 ? r.sites[j]!.id : null;
};

const square = (x0: number, y0: number, x1: number, y1: number): Feature<Polygon> => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]] },
  properties: {},
});

const planarArea = (rings: Ring[][]): number =>
  rings.reduce(
    (sum, polygon) =>
      sum +
      polygon.reduce((s, ring) => {
        let a = 0;
        for (let i = 0; i < ring.length; i++) {
          const p = ring[i]!;
          const q = ring[(i + 1) % ring.length]!;
          a += p[0] * q[1] - q[0] * p[1];
        }
        return s + a / 2;
      }, 0),
    0,
  );

describe('catchments in buffer mode', () => {
  const layers: Layers = {
    people: [
      settlement('p1', -1500, 0, 10, false, 'T1'),
      settlement('p2', 0, 0, 20, false, 'T1'), // 1,000 m from both clinics: a tie
      settlement('p3', 1500, 0, 40, false, 'T2'),
      settlement('p4', 0, 3000, 80, false, 'T2'), // also equidistant, and 38 minutes away: no cutoff here
      settlement('far', 0, -40_000, 160, false, 'T2'), // 8 hours' walk: still someone's catchment
    ],
    facilities: [facility('B', 'village_clinic', -1000, 0), facility('A', 'village_clinic', 1000, 0)],
    zones: ['T1', 'T2'],
  };

  it('gives every point to its one nearest facility, ties to the smaller id, whatever the input order', () => {
    const r = accessOf(layers);
    expect(['p1', 'p2', 'p3', 'p4', 'far'].map((id) => nearestId(r, 'village_clinic', id))).toEqual(['B', 'A', 'A', 'A', 'A']);
    const reversed = accessOf({ ...layers, facilities: [...layers.facilities].reverse() });
    expect(['p1', 'p2', 'p3', 'p4', 'far'].map((id) => nearestId(reversed, 'village_clinic', id))).toEqual(['B', 'A', 'A', 'A', 'A']);
    // p4: √(1000² + 3000²) = 3,162 m at 5 km/h = 37.95 min (to 0.05: 'far' moves the projection's centre 18 km south).
    expect(r.scopes.village_clinic!.catchments.minutes[pointIndex(r, 'p4')]).toBeCloseTo((Math.hypot(1000, 3000) / 5000) * 60, 1);
  });

  it('counts each person once: the catchments add up to the county, per township too', () => {
    const r = accessOf(layers);
    const t = r.json.scopes.village_clinic!.catchments;
    expect(t.population_total).toBe(310);
    expect(t.facilities.map((f) => [f.id, f.population, f.points])).toEqual([
      ['A', 300, 4],
      ['B', 10, 1],
    ]);
    expect(t.facilities.reduce((s, f) => s + f.population, 0) + t.unassigned.people).toBe(t.population_total);
    expect(t.zones).toEqual([
      {
        code: 'T1',
        name: 'T1',
        population: 30,
        facilities: [
          { id: 'A', people: 20 },
          { id: 'B', people: 10 },
        ],
      },
      { code: 'T2', name: 'T2', population: 280, facilities: [{ id: 'A', people: 280 }] },
    ]);
    // A tier with no facility leaves everyone unassigned, and says so.
    expect(r.json.scopes.county_hospital!.catchments.unassigned).toEqual({ points: 5, people: 310 });
  });

  it('leaves a point without a usable place out of every catchment and counts it as unassigned', () => {
    const lost = { type: 'Feature' as const, geometry: null, properties: { id: 'lost', population: 5 } };
    const r = accessOf({ ...layers, people: [...layers.people, lost as never] });
    const t = r.json.scopes.any!.catchments;
    expect(t.unassigned).toEqual({ points: 1, people: 0 }); // the engine counts no people at a point with no place
    expect(t.assigned).toBe(310);
  });

  it('draws Voronoi cells clipped to the county: no gaps, no overlaps, each around its facility', () => {
    const r = accessOf({ ...layers, facilities: [...layers.facilities, facility('C', 'village_clinic', 0, 3000)] });
    const engine = engineOf(layers);
    const county = square(-5000, -5000, 5000, 5000);
    const areas = catchmentAreas(r.travel, engine.projection, r.scopes.any!.members, {
      clip: county,
      population: r.scopes.any!.catchments.population,
    });
    expect(areas.features.map((f) => f.properties.facility_id)).toEqual(['A', 'B', 'C']);
    expect(areas.features.every((f) => f.properties.method === 'voronoi')).toBe(true);
    // No gaps, no overlaps: in the engine's plane, where the cells are cut, they add up to the county exactly.
    const inPlane = (g: Polygon | MultiPolygon): number =>
      planarArea(
        (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((polygon) =>
          polygon.map((ring) => ring.slice(0, -1).map(([lon, lat]) => engine.projection.forward(lon!, lat!))),
        ),
      );
    expect(areas.features.reduce((s, f) => s + inPlane(f.geometry), 0) / inPlane(county.geometry)).toBeCloseTo(1, 9);
    // On the ellipsoid (turf) they agree to the bend between an edge straight in the plane and the same edge
    // straight in degrees: the square's 10 km sides sag by up to a metre (5e-5 of its area), which only a
    // projection linear in degrees would not show.
    const total = areas.features.reduce((s, f) => s + area(f), 0);
    expect(total / area(county)).toBeCloseTo(1, 3);
    // Sample points: each lies in exactly one cell, the cell of its nearest facility.
    const sites = { A: [1000, 0], B: [-1000, 0], C: [0, 3000] } as const;
    for (let k = 0; k < 200; k++) {
      const x = -4950 + ((k * 7919) % 9900);
      const y = -4950 + ((k * 104729) % 9900);
      const inside = areas.features.filter((f) => booleanPointInPolygon(at(x, y), f)).map((f) => f.properties.facility_id);
      const nearest = Object.entries(sites).sort(
        (p, q) => Math.hypot(x - p[1][0], y - p[1][1]) - Math.hypot(x - q[1][0], y - q[1][1]),
      )[0]![0];
      expect(inside).toEqual([nearest]);
    }
  });

  it('gives a spot shared by two facilities, and its cell, to the smaller id', () => {
    const shared: Layers = {
      people: [settlement('p', 500, 0, 7), settlement('q', -3000, 0, 3)],
      facilities: [facility('Z', 'village_clinic', 0, 0), facility('M', 'village_clinic', 0, 0), facility('K', 'village_clinic', -4000, 0)],
    };
    const r = accessOf(shared);
    expect(nearestId(r, 'any', 'p')).toBe('M');
    expect(r.json.scopes.any!.catchments.facilities.map((f) => [f.id, f.population])).toEqual([
      ['K', 3],
      ['M', 7],
      ['Z', 0],
    ]);
    const areas = catchmentAreas(r.travel, engineOf(shared).projection, r.scopes.any!.members, { clip: square(-5000, -5000, 5000, 5000) });
    expect(areas.features.map((f) => f.properties.facility_id)).toEqual(['K', 'M']);
  });

  it('splits a cell that the county outline cuts in two', () => {
    // A U-shaped county: the cell of the single clinic covers both arms, which stay separate pieces.
    const u: Feature<Polygon> = {
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            at(-3000, -3000),
            at(3000, -3000),
            at(3000, 3000),
            at(1000, 3000),
            at(1000, -1000),
            at(-1000, -1000),
            at(-1000, 3000),
            at(-3000, 3000),
            at(-3000, -3000),
          ],
        ],
      },
      properties: {},
    };
    const one: Layers = { people: [settlement('p', 0, -2000, 1)], facilities: [facility('F', 'village_clinic', 0, -2000)] };
    const r = accessOf(one);
    const areas = catchmentAreas(r.travel, engineOf(one).projection, r.scopes.any!.members, { clip: u });
    expect(areas.features).toHaveLength(1);
    expect(area(areas.features[0]!) / area(u)).toBeCloseTo(1, 9);
  });
});

describe('catchments in network mode', () => {
  /*
   * The hand-checked graph (metres; 国道 60, 乡道 30, 村道 20 km/h; walking 6 km/h = 100 m a minute):
   *   X at A(0,0) ──国道 6 km, 6 min── B(6000,0) ──村道 3 km, 9 min── C(9000,0) at Y
   *   A ──乡道 2 km, 4 min── D(0,-2000) ──乡道 9 km then 2 km, 22 min── C
   */
  const roads = [
    road('AB', '国道', [0, 0], [6000, 0]),
    road('BC', '村道', [6000, 0], [9000, 0]),
    road('AD', '乡道', [0, 0], [0, -2000]),
    road('DC', '乡道', [0, -2000], [9000, -2000], [9000, 0]),
  ];
  const layers: Layers = {
    people: [
      settlement('atB', 6000, 0, 10), // X: 6 min by road; Y: 9 min (though Y is nearer in a straight line)
      settlement('far', 4500, 9000, 20), // 90 min walk to the road at (4500, 0), then 4.5 min to X
      settlement('nearY', 9000, 300, 40), // 3 min walk to C
    ],
    facilities: [facility('Y', 'village_clinic', 9000, 0), facility('X', 'village_clinic', 0, 0)],
    roads,
  };

  it('follows the roads, walks in from far away, and has no cutoff', () => {
    const r = accessOf(layers, NETWORK);
    expect(['atB', 'far', 'nearY'].map((id) => nearestId(r, 'village_clinic', id))).toEqual(['X', 'X', 'Y']);
    const m = r.scopes.village_clinic!.catchments.minutes;
    // To 0.005 min: the engine's projection is centred on the data, not on the fixture's origin.
    expect(m[pointIndex(r, 'atB')]).toBeCloseTo(6, 2);
    expect(m[pointIndex(r, 'far')]).toBeCloseTo(90 + 4.5, 1);
    expect(m[pointIndex(r, 'nearY')]).toBeCloseTo(3, 2);
    // In buffer mode the same point goes to the straight-line nearest.
    expect(nearestId(accessOf(layers, BUFFER), 'village_clinic', 'atB')).toBe('Y');
  });

  it('breaks a tie on the road by id, whatever the input order', () => {
    // 'e' mirrors 'w', so the engine's projection keeps the fixture's central meridian and the layout stays
    // symmetric in its plane (a transverse Mercator is symmetric about its central meridian, not about any line).
    const tie: Layers = {
      people: [settlement('mid', 0, 0, 1), settlement('w', -2000, 0, 1), settlement('e', 2000, 0, 1)],
      facilities: [facility('Q', 'village_clinic', -3000, 0), facility('P', 'village_clinic', 3000, 0)],
      roads: [road('r', '村道', [-3000, 0], [3000, 0])],
    };
    for (const facilities of [tie.facilities, [...tie.facilities].reverse()]) {
      const r = accessOf({ ...tie, facilities }, NETWORK);
      expect(nearestId(r, 'village_clinic', 'mid')).toBe('P');
      expect(nearestId(r, 'village_clinic', 'w')).toBe('Q');
    }
  });

  it('traces grid polygons that tile the county without overlap, each settlement in its own facility’s area', () => {
    const r = accessOf(layers, NETWORK);
    const engine = engineOf(layers, NETWORK);
    const county = square(-1000, -3000, 10_000, 10_000);
    const areas: FeatureCollection<Polygon | MultiPolygon> = catchmentAreas(r.travel, engine.projection, r.scopes.any!.members, {
      clip: county,
      cellMetres: 100,
    });
    expect(areas.features.map((f) => f.properties!['method'])).toEqual(['grid', 'grid']);
    // The tiles follow the square to a cell: their area is the square's, give or take half a cell along its edge.
    const total = areas.features.reduce((s, f) => s + area(f), 0);
    expect(Math.abs(total - area(county))).toBeLessThan(0.5 * 46_000 * 100);
    // No overlap and no gap: a sample point more than a cell inside the square lies in exactly one tile.
    for (let k = 0; k < 300; k++) {
      const x = -800 + ((k * 7919) % 10_600);
      const y = -2800 + ((k * 104729) % 12_600);
      expect(areas.features.filter((f) => booleanPointInPolygon(at(x, y), f))).toHaveLength(1);
    }
    for (const id of ['atB', 'far', 'nearY']) {
      const i = pointIndex(r, id);
      const p = point([r.travel.points.lon[i]!, r.travel.points.lat[i]!]);
      const holders = areas.features.filter((f) => booleanPointInPolygon(p, f)).map((f) => f.properties!['facility_id']);
      expect(holders).toEqual([nearestId(r, 'any', id)]);
    }
  });
});

describe('tracing labelled cells', () => {
  it('outlines a label round another as a polygon with a hole, counter-clockwise outside', () => {
    const polygons = traceLabels(Int32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0), 3, 3);
    const zero = polygons.get(0)!;
    expect(zero).toHaveLength(1);
    expect(zero[0]).toHaveLength(2); // outline and hole
    expect(planarArea(zero.map((p) => p.map((ring) => ring.slice(0, -1))))).toBe(8);
    expect(polygons.get(1)).toEqual([
      [
        [
          [1, 1],
          [2, 1],
          [2, 2],
          [1, 2],
          [1, 1],
        ],
      ],
    ]);
  });

  it('keeps cells that touch only at a corner apart, and skips unlabelled cells', () => {
    const polygons = traceLabels(Int32Array.of(1, -1, -1, 1), 2, 2);
    expect(polygons.get(1)).toHaveLength(2);
    expect(polygons.has(-1)).toBe(false);
  });

  it('drops the vertices along straight runs', () => {
    // An L of three cells: six corners.
    const polygons = traceLabels(Int32Array.of(2, 2, 2, -1), 2, 2);
    expect(polygons.get(2)![0]![0]).toHaveLength(7);
  });
});

describe('clipping', () => {
  // A U: two arms of 10 × 20 over a base of 30 × 10.
  const u = normalizeRings([
    [
      [
        [0, 0],
        [30, 0],
        [30, 30],
        [20, 30],
        [20, 10],
        [10, 10],
        [10, 30],
        [0, 30],
      ],
    ],
  ]);

  it('cuts a concave outline into separate pieces', () => {
    const pieces = ringsToPolygons(
      clipToConvex(u, [
        [-5, 15],
        [35, 15],
        [35, 40],
        [-5, 40],
      ]),
    );
    expect(pieces).toHaveLength(2);
    expect(pieces.map((p) => planarArea([p])).sort()).toEqual([150, 150]);
  });

  it('opens a hole the line crosses and keeps one it does not', () => {
    const holed = normalizeRings([
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
        ],
        [
          [4, 4],
          [6, 4],
          [6, 6],
          [4, 6],
        ],
      ],
    ]);
    // Keep x ≤ 5: the left of the line going up x = 5.
    const half = ringsToPolygons(clipHalfPlane(holed, [5, -20], [5, 20]));
    expect(half).toHaveLength(1);
    expect(planarArea(half)).toBeCloseTo(48, 10);
    const most = ringsToPolygons(clipHalfPlane(holed, [8, -20], [8, 20]));
    expect(most[0]).toHaveLength(2);
    expect(planarArea(most)).toBeCloseTo(76, 10);
    // Going down instead keeps the right side: x ≥ 8, no hole.
    expect(planarArea(ringsToPolygons(clipHalfPlane(holed, [8, 20], [8, -20])))).toBeCloseTo(20, 10);
  });

  it('rebuilds an outline that touches the cut line at a vertex', () => {
    // Peaks at x = 0 and 20 rise above y = 5 and are cut; the middle peak (10, 5) just touches the line.
    const range = normalizeRings([
      [
        [
          [0, 0],
          [20, 0],
          [20, 10],
          [15, 2],
          [10, 5],
          [5, 2],
          [0, 10],
        ],
      ],
    ]);
    // Keep y ≤ 5: left of the line going west along y = 5. The rectangle 20 × 5 less the two notches
    // (16.875, 5)–(15, 2)–(10, 5) and (10, 5)–(5, 2)–(3.125, 5), each ½ · 6.875 · 3 = 10.3125.
    const cut = ringsToPolygons(clipHalfPlane(range, [30, 5], [-30, 5]));
    expect(planarArea(cut)).toBeCloseTo(100 - 2 * 10.3125, 10);
  });

  it('marks the cells whose centres are inside', () => {
    const mask = insideMask(u, 0, 0, 10, 3, 3);
    expect([...mask]).toEqual([1, 1, 1, 1, 0, 1, 1, 0, 1]);
  });
});
