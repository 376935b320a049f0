/** The `.healthshed` project file: the public surface of src/core/project. */
export { crc32, gunzip, isGzip, MAX_TEXT_BYTES } from './bytes';
export { CURRENT_VERSION, PROJECT_EXTENSION, PROJECT_FORMAT, type ProjectFileV2, type ScenarioFile } from './format';
export { projectError, type ProjectError, type ProjectErrorCode, type ProjectErrorParams } from './messages';
export { readProject, type ReadProjectResult } from './read';
export { UPGRADES, upgradeDocument } from './upgrade';
export { upgradeV1, type LayerSourceV1, type ProjectFileV1, type ScenarioV1 } from './v1';
export { projectDocument, writeProject, type WriteOptions } from './write';
