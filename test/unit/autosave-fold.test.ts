/**
 * foldChanges: the merge of several tabs' autosave journals into one project. Every expectation is written out
 * by hand (ids, names, edit logs, the open scenario), never obtained by calling foldChanges again.
 */
import { describe, expect, it } from 'vitest';
import { divertedTo, foldChanges, OTHER_TAB_SUFFIX, type JournalChange } from '../../src/app/autosave';
import { moveFacility, type FacilityEdit } from '../../src/core/history/edit';
import { seededRandom } from '../../src/core/random';
import { BASELINE_ID, createProject, createScenario, recordScenarioEdit, type Project, type Scenario } from '../../src/core/scenario/index';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

const T0 = '2025-03-01T08:00:00.000Z';
const T1 = '2025-03-02T08:00:00.000Z';
const T2 = '2025-03-03T08:00:00.000Z';
const T3 = '2025-03-04T08:00:00.000Z';

/** A distinct edit for each (tab, step): the merge compares edits by content. */
const edit = (tab: number, step: number): FacilityEdit => moveFacility('A', 114 + tab / 100, 25 + step / 1000);
const e0 = edit(0, 0);
const e1 = edit(0, 1);
const a1 = edit(1, 1);
const a2 = edit(1, 2);
const b1 = edit(2, 1);
const b2 = edit(2, 2);
const c1 = edit(3, 1);

/**
 * A project with the baseline ('现状') and one scenario per entry of `scenarios` (ids scenario-1, scenario-2…,
 * each created at T1), each with the given edits; `active` is the open one.
 */
function projectWith(scenarios: { name: string; edits: FacilityEdit[] }[], active = BASELINE_ID): Project {
  const created = createProject({
    county: { id: 'shangyou', name: '上犹县' },
    baseline: collection([facility('A', 114.4, 25.9), facility('B', 114.5, 25.95)]),
    now: T0,
  });
  if (!created.ok) throw new Error(created.error.en);
  let project = created.project;
  for (const s of scenarios) {
    const made = createScenario(project, { name: s.name, now: T1 });
    if (!made.ok) throw new Error(made.error.en);
    project = made.project;
    for (const e of s.edits) {
      const r = recordScenarioEdit(project, made.scenario.id, e, T1);
      if (!r.ok) throw new Error(r.error.en);
      project = r.project;
    }
  }
  return deepFreeze({ ...project, activeScenarioId: active });
}

const scenarioOf = (project: Project, id: string): Scenario => {
  const s = project.scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
};

/** The scenario as a tab holds it: the stored one with other edits (and optionally another name). */
const held = (base: Scenario, edits: FacilityEdit[], more: Partial<Scenario> = {}): Scenario => deepFreeze({ ...base, edits, ...more });

function change(tab: string, fields: Omit<JournalChange, 'tab' | 'language' | 'active'> & Partial<JournalChange>): JournalChange {
  const active =
    fields.active ?? (fields.scenario ? { id: fields.scenario.id, created: fields.scenario.created } : { id: BASELINE_ID, created: T0 });
  return deepFreeze({ language: 'zh', ...fields, tab, active });
}

/** What the assertions look at: each scenario's id, name and edit log, in order. */
const summary = (project: Project) => project.scenarios.map((s) => ({ id: s.id, name: s.name, edits: s.edits }));

describe('foldChanges: fast-forward and already in', () => {
  it('replaces a stored scenario whose log is a prefix of the incoming one', () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [change('A', { scenario: held(s1, [e0, a1, a2], { updated: T2 }) })]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1, a2] },
    ]);
    expect(scenarioOf(result, 'scenario-1').updated).toBe(T2);
    expect(result.activeScenarioId).toBe('scenario-1');
    expect(diverted).toEqual({});
  });

  it('takes a rename with the fast-forward (and an equal log is a fast-forward too)', () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [change('A', { scenario: held(s1, [e0], { name: '东山方案' }) })]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '东山方案', edits: [e0] },
    ]);
    expect(result.activeScenarioId).toBe('scenario-1');
    expect(diverted).toEqual({});
  });

  it('changes nothing when the incoming log is a prefix of the stored one', () => {
    const start = projectWith([{ name: '方案一', edits: [e0, e1, a1] }], 'scenario-1');
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [
      change('B', { scenario: held(s1, [e0]) }),
      change('B', { scenario: held(s1, [e0, e1]) }),
      change('B', { scenario: held(s1, []) }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, e1, a1] },
    ]);
    expect(result.activeScenarioId).toBe('scenario-1');
    expect(result).toStrictEqual(start);
    expect(diverted).toEqual({});
  });
});

