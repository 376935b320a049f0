/**
 * What a planner does with scenarios: create one from the baseline, duplicate, rename, delete, choose travel
 * settings and a plan, and record edits. Each returns a new project (the input is never changed) or a
 * bilingual reason; times are given by the caller, so the functions stay pure and testable.
 */
import { diffFacilities } from '../history/diff';
import type { FacilityEdit } from '../history/edit';
import type { PopulationSetting } from '../population/setting';
import { validateTravelSettings, type TravelSettings } from '../travel/settings';
import { MAX_NAME_LENGTH, scenarioError, type ScenarioError } from './errors';
import { findScenario, replayScenario } from './facilities';
import { BASELINE_ID, type Project, type Scenario } from './types';

export type ScenarioResult = { ok: true; project: Project; scenario: Scenario } | { ok: false; error: ScenarioError };

const fail = (error: ScenarioError): ScenarioResult => ({ ok: false, error });

/** A trimmed name, or why it cannot be used (empty, too long, or another scenario's name). */
function checkName(project: Project, name: string, exceptId: string | null): string | ScenarioError {
  const trimmed = name.trim();
  if (trimmed === '') return scenarioError('empty_name');
  const length = [...trimmed].length;
  if (length > MAX_NAME_LENGTH) return scenarioError('name_too_long', { length });
  if (project.scenarios.some((s) => s.id !== exceptId && s.name === trimmed)) return scenarioError('name_taken', { name: trimmed });
  return trimmed;
}

/** `scenario-N`, N one more than any number already used, so an id is never reused after a deletion. */
function nextId(project: Project): string {
  let max = 0;
  for (const s of project.scenarios) {
    const n = /^scenario-(\d+)$/.exec(s.id);
    if (n) max = Math.max(max, Number(n[1]));
  }
  return `scenario-${max + 1}`;
}

function checkId(project: Project, id: string | undefined): string | ScenarioError {
  if (id === undefined) return nextId(project);
  if (id.trim() === '' || project.scenarios.some((s) => s.id === id)) return scenarioError('id_taken', { id });
  return id;
}

function replaceScenario(project: Project, scenario: Scenario): ScenarioResult {
  return { ok: true, project: { ...project, scenarios: project.scenarios.map((s) => (s.id === scenario.id ? scenario : s)) }, scenario };
}

function addScenario(project: Project, scenario: Scenario): ScenarioResult {
  return { ok: true, project: { ...project, scenarios: [...project.scenarios, scenario] }, scenario };
}

export interface NewScenario {
  name: string;
  now: string;
  /** Default: `scenario-N`. */
  id?: string;
}

/** A scenario with no edits yet, with the baseline's travel settings and plan. */
export function createScenario(project: Project, options: NewScenario): ScenarioResult {
  const name = checkName(project, options.name, null);
  if (typeof name !== 'string') return fail(name);
  const id = checkId(project, options.id);
  if (typeof id !== 'string') return fail(id);
  const baseline = findScenario(project, BASELINE_ID);
  const travel = baseline?.travel ?? project.scenarios[0]!.travel;
  return addScenario(project, {
    id,
    name,
    created: options.now,
    updated: options.now,
    edits: [],
    travel,
    planId: baseline?.planId ?? null,
  });
}

/** "东山方案" → "东山方案（副本）", then "（副本 2）", … in the project's language; cut to fit the length limit. */
function copyName(project: Project, name: string): string {
  const suffix = (n: number) =>
    project.language === 'zh' ? (n === 1 ? '（副本）' : `（副本 ${n}）`) : n === 1 ? ' (copy)' : ` (copy ${n})`;
  for (let n = 1; ; n++) {
    const tail = suffix(n);
    const head = [...name].slice(0, MAX_NAME_LENGTH - [...tail].length).join('');
    const candidate = head + tail;
    if (!project.scenarios.some((s) => s.name === candidate)) return candidate;
  }
}

/** A copy of a scenario (or of the baseline) with its edits, travel settings and plan, under a new name. */
export function duplicateScenario(
  project: Project,
  sourceId: string,
  options: { now: string; name?: string; id?: string },
): ScenarioResult {
  const source = findScenario(project, sourceId);
  if (!source) return fail(scenarioError('unknown_scenario', { id: sourceId }));
  const name = checkName(project, options.name ?? copyName(project, source.name), null);
  if (typeof name !== 'string') return fail(name);
  const id = checkId(project, options.id);
  if (typeof id !== 'string') return fail(id);
  const copy: Scenario = { ...source, id, name, created: options.now, updated: options.now, edits: [...source.edits] };
  return addScenario(project, copy);
}

/** A new name for a scenario (the baseline's too); refused when empty, too long or another scenario's. */
export function renameScenario(project: Project, id: string, name: string, now: string): ScenarioResult {
  const scenario = findScenario(project, id);
  if (!scenario) return fail(scenarioError('unknown_scenario', { id }));
  const checked = checkName(project, name, id);
  if (typeof checked !== 'string') return fail(checked);
  return replaceScenario(project, { ...scenario, name: checked, updated: now });
}

