/**
 * The service-circle standard a plan sets for health, made explicit: a list of parts, each saying which people
 * (urban, rural or all), within how many minutes, of which facility tiers, travelling towards the facility. The
 * plans give minutes for urban and rural people but never say which facilities count; the tool's reading of
 * that is stated, shown apart from the plan's words, and editable (a plan's `service_standard`).
 *
 * Only circles of health services count: Yanhu's 15-minute circle is for fitness and its 30-minute one for
 * emergency response, and Jingyu's 2 hours is an emergency-rescue target; none is a catchment rule.
 */
import { SERVICE_TIERS, TIERS, type Tier } from '../model';
import type { TravelDirection } from '../travel/terrain/terrain-graph';
import { PROFILE_IDS, type ProfileId } from '../travel/profiles';
import { isEmergencyCircle } from './emergency';
import { MINUTES_SLACK } from '../travel/minutes';
import { terrainOf, thresholdProblem, TIME_HORIZON_MINUTES, type TravelMode, type TravelSettings } from '../travel/settings';
import { profileTravel } from '../travel/profile-travel';

export const PEOPLE_GROUPS = ['urban', 'rural', 'all'] as const;
export type PeopleGroup = (typeof PEOPLE_GROUPS)[number];

/**
 * Where a part comes from: `plan` — its minutes are the plan's words (which facilities count is still the tool's
 * reading, said beside it); `default` — the plan states no such circle, the tool's default; `planner` — set by the
 * planner and saved with the plan.
 */
type PartSource = 'plan' | 'default' | 'planner';

export interface StandardPart {
  /** Stable id: names the part in the JSON, the tests and the UI. */
  id: string;
  people: PeopleGroup;
  /** The nearest facility of any of these tiers counts (never empty, in TIERS order). */
  tiers: Tier[];
  minutes: number;
  source: PartSource;
  /** The plan's words behind the minutes, when source is `plan`. */
  quote: { zh: string; quote: string } | null;
  /** Who travels: people to the facility (service circles) or a team from it (emergency circles, emergency.ts). */
  direction: TravelDirection;
  /**
   * How this part's people travel when not as the scenario does (步行 for the urban 15 minutes, 电动车 for the
   * rural 30): measured on the scenario's roads with this profile's speeds (profile-travel.ts). Absent: the
   * scenario's travel.
   */
  profile?: ProfileId;
  /** `default`: the profile is the tool's default reading (DEFAULT_PART_PROFILES), not the planner's choice. */
  profileSource?: 'default';
}

export interface CircleStandard {
  /** Every part must be met: the verdict is their conjunction. */
  parts: StandardPart[];
  /** `plan`: both minutes come from the plan; `partial`: one does; `default`: the tool's 15/30; `planner`: edited. */
  source: 'plan' | 'partial' | 'default' | 'planner';
  quotes: { zh: string; quote: string; minutes: number; area: string }[];
  /** The plan's own explanation when it sets no health circle. */
  note: string | null;
}

/** The part as a plan file keeps it (`service_standard.parts[]`): the planner's choices, nothing derived. */
export interface SavedPart {
  id: string;
  people: PeopleGroup;
  tiers: Tier[];
  minutes: number;
  profile?: ProfileId;
}

const DEFAULT_URBAN_MINUTES = 15;
const DEFAULT_RURAL_MINUTES = 30;
/** The tool's reading of a village clinic's circle: a walk of a quarter of an hour, as for urban people. */
const DEFAULT_CLINIC_MINUTES = 15;
/**
 * How people travel in the tool's default reading when the scenario rides the roads (network or terrain mode), as
 * issue 16 states the circle: urban people within 15 minutes on foot; rural people within 30 minutes by the
 * common means of transport, read as the 电动车 (e-bike) that carries much of rural China to a clinic; a village
 * clinic's quarter of an hour is a walk (the clinic is the village's own). No seed plan names a means of
 * transport, so each is the tool's reading: said beside the standard, changeable part by part (修改标准).
 * A straight-line scenario keeps its straight line for every part: the planner chose that method, and a profile
 * is a way of using the roads (profile-travel.ts).
 */
const DEFAULT_PART_PROFILES = { urban: 'walking', rural_centre: 'ebike', rural_clinic: 'walking' } as const satisfies Record<
  string,
  ProfileId
>;

/** Tiers that give the care of a 乡镇卫生院 or more. */
const CENTRE_OR_ABOVE: Tier[] = ['county_hospital', 'township_centre'];

