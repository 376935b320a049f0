/**
 * Which layers a coverage verdict stands on are modelled (示意), from the provenance rows the layer list shows:
 * checked against the county's own meta.json read here, and after imports that replace a layer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { provenanceRows, type CountyProvenance, type ProvenanceLayer } from '../../src/core/layer-provenance';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { emergencyModelled, standardModelled } from '../../src/app/verdict-basis';
import { mapPixelRatio } from '../../src/app/map/map-pixel-ratio';
import { EMERGENCY_BASIS, modelledLayers, standardBasis } from '../../src/core/coverage/basis';

const meta = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/yanhu/meta.json'), 'utf8')) as {
  provenance: CountyProvenance;
};
/** The layers whose county record is not wholly real, read straight from the file. */
const notReal = (layers: ProvenanceLayer[]) => layers.filter((l) => meta.provenance[l].status !== 'real');
const facility = (modelled: boolean) => ({ properties: { name: modelled ? 'x' : 'y', modelled } });
const buffer: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' };
const network: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' };

describe('the modelled layers under a verdict', () => {
  const rows = provenanceRows({ county: meta.provenance, layers: {}, facilities: [facility(true), facility(false)] });

  it('names the settlements and facilities of a straight-line standard, and the roads once it travels over them', () => {
    expect(notReal(['population', 'facilities', 'roads'])).toEqual(['population', 'facilities', 'roads']); // 盐湖's data
    expect(standardModelled(rows, { settings: buffer, partSettings: [] })).toEqual(['population', 'facilities']);
    expect(standardModelled(rows, { settings: buffer, partSettings: [null, network] })).toEqual(['population', 'facilities', 'roads']);
    expect(standardModelled(rows, { settings: network, partSettings: [] })).toEqual(['population', 'facilities', 'roads']);
    expect(emergencyModelled(rows)).toEqual(['population', 'facilities', 'roads']);
  });

  it('drops a layer the planner replaced by a file, and facilities that are all real', () => {
    const data = { type: 'FeatureCollection' as const, features: [] };
    const imported = provenanceRows({
      county: meta.provenance,
      layers: { population: { kind: 'inline', name: 'villages.csv', data }, roads: { kind: 'inline', name: 'roads.shp', data } },
      facilities: [facility(false)],
    });
    expect(emergencyModelled(imported)).toEqual([]);
    // Imported facilities beside modelled ones the import left: still tagged.
    const mixed = provenanceRows({
      county: meta.provenance,
      layers: { population: { kind: 'inline', name: 'villages.csv', data } },
      facilities: [facility(true), facility(false)],
      facilitiesImport: { file: 'registry.xlsx', at: null },
    });
    expect(standardModelled(mixed, { settings: buffer, partSettings: [] })).toEqual(['facilities']);
  });
});

describe('the CLI’s reading of the same county, from the features’ own flags', () => {
  /** A layer of the embedded county as GDAL reads it (independent of the app's reader). */
  const layer = (name: string) =>
    JSON.parse(
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', resolve(import.meta.dirname, `../../data/yanhu/${name}.fgb`)], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      }),
    ) as { features: { properties: Record<string, unknown> }[] };

  it('names the same layers as the provenance rows the app tags its verdicts from', () => {
    const layers = { population: layer('population'), facilities: layer('facilities'), roads: layer('roads') };
    const rows = provenanceRows({ county: meta.provenance, layers: {}, facilities: layers.facilities.features });
    for (const settings of [buffer, network]) {
      expect(modelledLayers(layers, standardBasis(settings, []))).toEqual(standardModelled(rows, { settings, partSettings: [] }));
    }
    expect(modelledLayers(layers, EMERGENCY_BASIS)).toEqual(emergencyModelled(rows));
    // A facility the planner added is planned, not modelled: a county of planned facilities has none modelled.
    const planned = { features: layers.facilities.features.map((f) => ({ properties: { ...f.properties, status: 'planned' } })) };
    expect(modelledLayers({ ...layers, facilities: planned }, EMERGENCY_BASIS)).toEqual(['population', 'roads']);
  });
});

describe('the map pixel ratio of this computer', () => {
  const storage = new Map<string, string>();
  const withRatio = (value: string | null): number | undefined => {
    storage.clear();
    if (value !== null) storage.set('healthshed.mapPixelRatio', value);
    const saved = (globalThis as { localStorage?: unknown }).localStorage;
    (globalThis as { localStorage?: unknown }).localStorage = { getItem: (k: string) => storage.get(k) ?? null };
    try {
      return mapPixelRatio();
    } finally {
      (globalThis as { localStorage?: unknown }).localStorage = saved;
    }
  };

  it('takes a ratio from 0.25 to 4, and the screen’s own (undefined) otherwise', () => {
    expect(withRatio('0.5')).toBe(0.5);
    expect(withRatio('4')).toBe(4);
    for (const bad of [null, '', '0', '0.1', '5', 'NaN', 'half', 'Infinity']) expect(withRatio(bad), String(bad)).toBeUndefined();
  });
});