describe('foldChanges: two tabs changed the same scenario', () => {
  it("keeps the stored edits and makes the other tab's work a new scenario, noted as a diversion", () => {
    // scenario-1 and scenario-2 exist: the next free id is scenario-3.
    const start = projectWith([
      { name: '方案一', edits: [e0] },
      { name: '方案二', edits: [] },
    ]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [
      change('A', { scenario: held(s1, [e0, a1]) }),
      change('B', { language: 'en', scenario: held(s1, [e0, b1]) }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1] },
      { id: 'scenario-2', name: '方案二', edits: [] },
      { id: 'scenario-3', name: '方案一 (other tab)', edits: [e0, b1] },
    ]);
    expect('方案一 (other tab)').toBe(`方案一${OTHER_TAB_SUFFIX.en}`);
    expect(scenarioOf(result, 'scenario-3').created).toBe(T1);
    // Tab B's open scenario was scenario-1: it now is its copy.
    expect(result.activeScenarioId).toBe('scenario-3');
    expect(diverted).toEqual({ [`B|scenario-1|${T1}`]: 'scenario-3' });
    expect(divertedTo(diverted, 'B', { id: 'scenario-1', created: T1 })).toBe('scenario-3');
    expect(divertedTo(diverted, 'A', { id: 'scenario-1', created: T1 })).toBeNull();
  });

  it("names the copy in the change's language, after the highest scenario-N, and uniquely", () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    // A scenario with a higher number and the name the copy would take.
    const taken: Scenario = { ...s1, id: 'scenario-7', name: '方案一（另一标签页）', created: T2, edits: [] };
    const withTaken = deepFreeze({ ...start, scenarios: [...start.scenarios, taken] });
    const diverted: Record<string, string> = {};
    const result = foldChanges(withTaken, diverted, [
      change('A', { scenario: held(s1, [e0, a1]), active: { id: BASELINE_ID, created: T0 } }),
      change('B', { language: 'zh', scenario: held(s1, [e0, b1]), active: { id: BASELINE_ID, created: T0 } }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1] },
      { id: 'scenario-7', name: '方案一（另一标签页）', edits: [] },
      { id: 'scenario-8', name: '方案一（另一标签页） 2', edits: [e0, b1] },
    ]);
    expect(`方案一${OTHER_TAB_SUFFIX.zh}`).toBe('方案一（另一标签页）');
    expect(result.activeScenarioId).toBe(BASELINE_ID);
    expect(diverted).toEqual({ [`B|scenario-1|${T1}`]: 'scenario-8' });
  });

  it("sends the tab's later changes to that scenario to the copy, in the same fold and in a later one", () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const first = foldChanges(start, diverted, [
      change('A', { scenario: held(s1, [e0, a1]) }),
      change('B', { language: 'en', scenario: held(s1, [e0, b1]) }),
      // Renamed in tab B: the copy keeps its own name, the edit goes in.
      change('B', { language: 'en', scenario: held(s1, [e0, b1, b2], { name: 'B 的方案' }) }),
    ]);
    expect(summary(first)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1] },
      { id: 'scenario-2', name: '方案一 (other tab)', edits: [e0, b1, b2] },
    ]);
    expect(first.activeScenarioId).toBe('scenario-2');
    expect(divertedTo(diverted, 'B', { id: 'scenario-1', created: T1 })).toBe('scenario-2');

    // The next fold, with the diversions as stored: tab B (not yet synced) still calls it scenario-1.
    const b3 = edit(2, 3);
    const second = foldChanges(deepFreeze(first), diverted, [
      change('A', { scenario: held(s1, [e0, a1, a2]) }),
      change('B', { language: 'en', scenario: held(s1, [e0, b1, b2, b3]) }),
    ]);
    expect(summary(second)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1, a2] },
      { id: 'scenario-2', name: '方案一 (other tab)', edits: [e0, b1, b2, b3] },
    ]);
    expect(second.activeScenarioId).toBe('scenario-2');
    expect(diverted).toEqual({ [`B|scenario-1|${T1}`]: 'scenario-2' });
  });
});

