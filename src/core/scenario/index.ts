/** Projects and scenarios: the public surface of src/core/scenario. */
export { compareScenarios, type ScenarioComparison, type ScenarioSide } from './compare';
export { compareCoverage, type AreaCoverageChange, type CoverageComparison, type ReachChange } from './compare-coverage';
export {
  compareFacilities,
  distanceMetres,
  type AttributeChange,
  type ChangeFeatureProps,
  type ChangeKind,
  type FacilityAttributeChanges,
  type FacilityComparison,
  type FacilityMove,
  type FacilityRef,
} from './compare-facilities';
export { compareRatios, type AreaRatiosChange, type NumberChange, type RatioChange, type RatiosComparison } from './compare-ratios';
export { MAX_NAME_LENGTH, scenarioError, type ScenarioError, type ScenarioErrorCode } from './errors';
export { findScenario, replayScenario, scenarioFacilities, type FacilitiesResult } from './facilities';
export {
  compactScenario,
  createScenario,
  deleteScenario,
  duplicateScenario,
  recordScenarioEdit,
  renameScenario,
  setActiveScenario,
  setScenarioPlan,
  setScenarioTravel,
  type NewScenario,
  type ScenarioResult,
} from './operations';
export { BASELINE_NAME, createProject, type NewProject, type NewProjectResult } from './project';
export {
  BASELINE_ID,
  LANGUAGES,
  OTHER_LAYERS,
  type CustomPlan,
  type Language,
  type LayerSource,
  type OtherLayer,
  type Project,
  type ProjectCounty,
  type Scenario,
} from './types';
