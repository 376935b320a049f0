/**
 * Undo and redo as pure data: two stacks of edits, never snapshots of the facilities. An entry is a facility
 * edit or a layer step (layers.ts: which copy of a layer is in use), so a layer swap is undone like any edit. The undo stack holds, for
 * each step, the edit that reverts it; the redo stack the edit that does it again. Applying either returns the
 * edit for the other stack, so a step can go back and forth any number of times. A History is plain JSON and
 * can be autosaved next to the project.
 */
import { applyEdit } from './apply';
import type { FacilityChanges } from '../coverage/engine';
import type { FacilityCollection, FacilityEdit } from './edit';
import { editError, type EditError } from './errors';
import { applyLayerStep, type LayerStep, type ProjectLayers } from './layers';

const DEFAULT_HISTORY_CAP = 200;

/** What one history entry does: a facility edit, or a layer swap. */
export type HistoryStep = FacilityEdit | LayerStep;

export interface HistoryEntry {
  edit: HistoryStep;
  /** What the UI shows ("移动 河唇卫生室"), carried from the step to its undo and redo. */
  label?: string;
}

export interface History {
  /** At most this many steps are kept; the oldest are forgotten first. */
  cap: number;
  /** Edits that undo the steps, the latest last. */
  undo: HistoryEntry[];
  /** Edits that redo undone steps, the next one last. */
  redo: HistoryEntry[];
}

export interface HistoryError {
  code: 'nothing_to_undo' | 'nothing_to_redo';
  params: Record<string, never>;
  zh: string;
  en: string;
}

interface Stepped {
  ok: true;
  kind: 'facilities';
  history: History;
  state: FacilityCollection;
  /** The edit that was applied: append it to the scenario's edits so the scenario replays to `state`. */
  edit: FacilityEdit;
  changes: Required<FacilityChanges>;
  label?: string;
}

/** An undo or redo of a layer swap: the facilities are as they were, the project's layers are `layers`. */
export interface LayerStepped {
  ok: true;
  kind: 'layer';
  history: History;
  state: FacilityCollection;
  /** The step that was applied (put this copy of the layer in place). */
  edit: LayerStep;
  layers: ProjectLayers;
  label?: string;
}

type Failed = { ok: false; error: EditError | HistoryError };
export type StepResult = Stepped | Failed;
/** What undo and redo give: either kind of entry. */
export type AnyStepResult = Stepped | LayerStepped | Failed;

/** An empty history keeping at most `cap` steps (a programmer error throws: the cap is not user input). */
export function createHistory(cap = DEFAULT_HISTORY_CAP): History {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`createHistory: the cap must be a whole number of at least 1, got ${cap}`);
  return { cap, undo: [], redo: [] };
}

export const canUndo = (history: History): boolean => history.undo.length > 0;
export const canRedo = (history: History): boolean => history.redo.length > 0;

const entry = (edit: HistoryStep, label: string | undefined): HistoryEntry => (label === undefined ? { edit } : { edit, label });

/** Records a step already applied, by the edit that undoes it: clears the redo stack and keeps at most `cap` steps. */
export function pushHistory(history: History, inverse: HistoryStep, label?: string): History {
  const undo = [...history.undo, entry(inverse, label)];
  return { cap: history.cap, undo: undo.length > history.cap ? undo.slice(undo.length - history.cap) : undo, redo: [] };
}

/** Applies an edit and records it: the usual way a user's edit enters the history. */
export function commitEdit(history: History, state: FacilityCollection, edit: FacilityEdit, label?: string): StepResult {
  const result = applyEdit(state, edit);
  if (!result.ok) return result;
  return {
    ok: true,
    kind: 'facilities',
    history: pushHistory(history, result.inverse, label),
    state: result.state,
    edit,
    changes: result.changes,
    ...(label === undefined ? {} : { label }),
  };
}

/** Applies a layer step to the project's layers and records it: a layer swap entering the history. */
export function commitLayer(
  history: History,
  state: FacilityCollection,
  layers: ProjectLayers,
  step: LayerStep,
  label?: string,
): LayerStepped | Failed {
  const result = applyLayerStep(layers, step);
  if (!result.ok) return result;
  return {
    ok: true,
    kind: 'layer',
    history: pushHistory(history, result.inverse, label),
    state,
    edit: step,
    layers: result.layers,
    ...(label === undefined ? {} : { label }),
  };
}

function step(history: History, state: FacilityCollection, layers: ProjectLayers | undefined, from: 'undo' | 'redo'): AnyStepResult {
  const stack = history[from];
  const top = stack[stack.length - 1];
  if (!top) {
    return from === 'undo'
      ? { ok: false, error: { code: 'nothing_to_undo', params: {}, en: 'Nothing to undo', zh: '没有可撤销的操作' } }
      : { ok: false, error: { code: 'nothing_to_redo', params: {}, en: 'Nothing to redo', zh: '没有可重做的操作' } };
  }
  const to = from === 'undo' ? 'redo' : 'undo';
  const move = (inverse: HistoryStep): History => ({
    ...history,
    [from]: stack.slice(0, -1),
    [to]: [...history[to], entry(inverse, top.label)],
  });
  if (top.edit.type === 'layer') {
    if (!layers)
      return {
        ok: false,
        error: editError('bad_edit', { id: null, name: null }, '', { detail: "a layer step needs the project's layers" }),
      };
    const swapped = applyLayerStep(layers, top.edit);
    if (!swapped.ok) return swapped;
    return {
      ok: true,
      kind: 'layer',
      history: move(swapped.inverse),
      state,
      edit: top.edit,
      layers: swapped.layers,
      ...(top.label === undefined ? {} : { label: top.label }),
    };
  }
  const result = applyEdit(state, top.edit);
  if (!result.ok) return result;
  return {
    ok: true,
    kind: 'facilities',
    history: move(result.inverse),
    state: result.state,
    edit: top.edit,
    changes: result.changes,
    ...(top.label === undefined ? {} : { label: top.label }),
  };
}

/**
 * Reverts the latest step: a facility edit on `state`, or a layer swap on `layers` (the project's). Refused
 * (history and state unchanged) when there is none or the state no longer fits it. Without `layers` (a history
 * of facility edits only) a layer step is refused.
 */
export function undo(history: History, state: FacilityCollection): StepResult;
export function undo(history: History, state: FacilityCollection, layers: ProjectLayers): AnyStepResult;
export function undo(history: History, state: FacilityCollection, layers?: ProjectLayers): AnyStepResult {
  return step(history, state, layers, 'undo');
}

/** Does the latest undone step again. */
export function redo(history: History, state: FacilityCollection): StepResult;
export function redo(history: History, state: FacilityCollection, layers: ProjectLayers): AnyStepResult;
export function redo(history: History, state: FacilityCollection, layers?: ProjectLayers): AnyStepResult {
  return step(history, state, layers, 'redo');
}

/** The entry the next undo would revert, if any (the UI names it, e.g. 撤销导入 when it is a layer import). */
export const nextUndo = (history: History): HistoryEntry | null => history.undo.at(-1) ?? null;
