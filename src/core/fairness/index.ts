/**
 * Fairness of a scenario (issue 17) on a coverage engine as it stands: travel time to the nearest facility of a
 * tier (or of any tier) for the county and every township, and the spread of 2SFCA scores between townships,
 * with the options of the access panel. The session answers it for the open scenario and for a scenario compared.
 */
import type { CoverageEngine } from '../coverage/engine';
import type { TierOrAny } from '../coverage/report';
import { SERVICE_TIERS } from '../model';
import { twoStepFca, type Decay, type CapacityBasis, type AccessScope } from '../access/index';
import { accessSites, type FacilityPropsById } from '../access/sites';
import { AccessTravel } from '../access/travel';
import { nearestOfAny, timeFairness, type TimeFairness } from './time-fairness';
import { sfcaSpread, type SfcaSpread } from './sfca-spread';
import type { TravelMode } from '../travel/settings';

export { timeFairness, type TimeStats } from './time-fairness';
export { sfcaSpread, weightedGini, decileMeans } from './sfca-spread';

/** The 2SFCA options used: the access panel's (catchment minutes, supply, decay, facilities counted). */
export interface SfcaOptions {
  minutes: number;
  /** Physicians or beds per 1,000 within reach. */
  basis: CapacityBasis;
  decay: Decay;
  scope: AccessScope;
}

/** The access module's defaults (src/core/access/index.ts, the access panel's first state). */
export const DEFAULT_SFCA_OPTIONS: SfcaOptions = { minutes: 30, basis: 'physicians', decay: 'none', scope: 'any' };

export interface FairnessResult {
  tier: TierOrAny;
  mode: TravelMode;
  time: TimeFairness;
  sfca: SfcaSpread & SfcaOptions & { facilities: number; unknown_supply: number };
}

/** Minutes per settlement to the nearest counting facility of the tier (of any tier: the least of the three). */
export function tierTimes(engine: CoverageEngine, tier: TierOrAny): ArrayLike<number> {
  return tier === 'any' ? nearestOfAny(SERVICE_TIERS.map((t) => engine.times[t])) : engine.times[tier];
}

/** Per settlement, supply per person within reach (A_i) by 2SFCA, as computeAccess finds it for the scope. */
export function sfcaAccess(
  engine: CoverageEngine,
  props: FacilityPropsById,
  options: SfcaOptions,
): { access: Float64Array; facilities: number; unknownSupply: number } {
  const sites = accessSites(engine, props);
  const travel = new AccessTravel(engine.points, sites, engine.settings, engine.graph, engine.terrain);
  const pairs = travel.reach(options.minutes);
  const members = Int32Array.from(sites.filter((s) => options.scope === 'any' || s.tier === options.scope).map((s) => s.index));
  const supply = sites.map((s) => (options.basis === 'beds' ? s.beds : s.physicians));
  const result = twoStepFca({ people: engine.points.people, pairs, supply, members, decay: options.decay });
  return { access: result.access, facilities: members.length, unknownSupply: result.unknownSupply.length };
}

export function fairnessOf(engine: CoverageEngine, props: FacilityPropsById, tier: TierOrAny, options: SfcaOptions): FairnessResult {
  const time = timeFairness(engine.points, tierTimes(engine, tier), engine.cutoff);
  const access = sfcaAccess(engine, props, options);
  return {
    tier,
    mode: engine.settings.mode,
    time,
    sfca: { ...sfcaSpread(engine.points, access.access), ...options, facilities: access.facilities, unknown_supply: access.unknownSupply },
  };
}
