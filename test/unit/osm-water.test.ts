/**
 * Water from an .osm.pbf, against GDAL's OSM driver reading the same file (`ogr2ogr … lines multipolygons`):
 * the same features are water by isWaterBarrier, with the same vertices, on a hand-made file (a lake of two outer
 * ways and an island, a relation cut at the extract's edge, streams and ditches, a road) and on the real Monaco
 * extract. Roads and health places from the same files are unchanged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../../scripts/shared-dir';
import { osmTarget, readOsmPbf } from '../../src/core/io/formats/osm-pbf';
import type { RawFeature } from '../../src/core/io/types';
import { isWaterBarrier } from '../../src/core/travel/terrain/barriers';
import { writeOsmPbf, type OsmNode, type OsmRelation, type OsmWay } from './osm-pbf-write';

const ctx = (fileName: string) => ({ fileName, maxBytes: 1 << 30, maxCells: 1 << 30 });
const dir = mkdtempSync(join(tmpdir(), 'osm-water-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GDAL's lines and multipolygons of a PBF, each feature keyed as ours are: "way 12", "relation 3". */
function gdalLayers(pbf: string): Map<string, Feature> {
  const out = new Map<string, Feature>();
  for (const layer of ['lines', 'multipolygons']) {
    const fc = JSON.parse(
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', pbf, layer], {
        maxBuffer: 256 << 20,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString('utf8'),
    ) as FeatureCollection;
    for (const f of fc.features) {
      const p = f.properties ?? {};
      out.set(p.osm_way_id ? `way ${p.osm_way_id}` : layer === 'lines' ? `way ${p.osm_id}` : `relation ${p.osm_id}`, f);
    }
  }
  return out;
}
const keyOf = (f: RawFeature): string => `${String(f.properties.osm_type)} ${String(f.properties.osm_id)}`;
/** A geometry's rings or lines as sorted vertex lists (GDAL may start a ring elsewhere or turn it round). */
function shape(g: Geometry | null): string[] {
  const parts: Position[][] =
    g?.type === 'LineString'
      ? [g.coordinates]
      : g?.type === 'Polygon'
        ? g.coordinates
        : g?.type === 'MultiPolygon'
          ? g.coordinates.flat()
          : [];
  return parts.map((part) => [...new Set(part.map(([x, y]) => `${x!.toFixed(7)},${y!.toFixed(7)}`))].sort().join(' ')).sort();
}

