/**
 * A county's raster at 30 m is searched tile by tile (search.ts, from TILES_FROM_CELLS): on 平坝's real roads and
 * facilities, over synthetic hills with a river down the middle that only the roads cross, every tier's field must
 * be the bucket search's, minutes float for float and the same nearest facility (labels up to ties: a tie's source
 * reaches the id in the same minutes on its own). The small tiles of terrain-repair-oneway.test.ts test the same on
 * random rasters; this is the production tiling on a county.
 */
import type { FeatureCollection, Point } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { TIERS } from '../../src/core/model';
import {
  emptyTerrainField,
  LARGE_RASTER_TILES,
  relaxTerrain,
  searchOrderOf,
  TILES_FROM_CELLS,
  type SearchOrder,
  type TerrainField,
  type TerrainSeed,
} from '../../src/core/travel/terrain/search';
import { terrainSeeds } from '../../src/core/travel/terrain/source-field';
import type { TerrainGraph } from '../../src/core/travel/terrain/terrain-graph';
import { readCommittedCounty } from './shared';
import { hillsWithRiver, terrainSettings } from './terrain-county';

const CELL = 30;
const HORIZON = 120;

let graph: TerrainGraph;
let engine: CoverageEngine;

beforeAll(async () => {
  const data = await readCommittedCounty('pingba');
  engine = new CoverageEngine(
    {
      population: data.population as FeatureCollection<Point>,
      facilities: data.facilities as FeatureCollection<Point>,
      roads: data.roads,
      zones: data.townships,
      boundary: data.boundary,
      terrain: hillsWithRiver(data, CELL, { cols: 23, rows: 31, rise: 0.6 }),
      uncomputed: true,
    },
    terrainSettings(CELL),
    HORIZON,
  );
  graph = engine.terrain!;
});

function fieldOf(seeds: readonly TerrainSeed[], order?: SearchOrder): TerrainField {
  const field = emptyTerrainField(graph);
  relaxTerrain(graph, field, seeds, HORIZON, null, order);
  return field;
}

describe('the terrain search by tiles on a county at 30 m', () => {
  it('is the order a raster this large gets', () => {
    expect(graph.cells).toBeGreaterThan(TILES_FROM_CELLS);
    expect(searchOrderOf(graph)).toBe(LARGE_RASTER_TILES);
    // More than one tile across and down: fronts and roads cross tiles.
    expect(graph.grid.nx >> LARGE_RASTER_TILES.shift).toBeGreaterThan(0);
    expect(graph.grid.ny >> LARGE_RASTER_TILES.shift).toBeGreaterThan(0);
  });

  for (const tier of TIERS)
    it(`gives the bucket search's minutes and nearest facility for the ${tier} tier`, () => {
      const sources = engine
        .facilities()
        .filter((f) => f.tier === tier)
        .map((f, label) => ({ label, x: f.x, y: f.y, snap: null }));
      if (tier === 'emergency_station') return expect(sources).toHaveLength(0); // 平坝's plan names none
      const seeds = sources.flatMap((s) => terrainSeeds(graph, s));
      expect(seeds.length).toBeGreaterThan(0);
      const tiles = fieldOf(seeds);
      const buckets = fieldOf(seeds, 'buckets');
      let reached = 0;
      let ties = 0;
      for (let id = 0; id < buckets.minutes.length; id++) {
        if (tiles.minutes[id] !== buckets.minutes[id])
          expect.fail(`id ${id}: ${tiles.minutes[id]} by tiles, ${buckets.minutes[id]} by buckets`);
        if (buckets.minutes[id]! < Infinity) reached++;
        if (tiles.label[id] !== buckets.label[id]) ties++;
      }
      // Most of the county within two hours; ties checked against each source's own search.
      expect(reached).toBeGreaterThan(graph.cells / 3);
      if (ties > 0) {
        const own = new Map<number, Float32Array>();
        for (let id = 0; id < buckets.minutes.length; id++) {
          const l = tiles.label[id]!;
          if (l === buckets.label[id]) continue;
          if (!own.has(l))
            own.set(
              l,
              fieldOf(
                seeds.filter((s) => s.label === l),
                'buckets',
              ).minutes,
            );
          expect(own.get(l)![id]).toBe(buckets.minutes[id]);
        }
      }
    });
});
