/**
 * OpenStreetMap roads keep what a planner and the travel model need: every tag of ROAD_TAGS equals what GDAL's
 * OSM driver reads from the same file (its `other_tags`), the Chinese class follows the route number (G/S/X/Y/C),
 * and a road is timed by the class table: by its Chinese class when the file or the route number gives one, by its
 * OSM `highway` value when the class was only inferred from it (a footway is walked, a motorway is not a 国道).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../scripts/shared-dir';
import { completeRoads } from '../../src/core/io/complete';
import { importLayer } from '../../src/core/io';
import { localProjection } from '../../src/core/geo/local-projection';
import { classFromRef, roadClassification } from '../../src/core/travel/road-class';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const PBF = join(sharedDir(), 'data/osm/monaco.osm.pbf');

/** GDAL's hstore-like `other_tags` ("k"=>"v",…) as a map. */
function otherTags(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== 'string') return out;
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g))
    out[m[1] as string] = (m[2] as string).replace(/\\(.)/g, '$1');
  return out;
}

describe('OpenStreetMap roads keep their tags', () => {
  it('reads highway, ref, names, oneway, bridge, tunnel and maxspeed as GDAL does, way by way', async () => {
    const gdal = JSON.parse(
      execFileSync(
        'ogr2ogr',
        [
          '-f',
          'GeoJSON',
          '/vsistdout/',
          PBF,
          'lines',
          '-where',
          "highway IS NOT NULL AND highway NOT IN ('proposed','construction','platform','raceway','bus_stop')",
        ],
        { maxBuffer: 256 << 20 },
      ).toString('utf8'),
    ) as FeatureCollection;
    const out = await importLayer(readFileSync(PBF), { fileName: 'monaco.osm.pbf', kind: 'roads' });
    if (!out.ok) throw new Error(out.error.message.en);
    const ours = new Map(out.result.features.map((f) => [String(f.properties?.id), f.properties ?? {}]));
    expect(ours.size).toBe(gdal.features.length);
    const seen: Record<string, number> = {};
    for (const g of gdal.features) {
      const p = g.properties ?? {};
      const tags = { ...otherTags(p.other_tags), highway: p.highway, name: p.name };
      const mine = ours.get(String(p.osm_id));
      expect(mine, String(p.osm_id)).toBeDefined();
      for (const key of ['highway', 'ref', 'name', 'name:zh', 'oneway', 'bridge', 'tunnel', 'maxspeed']) {
        expect(mine![key] ?? null, `${String(p.osm_id)} ${key}`).toBe(tags[key as keyof typeof tags] ?? null);
        if (tags[key as keyof typeof tags]) seen[key] = (seen[key] ?? 0) + 1;
      }
    }
    // The extract really holds each kind of tag, so the comparison above compared something.
    for (const key of ['ref', 'oneway', 'bridge', 'tunnel', 'maxspeed']) expect(seen[key] ?? 0, key).toBeGreaterThan(5);
  });
});

describe('the Chinese class of a road', () => {
  it('follows the letter of the route number, the highest class of a shared route', () => {
    expect(classFromRef('G210')).toBe('国道');
    expect(classFromRef('S 303')).toBe('省道');
    expect(classFromRef('X123')).toBe('县道');
    expect(classFromRef('y005')).toBe('乡道');
    expect(classFromRef('C012')).toBe('村道');
    expect(classFromRef('Ｇ３２３')).toBe('国道'); // full-width, as Chinese data often has it
    expect(classFromRef('S303;G210')).toBe('国道');
    expect(classFromRef('X12、Y3')).toBe('县道');
    for (const none of ['D6007', 'A8', 'Route 7', 'CR 3', '', 42, null]) expect(classFromRef(none)).toBeNull();
  });

  it('takes the file’s own class text first, then the route number, then only infers it from highway', () => {
    expect(roadClassification({ class_zh: '县道', ref: 'G210', highway: 'trunk' })).toEqual({ cls: '县道', by: 'file' });
    expect(roadClassification({ ref: 'S221', highway: 'residential' })).toEqual({ cls: '省道', by: 'ref' });
    expect(roadClassification({ highway: 'secondary' })).toEqual({ cls: '县道', by: 'highway' });
    expect(roadClassification({ highway: 'footway' })).toEqual({ cls: '村道', by: 'highway' });
    expect(roadClassification({})).toEqual({ cls: '村道', by: 'default' });
  });

  it('times each imported road by the class table: route-number class, else its highway speed', () => {
    const line = (coords: number[][], properties: Record<string, unknown>): Feature<LineString> => ({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: coords },
      properties,
    });
    // Four parallel 1 km-ish roads, each its own graph component.
    const raw = [
      line(
        [
          [115.0, 25.0],
          [115.01, 25.0],
        ],
        { id: 'a', highway: 'residential', ref: 'G323' },
      ),
      line(
        [
          [115.0, 25.01],
          [115.01, 25.01],
        ],
        { id: 'b', highway: 'footway' },
      ),
      line(
        [
          [115.0, 25.02],
          [115.01, 25.02],
        ],
        { id: 'c', highway: 'motorway' },
      ),
      line(
        [
          [115.0, 25.03],
          [115.01, 25.03],
        ],
        { id: 'd', class_zh: '乡道', highway: 'motorway' },
      ),
    ];
    const roads = completeRoads(raw);
    expect(roads.map((r) => [r.properties.class_zh, r.properties.class_by])).toEqual([
      ['国道', 'ref'],
      ['村道', 'highway'],
      ['国道', 'highway'],
      ['乡道', 'file'],
    ]);
    const projection = localProjection(115.005, 25.015);
    const graph = buildRoadGraph({ type: 'FeatureCollection', features: roads }, projection, {
      ...DEFAULT_TRAVEL_SETTINGS,
      mode: 'network',
    });
    const kmh = DEFAULT_TRAVEL_SETTINGS.roadKmh;
    const expected = [kmh['国道'], kmh['footway'], kmh['motorway'], kmh['乡道']] as number[];
    expect(graph.segmentCount).toBe(4);
    for (let s = 0; s < 4; s++) {
      const speed = ((graph.segMetres[s] as number) / 1000 / (graph.segMinutes[s] as number)) * 60;
      expect(speed).toBeCloseTo(expected[s] as number, 3);
    }
  });
});
