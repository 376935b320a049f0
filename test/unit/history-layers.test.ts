/**
 * A layer swap is a step of the same undo history as facility edits: applying it to the project's layers returns
 * the step that undoes it, and undo/redo in the stack dispatch by the kind of entry.
 */
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { applyLayerStep, layerInUse, layerStep, type LayerStep, type ProjectLayers } from '../../src/core/history/layers';
import { moveFacility } from '../../src/core/history/edit';
import { canRedo, canUndo, commitEdit, commitLayer, createHistory, nextUndo, redo, undo } from '../../src/core/history/stack';
import { readProject } from '../../src/core/project/read';
import { projectDocument, writeProject } from '../../src/core/project/write';
import { createProject } from '../../src/core/scenario/project';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

const points = (n: number): FeatureCollection => ({
  type: 'FeatureCollection',
  features: Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [114.4 + i * 0.01, 25.9] },
    properties: { id: `P${i}`, population: 100 },
  })),
});

function applied(layers: ProjectLayers, step: LayerStep) {
  const r = applyLayerStep(layers, step);
  if (!r.ok) throw new Error(r.error.en);
  return r;
}

describe('applyLayerStep', () => {
  it('puts a copy in place without touching its input, and the inverse puts back the one that was in use', () => {
    const inline = { kind: 'inline' as const, name: 'a.csv', data: points(2) };
    const before: ProjectLayers = deepFreeze({ roads: { kind: 'inline', name: 'r.geojson', data: points(1) } });
    const r = applied(before, layerStep('population', inline));
    expect(r.layers.population).toBe(inline);
    expect(r.layers.roads).toBe(before.roads);
    expect(before.population).toBeUndefined();
    // The county's own copy is "no entry": the inverse of the first import is to put the county's back.
    expect(r.inverse).toEqual({ type: 'layer', name: 'population', to: { kind: 'county' } });
    const back = applied(r.layers, r.inverse);
    expect(back.layers).toEqual(before);
    expect('population' in back.layers).toBe(false);
    // The inverse of the inverse is the step itself.
    expect(back.inverse).toEqual(layerStep('population', inline));
    expect(applied(back.layers, back.inverse).layers).toEqual(r.layers);
  });

  it('swaps one import for another and a session-only layer, and restores the county', () => {
    const first = { kind: 'inline' as const, data: points(1) };
    const big = { kind: 'session' as const, id: 's1', name: 'big.csv', features: 300_000 };
    let layers: ProjectLayers = { townships: first };
    const r1 = applied(layers, layerStep('townships', big));
    expect(r1.inverse.to).toBe(first);
    layers = r1.layers;
    expect(layerInUse(layers, 'townships')).toBe(big);
    const r2 = applied(layers, layerStep('townships', { kind: 'county' }));
    expect(r2.layers).toEqual({});
    expect(r2.inverse.to).toBe(big);
    expect(layerInUse(r2.layers, 'townships')).toEqual({ kind: 'county' });
  });

  it('refuses a malformed step and changes nothing', () => {
    const layers: ProjectLayers = {};
    for (const bad of [
      { type: 'layer', name: 'facilities', to: { kind: 'county' } },
      { type: 'layer', name: 'roads', to: { kind: 'session', id: '' } },
      { type: 'layer', name: 'roads', to: { kind: 'inline' } },
      { type: 'layer', name: 'roads', to: { kind: 'somewhere' } },
    ]) {
      const r = applyLayerStep(layers, bad as unknown as LayerStep);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad_edit');
    }
    expect(layers).toEqual({});
  });
});

