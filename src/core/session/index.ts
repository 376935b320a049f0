/** A county session (src/core/session): what the dataset worker exposes and the page asks. */
export { CountySession } from './county-session';
export { asSessionError } from './errors';
export type { ExportLayer } from './file-names';
export type { ImportChoice, ImportPreview, LayerSwap, LayerUse, ReadSummary, SwappableLayerName, TableChoice } from './io-session';
export type { JoinChoice, JoinPreview, JoinTableSummary } from './join-session';
export { transfersOf } from './transfer';
export type * from './types';
export type { SessionApi } from './api';
