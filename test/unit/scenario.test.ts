import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../src/core/history/apply';
import type { FacilityEdit } from '../../src/core/history/edit';
import { commitEdit, createHistory, undo } from '../../src/core/history/stack';
import { scenarioFacilities } from '../../src/core/scenario/facilities';
import {
  compactScenario,
  createScenario,
  deleteScenario,
  duplicateScenario,
  recordScenarioEdit,
  renameScenario,
  setActiveScenario,
  setScenarioPlan,
  setScenarioTravel,
} from '../../src/core/scenario/operations';
import { createProject } from '../../src/core/scenario/project';
import { BASELINE_ID, type Project } from '../../src/core/scenario/types';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

const T0 = '2025-03-01T08:00:00.000Z';
const T1 = '2025-03-02T09:30:00.000Z';

function project(): Project {
  const result = createProject({
    county: { id: 'shangyou', name: '上犹县' },
    baseline: collection([
      facility('A', 114.4, 25.9, { tier: 'township_centre', beds: 40 }),
      facility('B', 114.5, 25.95),
      facility('C', 114.3, 25.85),
    ]),
    now: T0,
    planId: 'seed:shangyou',
  });
  if (!result.ok) throw new Error(result.error.en);
  return deepFreeze(result.project);
}

function ok<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw new Error((result as unknown as { error: { en: string } }).error.en);
  return result as Extract<R, { ok: true }>;
}