/**
 * Removes a scenario (never the baseline); if it was the active one, the baseline becomes active. The removed
 * scenario and where it stood come back with the result, so the deletion can be undone (restoreScenario).
 */
export function deleteScenario(
  project: Project,
  id: string,
): { ok: true; project: Project; scenario: Scenario; index: number } | { ok: false; error: ScenarioError } {
  if (id === BASELINE_ID) return { ok: false, error: scenarioError('baseline_protected', { action_en: 'deleted', action_zh: '删除' }) };
  const index = project.scenarios.findIndex((s) => s.id === id);
  if (index < 0) return { ok: false, error: scenarioError('unknown_scenario', { id }) };
  return {
    ok: true,
    project: {
      ...project,
      scenarios: project.scenarios.filter((s) => s.id !== id),
      activeScenarioId: project.activeScenarioId === id ? BASELINE_ID : project.activeScenarioId,
    },
    scenario: project.scenarios[index]!,
    index,
  };
}

/**
 * Puts a deleted scenario back, edits and all, at the place it had in the list, and makes it the active one.
 * Made since the deletion, a scenario may hold its id or name (ids are numbered from those present): the
 * restored one then takes the next free id, or its name with " 2", " 3"…, never another scenario's.
 */
export function restoreScenario(project: Project, scenario: Scenario, index: number): ScenarioResult {
  if (scenario.id === BASELINE_ID) return fail(scenarioError('baseline_protected', { action_en: 'restored', action_zh: '恢复' }));
  const id = project.scenarios.some((s) => s.id === scenario.id) ? nextId(project) : scenario.id;
  let name = scenario.name;
  for (let n = 2; project.scenarios.some((s) => s.name === name); n++) {
    const tail = ` ${n}`;
    name = [...scenario.name].slice(0, MAX_NAME_LENGTH - tail.length).join('') + tail;
  }
  const restored: Scenario = { ...scenario, id, name };
  const scenarios = [...project.scenarios];
  scenarios.splice(Math.max(1, Math.min(index, scenarios.length)), 0, restored);
  return { ok: true, project: { ...project, scenarios, activeScenarioId: id }, scenario: restored };
}

/** Which scenario the app opens on. */
export function setActiveScenario(project: Project, id: string): { ok: true; project: Project } | { ok: false; error: ScenarioError } {
  if (!findScenario(project, id)) return { ok: false, error: scenarioError('unknown_scenario', { id }) };
  return { ok: true, project: { ...project, activeScenarioId: id } };
}

/** New travel settings for a scenario (the baseline's too: they are how the current state is measured). */
export function setScenarioTravel(project: Project, id: string, travel: TravelSettings, now: string): ScenarioResult {
  const scenario = findScenario(project, id);
  if (!scenario) return fail(scenarioError('unknown_scenario', { id }));
  const problems = validateTravelSettings(travel);
  if (problems.length > 0) return fail(scenarioError('bad_travel', { detail: problems.map((p) => `${p.field}: ${p.key}`).join(', ') }));
  return replaceScenario(project, { ...scenario, travel, updated: now });
}

/** The plan a scenario is checked against (`seed:<county>`, `custom:<id>`, or null for none). */
export function setScenarioPlan(project: Project, id: string, planId: string | null, now: string): ScenarioResult {
  const scenario = findScenario(project, id);
  if (!scenario) return fail(scenarioError('unknown_scenario', { id }));
  return replaceScenario(project, { ...scenario, planId, updated: now });
}

/**
 * Appends an edit that has just been applied to the scenario's facilities (by commitEdit, undo or redo, on the
 * state scenarioFacilities gave), so the scenario replays to the same facilities. The baseline takes no edits.
 */
export function recordScenarioEdit(project: Project, id: string, edit: FacilityEdit, now: string): ScenarioResult {
  if (id === BASELINE_ID) return fail(scenarioError('baseline_protected', { action_en: 'edited', action_zh: '编辑' }));
  const scenario = findScenario(project, id);
  if (!scenario) return fail(scenarioError('unknown_scenario', { id }));
  return replaceScenario(project, { ...scenario, edits: [...scenario.edits, edit], updated: now });
}

/**
 * Replaces a scenario's edit log (which grows with every step, undos included) by its net effect: one edit
 * per facility changed. The facilities it replays to are the same; only the record of how is shorter.
 */
export function compactScenario(project: Project, id: string): ScenarioResult {
  const scenario = findScenario(project, id);
  if (!scenario) return fail(scenarioError('unknown_scenario', { id }));
  const replayed = replayScenario(project.baseline, scenario);
  if (!replayed.ok) return fail(replayed.error);
  const edits = diffFacilities(project.baseline, replayed.facilities).edits;
  return replaceScenario(project, { ...scenario, edits });
}

/** The population the project's plan targets are judged against (the census when null); one for every scenario. */
export function setProjectPopulation(project: Project, setting: PopulationSetting | null): Project {
  if (setting === null || setting.basis === 'census2020') {
    const { population: _dropped, ...rest } = project;
    return rest;
  }
  return { ...project, population: setting };
}
