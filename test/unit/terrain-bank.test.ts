/**
 * A facility or a village whose cell is water (a bank cell the river took): the walk between its point and the
 * dry cells beside it follows the slope like every other off-road step, by the direction people travel, checked
 * against Tobler's speed worked out here from the plane's own heights.
 */
import { describe, expect, it } from 'vitest';
import { cellCentre, type TerrainGrid } from '../../src/core/travel/terrain/grid';
import { emptyTerrainField } from '../../src/core/travel/terrain/search';
import { placeTerrainMinutes, terrainSeeds } from '../../src/core/travel/terrain/source-field';
import { buildTerrainGraph, type TravelDirection } from '../../src/core/travel/terrain/terrain-graph';
import { toblerKmh } from '../../src/core/travel/terrain/tobler';

const CELL = 100;
const N = 9;
const grid: TerrainGrid = { x0: 0, y0: 0, cell: CELL, nx: N, ny: N };
/** A plane rising 12 m in 100 m to the east and 5 m in 100 m to the north. */
const heightOf = (x: number, y: number) => 1000 + 0.12 * x + 0.05 * y;
const WATER = 4 * N + 4; // the middle cell
const OFFROAD_KMH = 4.5;
// The point stands in the water cell, off its centre.
const [PX, PY] = [4 * CELL + 30, 4 * CELL + 70];

function graphFor(direction: TravelDirection, withElevation: boolean) {
  const elevation = new Float32Array(N * N);
  for (let k = 0; k < N * N; k++) elevation[k] = heightOf(...cellCentre(grid, k));
  const impassable = new Uint8Array(N * N);
  impassable[WATER] = 1;
  return buildTerrainGraph(
    null,
    { grid, elevation: withElevation ? elevation : null, impassable, speedFactor: null },
    { offroadKmh: OFFROAD_KMH, neighbours: 16, direction },
  );
}

/** Minutes to walk from (ax, ay) to (bx, by) on the plane at Tobler's speed scaled to the off-road flat speed. */
function walkMinutes(ax: number, ay: number, bx: number, by: number, slope: boolean): number {
  const metres = Math.hypot(bx - ax, by - ay);
  const rise = slope ? heightOf(bx, by) - heightOf(ax, ay) : 0;
  const kmh = (OFFROAD_KMH * toblerKmh(rise / metres)) / toblerKmh(0);
  return (metres / 1000 / kmh) * 60;
}

const neighbours = [-N - 1, -N, -N + 1, -1, 1, N - 1, N, N + 1].map((d) => WATER + d);

describe('a point on a water cell walks to the dry cells beside it on the slope', () => {
  for (const direction of ['to_facility', 'from_facility'] as const)
    it(`a facility's seeds, ${direction}`, () => {
      const graph = graphFor(direction, true);
      const seeds = terrainSeeds(graph, { label: 7, x: PX, y: PY, snap: null });
      expect(seeds.map((s) => s.id - graph.roadNodes).sort((a, b) => a - b)).toEqual(neighbours);
      for (const seed of seeds) {
        const [cx, cy] = cellCentre(grid, seed.id - graph.roadNodes);
        // Patients walk from the cell to the facility; an ambulance crew from the facility to the cell.
        const expected = direction === 'to_facility' ? walkMinutes(cx, cy, PX, PY, true) : walkMinutes(PX, PY, cx, cy, true);
        expect(seed.minutes).toBeCloseTo(expected, 5);
        expect(seed.label).toBe(7);
      }
      // The slope counts: walking up 12 % from the west cell to the point (patients), or from the point to the
      // east cell (the crew), is far slower than the flat walk.
      const uphill = direction === 'to_facility' ? WATER - 1 : WATER + 1;
      const seed = seeds.find((s) => s.id - graph.roadNodes === uphill)!;
      const flat = walkMinutes(...cellCentre(grid, uphill), PX, PY, false);
      expect(seed.minutes / flat).toBeGreaterThan(1.3);
    });

  it('a facility without an elevation model walks flat', () => {
    const graph = graphFor('to_facility', false);
    for (const seed of terrainSeeds(graph, { label: 0, x: PX, y: PY, snap: null })) {
      const [cx, cy] = cellCentre(grid, seed.id - graph.roadNodes);
      expect(seed.minutes).toBeCloseTo(walkMinutes(cx, cy, PX, PY, false), 6);
    }
  });

  for (const direction of ['to_facility', 'from_facility'] as const)
    it(`a village's minutes, ${direction}: the quickest dry cell beside it plus the walk`, () => {
      const graph = graphFor(direction, true);
      const field = emptyTerrainField(graph);
      // Each dry neighbour reached at its own made-up time from a facility labelled 3.
      const reachedAt = (k: number) => 2 + (k % 5) * 0.4;
      for (const k of neighbours) {
        field.minutes[graph.roadNodes + k] = reachedAt(k);
        field.label[graph.roadNodes + k] = 3;
      }
      const found = { minutes: 0, label: 0 };
      placeTerrainMinutes(graph, field, PX, PY, found);
      const expected = Math.min(
        ...neighbours.map((k) => {
          const [cx, cy] = cellCentre(grid, k);
          // Patients walk from the village to the cell, then on; the crew from the cell to the village.
          return reachedAt(k) + (direction === 'to_facility' ? walkMinutes(PX, PY, cx, cy, true) : walkMinutes(cx, cy, PX, PY, true));
        }),
      );
      expect(found.minutes).toBeCloseTo(expected, 5);
      expect(found.label).toBe(3);
    });
});