describe('foldChanges: new and removed scenarios', () => {
  it('adds a new scenario from a tab, with a unique name when its name is taken', () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const fresh = (id: string, name: string, created: string, edits: FacilityEdit[]): Scenario =>
      deepFreeze({ ...s1, id, name, created, updated: created, edits });
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [
      change('B', { scenario: fresh('scenario-2', '方案一', T2, [b1]) }),
      change('C', { scenario: fresh('scenario-5', '方案一', T3, [c1]) }),
      change('C', { scenario: fresh('scenario-6', '现状', T3, []), active: { id: 'scenario-5', created: T3 } }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
      { id: 'scenario-2', name: '方案一 2', edits: [b1] },
      { id: 'scenario-5', name: '方案一 3', edits: [c1] },
      { id: 'scenario-6', name: '现状 2', edits: [] },
    ]);
    expect(result.activeScenarioId).toBe('scenario-5');
    expect(diverted).toEqual({});
  });

  it('removes a scenario only when its creation time matches, and the open one falls back to the baseline', () => {
    const start = projectWith(
      [
        { name: '方案一', edits: [e0] },
        { name: '方案二', edits: [e1] },
      ],
      'scenario-1',
    );
    const diverted: Record<string, string> = {};
    // Removing another scenario that had the same id (other creation time) removes nothing.
    const other = foldChanges(start, diverted, [
      change('A', { removed: { id: 'scenario-1', created: T2 }, active: { id: 'scenario-9', created: T2 } }),
    ]);
    expect(other).toStrictEqual(start);

    // The tab's own open scenario after the change is the removed one, so only the fallback decides.
    const removed = foldChanges(start, diverted, [
      change('A', { removed: { id: 'scenario-1', created: T1 }, active: { id: 'scenario-1', created: T1 } }),
    ]);
    expect(summary(removed)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-2', name: '方案二', edits: [e1] },
    ]);
    expect(removed.activeScenarioId).toBe(BASELINE_ID);

    // Removing a scenario that is not open leaves the open one.
    const notOpen = foldChanges(start, diverted, [
      change('A', { removed: { id: 'scenario-2', created: T1 }, active: { id: 'scenario-9', created: T1 } }),
    ]);
    expect(summary(notOpen)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
    ]);
    expect(notOpen.activeScenarioId).toBe('scenario-1');
    expect(diverted).toEqual({});
  });

  it('never removes the baseline', () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }], BASELINE_ID);
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [
      change('A', { removed: { id: BASELINE_ID, created: T0 }, active: { id: BASELINE_ID, created: T0 } }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
    ]);
    expect(result.activeScenarioId).toBe(BASELINE_ID);
    expect(result).toStrictEqual(start);
  });

  it("removes the tab's copy, not the scenario it came from, when the tab's work was diverted", () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = { [`B|scenario-1|${T1}`]: 'scenario-2' };
    const withCopy = deepFreeze({
      ...start,
      scenarios: [...start.scenarios, { ...s1, id: 'scenario-2', name: '方案一 (other tab)', edits: [e0, b1] }],
      activeScenarioId: 'scenario-2',
    });
    const result = foldChanges(withCopy, diverted, [
      change('B', { removed: { id: 'scenario-1', created: T1 }, active: { id: BASELINE_ID, created: T0 } }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
    ]);
    expect(result.activeScenarioId).toBe(BASELINE_ID);
    // The copy is gone: so is the diversion to it.
    expect(diverted).toEqual({});
  });
});

