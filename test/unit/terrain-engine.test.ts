/**
 * The terrain model (src/core/travel/terrain/) inside the coverage engine, on hand-checkable ground and against an
 * independent search:
 * - on a uniform slope, minutes along a row are the cell length × the flat pace ÷ Tobler's factor, uphill and
 *   downhill differently, and the direction (to or from the facility) swaps them;
 * - on flat ground without roads, 16 neighbours stay within 3 % (+ a cell) of the straight walk, 8 within 8.3 %;
 * - the search (Dial's buckets, label-correcting) equals graphology's Dijkstra on the same graph written out here
 *   from the rules (roads, links, steps), with a DEM, water and a bridge;
 * - an edit's repair equals a recompute from scratch; coverage, access and siting give the same minutes;
 * - people cut off by water are unreached, counted, never dropped.
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import Graph from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { describe, expect, it } from 'vitest';
import { computeAccess, facilityPropsById } from '../../src/core/access/index';
import { coverageReport, NO_MEASURES } from '../../src/core/coverage/report';
import { circleStandard } from '../../src/core/coverage/standard';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { SiteReach } from '../../src/core/siting/reach';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { cellAt, cellCentre, type TerrainGrid } from '../../src/core/travel/terrain/grid';
import type { Ground } from '../../src/core/travel/terrain/ground';
import { emptyTerrainField, relaxTerrain } from '../../src/core/travel/terrain/search';
import { toblerFactor, toblerKmh } from '../../src/core/travel/terrain/tobler';
import type { TerrainGraph } from '../../src/core/travel/terrain/terrain-graph';

const LON = 106.3;
const LAT = 26.4;
const M_PER_DEG_LAT = 110_760;
const M_PER_DEG_LON = 111_320 * Math.cos((LAT * Math.PI) / 180);
/** A place `dx`, `dy` metres from the centre (close enough for placing; the engine projects it exactly). */
const at = (dx: number, dy: number): [number, number] => [LON + dx / M_PER_DEG_LON, LAT + dy / M_PER_DEG_LAT];

function point(id: string, dx: number, dy: number, people = 100): Feature<Point> {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: at(dx, dy) }, properties: { id, name: id, population: people } };
}
function facility(id: string, dx: number, dy: number, tier = 'township_centre'): Feature<Point> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: at(dx, dy) },
    properties: { id, name: id, tier, status: 'existing', beds: 10, physicians: 2 },
  };
}
const collection = <T extends Feature>(features: T[]): FeatureCollection => ({ type: 'FeatureCollection', features });

function terrainSettings(
  over: Partial<TravelSettings> = {},
  neighbours: 8 | 16 = 8,
  direction: 'to_facility' | 'from_facility' = 'to_facility',
): TravelSettings {
  return {
    ...DEFAULT_TRAVEL_SETTINGS,
    mode: 'terrain',
    thresholds: [15, 30],
    terrain: { cellMetres: 100, neighbours, direction },
    ...over,
  };
}

/** An engine in terrain mode on ground made by `ground(grid)` at the engine's own grid. */
function terrainEngine(
  input: { population: Feature<Point>[]; facilities: Feature<Point>[]; roads?: Feature<LineString>[] },
  settings: TravelSettings,
  ground?: (grid: TerrainGrid, forward: (lonLat: [number, number]) => [number, number]) => Partial<Ground['surface']>,
): CoverageEngine {
  const data = {
    population: collection(input.population) as FeatureCollection<Point>,
    facilities: collection(input.facilities) as FeatureCollection<Point>,
    roads: collection(input.roads ?? []),
  };
  const engine = new CoverageEngine(data, { ...settings, mode: 'buffer' }, 120);
  const grid = engine.terrainGridAt(settings.terrain!.cellMetres);
  const forward = (lonLat: [number, number]) => engine.projection.forward(lonLat[0], lonLat[1]);
  const surface = { grid, elevation: null, impassable: null, speedFactor: null, ...(ground?.(grid, forward) ?? {}) };
  engine.setTerrain({ surface, facts: { cellMetres: grid.cell, nx: grid.nx, ny: grid.ny, elevation: null, water: null } });
  engine.setSettings(settings, 120);
  return engine;
}