describe('createProject', () => {
  it('starts with the baseline scenario only, active, with the default travel settings', () => {
    const p = project();
    expect(p.scenarios).toEqual([
      { id: BASELINE_ID, name: '现状', created: T0, updated: T0, edits: [], travel: DEFAULT_TRAVEL_SETTINGS, planId: 'seed:shangyou' },
    ]);
    expect(p.activeScenarioId).toBe(BASELINE_ID);
    expect(p.language).toBe('zh');
  });

  it('refuses facilities that break the rules, naming each one', () => {
    const result = createProject({
      county: { id: 'x', name: null },
      baseline: collection([
        facility('A', 114, 25),
        facility('A', 114.1, 25, { name: '重复卫生室' }),
        facility('Q', 114, 25, { beds: -3 }),
      ]),
      now: T0,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_baseline');
    expect(result.problems.map((p) => [p.code, p.params.id, p.params.at])).toEqual([
      ['duplicate_id', 'A', 'features[1]'],
      ['negative_count', 'Q', 'features[2]'],
    ]);
    expect(result.error.en).toBe(
      'The facilities cannot be loaded: Facility "重复卫生室" (A): the id "A" is already used by "机构 A"; ids must be unique (at features[1]) (and 1 more)',
    );
  });
});

describe('scenario operations', () => {
  it('create from the baseline, duplicate, rename and delete', () => {
    const p0 = project();
    const c = ok(createScenario(p0, { name: '  2025 规划方案 ', now: T1 }));
    expect(c.scenario).toEqual({
      id: 'scenario-1',
      name: '2025 规划方案',
      created: T1,
      updated: T1,
      edits: [],
      travel: DEFAULT_TRAVEL_SETTINGS,
      planId: 'seed:shangyou',
    });
    expect(p0.scenarios).toHaveLength(1);

    const withEdit = ok(recordScenarioEdit(c.project, 'scenario-1', { type: 'remove', id: 'B' }, T1));
    const d = ok(duplicateScenario(withEdit.project, 'scenario-1', { now: T1 }));
    expect(d.scenario.id).toBe('scenario-2');
    expect(d.scenario.name).toBe('2025 规划方案（副本）');
    expect(d.scenario.edits).toEqual([{ type: 'remove', id: 'B' }]);
    const d2 = ok(duplicateScenario(d.project, 'scenario-1', { now: T1 }));
    expect(d2.scenario.name).toBe('2025 规划方案（副本 2）');

    const r = ok(renameScenario(d2.project, 'scenario-2', '东部加密方案', '2025-04-01T00:00:00.000Z'));
    expect(r.scenario.name).toBe('东部加密方案');
    expect(r.scenario.updated).toBe('2025-04-01T00:00:00.000Z');
    expect(r.scenario.created).toBe(T1);

    const active = ok(setActiveScenario(r.project, 'scenario-2'));
    const del = ok(deleteScenario(active.project, 'scenario-2'));
    expect(del.project.scenarios.map((s) => s.id)).toEqual(['baseline', 'scenario-1', 'scenario-3']);
    expect(del.project.activeScenarioId).toBe(BASELINE_ID);
    // Ids are not reused after a deletion.
    expect(ok(createScenario(del.project, { name: '新方案', now: T1 })).scenario.id).toBe('scenario-4');
  });

  it('refuses what cannot be done, with a reason in both languages', () => {
    const p0 = ok(createScenario(project(), { name: '方案一', now: T1 })).project;
    const codes = [
      deleteScenario(p0, BASELINE_ID),
      deleteScenario(p0, 'nope'),
      renameScenario(p0, 'scenario-1', '   ', T1),
      renameScenario(p0, 'scenario-1', '现状', T1),
      renameScenario(p0, 'scenario-1', '长'.repeat(81), T1),
      createScenario(p0, { name: '方案二', now: T1, id: 'scenario-1' }),
      recordScenarioEdit(p0, BASELINE_ID, { type: 'remove', id: 'A' }, T1),
      setScenarioTravel(p0, 'scenario-1', { ...DEFAULT_TRAVEL_SETTINGS, bufferKmh: -5 }, T1),
      duplicateScenario(p0, 'nope', { now: T1 }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual([
      'baseline_protected',
      'unknown_scenario',
      'empty_name',
      'name_taken',
      'name_too_long',
      'id_taken',
      'baseline_protected',
      'bad_travel',
      'unknown_scenario',
    ]);
    const refused = deleteScenario(p0, BASELINE_ID);
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.error.zh).toBe('现状（基础数据）不能删除；请先复制为方案再操作');
    // Renaming to its own name is not a clash.
    expect(renameScenario(p0, 'scenario-1', '方案一', T1).ok).toBe(true);
  });

  it('sets travel settings and the plan per scenario', () => {
    const p0 = ok(createScenario(project(), { name: '方案一', now: T1 })).project;
    const travel = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' as const, thresholds: [10, 20] };
    const t = ok(setScenarioTravel(p0, 'scenario-1', travel, T1));
    expect(t.scenario.travel).toEqual(travel);
    expect(t.project.scenarios[0]!.travel).toEqual(DEFAULT_TRAVEL_SETTINGS);
    expect(ok(setScenarioPlan(t.project, 'scenario-1', 'custom:abc', T1)).scenario.planId).toBe('custom:abc');
  });
});

describe('scenarioFacilities', () => {
  it('replays the recorded edits, undos included, onto the baseline', () => {
    let p = ok(createScenario(project(), { name: '方案一', now: T1 })).project;
    let state = ok(scenarioFacilities(p, 'scenario-1')).facilities;
    let history = createHistory();
    const edits: FacilityEdit[] = [
      { type: 'add', feature: facility('D', 114.45, 25.92, { status: 'planned' }) },
      { type: 'move', id: 'A', to: [114.41, 25.91] },
      { type: 'set', id: 'B', set: { beds: 5 }, unset: ['gps'] },
      { type: 'remove', id: 'C' },
    ];
    for (const edit of edits) {
      const r = commitEdit(history, state, edit);
      if (!r.ok) throw new Error(r.error.en);
      [history, state] = [r.history, r.state];
      p = ok(recordScenarioEdit(p, 'scenario-1', r.edit, T1)).project;
    }
    const u = undo(history, state);
    if (!u.ok) throw new Error(u.error.en);
    p = ok(recordScenarioEdit(p, 'scenario-1', u.edit, T1)).project;
    state = u.state;

    const replayed = ok(scenarioFacilities(p, 'scenario-1')).facilities;
    expect(replayed).toStrictEqual(state);
    expect(replayed.features.map((f) => f.properties.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(ok(scenarioFacilities(p, BASELINE_ID)).facilities).toBe(p.baseline);

    // Compacting keeps the facilities and shortens the log to one edit per changed facility.
    const compacted = ok(compactScenario(p, 'scenario-1'));
    expect(p.scenarios[1]!.edits).toHaveLength(5);
    expect(compacted.scenario.edits.map((e) => e.type)).toEqual(['move', 'set', 'add']);
    expect(ok(scenarioFacilities(compacted.project, 'scenario-1')).facilities).toStrictEqual(state);
  });

  it('names the scenario and the edit that no longer applies', () => {
    const p0 = ok(createScenario(project(), { name: '方案一', now: T1 })).project;
    const p1 = ok(recordScenarioEdit(p0, 'scenario-1', { type: 'move', id: 'A', to: [114.41, 25.9] }, T1)).project;
    const p2 = ok(recordScenarioEdit(p1, 'scenario-1', { type: 'remove', id: 'ZZ' }, T1)).project;
    const result = scenarioFacilities(p2, 'scenario-1');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('edit_failed');
    expect(result.error.params.position).toBe(2);
    expect(result.error.en).toBe(
      'Scenario "方案一": edit 2 of 2 no longer applies to the baseline: There is no facility with id "ZZ" to remove (at edits[1])',
    );
    expect(result.error.cause?.code).toBe('unknown_id');
    expect(scenarioFacilities(p2, 'nope').ok).toBe(false);
  });

  it('never changes the project it was given', () => {
    const p0 = project();
    const before = JSON.stringify(p0);
    const c = ok(createScenario(p0, { name: '方案一', now: T1 }));
    const e = ok(recordScenarioEdit(c.project, 'scenario-1', { type: 'remove', id: 'A' }, T1));
    const state = ok(scenarioFacilities(e.project, 'scenario-1')).facilities;
    expect(applyEdit(state, { type: 'remove', id: 'B' }).ok).toBe(true);
    expect(JSON.stringify(p0)).toBe(before);
  });
});
