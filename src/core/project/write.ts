/**
 * writeProject: a Project as the bytes of a `.healthshed` file. gzip by default (a 10,000-facility project is
 * several megabytes of JSON and compresses about tenfold); plain JSON on request, for reading and diffing by
 * hand. Deterministic: the same project gives the same bytes.
 */
import { encodeUtf8 } from '../io/web';
import type { Project } from '../scenario/types';
import { gzip } from './bytes';
import { CURRENT_VERSION, PROJECT_FORMAT, type ProjectFileV2 } from './format';

export interface WriteOptions {
  /** Compress with gzip (default true). */
  gzip?: boolean;
  /** Indent the JSON by this many spaces (default 0: compact). */
  indent?: number;
}

/**
 * The layers as a file keeps them: a layer imported for this session only (`session`, held by the computing
 * session) cannot be written, so the file has the county's own copy there (the layer left out).
 */
export function savedLayers(layers: Project['layers']): Project['layers'] {
  if (!Object.values(layers).some((l) => l?.kind === 'session')) return layers;
  return Object.fromEntries(Object.entries(layers).filter(([, l]) => l?.kind !== 'session'));
}

/** The version-2 document of a project: `format` and `version` first, fields kept from a newer writer alongside. */
export function projectDocument(project: Project): ProjectFileV2 {
  return {
    format: PROJECT_FORMAT,
    version: CURRENT_VERSION,
    ...project.extra,
    county: project.county,
    language: project.language,
    baseline: project.baseline,
    layers: savedLayers(project.layers),
    scenarios: project.scenarios.map((s) => ({
      ...s.extra,
      id: s.id,
      name: s.name,
      created: s.created,
      updated: s.updated,
      edits: s.edits,
      travel: s.travel,
      planId: s.planId,
    })),
    activeScenarioId: project.activeScenarioId,
    plans: project.plans,
    settings: project.settings,
    ...(project.population ? { population: project.population } : {}),
    ...(project.ground ? { ground: project.ground } : {}),
  };
}

/** The project as the bytes of a `.healthshed` file (gzip unless `gzip: false`). Values must be JSON (they are, when made through the core). */
export function writeProject(project: Project, options: WriteOptions = {}): Uint8Array {
  const text = JSON.stringify(projectDocument(project), null, options.indent ?? 0);
  const bytes = encodeUtf8(options.indent ? `${text}\n` : text);
  return options.gzip === false ? bytes : gzip(bytes);
}
