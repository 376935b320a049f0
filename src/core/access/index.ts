/**
 * Access beyond the circles (issue 9): capacity-limited coverage, non-overlapping catchments, referral times
 * between the tiers, and two-step floating catchment area scores, on the coverage engine's points, facilities,
 * projection and road graph, in its current mode.
 *
 * Every analysis runs per scope: one tier, or `any` (every counting facility together: e.g. all the
 * physicians of the county for 2SFCA). All (point, facility) pairs within the threshold are found once
 * (AccessTravel.reach) and shared by capacity and 2SFCA; catchments and referral ask for the nearest
 * facility without (or with a long) cutoff. Ties everywhere go to the smaller id, and thresholds are
 * inclusive with the engine's 1e-6 minute slack.
 *
 *   const access = computeAccess(engine, facilityPropsById(facilities.features), { minutes: 30 });
 *   access.scopes.township_centre.capacity.served        // Float64Array, people served per point
 *   access.json                                          // the tables, as `healthshed access` prints them
 *   catchmentAreas(access.travel, engine.projection, access.scopes.any.members)   // polygons for the map
 */
import { accessBytes, checkBudget, type MemoryBudget } from '../budget';
import type { CoverageEngine } from '../coverage/engine';
import type { TierOrAny } from '../coverage/report';
import { SERVICE_TIERS } from '../model';
import {
  allocateCapacity,
  capacityTable,
  DEFAULT_CAPACITY_OPTIONS,
  siteCapacity,
  type CapacityAllocation,
  type CapacityOptions,
  type CapacityTable,
} from './capacity';
import { catchments, catchmentTable, type CatchmentResult, type CatchmentTable } from './catchments';
import type { Decay } from './decay';
import { DEFAULT_REFERRAL_OPTIONS, referralTimes, type ReferralOptions, type ReferralReport } from './referral';
import { sfcaSummary, twoStepFca, type SfcaResult, type SfcaSummary } from './sfca';
import { accessSites, idRanks, type AccessSite, type FacilityPropsById } from './sites';
import { AccessTravel, type ReachPairs } from './travel';
import type { TravelMode } from '../travel/settings';

export type AccessScope = TierOrAny;
/** Supply per person and catchments are about care: emergency stations (no beds, no doctors on file) have no scope. */
export const ACCESS_SCOPES: readonly AccessScope[] = ['any', ...SERVICE_TIERS];

export interface AccessOptions {
  /** The threshold d0 in minutes, for capacity and 2SFCA (inclusive). Default 30. */
  minutes: number;
  capacity: CapacityOptions;
  /** 2SFCA distance decay. Default none (the original 2SFCA). */
  decay: Decay;
  referral: ReferralOptions;
  /** The scopes to compute (default all four). */
  scopes: readonly AccessScope[];
  /** The memory budget (src/core/budget.ts): the pairs are estimated from a sample of sites before they are
   * found, and a run that would not fit throws BudgetError. None: no check. */
  memoryBudget?: MemoryBudget | number | null;
}

const DEFAULT_ACCESS_OPTIONS: AccessOptions = {
  minutes: 30,
  capacity: DEFAULT_CAPACITY_OPTIONS,
  decay: 'none',
  referral: DEFAULT_REFERRAL_OPTIONS,
  scopes: ACCESS_SCOPES,
};

/** Per point, typed arrays, for the map and the CSV. */
interface ScopeResult {
  scope: AccessScope;
  /** Site indices in the scope, ascending. */
  members: Int32Array;
  capacity: CapacityAllocation;
  catchments: CatchmentResult;
  sfca: { physicians: SfcaResult; beds: SfcaResult };
}

/** The tables, JSON-ready. */
export interface ScopeTables {
  facilities: number;
  capacity: CapacityTable;
  catchments: CatchmentTable;
  sfca: { physicians: SfcaSummary; beds: SfcaSummary };
}

export interface AccessJson {
  mode: TravelMode;
  minutes: number;
  decay: Decay;
  population_total: number;
  points: number;
  scopes: Partial<Record<AccessScope, ScopeTables>>;
  referral: ReferralReport;
}

export interface AccessResult {
  options: AccessOptions;
  sites: AccessSite[];
  travel: AccessTravel;
  pairs: ReachPairs;
  scopes: Partial<Record<AccessScope, ScopeResult>>;
  referral: ReferralReport;
  json: AccessJson;
}

/** The site indices of a scope. */
function scopeMembers(sites: readonly AccessSite[], scope: AccessScope): Int32Array {
  return Int32Array.from(sites.filter((s) => (scope === 'any' ? SERVICE_TIERS.includes(s.tier) : s.tier === scope)).map((s) => s.index));
}

