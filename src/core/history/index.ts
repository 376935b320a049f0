/** Facility edits as data, their inverses, and undo/redo: the public surface of src/core/history. */
export {
  addFacility,
  batch,
  countEdits,
  EDIT_TYPES,
  moveFacility,
  removeFacility,
  replaceFacility,
  setAttributes,
  type AddFacility,
  type EditBatch,
  type FacilityCollection,
  type FacilityEdit,
  type FacilityFeature,
  type MoveFacility,
  type RemoveFacility,
  type ReplaceFacility,
  type SetAttributes,
} from './edit';
export { applyEdit, type Applied, type ApplyResult, type Refused } from './apply';
export { diffFacilities, diffProperties } from './diff';
export { editError, type EditError, type EditErrorCode, type EditErrorParams, type Who } from './errors';
export { describeValue, isJsonValue, isRecord, jsonEqual, MAX_JSON_DEPTH, type JsonValue } from './json';
export {
  canRedo,
  canUndo,
  commitEdit,
  createHistory,
  DEFAULT_HISTORY_CAP,
  pushHistory,
  redo,
  undo,
  type History,
  type HistoryEntry,
  type HistoryError,
  type Stepped,
  type StepResult,
} from './stack';
export { checkFacilities, checkFacility, checkProperty, isPosition, REQUIRED_PROPERTIES, whoOf } from './validate';
