/** Facility edits and layer swaps as data, their inverses, and undo/redo: the public surface of src/core/history. */
export {
  addFacility,
  batch,
  moveFacility,
  removeFacility,
  setAttributes,
  type FacilityCollection,
  type FacilityEdit,
  type FacilityFeature,
} from './edit';
export { applyEdit } from './apply';
export { diffFacilities } from './diff';
export type { EditError } from './errors';
export type { JsonValue } from './json';
export {
  canRedo,
  canUndo,
  commitEdit,
  commitLayer,
  createHistory,
  nextUndo,
  redo,
  undo,
  type History,
  type HistoryError,
  type LayerStepped,
  type StepResult,
} from './stack';
export { layerStep, SWAPPABLE_LAYERS, type LayerRef, type SwappableLayer } from './layers';
export { checkFacilities } from './validate';