/** All four analyses on the engine's current state. */
export function computeAccess(engine: CoverageEngine, props: FacilityPropsById, options: Partial<AccessOptions> = {}): AccessResult {
  const o: AccessOptions = { ...DEFAULT_ACCESS_OPTIONS, ...options };
  const points = engine.points;
  const sites = accessSites(engine, props);
  checkAccessBudget(engine, sites, o);
  const travel = new AccessTravel(points, sites, engine.settings, engine.graph, engine.terrain);
  const pairs = travel.reach(o.minutes);
  const pointRank = idRanks(points.ids);
  const capacity = sites.map((s) => siteCapacity(s, o.capacity));
  const physicians = sites.map((s) => s.physicians);
  const beds = sites.map((s) => s.beds);
  const scopes: Partial<Record<AccessScope, ScopeResult>> = {};
  const tables: Partial<Record<AccessScope, ScopeTables>> = {};
  for (const scope of o.scopes) {
    const members = scopeMembers(sites, scope);
    const allocation = allocateCapacity({ people: points.people, pointRank, pairs, capacity, members, unknown: o.capacity.unknown });
    const catchment = catchments(travel, members);
    const sfca = {
      physicians: twoStepFca({ people: points.people, pairs, supply: physicians, members, decay: o.decay }),
      beds: twoStepFca({ people: points.people, pairs, supply: beds, members, decay: o.decay }),
    };
    scopes[scope] = { scope, members, capacity: allocation, catchments: catchment, sfca };
    tables[scope] = {
      facilities: members.length,
      capacity: capacityTable(points, sites, members, capacity, allocation, o.capacity),
      catchments: catchmentTable(points, sites, members, catchment),
      sfca: {
        physicians: sfcaSummary('physicians', points, sites, members, physicians, sfca.physicians),
        beds: sfcaSummary('beds', points, sites, members, beds, sfca.beds),
      },
    };
  }
  const referral = referralTimes(travel, o.referral);
  let total = 0;
  for (let i = 0; i < points.count; i++) total += points.people[i]!;
  return {
    options: o,
    sites,
    travel,
    pairs,
    scopes,
    referral,
    json: {
      mode: travel.mode,
      minutes: o.minutes,
      decay: o.decay,
      population_total: total,
      points: points.count,
      scopes: tables,
      referral,
    },
  };
}

/** The pairs of an even sample of sites (at most 64), found as computeAccess finds them, scaled to all sites. */
function checkAccessBudget(engine: CoverageEngine, sites: readonly AccessSite[], o: AccessOptions): void {
  if (o.memoryBudget === null || o.memoryBudget === undefined || sites.length === 0) return;
  const sample = Math.min(64, sites.length);
  const picked = Array.from(
    { length: sample },
    (_, s) => sites[Math.min(sites.length - 1, Math.floor(((s + 0.5) * sites.length) / sample))]!,
  );
  const probe = new AccessTravel(
    engine.points,
    picked.map((site, index) => ({ ...site, index })),
    engine.settings,
    engine.graph,
    engine.terrain,
  );
  const { offsets } = probe.reach(o.minutes);
  const scaled = Math.round((offsets[sample]! / sample) * sites.length);
  const each = Math.round(scaled / sites.length).toLocaleString('en');
  checkBudget(
    'access',
    accessBytes({ sites: sites.length, points: engine.points.count, pairs: scaled, scopes: o.scopes.length }),
    o.memoryBudget,
    {
      en: `${sites.length.toLocaleString('en')} facilities × ${each} of ${engine.points.count.toLocaleString('en')} population points within ${o.minutes} minutes each`,
      zh: `${sites.length.toLocaleString('en')} 个机构 × 每个 ${o.minutes} 分钟内 ${each} 个人口点（共 ${engine.points.count.toLocaleString('en')} 个）`,
    },
  );
}

export { allocateCapacity, pairOrder, siteCapacity, DEFAULT_CAPACITY_OPTIONS, CAPACITY_BASES, UNKNOWN_CAPACITY } from './capacity';
export type { CapacityBasis, CapacityInput } from './capacity';
export { catchmentAreas } from './catchment-areas';
export { DECAYS, decayWeight } from './decay';
export type { Decay } from './decay';
export { DEFAULT_REFERRAL_OPTIONS, REFERRAL_TARGETS, referralTimes } from './referral';
export type { ReferralLeg } from './referral';
export { twoStepFca } from './sfca';
export { facilityPropsById, idRanks } from './sites';
export type { AccessSite, FacilityPropsById } from './sites';
export { AccessTravel } from './travel';
export type { ReachPairs } from './travel';
