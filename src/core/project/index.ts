/** The `.healthshed` project file: the public surface of src/core/project. */
export { readProject } from './read';
export { savedLayers, writeProject } from './write';