/** Whether a settlement (urban or not) is among a part's people. */
export function partApplies(part: Pick<StandardPart, 'people'>, urban: boolean): boolean {
  return part.people === 'all' || (part.people === 'urban') === urban;
}

/**
 * The one standard rule: a settlement `minutes` from the nearest facility of a part's tiers is within the part
 * when the minutes are at most the part's, with MINUTES_SLACK of slack. NaN and Infinity are outside. Every
 * count of people within the standard (the county's check, each township's share, the uncovered list) goes
 * through here.
 */
export function withinPart(minutes: number, part: Pick<StandardPart, 'minutes'>): boolean {
  return minutes <= partLimit(part);
}

/** The largest minutes within a part (the rule above as a number, for passes that compare without branching). */
export const partLimit = (part: Pick<StandardPart, 'minutes'>): number => part.minutes + MINUTES_SLACK;

/** The minutes from a point to the nearest facility of a part's tiers. */
export function partMinutes(times: Record<Tier, ArrayLike<number>>, part: Pick<StandardPart, 'tiers'>, i: number): number {
  let best = Infinity;
  for (const tier of part.tiers) {
    const m = times[tier][i]!;
    if (m < best) best = m;
  }
  return best;
}

/** The longest minutes any part asks for: how far a search must go to judge the standard. */
export function standardHorizon(standard: Pick<CircleStandard, 'parts'>): number {
  return Math.max(0, ...standard.parts.map((p) => p.minutes));
}

/**
 * How far the engine searches for this standard: its widest circle, and at least TIME_HORIZON_MINUTES, so mean
 * and worst travel times and the people beyond 30 and 60 minutes are measured rather than guessed.
 */
export function engineHorizon(standard: Pick<CircleStandard, 'parts'>): number {
  return Math.max(standardHorizon(standard), TIME_HORIZON_MINUTES);
}

/**
 * The travel of each profile the parts name, where it differs from the scenario's: each needs an engine of its
 * own (the scenario's roads and ground with the profile's speeds, searched as far as the scenario's).
 */
export function partTravels(standard: Pick<CircleStandard, 'parts'>, settings: TravelSettings): Map<ProfileId, TravelSettings> {
  const out = new Map<ProfileId, TravelSettings>();
  for (const part of standard.parts) {
    if (!part.profile || out.has(part.profile)) continue;
    const travel = { ...profileTravel(settings, part.profile), thresholds: settings.thresholds };
    if (travelKey(travel) !== travelKey(settings)) out.set(part.profile, travel);
  }
  return out;
}

/** The tiers the parts on a profile judge: all an engine of that profile must search (EngineInput.tiers). */
export function profileTiers(standard: Pick<CircleStandard, 'parts'>, profile: ProfileId): Tier[] {
  const tiers = new Set(standard.parts.filter((p) => p.profile === profile).flatMap((p) => p.tiers));
  return TIERS.filter((t) => tiers.has(t));
}

/** Travel settings as a key that does not depend on the order of their fields or on defaults left unwritten. */
function travelKey(settings: TravelSettings): string {
  const sorted = (o: object): [string, unknown][] => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { roadKmh, terrain, ...rest } = settings;
  return JSON.stringify([sorted(rest), sorted(roadKmh), sorted(terrain ?? terrainOf({}))]);
}

/** A key that changes exactly when what is measured changes (parts' people, tiers and minutes). */
export function standardKey(standard: Pick<CircleStandard, 'parts'>): string {
  return JSON.stringify(standard.parts.map((p) => [p.id, p.people, p.tiers, p.minutes, p.profile ?? null]));
}

interface CircleLike {
  minutes?: unknown;
  area?: unknown;
  kind?: unknown;
  zh?: unknown;
  quote?: unknown;
}

const isHealthCircle = (c: CircleLike): boolean => {
  const kind = `${String(c.kind ?? '')} ${String(c.zh ?? '')}`.toLowerCase();
  if (/fitness|健身/.test(kind) || isEmergencyCircle(c)) return false;
  return /service circle|服务圈/.test(kind);
};

type PlanLike = {
  service_circles?: readonly CircleLike[] | null;
  service_circles_note?: unknown;
  service_standard?: unknown;
} | null;

/** A service circle (of any kind) whose minutes are not a usable threshold (see thresholdProblem), by its index. */
export interface UnusableCircle {
  index: number;
  area: string;
  zh: string;
  minutes: unknown;
  problem: 'not_number' | 'not_positive' | 'too_long';
}

