/**
 * The `.healthshed` project file, version 2: one JSON document (gzip-compressed by default) holding a Project
 * (src/core/scenario/types.ts) under the same field names, with `format` and `version` first so any tool can
 * tell what it is. Fields a reader does not know are kept and written back.
 *
 * Version history:
 * - 1: each scenario stored a full copy of its facilities (`scenarios[].facilities`).
 * - 2: each scenario stores its edits to the baseline (`scenarios[].edits`), the same diffs the undo history
 *   holds; the baseline scenario is listed like the others.
 */
import type { Project, Scenario } from '../scenario/types';

export const PROJECT_FORMAT = 'healthshed-project';
export const CURRENT_VERSION = 2;

/** A scenario as written: its own fields, with any unknown ones it came with alongside. */
type ScenarioFile = Omit<Scenario, 'extra'> & Record<string, unknown>;

export type ProjectFileV2 = { format: typeof PROJECT_FORMAT; version: 2 } & Omit<Project, 'extra' | 'scenarios'> & {
    scenarios: ScenarioFile[];
  } & Record<string, unknown>;

/** The keys of a version-2 document the reader interprets; every other key is kept in `extra`. */
export const PROJECT_KEYS = [
  'format',
  'version',
  'county',
  'language',
  'baseline',
  'layers',
  'scenarios',
  'activeScenarioId',
  'plans',
  'settings',
  'population',
  'ground',
] as const;

export const SCENARIO_KEYS = ['id', 'name', 'created', 'updated', 'edits', 'travel', 'planId'] as const;
