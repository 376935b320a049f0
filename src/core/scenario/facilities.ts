/**
 * A scenario's facilities: the baseline with the scenario's edits replayed, as one batch (one copy of the
 * list, whatever the number of edits). The app calls it once when a scenario opens and then keeps the result
 * up to date with the edits it makes; the project reader calls it to check that every scenario still applies.
 */
import { applyEdit } from '../history/apply';
import type { FacilityCollection } from '../history/edit';
import { scenarioError, type ScenarioError } from './errors';
import type { Project, Scenario } from './types';

export type FacilitiesResult = { ok: true; facilities: FacilityCollection } | { ok: false; error: ScenarioError };

/** The scenario with this id, if the project has it. */
export function findScenario(project: Project, id: string): Scenario | undefined {
  return project.scenarios.find((s) => s.id === id);
}

/** The baseline with one scenario's edits applied (the baseline itself for BASELINE_ID or an empty list). */
export function replayScenario(baseline: FacilityCollection, scenario: Scenario): FacilitiesResult {
  if (scenario.edits.length === 0) return { ok: true, facilities: baseline };
  const result = applyEdit(baseline, { type: 'batch', edits: scenario.edits });
  if (result.ok) return { ok: true, facilities: result.state };
  const at = String(result.error.params.at ?? '');
  const index = Number(/^edits\[(\d+)\]/.exec(at)?.[1] ?? 0);
  return {
    ok: false,
    error: scenarioError(
      'edit_failed',
      {
        id: scenario.id,
        name: scenario.name,
        index,
        position: index + 1,
        count: scenario.edits.length,
        detail_en: result.error.en,
        detail_zh: result.error.zh,
      },
      result.error,
    ),
  };
}

/** Materialises the facilities of scenario `id` of the project. */
export function scenarioFacilities(project: Project, id: string): FacilitiesResult {
  const scenario = findScenario(project, id);
  if (!scenario) return { ok: false, error: scenarioError('unknown_scenario', { id }) };
  return replayScenario(project.baseline, scenario);
}