describe('water from a hand-made .osm.pbf', () => {
  const at = (id: number, lon: number, lat: number): OsmNode => ({ id, lon: 112.5 + lon / 1000, lat: 28.2 + lat / 1000 });
  const nodes: OsmNode[] = [
    ...[at(1, 0, 0), at(2, 10, 0), at(3, 10, 8), at(4, 0, 8)], // the lake's shore
    ...[at(5, 3, 3), at(6, 6, 3), at(7, 6, 5), at(8, 3, 5)], // its island
    ...[at(9, 20, 0), at(10, 25, 3), at(11, 30, 4), at(12, 20, 10), at(13, 22, 12), at(14, 24, 13)],
    ...[at(15, 40, 0), at(16, 42, 0), at(17, 41, 2), at(20, 50, 0), at(21, 52, 0), at(22, 52, 2), at(23, 50, 2)],
    ...[at(24, 60, 0), at(25, 62, 0), at(26, 61, 3), at(27, 70, 0), at(28, 71, 2), at(29, 72, 1), at(30, 80, 0), at(31, 85, 5)],
  ];
  const ways: OsmWay[] = [
    { id: 101, refs: [1, 2, 3] }, // the shore in two untagged halves, the second drawn the other way
    { id: 102, refs: [1, 4, 3] },
    { id: 103, refs: [5, 6, 7, 8, 5] },
    { id: 104, refs: [20, 21, 22, 23, 20] },
    { id: 105, refs: [20, 21, 22] },
    { id: 201, refs: [9, 10, 11], tags: { waterway: 'river', name: '资水' } },
    { id: 202, refs: [12, 13], tags: { waterway: 'stream' } },
    { id: 203, refs: [13, 14], tags: { waterway: 'ditch' } },
    { id: 204, refs: [15, 16, 17, 15], tags: { natural: 'water' } },
    { id: 205, refs: [24, 25, 26, 24], tags: { waterway: 'riverbank' } },
    { id: 206, refs: [9, 12], tags: { highway: 'primary', name: '乡道' } },
    { id: 207, refs: [27, 28, 29], tags: { natural: 'water' } }, // a shore piece, not closed
    { id: 208, refs: [30, 31], tags: { waterway: 'canal' } },
  ];
  const relations: OsmRelation[] = [
    {
      id: 301,
      tags: { type: 'multipolygon', natural: 'water', water: 'lake', name: '青草湖' },
      members: [
        { type: 'way', ref: 101, role: 'outer' },
        { type: 'way', ref: 102, role: 'outer' },
        { type: 'way', ref: 103, role: 'inner' },
      ],
    },
    {
      id: 302, // cut at the extract's edge: way 998 is not in the file
      tags: { type: 'multipolygon', landuse: 'reservoir' },
      members: [
        { type: 'way', ref: 105, role: 'outer' },
        { type: 'way', ref: 998, role: 'outer' },
      ],
    },
    { id: 303, tags: { type: 'multipolygon', landuse: 'farmland' }, members: [{ type: 'way', ref: 104, role: 'outer' }] },
  ];
  const bytes = writeOsmPbf(nodes, ways, relations);
  const file = join(dir, 'tiny.osm.pbf');
  writeFileSync(file, bytes);

  it('reads the water GDAL reads, feature for feature and vertex for vertex', async () => {
    const read = await readOsmPbf(bytes, ctx('tiny.osm.pbf'), 'water');
    const gdal = gdalLayers(file);
    // GDAL read the whole file: the road, the stream, the farmland relation are there too.
    expect([...gdal.keys()].sort()).toEqual(
      ['way 201', 'way 202', 'way 203', 'way 204', 'way 205', 'way 206', 'way 207', 'way 208', 'relation 301', 'relation 303'].sort(),
    );
    const gdalWater = [...gdal].filter(([, f]) => isWaterBarrier(f.properties)).map(([k]) => k);
    expect(read.features.map(keyOf).sort()).toEqual(gdalWater.sort());
    for (const f of read.features) expect(shape(f.geometry), keyOf(f)).toEqual(shape(gdal.get(keyOf(f))!.geometry));
    for (const f of read.features) expect(isWaterBarrier(f.properties), keyOf(f)).toBe(true);
  });

  it('makes closed water areas polygons, the lake with its island as a hole', async () => {
    const read = await readOsmPbf(bytes, ctx('tiny.osm.pbf'), 'water');
    const byKey = new Map(read.features.map((f) => [keyOf(f), f]));
    const types = Object.fromEntries([...byKey].map(([k, f]) => [k, f.geometry?.type]));
    // GDAL keeps the closed riverbank (205) a line: waterway is not among its polygon keys; OSM calls it an area.
    expect(types).toEqual({
      'way 201': 'LineString',
      'way 204': 'Polygon',
      'way 205': 'Polygon',
      'way 207': 'LineString',
      'way 208': 'LineString',
      'relation 301': 'Polygon',
    });
    const lake = byKey.get('relation 301')!;
    expect(lake.properties).toMatchObject({ natural: 'water', water: 'lake', name: '青草湖', waterway: null });
    const [outer, island] = (lake.geometry as { coordinates: Position[][] }).coordinates;
    expect(outer).toHaveLength(5); // 1-2-3-4-1: the two halves joined
    expect(island).toHaveLength(5);
    expect(outer![0]).toEqual(outer![4]);
    // The relation cut at the edge is left out, and said so.
    expect(read.warnings?.[0]?.en).toMatch(/^1 water multipolygon relation.*: 302$/);
  });

  it('still reads roads and health places, and chooses by the layer kind', async () => {
    const roads = await readOsmPbf(bytes, { ...ctx('tiny.osm.pbf'), kind: 'roads' });
    expect(roads.features.map((f) => f.properties.osm_id)).toEqual(['206']);
    const health = await readOsmPbf(bytes, { ...ctx('tiny.osm.pbf'), kind: 'facilities' });
    expect(health.features).toHaveLength(0);
    expect([osmTarget('roads'), osmTarget(undefined), osmTarget('facilities'), osmTarget('water'), osmTarget('zones')]).toEqual([
      'roads',
      'roads',
      'facilities',
      'water',
      'roads',
    ]);
  });
});

describe('water of the real Monaco extract', () => {
  it('matches GDAL: the rivers as lines and the ponds as polygons, the streams left out', async () => {
    const pbf = join(sharedDir(), 'data/osm/monaco.osm.pbf');
    const read = await readOsmPbf(new Uint8Array(readFileSync(pbf)), ctx('monaco.osm.pbf'), 'water');
    const gdal = gdalLayers(pbf);
    const gdalWater = [...gdal].filter(([, f]) => isWaterBarrier(f.properties)).map(([k]) => k);
    expect(read.features.map(keyOf).sort()).toEqual(gdalWater.sort());
    for (const f of read.features) expect(shape(f.geometry), keyOf(f)).toEqual(shape(gdal.get(keyOf(f))!.geometry));
    const count = (type: string): number => read.features.filter((f) => f.geometry?.type === type).length;
    expect([count('LineString'), count('Polygon')]).toEqual([2, 9]);
    // The extract's 16 streams are in GDAL's lines, and not water here.
    expect(
      [...gdal.values()].filter((f) => /"?waterway"?=>"stream"|^stream$/.test(String(f.properties?.waterway ?? f.properties?.other_tags)))
        .length,
    ).toBe(16);
  });
});
