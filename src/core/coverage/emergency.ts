/**
 * Emergency circles (急救圈), checked as standards of their own beside the service-circle standard: Yanhu's
 * "黄金半小时圈" (30 minutes) and Jingyu's "县内2小时内救援全覆盖" (120 minutes) are response times of an
 * ambulance or a rescue team leaving its base, not how far a patient walks to a clinic. Each is measured on its
 * own travel model: the scenario's roads (and terrain) with the emergency profile's speeds, in the emergency
 * direction, over every resident. Which facilities are bases is the tool's reading, said beside the plan's words:
 * the plans name the county hospital, "regional medical centres" and "sub-stations", so by default county
 * hospitals, township centres and emergency stations (急救站/分站, a tier of their own the planner places) count.
 */
import { TIERS, type Tier } from '../model';
import { PROFILE_IDS, type ProfileId } from '../travel/profiles';
import { profileTravel } from '../travel/profile-travel';
import { thresholdProblem, type TravelSettings } from '../travel/settings';
import type { TravelDirection } from '../travel/terrain/terrain-graph';
import type { CircleStandard } from './standard';

export interface EmergencyStandard {
  /** Stable id: names the circle in JSON, tests and the UI. */
  id: string;
  /** The plan's name for it (黄金半小时圈), or the planner's. */
  name: string;
  minutes: number;
  /** Facilities an emergency run starts from (never empty, in TIERS order). */
  tiers: Tier[];
  profile: ProfileId;
  direction: TravelDirection;
  /** `plan`: the minutes are the plan's words (the bases, profile and direction are the tool's reading). */
  source: 'plan' | 'planner';
  quote: { zh: string; quote: string } | null;
}

/** What a plan file keeps of a planner's emergency circle (`emergency_standards[]`). */
export type SavedEmergency = Pick<EmergencyStandard, 'id' | 'name' | 'minutes' | 'tiers' | 'profile' | 'direction'>;

/** The facilities an emergency circle starts from unless the planner chose others. */
export const DEFAULT_BASES: readonly Tier[] = ['county_hospital', 'township_centre', 'emergency_station'];
const DIRECTIONS: readonly TravelDirection[] = ['from_facility', 'to_facility'];

interface CircleLike {
  minutes?: unknown;
  kind?: unknown;
  zh?: unknown;
  quote?: unknown;
}

type PlanLike = { service_circles?: readonly CircleLike[] | null; emergency_standards?: unknown } | null;

/** Whether a plan's circle is an emergency-response one (the same words standard.ts keeps out of service circles). */
export const isEmergencyCircle = (c: CircleLike): boolean =>
  /emergency|急救|救援/.test(`${String(c.kind ?? '')} ${String(c.zh ?? '')}`.toLowerCase());

/** What is wrong with a saved emergency circle, by its JSON path. */
export interface SavedEmergencyProblem {
  path: string;
  problem:
    | 'not_list'
    | 'not_object'
    | 'bad_id'
    | 'duplicate_id'
    | 'bad_tiers'
    | 'bad_profile'
    | 'bad_direction'
    | 'not_number'
    | 'not_positive'
    | 'too_long';
}

/** Checks a plan's `emergency_standards`; no problems means they are read as they are. */
export function savedEmergencyProblems(value: unknown): SavedEmergencyProblem[] {
  const root = 'emergency_standards';
  if (!Array.isArray(value)) return [{ path: root, problem: 'not_list' }];
  const out: SavedEmergencyProblem[] = [];
  const ids = new Set<string>();
  value.forEach((item: unknown, k) => {
    const path = `${root}[${k}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return out.push({ path, problem: 'not_object' });
    const e = item as Record<string, unknown>;
    if (typeof e.id !== 'string' || e.id.trim() === '') out.push({ path: `${path}.id`, problem: 'bad_id' });
    else if (ids.has(e.id)) out.push({ path: `${path}.id`, problem: 'duplicate_id' });
    else ids.add(e.id);
    if (!Array.isArray(e.tiers) || e.tiers.length === 0 || !e.tiers.every((t) => (TIERS as readonly unknown[]).includes(t)))
      out.push({ path: `${path}.tiers`, problem: 'bad_tiers' });
    if (!(PROFILE_IDS as readonly unknown[]).includes(e.profile)) out.push({ path: `${path}.profile`, problem: 'bad_profile' });
    if (!(DIRECTIONS as readonly unknown[]).includes(e.direction)) out.push({ path: `${path}.direction`, problem: 'bad_direction' });
    const minutes = thresholdProblem(e.minutes);
    if (minutes) out.push({ path: `${path}.minutes`, problem: minutes });
    return undefined;
  });
  return out;
}

/**
 * The emergency circles of a plan: the planner's saved ones when the plan has them (an empty list: none is
 * checked); else each emergency circle of the plan's service_circles with usable minutes, by ambulance from the
 * county hospitals, township centres and emergency stations.
 */
export function emergencyStandards(plan: PlanLike): EmergencyStandard[] {
  const saved = plan?.emergency_standards;
  if (saved !== undefined && saved !== null && savedEmergencyProblems(saved).length === 0)
    return (saved as SavedEmergency[]).map((e) => ({
      ...e,
      name: typeof e.name === 'string' ? e.name : '',
      tiers: TIERS.filter((t) => e.tiers.includes(t)),
      source: 'planner' as const,
      quote: null,
    }));
  return (plan?.service_circles ?? [])
    .filter((c) => isEmergencyCircle(c) && thresholdProblem(c.minutes) === null)
    .map((c, k) => ({
      id: k === 0 ? 'emergency' : `emergency_${k + 1}`,
      name: String(c.zh ?? ''),
      minutes: c.minutes as number,
      tiers: [...DEFAULT_BASES],
      profile: 'ambulance' as const,
      direction: 'from_facility' as const,
      source: 'plan' as const,
      quote: { zh: String(c.zh ?? ''), quote: String(c.quote ?? '') },
    }));
}

/** The circles as a plan file saves them. */
export const toSavedEmergency = (standards: readonly EmergencyStandard[]): SavedEmergency[] =>
  standards.map(({ id, name, minutes, tiers, profile, direction }) => ({ id, name, minutes, tiers: [...tiers], profile, direction }));

/** The travel model an emergency circle is measured on: its profile and direction on the scenario's roads. */
export function emergencyTravel(
  base: TravelSettings,
  standard: Pick<EmergencyStandard, 'profile' | 'direction' | 'minutes'>,
): TravelSettings {
  return { ...profileTravel(base, standard.profile, standard.direction), thresholds: [standard.minutes] };
}

/** The circle as a one-part standard over every resident, so it is tallied, judged and listed by the same rules. */
export function emergencyAsStandard(standard: EmergencyStandard): CircleStandard {
  return {
    parts: [
      {
        id: standard.id,
        people: 'all',
        tiers: [...standard.tiers],
        minutes: standard.minutes,
        source: standard.source,
        quote: standard.quote,
        direction: standard.direction,
      },
    ],
    source: standard.source === 'plan' ? 'plan' : 'planner',
    quotes: standard.quote ? [{ ...standard.quote, minutes: standard.minutes, area: 'emergency' }] : [],
    note: null,
  };
}
