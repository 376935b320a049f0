/**
 * applyEdit: the one place an edit changes facilities. It never mutates its inputs (unchanged facilities are
 * shared, changed ones are new objects), returns the edit that undoes it, and the net change in the form the
 * coverage engine takes, so the worker repairs only what the edit touched.
 */
import type { FacilityChanges } from '../coverage/engine';
import { isApproximate } from '../provenance';
import { Draft } from './draft';
import type { EditBatch, FacilityCollection, FacilityEdit, FacilityFeature, SetAttributes } from './edit';
import { editError, type EditError } from './errors';
import { describeValue, isRecord, type JsonValue } from './json';
import { checkFacility, checkProperty, isPosition, REQUIRED_PROPERTIES, whoOf } from './validate';

export interface Applied {
  ok: true;
  /** A new collection; the input is left as it was. */
  state: FacilityCollection;
  /** Applying it to `state` gives back the input exactly (order, values, absent properties and all). */
  inverse: FacilityEdit;
  /** Facilities to upsert and ids to remove, for CoverageEngine.applyChanges. */
  changes: Required<FacilityChanges>;
}

interface Refused {
  ok: false;
  error: EditError;
}

export type ApplyResult = Applied | Refused;

/**
 * Applies an edit to a facility collection. A refused edit (unknown id, repeated id, bad coordinates, unknown
 * tier, a count below zero, a value JSON cannot store, …) changes nothing and says why, naming the facility; a
 * batch is all or nothing.
 */
export function applyEdit(state: FacilityCollection, edit: FacilityEdit): ApplyResult {
  const draft = new Draft(state.features);
  const result = run(draft, edit, '');
  if ('code' in result) return { ok: false, error: result };
  return { ok: true, state: { ...state, features: draft.features }, inverse: result, changes: draft.changes() };
}

const ACTIONS: Record<string, [string, string]> = {
  remove: ['remove', '删除'],
  move: ['move', '移动'],
  set: ['edit', '编辑'],
  replace: ['replace', '替换'],
};

function findExisting(draft: Draft, id: unknown, type: string, at: string): number | EditError {
  if (typeof id !== 'string' || id === '')
    return editError('bad_edit', { id: null, name: null }, at, { detail: `a ${type} edit needs a facility id` });
  const index = draft.find(id);
  if (index < 0) {
    const [action, action_zh] = ACTIONS[type] ?? ['edit', '编辑'];
    return editError('unknown_id', { id, name: null }, at, { action, action_zh });
  }
  return index;
}

function run(draft: Draft, edit: FacilityEdit, at: string): FacilityEdit | EditError {
  if (!isRecord(edit))
    return editError('bad_edit', { id: null, name: null }, at, { detail: `expected an object, got ${describeValue(edit)}` });
  switch (edit.type) {
    case 'add': {
      const problem = checkFacility(edit.feature, at);
      if (problem) return problem;
      const feature = edit.feature;
      const id = feature.properties.id;
      const other = draft.find(id);
      if (other >= 0) return editError('duplicate_id', whoOf(feature), at, { other: draft.features[other]!.properties.name ?? id });
      const index = edit.index ?? draft.features.length;
      if (!Number.isInteger(index) || index < 0 || index > draft.features.length)
        return editError('bad_index', whoOf(feature), at, { value: describeValue(index), count: draft.features.length });
      draft.insert(index, feature);
      return { type: 'remove', id };
    }
    case 'remove': {
      const index = findExisting(draft, edit.id, 'remove', at);
      if (typeof index !== 'number') return index;
      const old = draft.removeAt(index);
      return { type: 'add', feature: old, index };
    }
    case 'move': {
      const index = findExisting(draft, edit.id, 'move', at);
      if (typeof index !== 'number') return index;
      const old = draft.features[index]!;
      if (!isPosition(edit.to)) return editError('bad_coordinates', whoOf(old), at, { value: describeValue(edit.to) });
      // A facility placed only approximately (at its village or township seat) stands, once dragged, where the
      // planner put it: the same undoable step records that, and its undo restores the approximate mark too.
      if (isApproximate(old.properties.located_by)) {
        draft.replaceAt(index, {
          ...old,
          geometry: { ...old.geometry, coordinates: edit.to.slice() },
          properties: { ...old.properties, located_by: 'manual' },
        });
        return { type: 'replace', feature: old };
      }
      draft.replaceAt(index, { ...old, geometry: { ...old.geometry, coordinates: edit.to.slice() } });
      return { type: 'move', id: edit.id, to: old.geometry.coordinates };
    }
    case 'set':
      return runSet(draft, edit, at);
    case 'replace': {
      const problem = checkFacility(edit.feature, at, { en: 'replace', zh: '替换' });
      if (problem) return problem;
      const index = findExisting(draft, edit.feature.properties.id, 'replace', at);
      if (typeof index !== 'number') return index;
      const old = draft.features[index]!;
      draft.replaceAt(index, edit.feature);
      return { type: 'replace', feature: old };
    }
    case 'batch':
      return runBatch(draft, edit, at);
    default:
      return editError('bad_edit', { id: null, name: null }, at, {
        detail: `unknown edit type ${describeValue((edit as { type?: unknown }).type)} (add, remove, move, set, replace or batch)`,
      });
  }
}

