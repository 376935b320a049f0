/**
 * The terrain repair (repairTerrain) against a fresh search on random rasters built by the real builders: roads
 * (some one-way: the edges and links INTO a cleared id are not those out of it) joined to the cells, a river with
 * one bridge, ponds, land cover, a DEM with holes, roads ridden by bicycle at their grades (each direction its own
 * minutes), 8 and 16 neighbours, both directions, cutoffs that cut. After a source moves and another is removed the
 * minutes must be float32-identical to a fresh search's; where the labels differ, the repaired field's source must
 * reach the id in the same minutes on its own (a tie). Before the repair restarted from the edges into a cleared id,
 * 5 of these 16 rasters failed.
 */
import type { Feature, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { localProjection } from '../../src/core/geo/local-projection';
import { seededRandom } from '../../src/core/random';
import { NodeList } from '../../src/core/travel/dijkstra';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import type { TerrainGrid } from '../../src/core/travel/terrain/grid';
import {
  emptyTerrainField,
  relaxTerrain,
  repairTerrain,
  type TerrainField,
  type TerrainSeed,
  type Tiling,
} from '../../src/core/travel/terrain/search';
import { buildTerrainGraph, type TerrainGraph } from '../../src/core/travel/terrain/terrain-graph';

interface Case {
  seed: number;
  neighbours: 8 | 16;
  direction: 'to_facility' | 'from_facility';
  landCover: boolean;
  roads: boolean;
  elevation: boolean;
  /** Roads ridden by bicycle at their grades: each direction its own minutes. */
  bicycleGrades: boolean;
  cutoff: number;
}

const projection = localProjection(106.3, 26.4);
const settings = {
  ...DEFAULT_TRAVEL_SETTINGS,
  mode: 'terrain' as const,
  roadKmh: { 县道: 30, 乡道: 15 },
  defaultRoadKmh: 20,
  offroadKmh: 4.5,
};

function graphOf(c: Case): TerrainGraph {
  const rng = seededRandom(c.seed);
  const random = (): number => rng.next();
  const grid: TerrainGrid = { x0: 0, y0: 0, cell: 100, nx: 30 + Math.floor(random() * 30), ny: 20 + Math.floor(random() * 30) };
  const n = grid.nx * grid.ny;
  const elevation = c.elevation ? new Float32Array(n) : null;
  const impassable = new Uint8Array(n);
  const speedFactor = c.landCover ? new Float32Array(n) : null;
  const riverCol = Math.floor(grid.nx / 2);
  const ford = Math.floor(random() * grid.ny);
  const [a, b, h] = [3 + random() * 6, 3 + random() * 6, 20 + random() * 80];
  for (let k = 0; k < n; k++) {
    const col = k % grid.nx;
    const row = Math.floor(k / grid.nx);
    if (elevation) elevation[k] = random() < 0.03 ? NaN : h * Math.sin(col / a) + h * Math.cos(row / b) + 5 * random();
    // A river down one column with one ford (the bridge's row), and ponds.
    impassable[k] = (col === riverCol && row !== ford) || random() < 0.04 ? 1 : 0;
    if (speedFactor) speedFactor[k] = random() < 0.05 ? 0 : 0.3 + random();
  }
  const roads: Feature<LineString>[] = [];
  if (c.roads) {
    const lonLat = (x: number, y: number) => projection.inverse(x, y);
    const point = () => [random() * grid.nx * grid.cell, random() * grid.ny * grid.cell] as const;
    // A bridge over the river, and random roads (some one-way) with a few bends each.
    const y = (grid.ny * grid.cell) / 3 + 50;
    roads.push({
      type: 'Feature',
      properties: { class_zh: '县道' },
      geometry: { type: 'LineString', coordinates: [lonLat((riverCol - 5) * grid.cell, y), lonLat((riverCol + 6) * grid.cell, y)] },
    });
    for (let i = 0; i < 6; i++) {
      const coordinates = Array.from({ length: 2 + Math.floor(random() * 3) }, () => lonLat(...point()));
      roads.push({
        type: 'Feature',
        properties: { class_zh: random() < 0.5 ? '县道' : '乡道', ...(random() < 0.3 ? { oneway: 'yes' } : {}) },
        geometry: { type: 'LineString', coordinates },
      });
    }
  }
  const roadGraph = c.roads ? buildRoadGraph(roads, projection, settings, c.direction) : null;
  return buildTerrainGraph(
    roadGraph,
    { grid, elevation, impassable, speedFactor },
    { offroadKmh: 4.5, neighbours: c.neighbours, direction: c.direction, bicycleGrades: c.bicycleGrades },
  );
}

/** Random seeds: cells (some on water: they leave only by road), road nodes, some at a later start, two on one id. */
function seedsOf(graph: TerrainGraph, seed: number): TerrainSeed[] {
  const rng = seededRandom(seed * 7919);
  const seeds: TerrainSeed[] = [];
  for (let l = 0; l < 5; l++) {
    const onRoad = graph.roadNodes > 0 && rng.next() < 0.3;
    const id = onRoad ? Math.floor(rng.next() * graph.roadNodes) : graph.roadNodes + Math.floor(rng.next() * graph.cells);
    seeds.push({ id, minutes: rng.next() < 0.3 ? rng.next() * 5 : 0, label: l });
  }
  seeds.push({ ...seeds[0]!, label: 5 });
  return seeds;
}

function bucketField(graph: TerrainGraph, seeds: readonly TerrainSeed[], cutoff: number): TerrainField {
  const field = emptyTerrainField(graph);
  relaxTerrain(graph, field, seeds, cutoff, null, 'buckets');
  return field;
}

/** A field equals a fresh search's: minutes bit for bit, labels up to ties (the label's own search reaches the id as quickly). */
function expectSameField(
  graph: TerrainGraph,
  seeds: readonly TerrainSeed[],
  cutoff: number,
  field: TerrainField,
  expected: TerrainField,
): number {
  const own = new Map<number, Float32Array>();
  const ownMinutes = (l: number) => {
    if (!own.has(l))
      own.set(
        l,
        bucketField(
          graph,
          seeds.filter((s) => s.label === l),
          cutoff,
        ).minutes,
      );
    return own.get(l)!;
  };
  let ties = 0;
  for (let id = 0; id < field.minutes.length; id++) {
    expect(field.minutes[id]).toBe(expected.minutes[id]);
    if (field.label[id] !== expected.label[id]) {
      ties++;
      expect(ownMinutes(field.label[id]!)[id]).toBe(expected.minutes[id]);
    }
    if (expected.minutes[id] === Infinity) expect(field.label[id]).toBe(-1);
  }
  return ties;
}

const cases: Case[] = [];
for (let seed = 1; seed <= 16; seed++)
  cases.push({
    seed,
    neighbours: seed % 2 === 0 ? 16 : 8,
    direction: seed % 4 < 2 ? 'to_facility' : 'from_facility',
    landCover: seed % 3 === 0,
    roads: seed % 5 !== 0,
    elevation: seed % 7 !== 0,
    bicycleGrades: seed % 3 === 1,
    cutoff: seed % 4 === 3 ? 120 : 8 + seed,
  });

describe('the terrain repair', () => {
  for (const c of cases)
    it(`gives a fresh search's minutes after a source moved and one removed (seed ${c.seed}, ${c.neighbours} neighbours, ${c.direction}${c.roads ? ', roads' : ''}${c.bicycleGrades ? ', graded' : ''}, cutoff ${c.cutoff})`, () => {
      const graph = graphOf(c);
      let seeds = seedsOf(graph, c.seed);
      const field = bucketField(graph, seeds, c.cutoff);
      const byId = () => {
        const map = new Map<number, TerrainSeed[]>();
        for (const s of seeds) map.set(s.id, [...(map.get(s.id) ?? []), s]);
        return map;
      };
      const movedTo: TerrainSeed = { id: graph.roadNodes + Math.floor(graph.cells / 2), minutes: 0, label: 1 };
      const edits: [Set<number>, TerrainSeed[]][] = [
        [new Set([1]), [movedTo]],
        [new Set([2]), []],
      ];
      // One pair of lists for both edits, as a field keeps them (TerrainSourceField): the second starts from the first's.
      const lists = { changed: new NodeList(), border: new NodeList() };
      for (const [removed, added] of edits) {
        seeds = [...seeds.filter((s) => !removed.has(s.label)), ...added];
        const changed = repairTerrain(graph, field, removed, added, c.cutoff, byId(), lists, 'buckets');
        expect(changed.count).toBeGreaterThan(0);
        expectSameField(graph, seeds, c.cutoff, field, bucketField(graph, seeds, c.cutoff));
      }
    });

  it('the random roads include one-way ones that a search uses', () => {
    const withOneWay = cases.filter((c) => c.roads).map((c) => graphOf(c).roads!.segOneway.some((o) => o === 1));
    expect(withOneWay.filter(Boolean).length).toBeGreaterThan(3);
  });
});

/**
 * A large raster is searched tile by tile (search.ts runTiles): a tile expands a window of buckets before the next,
 * and expands a cell again where a tile after it improves the cell. Here the tiles are 4, 8 and 16 cells across
 * (a county's are 512) so that every raster has many, and fronts, roads, the river and the ponds cross their
 * edges in every window: the fields must be the bucket search's, minutes bit for bit, and so must the repairs.
 */
describe('the terrain search by tiles', () => {
  const tilings: Tiling[] = [
    { shift: 2, window: 1 },
    { shift: 3, window: 4 },
    { shift: 4, window: 16 },
  ];
  for (const c of cases)
    it(`gives the bucket search's field and repairs (seed ${c.seed}, ${c.neighbours} neighbours, ${c.direction}${c.roads ? ', roads' : ''}, cutoff ${c.cutoff})`, () => {
      const graph = graphOf(c);
      const seeds = seedsOf(graph, c.seed);
      const expected = bucketField(graph, seeds, c.cutoff);
      const reached = expected.minutes.filter((m) => m < Infinity).length;
      expect(reached).toBeGreaterThan(graph.cells / 10);
      for (const tiling of tilings) {
        const field = emptyTerrainField(graph);
        relaxTerrain(graph, field, seeds, c.cutoff, null, tiling);
        expectSameField(graph, seeds, c.cutoff, field, expected);
        // The clinic moved to the middle, then the first removed: repaired by tiles.
        const moved: TerrainSeed = { id: graph.roadNodes + Math.floor(graph.cells / 2) + 3, minutes: 0, label: 1 };
        const after = [...seeds.filter((s) => s.label !== 1), moved];
        const byId = new Map<number, TerrainSeed[]>();
        for (const s of after) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
        repairTerrain(graph, field, new Set([1]), [moved], c.cutoff, byId, undefined, tiling);
        expectSameField(graph, after, c.cutoff, field, bucketField(graph, after, c.cutoff));
      }
    });
});