describe('one history for facility edits and layer swaps', () => {
  it('undoes and redoes a layer import between facility edits, in order, and round-trips as JSON', () => {
    const f0 = deepFreeze(collection([facility('A', 114.4, 25.9), facility('B', 114.5, 25.95)]));
    const imported = { kind: 'inline' as const, name: '居民点.csv', data: points(3) };
    let history = createHistory();
    const e1 = commitEdit(history, f0, moveFacility('A', 114.41, 25.9), 'move A');
    if (!e1.ok) throw new Error(e1.error.en);
    const l = commitLayer(e1.history, e1.state, {}, layerStep('population', imported), 'import:居民点.csv');
    if (!l.ok) throw new Error(l.error.en);
    expect(l.state).toBe(e1.state);
    expect(l.layers).toEqual({ population: imported });
    expect(nextUndo(l.history)).toEqual({ edit: layerStep('population', { kind: 'county' }), label: 'import:居民点.csv' });
    const e2 = commitEdit(l.history, l.state, moveFacility('B', 114.51, 25.95), 'move B');
    if (!e2.ok) throw new Error(e2.error.en);
    history = e2.history;
    expect(JSON.parse(JSON.stringify(history))).toStrictEqual(history);

    // Undo: B's move, then the import (the facilities stay), then A's move.
    const u1 = undo(history, e2.state, l.layers);
    if (!u1.ok || u1.kind !== 'facilities') throw new Error('expected a facility undo');
    const u2 = undo(u1.history, u1.state, l.layers);
    if (!u2.ok || u2.kind !== 'layer') throw new Error('expected a layer undo');
    expect(u2.label).toBe('import:居民点.csv');
    expect(u2.edit).toEqual(layerStep('population', { kind: 'county' }));
    expect(u2.layers).toEqual({});
    expect(u2.state).toBe(u1.state);
    const u3 = undo(u2.history, u2.state, u2.layers);
    if (!u3.ok) throw new Error(u3.error.en);
    expect(u3.state).toStrictEqual(f0);
    expect(canUndo(u3.history)).toBe(false);

    // Redo all the way: the layer comes back where it was in the sequence.
    const r1 = redo(u3.history, u3.state, {});
    if (!r1.ok) throw new Error(r1.error.en);
    const r2 = redo(r1.history, r1.state, {});
    if (!r2.ok || r2.kind !== 'layer') throw new Error('expected a layer redo');
    expect(r2.layers).toEqual({ population: imported });
    const r3 = redo(r2.history, r2.state, r2.layers);
    if (!r3.ok) throw new Error(r3.error.en);
    expect(r3.state).toStrictEqual(e2.state);
    expect(canRedo(r3.history)).toBe(false);
  });

  it('a new step after undoing a layer swap drops its redo; a facility-only caller is refused a layer step', () => {
    const f0 = collection([facility('A', 114.4, 25.9)]);
    const l = commitLayer(createHistory(), f0, {}, layerStep('roads', { kind: 'session', id: 'x', features: 5 }));
    if (!l.ok) throw new Error(l.error.en);
    const facilitiesOnly = undo(l.history, f0);
    expect(facilitiesOnly.ok).toBe(false);
    const u = undo(l.history, f0, l.layers);
    if (!u.ok) throw new Error(u.error.en);
    expect(canRedo(u.history)).toBe(true);
    const e = commitEdit(u.history, f0, moveFacility('A', 114.41, 25.9));
    if (!e.ok) throw new Error(e.error.en);
    expect(canRedo(e.history)).toBe(false);
  });
});

describe('a layer held only by this session in a project', () => {
  it('is never written: the file (and the autosave) has the county’s own there, and a file naming one is read without it', () => {
    const created = createProject({
      county: { id: 'shangyou', name: '上犹县' },
      baseline: collection([facility('A', 114.4, 25.9)]),
      layers: {
        population: { kind: 'session', id: 's1', name: 'big.csv', features: 300_000 },
        roads: { kind: 'inline', name: 'r.geojson', data: points(1) },
      },
      now: '2026-01-01T00:00:00.000Z',
    });
    if (!created.ok) throw new Error(created.error.en);
    const written = projectDocument(created.project);
    expect(written.layers).toEqual({ roads: created.project.layers.roads });
    const read = readProject(writeProject(created.project));
    if (!read.ok) throw new Error(read.error.en);
    expect(read.project.layers).toEqual({ roads: created.project.layers.roads });
    // A hand-made file naming a session layer opens, with the county's own copy there.
    const doc = { ...written, layers: { ...written.layers, townships: { kind: 'session', id: 'x', features: 1 } } };
    const again = readProject(new TextEncoder().encode(JSON.stringify(doc)));
    if (!again.ok) throw new Error(again.error.en);
    expect(again.project.layers).toEqual({ roads: created.project.layers.roads });
  });
});