/**
 * The plan's service circles (health or not) whose minutes fail the same limits as --minutes (finite, > 0, at most a
 * day). A command refuses such a plan; circleStandard never uses them (a 10⁹-minute circle would pass anyone).
 */
export function unusableCircles(plan: PlanLike): UnusableCircle[] {
  const out: UnusableCircle[] = [];
  (plan?.service_circles ?? []).forEach((c, index) => {
    if (c.minutes === undefined || c.minutes === null) return;
    const problem = thresholdProblem(c.minutes);
    if (problem) out.push({ index, area: String(c.area ?? ''), zh: String(c.zh ?? ''), minutes: c.minutes, problem });
  });
  return out;
}

/** What is wrong with a saved standard, by its JSON path (`service_standard.parts[1].tiers`). */
export interface SavedStandardProblem {
  path: string;
  problem:
    | 'not_object'
    | 'no_parts'
    | 'bad_id'
    | 'duplicate_id'
    | 'bad_people'
    | 'bad_tiers'
    | 'bad_profile'
    | 'not_number'
    | 'not_positive'
    | 'too_long';
}

/** Checks a plan's `service_standard`; no problems means savedParts() reads it. */
export function savedStandardProblems(value: unknown): SavedStandardProblem[] {
  const root = 'service_standard';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: root, problem: 'not_object' }];
  const parts = (value as { parts?: unknown }).parts;
  if (!Array.isArray(parts) || parts.length === 0) return [{ path: `${root}.parts`, problem: 'no_parts' }];
  const out: SavedStandardProblem[] = [];
  const ids = new Set<string>();
  parts.forEach((part: unknown, k) => {
    const path = `${root}.parts[${k}]`;
    if (typeof part !== 'object' || part === null) return out.push({ path, problem: 'not_object' });
    const p = part as Record<string, unknown>;
    if (typeof p.id !== 'string' || p.id.trim() === '') out.push({ path: `${path}.id`, problem: 'bad_id' });
    else if (ids.has(p.id)) out.push({ path: `${path}.id`, problem: 'duplicate_id' });
    else ids.add(p.id);
    if (!(PEOPLE_GROUPS as readonly unknown[]).includes(p.people)) out.push({ path: `${path}.people`, problem: 'bad_people' });
    const tiers = p.tiers;
    if (!Array.isArray(tiers) || tiers.length === 0 || !tiers.every((t) => (TIERS as readonly unknown[]).includes(t)))
      out.push({ path: `${path}.tiers`, problem: 'bad_tiers' });
    if (p.profile !== undefined && !(PROFILE_IDS as readonly unknown[]).includes(p.profile))
      out.push({ path: `${path}.profile`, problem: 'bad_profile' });
    const minutes = thresholdProblem(p.minutes);
    if (minutes) out.push({ path: `${path}.minutes`, problem: minutes });
    return undefined;
  });
  return out;
}

/** The planner's parts, in a canonical form (tiers in TIERS order, no repeats); null when absent or invalid. */
function savedParts(value: unknown): StandardPart[] | null {
  if (value === undefined || value === null || savedStandardProblems(value).length > 0) return null;
  return (value as { parts: SavedPart[] }).parts.map((p) => ({
    id: p.id,
    people: p.people,
    tiers: TIERS.filter((t) => p.tiers.includes(t)),
    minutes: p.minutes,
    source: 'planner' as const,
    quote: null,
    direction: 'to_facility' as const,
    ...(p.profile ? { profile: p.profile } : {}),
  }));
}

/** The parts as a plan file saves them. */
export function toSaved(standard: Pick<CircleStandard, 'parts'>): { parts: SavedPart[] } {
  return {
    parts: standard.parts.map(({ id, people, tiers, minutes, profile }) => ({
      id,
      people,
      tiers: [...tiers],
      minutes,
      ...(profile ? { profile } : {}),
    })),
  };
}

/**
 * The standard of a plan: the planner's saved parts when the plan has them; else the plan's health circles read
 * by the tool's default: urban people within the urban minutes of any facility (a 社区卫生服务站 or 卫生室 is a
 * community health service facility); rural people within the rural minutes of a 乡镇卫生院 or a county hospital,
 * and within 15 minutes of a village clinic.
 */
