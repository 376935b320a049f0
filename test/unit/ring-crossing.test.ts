/**
 * A ring that crosses itself (src/core/travel/terrain/ring-crossing.ts): hand-drawn shapes, Turf's sweep-line
 * intersections as the independent answer on random rings, and a hostile star whose millions of crossings Turf
 * would list one by one. GEOS (ST_IsValid through GDAL) judges the water features in terrain-barriers.test.ts.
 */
import { featureCollection, lineIntersect, lineString } from '@turf/turf';
import type { LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random';
import { ringCrossesItself } from '../../src/core/travel/terrain/ring-crossing';

const flat = (...xy: [number, number][]): Float64Array => Float64Array.from(xy.flat());
const path = (xy: [number, number][]): Float64Array => Float64Array.from(xy.flat());

describe('ringCrossesItself', () => {
  it('a bow-tie, an overlap along an edge and a vertex inside another edge cross; a square, a pinch and a spike do not', () => {
    expect(ringCrossesItself(flat([0, 0], [1, 0], [1, 1], [0, 1]))).toBe(false);
    expect(ringCrossesItself(flat([0, 0], [1, 1], [1, 0], [0, 1]))).toBe(true);
    // The same with its closing vertex given and a vertex doubled.
    expect(ringCrossesItself(flat([0, 0], [1, 1], [1, 1], [1, 0], [0, 1], [0, 0]))).toBe(true);
    // Two lobes meeting at one vertex the ring passes twice.
    expect(ringCrossesItself(flat([0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1]))).toBe(false);
    // A spike out and back along one edge.
    expect(ringCrossesItself(flat([0, 0], [2, 0], [2, 2], [1, 2], [1, 3], [1, 2], [0, 2]))).toBe(false);
    // An edge running back along another (0–3 and 2–1 on the x axis).
    expect(ringCrossesItself(flat([0, 0], [3, 0], [3, 1], [2, 1], [2, 0], [1, 0], [1, 1], [0, 1]))).toBe(true);
    // A vertex lying inside another edge (a ring touching itself mid-edge).
    expect(ringCrossesItself(flat([0, 0], [4, 0], [4, 4], [2, 0.0], [0, 4]))).toBe(true);
    // Too few vertices to cross.
    expect(ringCrossesItself(flat([0, 0], [1, 0], [0, 1]))).toBe(false);
  });

  it('agrees with Turf on 400 random rings of 4 to 40 vertices', () => {
    const rng = seededRandom(20261206);
    const random = () => rng.next();
    let crossing = 0;
    for (let k = 0; k < 400; k++) {
      const n = 4 + Math.floor(random() * 37);
      // Round a centre, at angles in order and random radii (often simple), or jittered out of order (often not).
      const jitter = random() < 0.5 ? 0 : 2 + random() * 6;
      const xy: [number, number][] = Array.from({ length: n }, (_, i) => {
        const a = ((i + jitter * (random() - 0.5)) / n) * 2 * Math.PI;
        const r = 0.2 + random();
        return [r * Math.cos(a), r * Math.sin(a)];
      });
      const theirs =
        lineIntersect(lineString([...xy, xy[0]!]), featureCollection<LineString>([]), { ignoreSelfIntersections: false }).features.length >
        0;
      expect(ringCrossesItself(path(xy)), `ring ${k}`).toBe(theirs);
      if (theirs) crossing++;
    }
    // Both kinds are tried.
    expect(crossing).toBeGreaterThan(50);
    expect(crossing).toBeLessThan(350);
  });

  it('answers a 4,001-pointed star (8 million crossings) at its first crossing, a large simple ring and a comb', () => {
    const n = 4001;
    const star = Array.from({ length: n }, (_, i): [number, number] => {
      const a = (2 * Math.PI * ((i * 2000) % n)) / n;
      return [Math.cos(a), Math.sin(a)];
    });
    expect(ringCrossesItself(path(star))).toBe(true);
    const lake = Array.from({ length: 200_000 }, (_, i): [number, number] => {
      const a = (2 * Math.PI * i) / 200_000;
      const r = 1 + 0.1 * Math.sin(37 * a) + 0.02 * Math.sin(997 * a);
      return [r * Math.cos(a), r * Math.sin(a)];
    });
    expect(ringCrossesItself(path(lake))).toBe(false);
    // A comb of 20,000 long teeth side by side (a valid ring): every edge is open beside thousands of others, so
    // the check gives up after its budget of pairs and says it could not tell (null), rather than test them all.
    const comb: [number, number][] = [[-0.01, 0]];
    for (let i = 0; i < 20_000; i++) {
      const y = i / 20_000;
      comb.push([0, y], [1, y], [1, y + 0.25 / 20_000], [0, y + 0.25 / 20_000]);
    }
    comb.push([-0.01, 1]);
    expect(ringCrossesItself(path(comb))).toBeNull();
  });
});
