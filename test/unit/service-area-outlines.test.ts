/**
 * Where a service area's outline runs, against geometry worked out by hand:
 * - network mode where no road helps: one facility walked from on foot, so every threshold's area is a circle of
 *   radius speed × minutes round it. Checked by Turf's geodesic area and centroid (within 1 %, within 5 m) and by
 *   its reach east, west, north and south (within 15 m, a seventh of the 100 m contouring grid);
 * - terrain mode on flat open ground: along a row or a column the minutes are exact, so the outline crosses each
 *   axis at speed × minutes (within 2 m).
 * Both at the largest threshold as at the smaller one: there the cells just past the threshold must hold their
 * minutes for the outline to be placed between them (it was drawn half a cell short on some sides).
 */
import { area, bbox, centroid, distance } from '@turf/turf';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import { networkServiceAreas } from '../../src/core/coverage/service-areas';
import { localProjection } from '../../src/core/geo/local-projection';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { terrainServiceAreas } from '../../src/core/travel/terrain/areas';
import { cellCentre, type TerrainGrid } from '../../src/core/travel/terrain/grid';
import { emptyTerrainField, relaxTerrain } from '../../src/core/travel/terrain/search';
import { buildTerrainGraph } from '../../src/core/travel/terrain/terrain-graph';

const projection = localProjection(114.2, 25.8);

/** How far an area reaches west, east, south and north of (x, y), in local metres (its bounding box, projected). */
function reaches(a: Feature, x: number, y: number): [string, number][] {
  const [w, s, e, n] = bbox(a);
  const [west, south] = projection.forward(w, s);
  const [east, north] = projection.forward(e, n);
  return [
    ['west', x - west],
    ['east', east - x],
    ['south', y - south],
    ['north', north - y],
  ];
}

describe('network service areas off the road', () => {
  for (const [x, y] of [
    [0, 0],
    [337.3, -912.8],
  ] as const)
    it(`a facility at (${x}, ${y}) m walks a circle at each threshold, the outermost included`, () => {
      const graph = buildRoadGraph({ type: 'FeatureCollection', features: [] }, projection, DEFAULT_TRAVEL_SETTINGS, 'ignore');
      const field = { minutes: new Float64Array(0), label: new Int32Array(0) };
      const kmh = 4.5;
      const areas = networkServiceAreas({ graph, field, facilities: [{ x, y }], projection, offroadKmh: kmh }, 'township_centre', [15, 30]);
      expect(areas.map((a) => a.properties.minutes)).toEqual([15, 30]);
      const at = projection.inverse(x, y);
      for (const a of areas) {
        const radius = (kmh * 1000 * a.properties.minutes) / 60;
        const circle = Math.PI * radius * radius;
        expect(Math.abs(area(a) - circle) / circle, `${a.properties.minutes} min`).toBeLessThan(0.01);
        expect(distance(centroid(a), at, { units: 'meters' }), `${a.properties.minutes} min`).toBeLessThan(5);
        for (const [side, reach] of reaches(a, x, y))
          expect(Math.abs(reach - radius), `${a.properties.minutes} min, ${side}`).toBeLessThan(15);
      }
    });
});

describe('terrain service areas on flat open ground', () => {
  it("the outermost threshold's outline runs between the cells either side of it, when the field was searched past it", () => {
    // 100 m cells; a facility at a cell centre, walked at 4.5 km/h: along a row or column every step is exact, so the
    // minutes grow by 4/3 a cell and the 30-minute outline crosses each axis 2,250 m out.
    const grid: TerrainGrid = { x0: -4050, y0: -4050, cell: 100, nx: 81, ny: 81 };
    const graph = buildTerrainGraph(
      null,
      { grid, elevation: null, impassable: null, speedFactor: null },
      { offroadKmh: 4.5, neighbours: 16, direction: 'to_facility' },
    );
    const seed = 40 * grid.nx + 40;
    const [x, y] = cellCentre(grid, seed);
    const field = emptyTerrainField(graph);
    // Searched to 60 minutes, as the engine searches to its horizon beyond the standard's thresholds.
    relaxTerrain(graph, field, [{ id: graph.roadNodes + seed, minutes: 0, label: 0 }], 60, null);
    const areas = terrainServiceAreas(graph, field, projection, 'township_centre', [15, 30]);
    for (const a of areas) {
      const radius = (4500 * a.properties.minutes) / 60;
      for (const [side, reach] of reaches(a, x, y))
        expect(Math.abs(reach - radius), `${a.properties.minutes} min, ${side}`).toBeLessThan(2);
    }
  });
});
