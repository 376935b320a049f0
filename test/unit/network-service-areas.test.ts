/**
 * Network mode's service areas where no road helps: one facility walked from on foot, so every threshold's area
 * is a circle of radius speed × minutes round it, whatever the contouring. Checked against that circle by Turf's
 * geodesic area and centroid (the area within 1 %, the centre within 5 m) and by its reach east, west, north and
 * south (within 15 m, a seventh of the 100 m contouring grid), at the largest threshold (the search's cutoff,
 * where a spot's walk stops being written: the cells just past it must hold their minutes for the contour to be
 * placed between them) as at the smaller one.
 */
import { area, bbox, centroid, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { networkServiceAreas } from '../../src/core/coverage/service-areas';
import { localProjection } from '../../src/core/geo/local-projection';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const projection = localProjection(114.2, 25.8);

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
        const [w, s, e, n] = bbox(a);
        const [west, south] = projection.forward(w, s);
        const [east, north] = projection.forward(e, n);
        for (const [side, reach] of [
          ['west', x - west],
          ['east', east - x],
          ['south', y - south],
          ['north', north - y],
        ] as const)
          expect(Math.abs(reach - radius), `${a.properties.minutes} min, ${side}`).toBeLessThan(15);
      }
    });
});