/** Elevation rising `slope` metres per metre eastwards. */
function plane(grid: TerrainGrid, slope: number): Float32Array {
  const h = new Float32Array(grid.nx * grid.ny);
  for (let k = 0; k < h.length; k++) h[k] = 500 + slope * cellCentre(grid, k)[0];
  return h;
}

describe('terrain: Tobler on a uniform slope', () => {
  const slope = 0.1;
  // Settlements due east and due west of the facility, on cell centres' rows: the path along a row is straight.
  const population = [point('east', 1000, 0), point('west', -1000, 0)];
  const facilities = [facility('f', 0, 0)];

  for (const direction of ['to_facility', 'from_facility'] as const) {
    it(`times a row by Tobler's factor, uphill and downhill differently (${direction})`, () => {
      const engine = terrainEngine({ population, facilities }, terrainSettings({}, 8, direction), (grid) => ({
        elevation: plane(grid, slope),
      }));
      const graph = engine.terrain!;
      const grid = graph.grid;
      const pace = 60 / (4.5 * 1000);
      const fk = cellAt(grid, ...engine.projection.forward(...at(0, 0)));
      const steps = (name: 'east' | 'west'): number => {
        const i = engine.points.ids.indexOf(name);
        const k = cellAt(grid, engine.points.x[i]!, engine.points.y[i]!);
        expect(Math.floor(k / grid.nx)).toBe(Math.floor(fk / grid.nx));
        return Math.abs((k % grid.nx) - (fk % grid.nx));
      };
      const t = engine.times.township_centre;
      const east = t[engine.points.ids.indexOf('east')]!;
      const west = t[engine.points.ids.indexOf('west')]!;
      // A patient east of the facility walks west, downhill (S = −0.1); from the facility, an ambulance crew walks east, uphill.
      const eastSlope = direction === 'to_facility' ? -slope : slope;
      expect(east).toBeCloseTo((steps('east') * 100 * pace) / toblerFactor(eastSlope), 3);
      expect(west).toBeCloseTo((steps('west') * 100 * pace) / toblerFactor(-eastSlope), 3);
      // Tobler's own numbers: 6·e^(−3.5·|S+0.05|) km/h.
      expect(toblerFactor(0.1) * toblerKmh(0)).toBeCloseTo(6 * Math.exp(-3.5 * 0.15), 9);
      expect(Math.abs(east - west)).toBeGreaterThan(1);
    });
  }

  it('a ridge between: crossing it costs more than the same distance on the flat', () => {
    const flat = terrainEngine({ population, facilities }, terrainSettings(), () => ({}));
    const ridge = terrainEngine({ population, facilities }, terrainSettings(), (grid) => {
      const h = new Float32Array(grid.nx * grid.ny);
      for (let k = 0; k < h.length; k++) h[k] = 800 - 0.3 * Math.abs(cellCentre(grid, k)[0] - 500);
      return { elevation: h };
    });
    const i = flat.points.ids.indexOf('east');
    expect(ridge.times.township_centre[i]!).toBeGreaterThan(flat.times.township_centre[i]! * 1.2);
  });
});

describe('terrain: flat ground without roads against the straight walk', () => {
  const random = seededRandom(16);
  const population = Array.from({ length: 300 }, (_, n) => point(`p${n}`, random.uniform(-2500, 2500), random.uniform(-2500, 2500)));
  const facilities = [facility('f', 0, 0)];
  for (const [neighbours, bound] of [
    [8, 1 / Math.cos(Math.PI / 8) - 1],
    [16, 0.0275],
  ] as const) {
    it(`${neighbours} neighbours stay within ${(bound * 100).toFixed(1)} % and a cell of the straight line`, () => {
      const engine = terrainEngine({ population, facilities }, terrainSettings({}, neighbours), () => ({}));
      const pace = 60 / 4500;
      const fx = engine.facility('f')!;
      for (let i = 0; i < engine.points.count; i++) {
        const straight = Math.hypot(engine.points.x[i]! - fx.x, engine.points.y[i]! - fx.y) * pace;
        const t = engine.times.township_centre[i]!;
        // Cell centres stand in for the places: up to half a diagonal at each end.
        const slack = Math.SQRT2 * 100 * pace;
        expect(t).toBeGreaterThanOrEqual(straight - slack);
        expect(t).toBeLessThanOrEqual(straight * (1 + bound) + slack);
      }
    });
  }
});

