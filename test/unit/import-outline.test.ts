/**
 * The banded point-in-outline test gives exactly the answers of the plain ray casting it replaces, on the real
 * county outline and on a polygon with a hole, for seeded random points over and around them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { bandedOutlineTester } from '../../src/core/io/outline-index';

/** The plain test, as validate.ts had it: every edge of every ring. */
function plainInRing(x: number, y: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function plain(outline: Polygon | MultiPolygon, x: number, y: number): boolean {
  const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
  return polygons.some((rings) => rings.length > 0 && plainInRing(x, y, rings[0]!) && !rings.slice(1).some((h) => plainInRing(x, y, h)));
}

/** mulberry32: a seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function agree(outline: Polygon | MultiPolygon, box: [number, number, number, number], n: number): { inside: number } {
  const test = bandedOutlineTester(outline);
  const next = random(42);
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const x = box[0] + (box[2] - box[0]) * next();
    const y = box[1] + (box[3] - box[1]) * next();
    const expected = plain(outline, x, y);
    if (test(x, y) !== expected) throw new Error(`differs at ${x},${y}: plain says ${expected}`);
    if (expected) inside++;
  }
  return { inside };
}

describe('bandedOutlineTester', () => {
  it('answers as the plain test on 上犹县 outline (2,568 vertices)', async () => {
    const boundary = await readFlatGeobuf(new Uint8Array(readFileSync(resolve(__dirname, '../../data/shangyou/boundary.fgb'))));
    const outline = boundary.features[0]!.geometry as Polygon;
    const { inside } = agree(outline, [113.95, 25.65, 114.7, 26.2], 20_000);
    expect(inside).toBeGreaterThan(5_000); // the points really land on both sides
    expect(inside).toBeLessThan(15_000);
    // The ring's own vertices (on band boundaries and edges) too.
    const test = bandedOutlineTester(outline);
    for (const [x, y] of outline.coordinates[0]!) expect(test(x!, y!)).toBe(plain(outline, x!, y!));
  });

  it('respects holes and the parts of a multipolygon', () => {
    const square = (x0: number, y0: number, s: number): Position[] => [
      [x0, y0],
      [x0 + s, y0],
      [x0 + s, y0 + s],
      [x0, y0 + s],
      [x0, y0],
    ];
    const outline: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(0, 0, 10), square(3, 3, 4)], [square(20, 5, 2)]] };
    const test = bandedOutlineTester(outline);
    expect(test(1, 1)).toBe(true);
    expect(test(5, 5)).toBe(false); // in the hole
    expect(test(21, 6)).toBe(true);
    expect(test(15, 5)).toBe(false);
    agree(outline, [-1, -1, 23, 11], 20_000);
  });
});
