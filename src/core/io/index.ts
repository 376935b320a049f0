/**
 * Bring your own data, hand GIS teams theirs. DOM-free: runs in a browser worker and in Node.
 *
 * Import: importLayer(bytes | stream, options) → { ok, result: { features, problems, detected, counts } }, or in
 * two steps readSource + finishImport for a wizard (fields and suggestions in between: suggestMapping,
 * suggestTierValues). Export: exportLayer(collection, { format, name, crs }) → { ok, written: { bytes, mime } },
 * with the builders facilitiesForExport, populationWithMinutes, serviceAreasForExport, townshipTable.
 */
export {
  importLayer,
  readSource,
  finishImport,
  makeProblem,
  asIoError,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_CELLS,
  type ImportInput,
  type ImportOptions,
  type ImportOutcome,
  type ReadOptions,
  type FinishOptions,
  type SourceLayer,
} from './import';
export {
  exportLayer,
  writeLayer,
  formatForFileName,
  facilitiesForExport,
  populationWithMinutes,
  minutesColumns,
  serviceAreasForExport,
  townshipTable,
  FACILITY_COLUMNS,
  TIER_ZH,
  type ExportOptions,
  type ExportOutcome,
  type MinutesColumn,
} from './export';
export { applyMapping, describeFields, parseCount, suggestKind, suggestMapping, suggestTier, suggestTierValues, TARGETS } from './mapping';
export { CODECS, codecById, detectFormat, outputFormatFor, OUTPUT_FORMATS, type OutputFormat } from './registry';
export { describe, IoError, toFailure, type IoFailure, type MessageCode, type MessageParams } from './messages';
export { readShapefileParts, type ShapefileParts } from './formats/shapefile';
export { parseWkt, toWkt } from './geometry';
export { checkGeometry, checkProperties, outlineTester } from './validate';
export type {
  FieldMapping,
  FileCrs,
  FormatCodec,
  FormatId,
  ImportResult,
  LayerKind,
  Problem,
  Progress,
  RawFeature,
  RawRead,
  SourceField,
  TierValueMapping,
  Written,
} from './types';
export { FORMAT_IDS, LAYER_KINDS } from './types';
export type { AbortSignalLike, ByteStream } from './web';