/** graphology's Dijkstra on the graph a terrain graph describes, written out from the rules here. */
function independentMinutes(graph: TerrainGraph, sourceIds: number[]): Map<number, number> {
  const g = new Graph({ type: 'directed', multi: false });
  const R = graph.roadNodes;
  const { nx, ny, cell } = graph.grid;
  const add = (a: number, b: number, w: number): void => {
    const key = `${a}>${b}`;
    if (!g.hasNode(a)) g.addNode(a);
    if (!g.hasNode(b)) g.addNode(b);
    if (g.hasEdge(key)) {
      if (g.getEdgeAttribute(key, 'w') > w) g.setEdgeAttribute(key, 'w', w);
    } else g.addDirectedEdgeWithKey(key, a, b, { w });
  };
  const roads = graph.roads!;
  for (let u = 0; u < roads.nodeCount; u++)
    for (let e = roads.offsets[u]!; e < roads.offsets[u + 1]!; e++) add(u, roads.adjTarget[e]!, roads.adjMinutes[e]!);
  for (let u = 0; u < R; u++)
    for (let a = graph.nodeLinks[u]!; a < graph.nodeLinks[u + 1]!; a++) add(u, R + graph.nodeLinkCell[a]!, graph.nodeLinkMinutes[a]!);
  for (let k = 0; k < graph.cells; k++)
    for (let a = graph.cellLinks[k]!; a < graph.cellLinks[k + 1]!; a++) add(R + k, graph.cellLinkNode[a]!, graph.cellLinkMinutes[a]!);
  const h = graph.elevation;
  const pace = graph.pace;
  for (let r = 0; r < ny; r++)
    for (let c = 0; c < nx; c++) {
      const k = r * nx + c;
      if (!Number.isFinite(pace[k]!)) continue;
      for (const [dc, dr] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
        [1, 1],
        [1, -1],
        [-1, 1],
        [-1, -1],
      ]) {
        const c2 = c + dc!;
        const r2 = r + dr!;
        if (c2 < 0 || c2 >= nx || r2 < 0 || r2 >= ny) continue;
        const n = r2 * nx + c2;
        if (!Number.isFinite(pace[n]!)) continue;
        if (dc !== 0 && dr !== 0 && !Number.isFinite(pace[r * nx + c2]!) && !Number.isFinite(pace[r2 * nx + c]!)) continue;
        const metres = Math.hypot(dc!, dr!) * cell;
        // The search runs from the facility; a patient walks the other way (n → k), so the slope is h[k] − h[n].
        const s = h ? (h[k]! - h[n]!) / metres : 0;
        add(R + k, R + n, (metres * ((pace[k]! + pace[n]!) / 2)) / toblerFactor(s));
      }
    }
  g.addNode('source');
  for (const id of sourceIds) add('source' as unknown as number, id, 0);
  const out = new Map<number, number>();
  const paths = dijkstra.singleSource(g, 'source', 'w');
  for (const [node, path] of Object.entries(paths)) {
    if (node === 'source') continue;
    let t = 0;
    for (let i = 1; i < path.length; i++) t += g.getEdgeAttribute(`${path[i - 1]}>${path[i]}`, 'w');
    out.set(Number(node), t);
  }
  return out;
}