describe('foldChanges: the baseline', () => {
  it('takes no edits: only its name, travel settings and plan change', () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const baseline = scenarioOf(start, BASELINE_ID);
    const travel = { ...DEFAULT_TRAVEL_SETTINGS, thresholds: [10, 20, 40] };
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [
      change('A', { scenario: held(baseline, [a1, a2], { name: '2024 现状', travel, planId: 'seed:shangyou', updated: T2 }) }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '2024 现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
    ]);
    const b = scenarioOf(result, BASELINE_ID);
    expect(b.travel).toEqual({ ...DEFAULT_TRAVEL_SETTINGS, thresholds: [10, 20, 40] });
    expect(b.planId).toBe('seed:shangyou');
    expect(b.created).toBe(T0);
    expect(result.activeScenarioId).toBe(BASELINE_ID);
    expect(diverted).toEqual({});

    // A baseline name another scenario has is made unique; a baseline's edits are never diverted either.
    const again = foldChanges(start, diverted, [
      change('B', { language: 'en', scenario: held(baseline, [b1], { name: '方案一' }) }),
      change('C', { scenario: held(baseline, [c1]) }),
    ]);
    expect(summary(again)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
    ]);
    expect(again.activeScenarioId).toBe(BASELINE_ID);
    expect(diverted).toEqual({});

    const renamedOnly = foldChanges(start, diverted, [change('B', { scenario: held(baseline, [b1], { name: '方案一' }) })]);
    expect(summary(renamedOnly)).toEqual([
      { id: BASELINE_ID, name: '方案一 2', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0] },
    ]);
  });
});

describe('foldChanges: stale diversions', () => {
  it('forgets diversions to copies that no longer exist, and keeps the others', () => {
    const start = projectWith([
      { name: '方案一', edits: [e0] },
      { name: '方案一 (other tab)', edits: [e0, b1] },
    ]);
    const diverted: Record<string, string> = {
      [`B|scenario-1|${T1}`]: 'scenario-2',
      [`C|scenario-1|${T1}`]: 'scenario-4',
      [`D|scenario-3|${T2}`]: 'scenario-9',
    };
    const result = foldChanges(start, diverted, []);
    expect(result).toStrictEqual(start);
    expect(diverted).toEqual({ [`B|scenario-1|${T1}`]: 'scenario-2' });
  });

  it('forgets a diversion whose copy was deleted in the same fold', () => {
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const result = foldChanges(start, diverted, [
      change('A', { scenario: held(s1, [e0, a1]) }),
      change('B', { scenario: held(s1, [e0, b1]) }),
      // Another tab that has seen the copy deletes it.
      change('A', { removed: { id: 'scenario-2', created: T1 }, active: { id: 'scenario-1', created: T1 } }),
    ]);
    expect(summary(result)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1] },
    ]);
    expect(result.activeScenarioId).toBe('scenario-1');
    expect(diverted).toEqual({});
  });

  it('does not let a diversion to a copy deleted in this fold reach a later copy that reuses its id (no edit is lost)', () => {
    // Fold 1: tabs A and B both edit scenario-1; B's work becomes scenario-2.
    const start = projectWith([{ name: '方案一', edits: [e0] }]);
    const s1 = scenarioOf(start, 'scenario-1');
    const diverted: Record<string, string> = {};
    const first = deepFreeze(
      foldChanges(start, diverted, [
        change('A', { scenario: held(s1, [e0, a1]) }),
        change('B', { language: 'en', scenario: held(s1, [e0, b1]) }),
      ]),
    );
    expect(summary(first)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1] },
      { id: 'scenario-2', name: '方案一 (other tab)', edits: [e0, b1] },
    ]);
    expect(diverted).toEqual({ [`B|scenario-1|${T1}`]: 'scenario-2' });

    // Fold 2: tab A (synced) deletes B's copy; tab C (opened before fold 1) edits scenario-1, and its work is
    // kept as a copy; then tab B (not synced) deletes what it sees as scenario-1, i.e. its own copy, now gone.
    const second = foldChanges(first, diverted, [
      change('A', { removed: { id: 'scenario-2', created: T1 }, active: { id: 'scenario-1', created: T1 } }),
      change('C', { language: 'en', scenario: held(s1, [e0, c1]) }),
      change('B', { language: 'en', removed: { id: 'scenario-1', created: T1 }, active: { id: BASELINE_ID, created: T0 } }),
    ]);
    // Tab C's edit must survive: tab B never saw tab C's copy, so its deletion cannot be of it.
    const kept = second.scenarios.find((s) => JSON.stringify(s.edits) === JSON.stringify([e0, c1]));
    expect(kept, "tab C's edit is in no scenario").toBeDefined();
    expect(summary(second)).toEqual([
      { id: BASELINE_ID, name: '现状', edits: [] },
      { id: 'scenario-1', name: '方案一', edits: [e0, a1] },
      { id: kept?.id, name: '方案一 (other tab)', edits: [e0, c1] },
    ]);
    expect(divertedTo(diverted, 'C', { id: 'scenario-1', created: T1 })).toBe(kept?.id);
  });
});