export function circleStandard(plan: PlanLike, mode: TravelMode | null = null): CircleStandard {
  const circles = (plan?.service_circles ?? []).filter((c) => thresholdProblem(c.minutes) === null && isHealthCircle(c));
  const areaOf = (c: CircleLike): string => `${String(c.area ?? '')} ${String(c.zh ?? '')}`;
  const urban = circles.find((c) => /urban|county town|城/.test(areaOf(c).toLowerCase()));
  const rural = circles.find((c) => /rural|village|乡村|农村/.test(areaOf(c).toLowerCase()));
  const quotes = [urban, rural]
    .filter((c): c is CircleLike => !!c)
    .map((c) => ({ zh: String(c.zh ?? ''), quote: String(c.quote ?? ''), minutes: c.minutes as number, area: String(c.area ?? '') }));
  const note = !urban && !rural && typeof plan?.service_circles_note === 'string' ? plan.service_circles_note : null;
  const saved = savedParts(plan?.service_standard);
  if (saved) return { parts: saved, source: 'planner', quotes, note };
  const found = (urban ? 1 : 0) + (rural ? 1 : 0);
  const ridesRoads = mode === 'network' || mode === 'terrain';
  const part = (
    id: keyof typeof DEFAULT_PART_PROFILES,
    people: PeopleGroup,
    tiers: Tier[],
    circle: CircleLike | undefined,
    fallback: number,
  ): StandardPart => ({
    id,
    people,
    tiers,
    minutes: (circle?.minutes as number | undefined) ?? fallback,
    source: circle ? 'plan' : 'default',
    quote: circle ? { zh: String(circle.zh ?? ''), quote: String(circle.quote ?? '') } : null,
    direction: 'to_facility',
    ...(ridesRoads ? { profile: DEFAULT_PART_PROFILES[id], profileSource: 'default' as const } : {}),
  });
  return {
    parts: [
      // Service circles count the care tiers; emergency stations only when a planner lists them in a part.
      part('urban', 'urban', [...SERVICE_TIERS], urban, DEFAULT_URBAN_MINUTES),
      part('rural_centre', 'rural', CENTRE_OR_ABOVE, rural, DEFAULT_RURAL_MINUTES),
      part('rural_clinic', 'rural', ['village_clinic'], undefined, DEFAULT_CLINIC_MINUTES),
    ],
    source: found === 2 ? 'plan' : found === 1 ? 'partial' : 'default',
    quotes,
    note,
  };
}

/** The standard a plan would have without the planner's saved parts (for "restore the default reading"). */
export function defaultStandard(plan: PlanLike, mode: TravelMode | null = null): CircleStandard {
  return circleStandard(plan ? { ...plan, service_standard: undefined } : plan, mode);
}

export type StandardVerdict = 'pass' | 'fail' | 'cannot_judge';
/** Why the verdict is what it is (null: every part has people); see StandardCheck. `no_roads`: an emergency circle with no road network. */
export type StandardReason = null | 'no_people' | 'no_urban_people' | 'no_rural_people' | 'people_not_finite' | 'no_roads';

/** One part's people and its verdict. */
export interface PartCheck {
  part: StandardPart;
  /** People the part is about (its group). */
  population: number;
  /** Of those, people within the part's minutes of its tiers. */
  covered: number;
  shortfall: number;
  verdict: StandardVerdict;
}

/** A part's verdict from its people: never judged over nobody. */
export function partVerdict(population: number, covered: number): StandardVerdict {
  if (!Number.isFinite(population) || !Number.isFinite(covered)) return 'cannot_judge';
  if (population <= 0) return 'cannot_judge';
  return Math.abs(population - covered) < 1e-6 ? 'pass' : 'fail';
}

/**
 * The verdict of the whole standard: the conjunction of the parts that have people. With nobody in any part it
 * cannot be judged; parts without people are named in the reason (no urban / no rural people).
 */
export function standardVerdict(parts: readonly Pick<PartCheck, 'part' | 'population' | 'covered' | 'verdict'>[]): {
  verdict: StandardVerdict;
  reason: StandardReason;
  pass: boolean;
} {
  if (parts.some((p) => !Number.isFinite(p.population) || !Number.isFinite(p.covered)))
    return { verdict: 'cannot_judge', reason: 'people_not_finite', pass: false };
  const judged = parts.filter((p) => p.verdict !== 'cannot_judge');
  if (judged.length === 0) return { verdict: 'cannot_judge', reason: 'no_people', pass: false };
  const empty = parts.filter((p) => p.verdict === 'cannot_judge').map((p) => p.part.people);
  const reason: StandardReason = empty.includes('urban') ? 'no_urban_people' : empty.includes('rural') ? 'no_rural_people' : null;
  const pass = judged.every((p) => p.verdict === 'pass');
  return { verdict: pass ? 'pass' : 'fail', reason, pass };
}