describe('terrain: roads, a DEM, a river and its bridge', () => {
  // A north–south river 1.2 km east of the facility, crossed only by an east–west road on a bridge at y = 600.
  const roads: Feature<LineString>[] = [
    {
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [at(-1500, 600), at(0, 600), at(1200, 600), at(2600, 600)] },
      properties: { class: '县道' },
    },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [at(0, 600), at(300, -1900)] }, properties: { class: '乡道' } },
  ];
  const random = seededRandom(7);
  const population = Array.from({ length: 200 }, (_, n) => point(`p${n}`, random.uniform(-2800, 2800), random.uniform(-2800, 2800)));
  const facilities = [facility('a', 0, 0), facility('b', -1800, -1500), facility('c', 2000, 2000, 'village_clinic')];
  const water = (grid: TerrainGrid, forward: (lonLat: [number, number]) => [number, number]) => {
    const mask = new Uint8Array(grid.nx * grid.ny);
    const [rx] = forward(at(1200, 0));
    for (let k = 0; k < mask.length; k++) if (Math.abs(cellCentre(grid, k)[0] - rx) < 100) mask[k] = 1;
    return mask;
  };
  const hills = (grid: TerrainGrid) => {
    const h = new Float32Array(grid.nx * grid.ny);
    for (let k = 0; k < h.length; k++) {
      const [x, y] = cellCentre(grid, k);
      h[k] = 900 + 120 * Math.sin(x / 700) * Math.cos(y / 900);
    }
    return h;
  };
  const build = (settings: TravelSettings, withDem = true) =>
    terrainEngine({ population, facilities, roads }, settings, (grid, forward) => ({
      elevation: withDem ? hills(grid) : null,
      impassable: water(grid, forward),
    }));

  // Without a DEM no step is quicker than its length at the fastest flat pace: the search's bound is then tighter.
  it.each([
    ['with the DEM', true],
    ['on flat ground (no DEM)', false],
  ])('equals graphology’s Dijkstra on the same graph, cell by cell, %s', (_, withDem) => {
    const engine = build(terrainSettings(), withDem);
    const forward = (lonLat: [number, number]) => engine.projection.forward(lonLat[0], lonLat[1]);
    const graph = engine.terrain!;
    const a = engine.facility('a')!;
    const seed = graph.roadNodes + cellAt(graph.grid, a.x, a.y);
    const field = emptyTerrainField(graph);
    relaxTerrain(graph, field, [{ id: seed, minutes: 0, label: 0 }], 1e6, null);
    const expected = independentMinutes(graph, [seed]);
    let compared = 0;
    for (let id = 0; id < field.minutes.length; id++) {
      const want = expected.get(id) ?? Infinity;
      if (want === Infinity) expect(field.minutes[id]).toBe(Infinity);
      else {
        expect(Math.abs(field.minutes[id]! - want)).toBeLessThanOrEqual(1e-4 * Math.max(1, want));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(graph.cells * 0.9);
    // The far bank is reached over the bridge only: a cell there is no quicker than the road's end across the river
    // less the walk from it, and much slower than the same distance on this bank.
    const [rx] = forward(at(1200, 0));
    const [, y0] = forward(at(0, -2000));
    const far = field.minutes[graph.roadNodes + cellAt(graph.grid, rx + 400, y0)]!;
    const near = field.minutes[graph.roadNodes + cellAt(graph.grid, rx - 400, y0)]!;
    expect(far).toBeGreaterThan(near + 10);
  });

  it('repairs an edit to exactly what a recompute gives', () => {
    const engine = build(terrainSettings({}, 16));
    const moves = [
      { id: 'a', to: at(300, -400) },
      { id: 'b', to: at(-2500, 800) },
      { id: 'a', to: at(2200, -600) },
    ];
    for (const move of moves) {
      const f = facilities.find((x) => x.properties!.id === move.id)!;
      engine.applyChanges({ upsert: [{ ...f, geometry: { type: 'Point', coordinates: move.to } } as never] });
      const full = engine.times.township_centre.slice();
      engine.computeTier('township_centre');
      expect(Array.from(full)).toEqual(Array.from(engine.times.township_centre));
      f.geometry.coordinates = move.to;
    }
  });

  it('builds no field for a tier without facilities, and gives a first emergency station what a recompute gives', () => {
    const engine = build(terrainSettings({}, 16));
    expect(engine.terrainField('emergency_station')).toBeNull();
    expect(engine.times.emergency_station.every((m) => m === Infinity)).toBe(true);
    const station = facility('s', 600, -900, 'emergency_station');
    const reached: boolean[] = [];
    for (const change of [
      { upsert: [station] },
      { upsert: [{ ...station, geometry: { type: 'Point', coordinates: at(-1200, 1500) } }] },
      { remove: ['s'] },
    ]) {
      engine.applyChanges(change as never);
      const repaired = engine.times.emergency_station.slice();
      engine.computeTier('emergency_station');
      expect(Array.from(repaired)).toEqual(Array.from(engine.times.emergency_station));
      reached.push(repaired.some(Number.isFinite));
    }
    expect(reached).toEqual([true, true, false]);
  });

  it('gives coverage, access and siting the same minutes', () => {
    const engine = build(terrainSettings());
    const props = facilityPropsById(facilities);
    const access = computeAccess(engine, props, { minutes: 30 });
    expect(access).toBeTruthy();
    // Siting: a site where facility c stands reaches the rows the engine times from c (its only village clinic).
    const rows = { x: engine.points.x, y: engine.points.y };
    const c = engine.facility('c')!;
    const reach = new SiteReach(
      { settings: engine.settings, minutes: 30, engineCutoff: engine.cutoff, graph: engine.graph, terrain: engine.terrain },
      rows.x,
      rows.y,
    );
    const got = new Map<number, number>();
    reach.reach(c.x, c.y, (row, minutes) => got.set(row, minutes));
    const t = engine.times.village_clinic;
    let within = 0;
    for (let i = 0; i < engine.points.count; i++) {
      if (t[i]! <= 30) {
        within++;
        expect(got.get(i)).toBeCloseTo(t[i]!, 4);
      } else expect(got.has(i)).toBe(false);
    }
    expect(within).toBeGreaterThan(5);
  });

  it('counts people cut off by water as unreached, never drops them', () => {
    // Water everywhere east of the facility and the road cut: the east is reachable by nobody.
    const engine = terrainEngine({ population, facilities: [facility('a', 0, 0)] }, terrainSettings(), (grid) => {
      const mask = new Uint8Array(grid.nx * grid.ny);
      for (let k = 0; k < mask.length; k++) if (Math.abs(cellCentre(grid, k)[0] - 1000) < 150) mask[k] = 1;
      return { impassable: mask };
    });
    const standard = circleStandard(null);
    const report = coverageReport(engine, standard, NO_MEASURES, 'any', 1000);
    const east = engine.points.ids.filter((_, i) => engine.points.x[i]! > 1200);
    expect(east.length).toBeGreaterThan(20);
    for (const id of east) expect(engine.times.township_centre[engine.points.ids.indexOf(id)]).toBe(Infinity);
    const listed = new Set(report.uncovered.map((u) => u.id));
    for (const id of east) expect(listed.has(id)).toBe(true);
    expect(report.ground?.elevation).toBeNull();
  });
});

