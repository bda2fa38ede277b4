/**
 * The importer: existing Spaces and ESO YAML to a TypeScript secrets topology (`secrets-topology
 * import`). See docs/import.md.
 */
export { IMPORT_EXIT, IMPORT_HELP, importCommand, type CommandIo } from './command.js';
export {
  compareObjects,
  normalizeObject,
  outputObjects,
  type FieldDifference,
  type ObjectDifference,
  type OutputObject,
} from './equivalence.js';
export { importDocuments, importTopology, synthesizeProgram, type ImportResult, type ImportTopologyOptions } from './import.js';
export { formatItem, isIncomplete, type ImportItem, type ItemSeverity } from './items.js';
export { BUILD_FUNCTION } from './print.js';
export { DEFAULT_OPTIONS, type ImportOptions, type ImportedObject } from './reconstruct.js';
export { INPUT_LIMITS, ImportInputError, readInputFiles, type SourceFile } from './source.js';
