/**
 * compareScenarios: what scenario b changes against scenario a, from results the worker has already computed
 * (each side's facilities, CoverageSummary and RatiosReport), so comparing costs no geometry at all.
 */
import type { CoverageSummary } from '../coverage/aggregate';
import type { FacilityCollection } from '../history/edit';
import type { RatiosReport } from '../ratios/report';
import { compareCoverage, type CoverageComparison } from './compare-coverage';
import { compareFacilities, type FacilityComparison } from './compare-facilities';
import { compareRatios, type RatiosComparison } from './compare-ratios';

export interface ScenarioSide {
  facilities: FacilityCollection;
  coverage: CoverageSummary;
  ratios: RatiosReport;
}

export interface ScenarioComparison {
  /** People newly covered (b − a) per tier, threshold and township, and for any tier. */
  coverage: CoverageComparison;
  /** Every ratio's value and status change, county and townships. */
  ratios: RatiosComparison;
  /** Added, removed, moved and changed facilities, with a FeatureCollection to draw. */
  facilities: FacilityComparison;
}

/** What b changes against a: coverage, ratios and facilities. Pure and cheap: no geometry is computed here. */
export function compareScenarios(a: ScenarioSide, b: ScenarioSide): ScenarioComparison {
  return {
    coverage: compareCoverage(a.coverage, b.coverage),
    ratios: compareRatios(a.ratios, b.ratios),
    facilities: compareFacilities(a.facilities, b.facilities),
  };
}