describe('terrain: one-way roads and the direction of travel', () => {
  // A 4 km one-way road eastwards (OSM oneway=yes); the facility at its west end, a village at its east end.
  const roads: Feature<LineString>[] = [
    {
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [at(-2000, 0), at(2000, 0)] },
      properties: { highway: 'primary', oneway: 'yes' },
    },
  ];
  const population = [point('east', 2000, 0)];
  const facilities = [facility('f', -2000, 0)];
  const minutes = (direction: 'to_facility' | 'from_facility', oneway = 'yes') =>
    terrainEngine(
      { population, facilities, roads: [{ ...roads[0]!, properties: { ...roads[0]!.properties, oneway } }] },
      terrainSettings({}, 16, direction),
      () => ({}),
    ).times.township_centre[0]!;

  it('lets an ambulance ride the one-way road out, and makes a patient walk back against it', () => {
    const out = minutes('from_facility');
    const back = minutes('to_facility');
    // Out: 4 km at the primary road's 50 km/h, about 4.8 minutes; back: walked, at least 4 km at 4.5 km/h.
    expect(out).toBeLessThan(6);
    expect(back).toBeGreaterThanOrEqual((4000 * 60) / 4500 - 1);
    // A two-way road serves both the same.
    expect(minutes('to_facility', 'no')).toBeCloseTo(minutes('from_facility', 'no'), 4);
    expect(minutes('to_facility', 'no')).toBeLessThan(6);
  });
});
