import { describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { applyEdit } from '../../src/core/history/apply';
import { diffFacilities } from '../../src/core/history/diff';
import type { FacilityCollection, FacilityEdit } from '../../src/core/history/edit';
import { canRedo, canUndo, commitEdit, createHistory, redo, undo } from '../../src/core/history/stack';
import { TIERS } from '../../src/core/model';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { deepFreeze, facility, randomEdit } from '../fixtures/project/helpers';
import { readCommittedCounty } from './shared';

describe('50 random edits on the 上犹县 facilities', () => {
  it('50 undos give back the original exactly, 50 redos the edited set exactly', async () => {
    const data = await readCommittedCounty('shangyou');
    const original = deepFreeze(data.facilities as FacilityCollection);
    const originalJson = JSON.stringify(original);
    const rng = seededRandom(5005);
    let history = createHistory();
    let state = original;
    const states: FacilityCollection[] = [original];
    const kinds = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const edit = deepFreeze(randomEdit(rng, state));
      kinds.add(edit.type);
      const r = commitEdit(history, state, edit);
      if (!r.ok) throw new Error(`edit ${i}: ${r.error.en}`);
      [history, state] = [r.history, deepFreeze(r.state)];
      states.push(state);
    }
    expect([...kinds].sort()).toEqual(['add', 'batch', 'move', 'remove', 'set']);
    const edited = state;
    const editedJson = JSON.stringify(edited);
    expect(editedJson).not.toBe(originalJson);
    // The history stores edits, not copies: far smaller than 50 snapshots of 150 facilities.
    expect(JSON.stringify(history).length).toBeLessThan(originalJson.length);

    for (let i = 49; i >= 0; i--) {
      const r = undo(history, state);
      if (!r.ok) throw new Error(`undo ${i}: ${r.error.en}`);
      [history, state] = [r.history, r.state];
      expect(state, `after undoing edit ${i}`).toStrictEqual(states[i]);
    }
    expect(canUndo(history)).toBe(false);
    expect(state).toStrictEqual(original);
    expect(JSON.stringify(state)).toBe(originalJson);

    for (let i = 1; i <= 50; i++) {
      const r = redo(history, state);
      if (!r.ok) throw new Error(`redo ${i}: ${r.error.en}`);
      [history, state] = [r.history, r.state];
    }
    expect(canRedo(history)).toBe(false);
    expect(state).toStrictEqual(edited);
    expect(JSON.stringify(state)).toBe(editedJson);
    // The frozen inputs were never touched.
    expect(JSON.stringify(original)).toBe(originalJson);
  });

  it('diffFacilities between any two of the states replays exactly, including a shuffled order', async () => {
    const data = await readCommittedCounty('shangyou');
    const rng = seededRandom(77);
    let state = deepFreeze(data.facilities as FacilityCollection);
    const states = [state];
    for (let i = 0; i < 20; i++) {
      const r = applyEdit(state, randomEdit(rng, state));
      if (!r.ok) throw new Error(r.error.en);
      state = deepFreeze(r.state);
      states.push(state);
    }
    const shuffled = [...state.features];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    states.push(deepFreeze({ ...state, features: shuffled }));
    for (const [a, b] of [
      [0, 20],
      [20, 0],
      [5, 12],
      [0, 21],
      [21, 3],
    ] as const) {
      const diff = diffFacilities(states[a]!, states[b]!);
      const r = applyEdit(states[a]!, diff);
      if (!r.ok) throw new Error(r.error.en);
      expect(JSON.stringify(r.state), `${a} → ${b}`).toBe(JSON.stringify(states[b]));
    }
    expect(diffFacilities(states[7]!, states[7]!).edits).toEqual([]);
    // A moved facility is a move, not a remove and an add.
    const moved = applyEdit(states[0]!, { type: 'move', id: states[0]!.features[3]!.properties.id, to: [114.3, 25.8] });
    if (!moved.ok) throw new Error(moved.error.en);
    expect(diffFacilities(states[0]!, moved.state).edits).toEqual([
      { type: 'move', id: states[0]!.features[3]!.properties.id, to: [114.3, 25.8] },
    ]);
  });
});

describe.each(['buffer', 'network'] as const)('edit changes fed to the coverage engine (%s mode)', (mode) => {
  it('give the same minutes as a fresh engine on the edited facilities', async () => {
    const data = await readCommittedCounty('shangyou');
    const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [15, 30] };
    const layers = { population: data.population, roads: data.roads, zones: data.townships };
    let state = data.facilities as FacilityCollection;
    const live = new CoverageEngine({ ...layers, facilities: state }, settings);
    const [a, b, c] = [state.features[0]!, state.features[20]!, state.features[90]!];
    const [lon, lat] = b.geometry.coordinates as [number, number];
    const edits: FacilityEdit[] = [
      { type: 'move', id: b.properties.id, to: [lon + 0.03, lat - 0.02] },
      { type: 'add', feature: facility('new-clinic', lon - 0.04, lat + 0.03, { status: 'planned' }) },
      { type: 'remove', id: c.properties.id },
      { type: 'set', id: a.properties.id, set: { status: 'suggested' } },
      {
        type: 'batch',
        edits: [
          { type: 'set', id: a.properties.id, set: { status: 'existing', tier: 'township_centre' } },
          { type: 'move', id: 'new-clinic', to: [lon - 0.05, lat + 0.02] },
          { type: 'add', feature: facility('new-centre', lon + 0.06, lat, { tier: 'township_centre' }) },
        ],
      },
    ];
    const history: FacilityEdit[] = [];
    const check = (label: string) => {
      const fresh = new CoverageEngine({ ...layers, facilities: state }, settings);
      for (const tier of TIERS) {
        const got = live.times[tier];
        const want = fresh.times[tier];
        let worst = 0;
        for (let i = 0; i < got.length; i++) {
          if (want[i] === Infinity) expect(got[i], `${label}: ${tier} point ${i}`).toBe(Infinity);
          else worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        }
        expect(worst, `${label}: ${tier}`).toBeLessThan(1e-4);
      }
    };
    for (const [i, edit] of edits.entries()) {
      const r = applyEdit(state, edit);
      if (!r.ok) throw new Error(r.error.en);
      live.applyChanges(r.changes);
      state = r.state;
      history.push(r.inverse);
      check(`edit ${i}`);
    }
    // And the undos, fed the same way.
    for (const inverse of history.reverse()) {
      const r = applyEdit(state, inverse);
      if (!r.ok) throw new Error(r.error.en);
      live.applyChanges(r.changes);
      state = r.state;
    }
    check('after undoing all');
  });
});
