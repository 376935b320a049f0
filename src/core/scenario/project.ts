/**
 * Making a project from loaded facilities. The baseline is checked here with the same rules every edit keeps
 * (unique ids, WGS84 points, known tiers, counts that are counts), so every state a scenario can reach is valid
 * and undoing can never be refused for data the project started with.
 */
import { checkFacilities } from '../history/validate';
import type { EditError } from '../history/errors';
import type { FacilityCollection } from '../history/edit';
import { DEFAULT_TRAVEL_SETTINGS, validateTravelSettings, type TravelSettings } from '../travel/settings';
import { scenarioError, type ScenarioError } from './errors';
import { BASELINE_ID, type CustomPlan, type Language, type LayerSource, type OtherLayer, type Project, type ProjectCounty } from './types';

export interface NewProject {
  county: ProjectCounty;
  baseline: FacilityCollection;
  /** ISO 8601 time of creation. */
  now: string;
  language?: Language;
  layers?: Partial<Record<OtherLayer, LayerSource>>;
  travel?: TravelSettings;
  planId?: string | null;
  plans?: CustomPlan[];
  settings?: Record<string, unknown>;
}

export type NewProjectResult = { ok: true; project: Project } | { ok: false; error: ScenarioError; problems: EditError[] };

/** The baseline scenario's name in each language. */
export const BASELINE_NAME: Record<Language, string> = { zh: '现状', en: 'Current facilities' };

/** A new project whose only scenario is the baseline; refused, with every facility problem named, when the data are not valid. */
export function createProject(input: NewProject): NewProjectResult {
  const problems = checkFacilities(input.baseline);
  if (problems.length > 0) {
    const first = problems[0]!;
    const more = problems.length > 1 ? [` (and ${problems.length - 1} more)`, `（另有 ${problems.length - 1} 处）`] : ['', ''];
    return {
      ok: false,
      error: scenarioError('bad_baseline', { detail_en: first.en + more[0], detail_zh: first.zh + more[1] }, first),
      problems,
    };
  }
  const travel = input.travel ?? DEFAULT_TRAVEL_SETTINGS;
  const travelProblems = validateTravelSettings(travel);
  if (travelProblems.length > 0) {
    return {
      ok: false,
      error: scenarioError('bad_travel', { detail: travelProblems.map((p) => `${p.field}: ${p.key}`).join(', ') }),
      problems: [],
    };
  }
  const language = input.language ?? 'zh';
  return {
    ok: true,
    project: {
      county: input.county,
      language,
      baseline: input.baseline,
      layers: input.layers ?? {},
      scenarios: [
        {
          id: BASELINE_ID,
          name: BASELINE_NAME[language],
          created: input.now,
          updated: input.now,
          edits: [],
          travel,
          planId: input.planId ?? null,
        },
      ],
      activeScenarioId: BASELINE_ID,
      plans: input.plans ?? [],
      settings: input.settings ?? {},
    },
  };
}
