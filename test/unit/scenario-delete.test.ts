/**
 * Deleting a scenario is undoable: deleteScenario hands back what it removed, restoreScenario puts it back with
 * every edit (under a fresh id or name if one was taken meanwhile), and the autosave fold keeps a deletion and
 * its undo in order. scenarioContents says what a deletion would lose. Expected facilities are replayed here
 * edit by edit with applyEdit, independently of scenarioFacilities.
 */
import { describe, expect, it } from 'vitest';
import { foldChanges, type JournalChange } from '../../src/app/autosave';
import { applyEdit } from '../../src/core/history/apply';
import {
  addFacility,
  moveFacility,
  removeFacility,
  setAttributes,
  type FacilityCollection,
  type FacilityEdit,
} from '../../src/core/history/edit';
import {
  BASELINE_ID,
  createProject,
  createScenario,
  deleteScenario,
  findScenario,
  recordScenarioEdit,
  restoreScenario,
  scenarioContents,
  scenarioFacilities,
  type Project,
} from '../../src/core/scenario/index';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

const T0 = '2025-03-01T08:00:00.000Z';
const T1 = '2025-03-02T08:00:00.000Z';
const BASE = collection([facility('A', 114.4, 25.9), facility('B', 114.5, 25.95, { beds: 10 }), facility('C', 114.3, 25.85)]);

function ok<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw new Error((result as unknown as { error: { en: string } }).error.en);
  return result as Extract<R, { ok: true }>;
}

/** The baseline and scenarios named in order, each holding its edits. */
function projectWith(scenarios: { name: string; edits: FacilityEdit[] }[]): Project {
  let project = ok(createProject({ county: { id: 'shangyou', name: '上犹县' }, baseline: BASE, now: T0 })).project;
  for (const s of scenarios) {
    const made = ok(createScenario(project, { name: s.name, now: T1 }));
    project = made.project;
    for (const e of s.edits) project = ok(recordScenarioEdit(project, made.scenario.id, e, T1)).project;
  }
  return deepFreeze(project);
}

/** The baseline with the edits applied one at a time. */
function replay(edits: FacilityEdit[]): FacilityCollection {
  let state = BASE;
  for (const e of edits) state = ok(applyEdit(state, e)).state;
  return state;
}

const ADD_X = addFacility(facility('X', 114.42, 25.91, { status: 'planned' }));
const EDITS_1 = [ADD_X, moveFacility('A', 114.41, 25.92)];
const EDITS_2 = [removeFacility('C')];

