import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathLength, ringArea, type LonLat } from '../../src/core/geo/measure';

/** GDAL (SpatiaLite on the WGS 84 ellipsoid) measuring the same geometries: an independent implementation. */
function gdal(geometries: object[], sql: string): number[][] {
  const dir = mkdtempSync(join(tmpdir(), 'measure-'));
  const file = join(dir, 'g.geojson');
  writeFileSync(
    file,
    JSON.stringify({ type: 'FeatureCollection', features: geometries.map((geometry) => ({ type: 'Feature', properties: {}, geometry })) }),
  );
  const out = execFileSync('ogrinfo', ['-q', '-dialect', 'SQLite', '-sql', sql, file], { encoding: 'utf8' });
  return out
    .split('OGRFeature')
    .slice(1)
    .map((block) => [...block.matchAll(/\(Real\) = ([-\d.e+]+)/g)].map((m) => Number(m[1])));
}

describe('measuring on the ellipsoid', () => {
  it('gives the length of paths as GDAL does, from a few metres to across a county', () => {
    const paths: LonLat[][] = [
      [
        [114.3, 25.9],
        [114.30001, 25.90001],
      ],
      [
        [114.3, 25.9],
        [114.5, 26.1],
        [114.2, 26.3],
      ],
      [
        [100.8, 38.7],
        [101.4, 38.9],
      ],
    ];
    const expected = gdal(
      paths.map((coordinates) => ({ type: 'LineString', coordinates })),
      'SELECT ST_Length(geometry, 1) FROM g',
    );
    paths.forEach((p, k) => expect(Math.abs(pathLength(p) - expected[k]![0]!) / expected[k]![0]!).toBeLessThan(1e-7));
    expect(pathLength([[114, 25]])).toBe(0);
  });

  it("gives a county outline's area and perimeter as GDAL does, whichever way the ring runs", () => {
    const file = resolve(import.meta.dirname, '../../data/shangyou/boundary.fgb');
    const outline = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file], { encoding: 'utf8' })) as {
      features: { geometry: { type: string; coordinates: LonLat[][] | LonLat[][][] } }[];
    };
    const geometry = outline.features[0]!.geometry;
    const outer = (geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0]![0]) as LonLat[];
    const ring = outer.slice(0, -1);
    const [[area, perimeter]] = gdal(
      [{ type: 'Polygon', coordinates: [outer] }],
      'SELECT ST_Area(geometry, 1), ST_Perimeter(geometry, 1) FROM g',
    ) as [[number, number]];
    const ours = ringArea(ring);
    // SpatiaLite's spheroid area is a series approximation, within ~3e-5 of GeographicLib's exact one.
    expect(Math.abs(ours.area - area) / area).toBeLessThan(1e-4);
    expect(Math.abs(ours.perimeter - perimeter) / perimeter).toBeLessThan(1e-7);
    const reversed = ringArea([...ring].reverse());
    expect(reversed.area).toBeCloseTo(ours.area, 0);
  });
});
