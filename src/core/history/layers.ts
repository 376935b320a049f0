/**
 * A layer swap as an edit: which copy of the population, roads or townships layer the project uses (the
 * county's own, an imported one carried in the project, or one imported this session and held by the session).
 * Applying a step to the project's layers returns the step that undoes it, so a swap sits in the same undo/redo
 * history as facility edits (stack.ts) and goes back and forth like one.
 */
import type { LayerSource, Project } from '../scenario/types';
import { editError, type EditError } from './errors';
import { describeValue, isRecord } from './json';

/** The layers a project can carry another copy of (the county outline is never swapped). */
export const SWAPPABLE_LAYERS = ['population', 'roads', 'townships'] as const;
export type SwappableLayer = (typeof SWAPPABLE_LAYERS)[number];

/** Which copy of a layer is in use: the same values as the project's LayerSource. */
export type LayerRef = LayerSource;

/** Puts `to` in place of layer `name`. */
export interface LayerStep {
  type: 'layer';
  name: SwappableLayer;
  to: LayerRef;
}

export type ProjectLayers = Project['layers'];

export type LayerApplied = { ok: true; layers: ProjectLayers; inverse: LayerStep };

export const layerStep = (name: SwappableLayer, to: LayerRef): LayerStep => ({ type: 'layer', name, to });

/** The copy of a layer the project uses: an absent entry is the county's own. */
export const layerInUse = (layers: ProjectLayers, name: SwappableLayer): LayerRef => layers[name] ?? { kind: 'county' };

function checkRef(to: unknown): string | null {
  if (!isRecord(to)) return `expected a layer reference, got ${describeValue(to)}`;
  if (to.kind === 'county') return null;
  if (to.kind === 'inline')
    return isRecord(to.data) && Array.isArray(to.data.features) ? null : 'an inline layer needs a FeatureCollection';
  if (to.kind === 'session') return typeof to.id === 'string' && to.id !== '' ? null : 'a session layer needs an id';
  return `unknown layer reference kind ${describeValue(to.kind)}`;
}

/**
 * Applies a layer step to the project's layers without touching its input: the county's own copy is recorded by
 * leaving the layer out. The inverse puts back the copy that was in use. A malformed step is refused.
 */
export function applyLayerStep(layers: ProjectLayers, step: LayerStep): LayerApplied | { ok: false; error: EditError } {
  const name = step?.name;
  const problem = !(SWAPPABLE_LAYERS as readonly unknown[]).includes(name) ? `unknown layer ${describeValue(name)}` : checkRef(step.to);
  if (problem) return { ok: false, error: editError('bad_edit', { id: null, name: null }, '', { detail: problem }) };
  const inverse = layerStep(name, layerInUse(layers, name));
  const next = { ...layers };
  if (step.to.kind === 'county') delete next[name];
  else next[name] = step.to;
  return { ok: true, layers: next, inverse };
}
