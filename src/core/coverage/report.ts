import { TIERS, type Tier } from '../model';
import {
  anyTierTimes,
  uncoveredPoints,
  type CoverageSummary,
  type StandardCheck,
  type TownshipShare,
  type UncoveredPoint,
} from './aggregate';
import { emergencyAsStandard, type EmergencyStandard } from './emergency';
import { partMinutes, withinPart, type CircleStandard } from './standard';
import type { PartTimes } from './tally';
import type { CoverageEngine, FacilityProblem } from './engine';
import type { PopulationProblem } from './inputs';
import { unreachableTiers } from './limits';
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
  /** Counting facilities per tier: a tier with none reads "none", not as 0 % reached (a county without stations). */
  facilities: Record<Tier, number>;
  /** Terrain mode: what the ground was made of (no elevation model: flat ground assumed); null in the other modes. */
  ground: GroundFacts | null;
  /** By part of the standard: the travel it was measured with when its own profile (null: `settings`). */
  partSettings: (TravelSettings | null)[];
  /** The plan's emergency circles, each measured on its own travel model (emergency.ts); [] when it sets none. */
  emergency: EmergencyCheck[];
}

/** One emergency circle judged: over every resident, from its bases, on its own travel model. */
export interface EmergencyCheck {
  standard: EmergencyStandard;
  /** The travel model its minutes were measured on (the method line names it). */
  settings: TravelSettings;
  /** Its one part: the people, those within the minutes, the verdict (全覆盖 means everyone). */
  check: StandardCheck;
  townships: TownshipShare[];
  /** Settlements beyond the circle, largest first. */
  uncovered: UncoveredPoint[];
  /** Settlements beyond it in all (the list above may be cut). */
  uncoveredCount: number;
  /** No base of the circle's tiers stands in the county (everyone is beyond it: a fail, said plainly). */
  noBases: boolean;
  /** No usable road: an ambulance's minutes cannot be measured, so the circle is not judged (reason no_roads). */
  noRoads: boolean;
  ground: GroundFacts | null;
}

/** What else a report is measured with: the engines of the emergency circles, and of parts with their own profile. */
export interface ReportMeasures {
  emergency: readonly { standard: EmergencyStandard; engine: CoverageEngine }[];
  /** By part: the minutes of a part measured on its own travel profile (null: the engine's). */
  partTimes: PartTimes;
  /** The travel settings of each part with its own profile (null: the engine's), for the method line. */
  partSettings: readonly (TravelSettings | null)[];
}

export const NO_MEASURES: ReportMeasures = { emergency: [], partTimes: [], partSettings: [] };

export function coverageReport(
  engine: CoverageEngine,
  standard: CircleStandard,
  measures: ReportMeasures,
  uncoveredTier: TierOrAny = 'any',
  limit = 200,
): CoverageReport {
  const { emergency, partTimes } = measures;
  const summary = engine.summary(standard, partTimes);
  const facilities = facilityCounts(engine);
  return {
    mode: engine.settings.mode,
    settings: { ...engine.settings, thresholds: [...engine.settings.thresholds], roadKmh: { ...engine.settings.roadKmh } },
    summary,
    uncovered: uncoveredPoints(engine.points, engine.times, standard, uncoveredTier, limit, partTimes),
    partSettings: standard.parts.map((_, p) => measures.partSettings[p] ?? null),
    uncoveredTier,
    offNetwork: engine.offNetwork,
    problems: { population: engine.points.problems, facilities: engine.facilityProblems, roads: engine.roadProblems },
    unreachable: unreachableTiers(summary, facilities),
    facilities,
    ground: engine.groundFacts,
    emergency: emergency.map((e) => emergencyCheck(e.engine, e.standard, limit)),
  };
}

/** An emergency circle judged on the engine that measures it (built on emergencyTravel's settings). */
export function emergencyCheck(engine: CoverageEngine, standard: EmergencyStandard, limit = 200): EmergencyCheck {
  const circle = emergencyAsStandard(standard);
  const summary = engine.summary(circle);
  // Every edit asks this: count those beyond in one pass, and list only the largest.
  const part = circle.parts[0]!;
  let beyondCount = 0;
  for (let i = 0; i < engine.points.count; i++)
    if (engine.points.people[i]! > 0 && !withinPart(partMinutes(engine.times, part, i), part)) beyondCount++;
  const counts = facilityCounts(engine);
  const noRoads = (engine.graph?.segmentCount ?? 0) === 0;
  const check = noRoads
    ? { ...summary.standard, verdict: 'cannot_judge' as const, reason: 'no_roads' as const, pass: false }
    : summary.standard;
  return {
    standard,
    settings: { ...engine.settings, thresholds: [...engine.settings.thresholds], roadKmh: { ...engine.settings.roadKmh } },
    check,
    townships: summary.townships,
    uncovered: uncoveredPoints(engine.points, engine.times, circle, 'any', limit),
    uncoveredCount: beyondCount,
    noBases: standard.tiers.every((t) => counts[t] === 0),
    noRoads,
    ground: engine.groundFacts,
  };
}

/**
 * Each settlement's minutes from (or to) the nearest base of an emergency circle, on the engine that judges it
 * (emergencyCheck): the exports' per-settlement columns, so they sum to the check's figures. Non-finite: no base
 * within the circle's minutes (its engine searches no farther) or none reachable.
 */
export function emergencyMinutes(engine: CoverageEngine, standard: EmergencyStandard): Float64Array {
  const part = emergencyAsStandard(standard).parts[0]!;
  const out = new Float64Array(engine.points.count);
  for (let i = 0; i < out.length; i++) out[i] = partMinutes(engine.times, part, i);
  return out;
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
