/**
 * What a scenario holds beyond the baseline, as a planner would be told before losing it: the steps in its edit
 * log, and the facilities it leaves different from the baseline (added, removed, moved, attributes changed). The
 * log counts every step, undos included; the facilities are the net effect.
 */
import { compareFacilities } from './compare-facilities';
import { scenarioError, type ScenarioError } from './errors';
import { findScenario, replayScenario } from './facilities';
import type { Project } from './types';

export interface ScenarioContents {
  id: string;
  name: string;
  /** Steps in the edit log. */
  steps: number;
  added: number;
  removed: number;
  moved: number;
  /** Facilities whose attributes differ (a moved one may be counted here too). */
  changed: number;
  /** Facilities that differ from the baseline in any way, each counted once. */
  facilities: number;
}

export function scenarioContents(
  project: Project,
  id: string,
): { ok: true; contents: ScenarioContents } | { ok: false; error: ScenarioError } {
  const scenario = findScenario(project, id);
  if (!scenario) return { ok: false, error: scenarioError('unknown_scenario', { id }) };
  const replayed = replayScenario(project.baseline, scenario);
  if (!replayed.ok) return replayed;
  const diff = compareFacilities(project.baseline, replayed.facilities);
  const ids = new Set([...diff.added, ...diff.removed, ...diff.moved, ...diff.changed].map((f) => f.id));
  return {
    ok: true,
    contents: {
      id,
      name: scenario.name,
      steps: scenario.edits.length,
      added: diff.added.length,
      removed: diff.removed.length,
      moved: diff.moved.length,
      changed: diff.changed.length,
      facilities: ids.size,
    },
  };
}
