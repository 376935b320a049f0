/**
 * transformGeoJSON: every geometry type, null geometries, nested GeometryCollections, extra
 * dimensions, no mutation or sharing with the input, and a real file converted end to end.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Geometry, GeometryCollection, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { crsConverter, gcj02ToWgs84, transformGeoJSON, type PointConverter } from '../../src/core/crs';
import { sharedDir } from '../../scripts/shared-dir';

/** A converter anyone can check by eye. */
const shift: PointConverter = (x, y) => [x + 1000, y * 2];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const everything: FeatureCollection = {
  type: 'FeatureCollection',
  bbox: [1, 2, 3, 4],
  name: 'layer',
  features: [
    {
      type: 'Feature',
      id: 'p',
      properties: { name: '卫生院', nested: { beds: [10, 20] } },
      geometry: { type: 'Point', coordinates: [1, 2] },
    },
    {
      type: 'Feature',
      properties: null,
      geometry: {
        type: 'MultiPoint',
        coordinates: [
          [1, 2],
          [3, 4, 5],
        ],
      },
    },
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
    },
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'MultiLineString',
        coordinates: [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      },
    },
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        bbox: [0, 0, 1, 1],
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
    },
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [5, 5],
              [6, 5],
              [6, 6],
              [5, 5],
            ],
          ],
        ],
      },
    },
    {
      type: 'Feature',
      properties: { kind: 'collection' },
      geometry: {
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: [1, 1] },
          {
            type: 'GeometryCollection',
            geometries: [
              {
                type: 'LineString',
                coordinates: [
                  [2, 2],
                  [3, 3],
                ],
              },
            ],
          },
        ],
      },
    },
    { type: 'Feature', properties: { note: 'no geometry' }, geometry: null },
  ],
} as FeatureCollection;

describe('transformGeoJSON', () => {
  it('converts every position of every geometry type, keeps z, and drops stale bboxes', () => {
    const input = deepFreeze(structuredClone(everything));
    const out = transformGeoJSON(input, shift);
    expect(out).toEqual({
      type: 'FeatureCollection',
      name: 'layer',
      features: [
        {
          type: 'Feature',
          id: 'p',
          properties: { name: '卫生院', nested: { beds: [10, 20] } },
          geometry: { type: 'Point', coordinates: [1001, 4] },
        },
        {
          type: 'Feature',
          properties: null,
          geometry: {
            type: 'MultiPoint',
            coordinates: [
              [1001, 4],
              [1003, 8, 5],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'LineString',
            coordinates: [
              [1001, 4],
              [1003, 8],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [1001, 4],
                [1003, 8],
              ],
              [
                [1005, 12],
                [1007, 16],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [1000, 0],
                [1001, 0],
                [1001, 2],
                [1000, 0],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [1000, 0],
                  [1001, 0],
                  [1001, 2],
                  [1000, 0],
                ],
              ],
              [
                [
                  [1005, 10],
                  [1006, 10],
                  [1006, 12],
                  [1005, 10],
                ],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { kind: 'collection' },
          geometry: {
            type: 'GeometryCollection',
            geometries: [
              { type: 'Point', coordinates: [1001, 2] },
              {
                type: 'GeometryCollection',
                geometries: [
                  {
                    type: 'LineString',
                    coordinates: [
                      [1002, 4],
                      [1003, 6],
                    ],
                  },
                ],
              },
            ],
          },
        },
        { type: 'Feature', properties: { note: 'no geometry' }, geometry: null },
      ],
    });
    // The frozen input is untouched (a write would have thrown) and equal to what it was.
    expect(input).toEqual(everything);
  });

  it('shares nothing mutable with the input', () => {
    const input = structuredClone(everything);
    const out = transformGeoJSON(input, shift);
    const f0 = out.features[0] as Feature<Point, { nested: { beds: number[] } }>;
    f0.properties.nested.beds.push(30);
    (f0.geometry.coordinates as number[])[0] = -1;
    expect(input).toEqual(everything);
    expect(out.features[0]).not.toBe(input.features[0]);
  });

  it('takes a bare geometry, a feature or a null-geometry feature and returns the same kind', () => {
    const point: Point = { type: 'Point', coordinates: [1, 2, 3] };
    expect(transformGeoJSON(point, shift)).toEqual({ type: 'Point', coordinates: [1001, 4, 3] });
    const collection: GeometryCollection = { type: 'GeometryCollection', geometries: [] };
    expect(transformGeoJSON(collection, shift)).toEqual(collection);
    const empty: Feature<Geometry | null> = { type: 'Feature', properties: { a: 1 }, geometry: null };
    const out = transformGeoJSON(empty, shift);
    expect(out).toEqual(empty);
    expect(out).not.toBe(empty);
  });

  it('rejects objects that are not GeoJSON', () => {
    expect(() => transformGeoJSON({ type: 'Banana' } as unknown as Point, shift)).toThrow(/Not a GeoJSON object/);
  });

  it('converts the shared GCJ-02 county file into (within 0.5 m) the shared WGS84 file', () => {
    const read = (name: string) => JSON.parse(readFileSync(resolve(sharedDir(), 'data', name), 'utf8')) as FeatureCollection<Polygon>;
    const gcj = read('county-boundaries.geojson');
    const before = JSON.stringify(gcj);
    const out = transformGeoJSON(gcj, gcj02ToWgs84);
    const wgs = read('county-boundaries.wgs84.geojson');
    expect(JSON.stringify(gcj)).toBe(before);
    expect(out.features.map((f) => f.properties)).toEqual(wgs.features.map((f) => f.properties));
    let worst = 0;
    out.features.forEach((f, i) =>
      f.geometry.coordinates.forEach((ring, r) =>
        ring.forEach((p, k) => {
          const q = wgs.features[i]!.geometry.coordinates[r]![k]!;
          const dx = (p[0]! - q[0]!) * 111_320 * Math.cos((q[1]! * Math.PI) / 180);
          const dy = (p[1]! - q[1]!) * 111_320;
          worst = Math.max(worst, Math.hypot(dx, dy));
        }),
      ),
    );
    expect(worst).toBeLessThan(0.5);
  });

  it('round-trips a county through EPSG:4547 metres with a CRS converter', () => {
    const wgs = JSON.parse(
      readFileSync(resolve(sharedDir(), 'data', 'county-boundaries.wgs84.geojson'), 'utf8'),
    ) as FeatureCollection<Polygon>;
    const { fromWgs84, toWgs84 } = crsConverter('EPSG:4547');
    const metres = transformGeoJSON(wgs, fromWgs84);
    const easting = metres.features[4]!.geometry.coordinates[0]![0]![0]!;
    expect(easting).toBeGreaterThan(400_000);
    expect(easting).toBeLessThan(600_000);
    const back = transformGeoJSON(metres, toWgs84);
    back.features.forEach((f, i) =>
      f.geometry.coordinates[0]!.forEach((p, k) => {
        const q = wgs.features[i]!.geometry.coordinates[0]![k]!;
        expect(Math.abs(p[0]! - q[0]!)).toBeLessThan(1e-9);
        expect(Math.abs(p[1]! - q[1]!)).toBeLessThan(1e-9);
      }),
    );
  });
});
