/**
 * An edit to the facilities of a scenario, as plain data (Placemark's "undo is data"): applying one returns the
 * edit that undoes it, and both can be stored in a project file, sent to a worker or replayed on the baseline.
 * Every edit names facilities by their `properties.id`.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { FacilityProps } from '../model';
import type { JsonValue } from './json';

export type FacilityFeature = Feature<Point, FacilityProps>;
export type FacilityCollection = FeatureCollection<Point, FacilityProps>;

/** Adds a facility; `index` is its place in the list (default: the end), so undoing a removal puts it back where it was. */
export interface AddFacility {
  type: 'add';
  feature: FacilityFeature;
  index?: number;
}

export interface RemoveFacility {
  type: 'remove';
  id: string;
}

/** Moves a facility to `to` = [longitude, latitude] (WGS84), or [lon, lat, altitude]. */
export interface MoveFacility {
  type: 'move';
  id: string;
  to: number[];
}

/**
 * Changes properties of one facility. `set` gives new values (`null` is a value: "no data"); `unset` removes
 * properties, so the inverse of setting a property the facility did not have is to remove it again. `order`
 * (written by inverses) is the key order to restore, so undo gives back the properties exactly as they were.
 */
export interface SetAttributes {
  type: 'set';
  id: string;
  set?: Record<string, JsonValue>;
  unset?: string[];
  order?: string[];
}

/** Replaces a whole facility record (same id), e.g. an import that updates a registry entry. */
interface ReplaceFacility {
  type: 'replace';
  feature: FacilityFeature;
}

/** Several edits as one step (an import, "accept K suggestions"): all apply or none does, and one undo reverts them. */
export interface EditBatch {
  type: 'batch';
  edits: FacilityEdit[];
  /** What the UI shows in the undo menu, e.g. "接受 5 个建议点位". */
  label?: string;
}

export type FacilityEdit = AddFacility | RemoveFacility | MoveFacility | SetAttributes | ReplaceFacility | EditBatch;

export function addFacility(feature: FacilityFeature, index?: number): AddFacility {
  return index === undefined ? { type: 'add', feature } : { type: 'add', feature, index };
}

export function removeFacility(id: string): RemoveFacility {
  return { type: 'remove', id };
}

export function moveFacility(id: string, lon: number, lat: number): MoveFacility {
  return { type: 'move', id, to: [lon, lat] };
}

/**
 * A `set` edit from a patch as a form gives it: a value of `undefined` means "remove this property", `null`
 * means "no data". Keys are kept in the patch's order.
 */
export function setAttributes(id: string, patch: Readonly<Record<string, JsonValue | undefined>>): SetAttributes {
  const set: [string, JsonValue][] = [];
  const unset: string[] = [];
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === undefined) unset.push(key);
    else set.push([key, value]);
  }
  const edit: SetAttributes = { type: 'set', id };
  if (set.length > 0) edit.set = Object.fromEntries(set);
  if (unset.length > 0) edit.unset = unset;
  return edit;
}

export function batch(edits: readonly FacilityEdit[], label?: string): EditBatch {
  return label === undefined ? { type: 'batch', edits: [...edits] } : { type: 'batch', edits: [...edits], label };
}