function runBatch(draft: Draft, edit: EditBatch, at: string): FacilityEdit | EditError {
  if (!Array.isArray(edit.edits)) return editError('bad_edit', { id: null, name: null }, at, { detail: 'a batch needs a list of edits' });
  if (edit.label !== undefined && typeof edit.label !== 'string')
    return editError('bad_edit', { id: null, name: null }, at, { detail: 'a batch label must be text' });
  const inverses: FacilityEdit[] = [];
  for (let i = 0; i < edit.edits.length; i++) {
    const result = run(draft, edit.edits[i]!, at ? `${at}.edits[${i}]` : `edits[${i}]`);
    if ('code' in result) return result;
    inverses.push(result);
  }
  inverses.reverse();
  return edit.label === undefined ? { type: 'batch', edits: inverses } : { type: 'batch', edits: inverses, label: edit.label };
}

function runSet(draft: Draft, edit: SetAttributes, at: string): FacilityEdit | EditError {
  const index = findExisting(draft, edit.id, 'set', at);
  if (typeof index !== 'number') return index;
  const old = draft.features[index]!;
  const who = whoOf(old);
  const set = edit.set ?? {};
  const unset = edit.unset ?? [];
  if (!isRecord(set)) return editError('bad_edit', who, at, { detail: '`set` must be an object of property values' });
  if (!Array.isArray(unset) || !unset.every((k) => typeof k === 'string'))
    return editError('bad_edit', who, at, { detail: '`unset` must be a list of property names' });
  if (edit.order !== undefined && (!Array.isArray(edit.order) || !edit.order.every((k) => typeof k === 'string')))
    return editError('bad_edit', who, at, { detail: '`order` must be a list of property names' });
  const setKeys = Object.keys(set);
  for (const key of setKeys) {
    if (key === 'id') {
      if (set.id !== old.properties.id) return editError('immutable_property', who, at, { field: 'id' });
      continue;
    }
    const problem = checkProperty(key, set[key], who, at);
    if (problem) return problem;
  }
  for (const key of unset) {
    if (REQUIRED_PROPERTIES.includes(key)) return editError('required_property', who, at, { field: key });
    if (Object.hasOwn(set, key))
      return editError('bad_edit', who, at, { detail: `"${key}" is both set and removed`, detail_zh: `“${key}”同时被设置和删除` });
  }

  const props = old.properties as Record<string, unknown>;
  const removed = new Set(unset);
  // Entries, not assignments: a key such as "__proto__" stays an ordinary property.
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(props)) {
    if (removed.has(key)) continue;
    entries.push([key, Object.hasOwn(set, key) ? set[key] : props[key]]);
  }
  for (const key of setKeys) if (!Object.hasOwn(props, key)) entries.push([key, set[key]]);
  if (edit.order) {
    const rank = new Map(edit.order.map((key, i) => [key, i]));
    const ranked = entries.map((entry, i) => [rank.get(entry[0]) ?? edit.order!.length + i, entry] as const);
    ranked.sort((a, b) => a[0] - b[0]);
    entries.splice(0, entries.length, ...ranked.map((r) => r[1]));
  }
  const properties = Object.fromEntries(entries) as typeof old.properties;
  draft.replaceAt(index, { ...old, properties } satisfies FacilityFeature);

  const undoSet: [string, JsonValue][] = [];
  const undoUnset: string[] = [];
  let removedExisting = false;
  for (const key of setKeys) {
    if (Object.hasOwn(props, key)) undoSet.push([key, toJson(props[key])]);
    else undoUnset.push(key);
  }
  for (const key of unset) {
    if (!Object.hasOwn(props, key)) continue;
    undoSet.push([key, toJson(props[key])]);
    removedExisting = true;
  }
  const inverse: SetAttributes = { type: 'set', id: edit.id };
  if (undoSet.length > 0) inverse.set = Object.fromEntries(undoSet);
  if (undoUnset.length > 0) inverse.unset = undoUnset;
  if (removedExisting) inverse.order = Object.keys(props);
  return inverse;
}

/**
 * Values in a valid state are JSON already (checked on the way in). The value is kept as it is, never
 * replaced: were a state to hold something else, undo would then be refused with a message rather than
 * quietly restore a different value.
 */
const toJson = (value: unknown): JsonValue => value as JsonValue;