describe('deleting a scenario and undoing it', () => {
  it('hands back the deleted scenario and its place; restoring puts it back open, with every edit', () => {
    const p = projectWith([
      { name: '东山方案', edits: EDITS_1 },
      { name: '西片方案', edits: EDITS_2 },
    ]);
    const open = { ...p, activeScenarioId: 'scenario-1' };
    const deleted = ok(deleteScenario(open, 'scenario-1'));
    expect(deleted.index).toBe(1);
    expect(deleted.scenario.edits).toEqual(EDITS_1);
    expect(deleted.project.scenarios.map((s) => s.id)).toEqual([BASELINE_ID, 'scenario-2']);
    expect(deleted.project.activeScenarioId).toBe(BASELINE_ID);

    const restored = ok(restoreScenario(deleted.project, deleted.scenario, deleted.index));
    expect(restored.project.scenarios.map((s) => [s.id, s.name])).toEqual([
      [BASELINE_ID, '现状'],
      ['scenario-1', '东山方案'],
      ['scenario-2', '西片方案'],
    ]);
    expect(restored.project.activeScenarioId).toBe('scenario-1');
    expect(ok(scenarioFacilities(restored.project, 'scenario-1')).facilities).toEqual(replay(EDITS_1));
    expect(ok(scenarioFacilities(restored.project, 'scenario-2')).facilities).toEqual(replay(EDITS_2));
  });

  it('gives the restored scenario a free id and name when a scenario made since holds them', () => {
    const p = projectWith([{ name: '工作方案', edits: EDITS_1 }]);
    const deleted = ok(deleteScenario(p, 'scenario-1'));
    // Ids are numbered from those present, so the next scenario made takes the deleted one's id and could take its name.
    const since = ok(createScenario(deleted.project, { name: '工作方案', now: T1 }));
    expect(since.scenario.id).toBe('scenario-1');
    const withEdit = ok(recordScenarioEdit(since.project, 'scenario-1', EDITS_2[0]!, T1)).project;

    const restored = ok(restoreScenario(withEdit, deleted.scenario, deleted.index));
    expect(restored.scenario.id).toBe('scenario-2');
    expect(restored.scenario.name).toBe('工作方案 2');
    expect(restored.project.activeScenarioId).toBe('scenario-2');
    expect(ok(scenarioFacilities(restored.project, 'scenario-2')).facilities).toEqual(replay(EDITS_1));
    expect(ok(scenarioFacilities(restored.project, 'scenario-1')).facilities).toEqual(replay(EDITS_2));
    expect(new Set(restored.project.scenarios.map((s) => s.name)).size).toBe(3);
  });

  it('never restores the baseline', () => {
    const p = projectWith([]);
    const result = restoreScenario(p, p.scenarios[0]!, 0);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('baseline_protected');
  });

  it('folds a deletion and its undo from the journal into the stored project, in order', () => {
    const p = projectWith([{ name: '东山方案', edits: EDITS_1 }]);
    const gone = findScenario(p, 'scenario-1')!;
    const tab = 'tab-1';
    const removed: JournalChange = {
      tab,
      language: 'zh',
      removed: { id: gone.id, created: gone.created },
      active: { id: BASELINE_ID, created: T0 },
    };
    const back: JournalChange = { tab, language: 'zh', scenario: gone, active: { id: gone.id, created: gone.created } };

    const afterDelete = foldChanges(p, {}, [removed]);
    expect(afterDelete.scenarios.map((s) => s.id)).toEqual([BASELINE_ID]);
    // The undo folded later (after a reload, say) and in the same fold as the deletion: the scenario is back either way.
    for (const folded of [foldChanges(afterDelete, {}, [back]), foldChanges(p, {}, [removed, back])]) {
      expect(folded.scenarios.map((s) => [s.id, s.name])).toEqual([
        [BASELINE_ID, '现状'],
        ['scenario-1', '东山方案'],
      ]);
      expect(folded.activeScenarioId).toBe('scenario-1');
      expect(ok(scenarioFacilities(folded, 'scenario-1')).facilities).toEqual(replay(EDITS_1));
    }
  });
});

describe('scenarioContents: what deleting a scenario loses', () => {
  it('counts the steps of the log and, once each, the facilities left different from the baseline', () => {
    const ADD_Y = addFacility(facility('Y', 114.45, 25.93));
    const edits = [
      ADD_X,
      moveFacility('A', 114.41, 25.92),
      setAttributes('B', { beds: 25 }),
      removeFacility('C'),
      ADD_Y,
      removeFacility('Y'), // added and taken away again: no net change
      moveFacility('A', 114.43, 25.93),
    ];
    const p = projectWith([{ name: '综合方案', edits }]);
    const contents = ok(scenarioContents(p, 'scenario-1')).contents;
    // By hand from the edits: X added, C removed, A moved (twice, one facility), B's beds changed; Y nets out.
    const after = replay(edits);
    const ids = (fc: FacilityCollection) => fc.features.map((f) => f.properties.id);
    expect(ids(after).filter((id) => !ids(BASE).includes(id))).toEqual(['X']);
    expect(contents).toEqual({ id: 'scenario-1', name: '综合方案', steps: 7, added: 1, removed: 1, moved: 1, changed: 1, facilities: 4 });
  });

  it('says a scenario whose edits were all undone changes nothing, and refuses an unknown id', () => {
    const p = projectWith([{ name: '撤回方案', edits: [ADD_X, removeFacility('X')] }]);
    expect(ok(scenarioContents(p, 'scenario-1')).contents).toMatchObject({ steps: 2, facilities: 0, added: 0, removed: 0 });
    const unknown = scenarioContents(p, 'scenario-9');
    expect(unknown.ok).toBe(false);
  });
});
