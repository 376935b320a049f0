/** Projects and scenarios: the public surface of src/core/scenario. */
export { compareScenarios, type ScenarioComparison } from './compare';
export { scenarioContents, type ScenarioContents } from './contents';
export { MAX_NAME_LENGTH } from './errors';
export { findScenario, scenarioFacilities } from './facilities';
export {
  createScenario,
  deleteScenario,
  duplicateScenario,
  recordScenarioEdit,
  renameScenario,
  restoreScenario,
  setActiveScenario,
  setProjectPopulation,
} from './operations';
export { BASELINE_NAME, createProject } from './project';
export { BASELINE_ID, type Project, type Scenario } from './types';