describe('foldChanges: property — two tabs appending to one scenario lose nothing', () => {
  /** Whether `part` appears in `whole` in order (not necessarily side by side), compared by content. */
  const inOrder = (part: FacilityEdit[], whole: FacilityEdit[]): boolean => {
    let i = 0;
    for (const e of whole) if (i < part.length && JSON.stringify(e) === JSON.stringify(part[i])) i++;
    return i === part.length;
  };

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('seed %i', (seed) => {
    const rng = seededRandom(seed);
    const start = projectWith([{ name: '方案一', edits: [e0] }], 'scenario-1');
    const s1 = scenarioOf(start, 'scenario-1');
    // Each tab: the scenario it has open (the copy, once a sync told it its work went there) and its own edits.
    const tabs = ['A', 'B'].map((name, t) => ({ name, t, scenario: s1, made: [] as FacilityEdit[] }));
    let stored: Project = start;
    const diverted: Record<string, string> = {};
    let journal: JournalChange[] = [];
    const counts = [1 + rng.int(8), 1 + rng.int(8)];
    const sync = (adopt: (typeof tabs)[number] | null) => {
      stored = deepFreeze(foldChanges(stored, diverted, journal));
      journal = [];
      if (!adopt) return;
      // The tab takes the merged project: it stays on its scenario, or on the copy its work went to.
      const id = divertedTo(diverted, adopt.name, adopt.scenario) ?? adopt.scenario.id;
      const there = stored.scenarios.find((s) => s.id === id);
      if (!there) throw new Error(`seed ${seed}: tab ${adopt.name}'s scenario ${id} is gone`);
      adopt.scenario = there;
    };
    while (tabs.some((tab) => tab.made.length < counts[tab.t]!)) {
      const roll = rng.int(10);
      if (roll < 2) {
        sync(roll === 0 ? tabs[rng.int(2)]! : null);
        continue;
      }
      const choices = tabs.filter((tab) => tab.made.length < counts[tab.t]!);
      const tab = choices[rng.int(choices.length)]!;
      const e = edit(tab.t + 1, tab.made.length + 1);
      tab.made.push(e);
      tab.scenario = held(tab.scenario, [...tab.scenario.edits, e]);
      journal.push(change(tab.name, { scenario: tab.scenario }));
    }
    sync(null);

    for (const tab of tabs) {
      const home = stored.scenarios.filter((s) => inOrder([e0, ...tab.made], s.edits));
      expect(home.length, `seed ${seed}: tab ${tab.name}'s edits ${JSON.stringify(tab.made)}`).toBeGreaterThan(0);
    }
    // Only the two tabs' logs: the scenario and at most one copy, each the log of a tab.
    const logs = stored.scenarios.filter((s) => s.id !== BASELINE_ID).map((s) => s.edits);
    expect(logs.length).toBeLessThanOrEqual(2);
    expect(stored.scenarios.map((s) => s.id).slice(0, 2)).toEqual([BASELINE_ID, 'scenario-1']);
    if (logs.length === 2) {
      expect(stored.scenarios[2]!.id).toBe('scenario-2');
      expect(stored.scenarios[2]!.name).toBe('方案一（另一标签页）');
    }
  });
});
