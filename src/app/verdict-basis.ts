/**
 * Which layers a coverage verdict stands on (core/coverage/basis.ts) are modelled (示意), from the provenance rows
 * the layer list shows. The coverage panel and the overview tag their verdicts from here.
 */
import { EMERGENCY_BASIS, standardBasis } from '../core/coverage/basis';
import type { CoverageReport } from '../core/coverage/report';
import { modelledBasis, type ProvenanceLayer, type ProvenanceRow } from '../core/layer-provenance';

export const standardModelled = (
  rows: readonly ProvenanceRow[],
  report: Pick<CoverageReport, 'settings' | 'partSettings'>,
): ProvenanceLayer[] => modelledBasis(rows, standardBasis(report.settings, report.partSettings));

export const emergencyModelled = (rows: readonly ProvenanceRow[]): ProvenanceLayer[] => modelledBasis(rows, EMERGENCY_BASIS);
