import { TIERS, type Tier } from '../model';
import { anyTierTimes, uncoveredPoints, type CoverageSummary, type UncoveredPoint } from './aggregate';
import type { CoverageEngine, FacilityProblem } from './engine';
import type { PopulationProblem } from './inputs';
import { unreachableTiers } from './limits';
import type { CircleStandard } from './standard';
import type { RoadProblem } from '../travel/road-graph';
import type { GroundFacts } from '../travel/terrain/ground';
import type { TravelMode, TravelSettings } from '../travel/settings';

export type TierOrAny = Tier | 'any';

/** Everything a coverage panel or the command line reports about one computed state. */
export interface CoverageReport {
  mode: TravelMode;
  /** The travel settings every minute of this report was measured with (the method the standard line names). */
  settings: TravelSettings;
  summary: CoverageSummary;
  /** Settlements that miss a part of the standard counting the chosen tier (or any part), largest first. */
  uncovered: UncoveredPoint[];
  uncoveredTier: TierOrAny;
  offNetwork: { count: number; people: number };
  problems: { population: PopulationProblem[]; facilities: FacilityProblem[]; roads: RoadProblem[] };
  /** Tiers whose facilities bring nobody within the largest threshold (said plainly, not just a 0 %). */
  unreachable: Tier[];
  /** Terrain mode: what the ground was made of (no elevation model: flat ground assumed); null in the other modes. */
  ground: GroundFacts | null;
}

export function coverageReport(
  engine: CoverageEngine,
  standard: CircleStandard,
  uncoveredTier: TierOrAny = 'any',
  limit = 200,
): CoverageReport {
  const summary = engine.summary(standard);
  return {
    mode: engine.settings.mode,
    settings: { ...engine.settings, thresholds: [...engine.settings.thresholds], roadKmh: { ...engine.settings.roadKmh } },
    summary,
    uncovered: uncoveredPoints(engine.points, engine.times, standard, uncoveredTier, limit),
    uncoveredTier,
    offNetwork: engine.offNetwork,
    problems: { population: engine.points.problems, facilities: engine.facilityProblems, roads: engine.roadProblems },
    unreachable: unreachableTiers(summary, facilityCounts(engine)),
    ground: engine.groundFacts,
  };
}

function facilityCounts(engine: CoverageEngine): Record<Tier, number> {
  const counts = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  for (const f of engine.facilities()) counts[f.tier]++;
  return counts;
}

/** Copies of each tier's minutes (and the any-tier minimum), ready to transfer out of a worker. */
export function timesForTransfer(engine: CoverageEngine): Record<TierOrAny, Float32Array> {
  const out = Object.fromEntries(TIERS.map((t) => [t, engine.times[t].slice()])) as Record<TierOrAny, Float32Array>;
  out.any = anyTierTimes(engine.times);
  return out;
}
