/** The population the plan's targets are judged against: the public surface of src/core/population. */
export { AGE_GROUPS, censusAgeShares } from './ages';
export { CENSUS_SETTING, checkPopulationSetting, DEFAULT_TARGET_YEAR, MAX_RATE, MAX_YEAR, type PopulationSetting } from './setting';
export { parsePopulationTable, type TableProblem } from './table';
export { censusBase, populationFor } from './target';
