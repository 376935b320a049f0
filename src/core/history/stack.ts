/**
 * Undo and redo as pure data: two stacks of edits, never snapshots of the facilities. The undo stack holds, for
 * each step, the edit that reverts it; the redo stack the edit that does it again. Applying either returns the
 * edit for the other stack, so a step can go back and forth any number of times. A History is plain JSON and
 * can be autosaved next to the project.
 */
import { applyEdit } from './apply';
import type { FacilityChanges } from '../coverage/engine';
import type { FacilityCollection, FacilityEdit } from './edit';
import type { EditError } from './errors';

export const DEFAULT_HISTORY_CAP = 200;

export interface HistoryEntry {
  edit: FacilityEdit;
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

export interface Stepped {
  ok: true;
  history: History;
  state: FacilityCollection;
  /** The edit that was applied: append it to the scenario's edits so the scenario replays to `state`. */
  edit: FacilityEdit;
  changes: Required<FacilityChanges>;
  label?: string;
}

export type StepResult = Stepped | { ok: false; error: EditError | HistoryError };

/** An empty history keeping at most `cap` steps (a programmer error throws: the cap is not user input). */
export function createHistory(cap = DEFAULT_HISTORY_CAP): History {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`createHistory: the cap must be a whole number of at least 1, got ${cap}`);
  return { cap, undo: [], redo: [] };
}

export const canUndo = (history: History): boolean => history.undo.length > 0;
export const canRedo = (history: History): boolean => history.redo.length > 0;

const entry = (edit: FacilityEdit, label: string | undefined): HistoryEntry => (label === undefined ? { edit } : { edit, label });

/** Records a step already applied, by the edit that undoes it: clears the redo stack and keeps at most `cap` steps. */
export function pushHistory(history: History, inverse: FacilityEdit, label?: string): History {
  const undo = [...history.undo, entry(inverse, label)];
  return { cap: history.cap, undo: undo.length > history.cap ? undo.slice(undo.length - history.cap) : undo, redo: [] };
}

/** Applies an edit and records it: the usual way a user's edit enters the history. */
export function commitEdit(history: History, state: FacilityCollection, edit: FacilityEdit, label?: string): StepResult {
  const result = applyEdit(state, edit);
  if (!result.ok) return result;
  return {
    ok: true,
    history: pushHistory(history, result.inverse, label),
    state: result.state,
    edit,
    changes: result.changes,
    ...(label === undefined ? {} : { label }),
  };
}

function step(history: History, state: FacilityCollection, from: 'undo' | 'redo'): StepResult {
  const stack = history[from];
  const top = stack[stack.length - 1];
  if (!top) {
    return from === 'undo'
      ? { ok: false, error: { code: 'nothing_to_undo', params: {}, en: 'Nothing to undo', zh: '没有可撤销的操作' } }
      : { ok: false, error: { code: 'nothing_to_redo', params: {}, en: 'Nothing to redo', zh: '没有可重做的操作' } };
  }
  const result = applyEdit(state, top.edit);
  if (!result.ok) return result;
  const to = from === 'undo' ? 'redo' : 'undo';
  const next: History = { ...history, [from]: stack.slice(0, -1), [to]: [...history[to], entry(result.inverse, top.label)] };
  return {
    ok: true,
    history: next,
    state: result.state,
    edit: top.edit,
    changes: result.changes,
    ...(top.label === undefined ? {} : { label: top.label }),
  };
}

/** Reverts the latest step. Refused (history and state unchanged) when there is none or the state no longer fits it. */
export const undo = (history: History, state: FacilityCollection): StepResult => step(history, state, 'undo');

/** Does the latest undone step again. */
export const redo = (history: History, state: FacilityCollection): StepResult => step(history, state, 'redo');
