/**
 * Bring your own data, hand GIS teams theirs. DOM-free: runs in a browser worker and in Node.
 *
 * Import: importLayer(bytes | stream, options) → { ok, result: { features, problems, detected, counts } }, or in
 * two steps readSource + finishImport for a wizard (fields and suggestions in between: suggestMapping,
 * suggestTierValues). Export: exportLayer(collection, { format, name, crs }) → { ok, written: { bytes, mime } },
 * with the builders facilitiesForExport, populationWithMinutes, serviceAreasForExport, townshipTable.
 */
export { importLayer, readSource, finishImport, asIoError, type ImportOptions, type ImportOutcome, type SourceLayer } from './import';
export {
  exportLayer,
  writeLayer,
  facilitiesForExport,
  populationWithMinutes,
  minutesColumns,
  serviceAreasForExport,
  townshipTable,
} from './export';
export { TARGETS } from './mapping';
export { type OutputFormat } from './registry';
export { toFailure, type IoFailure } from './messages';
export type { FarPoint, FieldMapping, FormatId, ImportResult, LayerKind, Problem, Progress, SheetInfo, TierValueMapping } from './types';
export { LAYER_KINDS } from './types';
