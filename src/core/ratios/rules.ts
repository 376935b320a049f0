/**
 * Network and sizing rules from the plans (../shared/plans/README.md §5), checked on the facility data. Each
 * finding carries the ids and [lon, lat] of what it concerns, so the UI can zoom to it, and message parameters
 * rather than prose, so the UI can say it in Chinese or English. checkRules judges the data against every rule;
 * checkPlanRules keeps as violations only the rules the loaded plan states (./rule-sources.ts) and shows the
 * others as other plans' norms, for information.
 *
 * Missing data is "no data", never a violation: a rule that needs an attribute no facility has (`level`,
 * `infectious_beds`, `gps`) reports `no_data`.
 */
import type { GeoJsonProperties, Geometry } from 'geojson';
import type { FacilityStatus } from '../model';
import type { Plan } from '../plans/plan';
import { DEFAULT_COUNTED_STATUSES, facilityStatus, readCode, readCount, type LooseFeatureCollection } from './indicators';
import { parseHospitalLevel, type HospitalLevel } from './levels';
import { distanceKm, pointLonLat, polygonCentroid, type LonLat } from './locate';
import { RULE_IDS, loadedPlanSources, seedSources, type RuleId, type RuleSource } from './rule-sources';

export { RULE_IDS, type RuleId };

/** error: a facility the rule requires is absent; warning: present but short of the rule; info: worth a look. */
type Severity = 'error' | 'warning' | 'info';

type ParamValue = string | number | boolean | null;

export interface RuleViolation {
  rule: RuleId;
  /** Message key for the UI, e.g. `missing_township_centre`. */
  code: string;
  severity: Severity;
  facility_id: string | null;
  /** Township code. */
  township: string | null;
  /** Population point id (village code). */
  village_id: string | null;
  lonlat: LonLat | null;
  /** Other facilities concerned (e.g. the centres of a township that has more than one). */
  related_ids: string[];
  params: Record<string, ParamValue>;
}

export interface RuleCheck {
  rule: RuleId;
  status: 'ok' | 'violations' | 'no_data' | 'not_applicable';
  /** Message key saying why the status is no_data or not_applicable. */
  reason: string | null;
  /** How many townships, villages or facilities were checked. */
  checked: number;
  violations: RuleViolation[];
  params: Record<string, ParamValue>;
}

export interface RulesInput {
  facilities: LooseFeatureCollection;
  population: LooseFeatureCollection;
  zones?: LooseFeatureCollection | null;
  plan?: Plan | null;
}

export interface RulesOptions {
  statuses?: readonly FacilityStatus[];
  /** County population for the population-band rules; defaults to the sum of the population points. */
  countyPopulation?: number | null;
  /** How far a clinic may be from a village to be its clinic when nothing else ties them (km). */
  villageMatchKm?: number;
}

/** Default distance for tying a clinic to a village by place (README §5.1 gives none; a tool default). */
const VILLAGE_MATCH_KM = 2;
/** Pingba: 每所乡镇卫生院配备至少 2 名全科医生. */
const MIN_GPS_PER_TOWNSHIP_CENTRE = 2;
/** Jingyu: 10万人口以下的县不低于10张，10万一30万人口的不低于20张. */
export const INFECTIOUS_BED_BANDS = [
  { band: 'under_100000', population_min: 0, population_max: 100_000, max_inclusive: false, beds_min: 10 },
  { band: '100000_to_300000', population_min: 100_000, population_max: 300_000, max_inclusive: true, beds_min: 20 },
] as const;
/** Pingba: 常住人口超过 10 万人的…县医院…达到二级医院医疗服务能力. */
const LEVEL2_POPULATION_THRESHOLD = 100_000;

/** A facility or population point as the rules see it. */
export interface Place {
  id: string;
  props: Record<string, unknown>;
  township: string | null;
  lonlat: LonLat | null;
}

export function toPlace(feature: { geometry: Geometry | null; properties: GeoJsonProperties }, index: number): Place {
  const props = feature.properties ?? {};
  return { id: readCode(props.id) ?? `#${index}`, props, township: readCode(props.township), lonlat: pointLonLat(feature.geometry) };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function violation(
  rule: RuleId,
  code: string,
  severity: Severity,
  where: Partial<RuleViolation>,
  params: Record<string, ParamValue>,
): RuleViolation {
  return {
    rule,
    code,
    severity,
    facility_id: where.facility_id ?? null,
    township: where.township ?? null,
    village_id: where.village_id ?? null,
    lonlat: where.lonlat ?? null,
    related_ids: where.related_ids ?? [],
    params,
  };
}

function result(
  rule: RuleId,
  fields: {
    status?: RuleCheck['status'];
    reason?: string | null;
    checked?: number;
    violations?: RuleViolation[];
    params?: Record<string, ParamValue>;
  },
): RuleCheck {
  const violations = fields.violations ?? [];
  return {
    rule,
    status: fields.status ?? (violations.length > 0 ? 'violations' : 'ok'),
    reason: fields.reason ?? null,
    checked: fields.checked ?? 0,
    violations,
    params: fields.params ?? {},
  };
}

/** What kind of centre a township type needs: 卫生院 for 乡/镇, 社区卫生服务中心 for 街道; 类似乡级单位 is exempt. */
function requiredCentreKind(townshipType: unknown): 'township_health_centre' | 'community_health_centre' | null {
  if (townshipType === '乡' || townshipType === '镇') return 'township_health_centre';
  if (townshipType === '街道') return 'community_health_centre';
  return null;
}

/**
 * One township health centre per 乡/镇 and one community health centre per 街道 (类似乡级单位 exempt). A
 * township-tier facility with no `kind` counts as the kind needed. A township with none of the needed kind but
 * one of the other kind is a warning (e.g. Pingba turning 卫生院 into community centres); with none at all, an
 * error; with more than one, info.
 */
function checkTownshipCentres(input: RulesInput, facilities: Place[], population: Place[]): RuleCheck {
  const rule: RuleId = 'township_centre_per_township';
  const zones = input.zones?.features ?? [];
  if (zones.length === 0) return result(rule, { status: 'no_data', reason: 'no_zones' });
  const centres = facilities.filter((f) => f.props.tier === 'township_centre');
  const violations: RuleViolation[] = [];
  let checked = 0;
  let exempt = 0;
  let unknown = 0;
  for (const zone of zones) {
    const p = zone.properties ?? {};
    const code = readCode(p.code);
    const needed = requiredCentreKind(p.township_type);
    if (p.township_type === '类似乡级单位') exempt += 1;
    if (code === null || needed === null) {
      // A zone without a code or a known type cannot be judged; it is counted, not guessed.
      if (p.township_type !== '类似乡级单位') unknown += 1;
      continue;
    }
    checked += 1;
    const here = centres.filter((f) => f.township === code);
    const matching = here.filter((f) => f.props.kind === needed || f.props.kind === undefined || f.props.kind === null);
    const where = { township: code, lonlat: townshipLonLat(zone, code, population) };
    const params = { township_name: text(p.name), township_type: text(p.township_type), expected_kind: needed };
    if (matching.length === 0) {
      const other = here[0];
      if (other) {
        violations.push(
          violation(
            rule,
            'township_centre_other_kind',
            'warning',
            { ...where, facility_id: other.id, lonlat: other.lonlat ?? where.lonlat },
            {
              ...params,
              present_kind: text(other.props.kind),
            },
          ),
        );
      } else violations.push(violation(rule, 'missing_township_centre', 'error', where, params));
    } else if (matching.length > 1) {
      violations.push(
        violation(
          rule,
          'more_than_one_township_centre',
          'info',
          { ...where, related_ids: matching.map((f) => f.id) },
          { ...params, count: matching.length },
        ),
      );
    }
  }
  return result(rule, { checked, violations, params: { exempt_townships: exempt, townships_without_type: unknown } });
}

/** A township's seat, else the middle of its polygon, else the mean of its population points. */
function townshipLonLat(
  zone: { geometry: Geometry | null; properties: GeoJsonProperties },
  code: string,
  population: Place[],
): LonLat | null {
  const p = zone.properties ?? {};
  if (typeof p.seat_lon === 'number' && typeof p.seat_lat === 'number' && Number.isFinite(p.seat_lon) && Number.isFinite(p.seat_lat)) {
    return [p.seat_lon, p.seat_lat];
  }
  const centre = polygonCentroid(zone.geometry);
  if (centre) return centre;
  const points = population.filter((pt) => pt.township === code && pt.lonlat).map((pt) => pt.lonlat!);
  if (points.length === 0) return null;
  return [points.reduce((s, q) => s + q[0], 0) / points.length, points.reduce((s, q) => s + q[1], 0) / points.length];
}

type ClinicTie = 'village_property' | 'id' | 'nearest';

export interface ClinicMatch {
  /** Population point id → the clinics that belong to it, and how each was tied. */
  byVillage: Map<string, { clinic_id: string; by: ClinicTie; km: number | null }[]>;
  /** Clinics whose `village` property names no population point. */
  unknownVillage: Place[];
  /** Clinics tied to no village. */
  untied: Place[];
}

/**
 * Ties village clinics to population points, in this order:
 * 1. an explicit `village` property holding the point's id (if it names no point, the clinic is reported, not
 *    guessed);
 * 2. else an id of the form `VC-<village code>` where the code is a point's id;
 * 3. else by place: among the clinics still untied and the administrative villages (村委会) still without a
 *    clinic, in the same township and at most `maxKm` apart, the closest pair is tied first, then the next
 *    closest, each clinic and village at most once (ties broken by clinic id, then village id), so the result
 *    does not depend on the order of the files.
 */
export function matchClinicsToVillages(clinics: Place[], points: Place[], maxKm: number = VILLAGE_MATCH_KM): ClinicMatch {
  const known = new Map(points.map((pt) => [pt.id, pt]));
  const byVillage = new Map<string, { clinic_id: string; by: ClinicTie; km: number | null }[]>();
  const tie = (villageId: string, clinicId: string, by: ClinicTie, km: number | null) => {
    const list = byVillage.get(villageId) ?? [];
    list.push({ clinic_id: clinicId, by, km });
    byVillage.set(villageId, list);
  };
  const unknownVillage: Place[] = [];
  const rest: Place[] = [];
  for (const clinic of clinics) {
    const explicit = clinic.props.village;
    if (explicit !== undefined && explicit !== null && explicit !== '') {
      const code = readCode(explicit);
      if (code !== null && known.has(code)) tie(code, clinic.id, 'village_property', null);
      else unknownVillage.push(clinic);
      continue;
    }
    const fromId = /^VC-(.+)$/.exec(clinic.id)?.[1];
    if (fromId !== undefined && known.has(fromId)) tie(fromId, clinic.id, 'id', null);
    else rest.push(clinic);
  }

  // Villages still without a clinic, by township: only pairs within one township are candidates.
  const openByTownship = new Map<string, Place[]>();
  for (const pt of points) {
    if (pt.props.committee_type !== '村委会' || byVillage.has(pt.id) || !pt.lonlat || !pt.township) continue;
    const list = openByTownship.get(pt.township) ?? [];
    list.push(pt);
    openByTownship.set(pt.township, list);
  }
  const pairs: { clinic: Place; village: Place; km: number }[] = [];
  for (const clinic of rest) {
    if (!clinic.lonlat || !clinic.township) continue;
    for (const village of openByTownship.get(clinic.township) ?? []) {
      const km = distanceKm(clinic.lonlat, village.lonlat!);
      if (km <= maxKm) pairs.push({ clinic, village, km });
    }
  }
  pairs.sort((a, b) => a.km - b.km || a.clinic.id.localeCompare(b.clinic.id) || a.village.id.localeCompare(b.village.id));
  const usedClinics = new Set<string>();
  for (const { clinic, village, km } of pairs) {
    if (usedClinics.has(clinic.id) || byVillage.has(village.id)) continue;
    usedClinics.add(clinic.id);
    tie(village.id, clinic.id, 'nearest', km);
  }
  return { byVillage, unknownVillage, untied: rest.filter((c) => !usedClinics.has(c.id)) };
}

/** A village clinic (村卫生室) in every administrative village (村委会); see matchClinicsToVillages. */
function checkVillageClinics(input: RulesInput, facilities: Place[], population: Place[], maxKm: number): RuleCheck {
  const rule: RuleId = 'village_clinic_per_village';
  if (!population.some((pt) => typeof pt.props.committee_type === 'string')) {
    return result(rule, { status: 'no_data', reason: 'no_committee_type' });
  }
  const villages = population.filter((pt) => pt.props.committee_type === '村委会');
  const clinics = facilities.filter((f) => f.props.tier === 'village_clinic');
  const match = matchClinicsToVillages(clinics, population, maxKm);
  const violations: RuleViolation[] = [];
  for (const village of villages) {
    if (match.byVillage.has(village.id)) continue;
    violations.push(
      violation(
        rule,
        'missing_village_clinic',
        'error',
        { village_id: village.id, township: village.township, lonlat: village.lonlat },
        {
          village_name: text(village.props.name),
          township_name: text(village.props.township_name),
          population: readCount(village.props.population),
        },
      ),
    );
  }
  for (const clinic of match.unknownVillage) {
    violations.push(
      violation(
        rule,
        'clinic_village_unknown',
        'warning',
        { facility_id: clinic.id, township: clinic.township, lonlat: clinic.lonlat },
        {
          village: readCode(clinic.props.village),
        },
      ),
    );
  }
  const ties = [...match.byVillage.values()].flat();
  return result(rule, {
    checked: villages.length,
    violations,
    params: {
      max_km: maxKm,
      tied_by_village_property: ties.filter((t) => t.by === 'village_property').length,
      tied_by_id: ties.filter((t) => t.by === 'id').length,
      tied_by_nearest: ties.filter((t) => t.by === 'nearest').length,
      clinics_untied: match.untied.length,
    },
  });
}

/** At least 2 GPs in every township health centre (Pingba). A centre with no `gps` number is not judged. */
function checkGpsPerCentre(input: RulesInput, facilities: Place[]): RuleCheck {
  const rule: RuleId = 'gps_per_township_centre';
  const centres = facilities.filter(
    (f) =>
      f.props.tier === 'township_centre' &&
      (f.props.kind === 'township_health_centre' || f.props.kind === undefined || f.props.kind === null),
  );
  const known = centres.filter((f) => readCount(f.props.gps) !== null);
  if (known.length === 0) {
    return result(rule, {
      status: centres.length === 0 ? 'not_applicable' : 'no_data',
      reason: centres.length === 0 ? 'no_township_centres' : 'no_gps_attribute',
    });
  }
  const violations = known
    .filter((f) => readCount(f.props.gps)! < MIN_GPS_PER_TOWNSHIP_CENTRE)
    .map((f) =>
      violation(
        rule,
        'too_few_gps',
        'warning',
        { facility_id: f.id, township: f.township, lonlat: f.lonlat },
        {
          facility_name: text(f.props.name),
          gps: readCount(f.props.gps),
          required: MIN_GPS_PER_TOWNSHIP_CENTRE,
        },
      ),
    );
  return result(rule, {
    checked: known.length,
    violations,
    params: { required: MIN_GPS_PER_TOWNSHIP_CENTRE, centres_without_gps_data: centres.length - known.length },
  });
}

/** The band of the infectious-bed rule for a county population; null above 300,000 (the plans give no band). */
export function infectiousBedsBand(population: number): (typeof INFECTIOUS_BED_BANDS)[number] | null {
  return (
    INFECTIOUS_BED_BANDS.find(
      (band) =>
        population >= band.population_min &&
        (population < band.population_max || (band.max_inclusive && population === band.population_max)),
    ) ?? null
  );
}

/** The county general hospital(s), largest (by beds) first: where infectious wards and level go. */
function generalHospitals(facilities: Place[]): Place[] {
  return facilities
    .filter((f) => f.props.tier === 'county_hospital' && f.props.kind === 'general_hospital')
    .sort((a, b) => (readCount(b.props.beds) ?? -1) - (readCount(a.props.beds) ?? -1) || a.id.localeCompare(b.id));
}

/**
 * Infectious-disease beds that can be opened quickly (Jingyu): ≥10 under 100,000 people, ≥20 for
 * 100,000–300,000, summed over the `infectious_beds` of the counted facilities.
 */
function checkInfectiousBeds(input: RulesInput, facilities: Place[], population: number): RuleCheck {
  const rule: RuleId = 'infectious_beds_by_population';
  if (!(population > 0)) return result(rule, { status: 'not_applicable', reason: 'no_population', params: { population } });
  const band = infectiousBedsBand(population);
  if (!band) return result(rule, { status: 'not_applicable', reason: 'no_band_above_300000', params: { population } });
  const withData = facilities.filter((f) => readCount(f.props.infectious_beds) !== null);
  const params = { population, band: band.band, required: band.beds_min };
  if (withData.length === 0) return result(rule, { status: 'no_data', reason: 'no_infectious_beds_attribute', params });
  const actual = withData.reduce((sum, f) => sum + readCount(f.props.infectious_beds)!, 0);
  const violations: RuleViolation[] = [];
  if (actual < band.beds_min) {
    const hospital = generalHospitals(facilities)[0];
    violations.push(
      violation(
        rule,
        'too_few_infectious_beds',
        'error',
        { facility_id: hospital?.id ?? null, township: hospital?.township ?? null, lonlat: hospital?.lonlat ?? null },
        {
          ...params,
          actual,
        },
      ),
    );
  }
  return result(rule, { checked: withData.length, violations, params: { ...params, actual } });
}

/** A level-2 (二级) or higher county general hospital where the county has more than 100,000 people (Pingba). */
function checkCountyHospitalLevel(input: RulesInput, facilities: Place[], population: number): RuleCheck {
  const rule: RuleId = 'level2_county_hospital';
  if (!(population > LEVEL2_POPULATION_THRESHOLD)) {
    return result(rule, { status: 'not_applicable', reason: 'population_at_most_100000', params: { population } });
  }
  const hospitals = generalHospitals(facilities);
  if (hospitals.length === 0) {
    return result(rule, {
      violations: [violation(rule, 'no_county_general_hospital', 'error', {}, { population })],
      params: { population },
    });
  }
  const levels = hospitals
    .map((h) => ({ hospital: h, level: parseHospitalLevel(h.props.level ?? h.props.grade) }))
    .filter((x) => x.level !== null);
  if (levels.length === 0) return result(rule, { status: 'no_data', reason: 'no_level_attribute', params: { population } });
  const highest = Math.max(...levels.map((x) => x.level!)) as HospitalLevel;
  const violations: RuleViolation[] = [];
  if (highest < 2) {
    const top = levels[0]!.hospital;
    violations.push(
      violation(
        rule,
        'no_level2_county_hospital',
        'error',
        { facility_id: top.id, township: top.township, lonlat: top.lonlat, related_ids: hospitals.map((h) => h.id) },
        {
          population,
          highest_level: highest,
        },
      ),
    );
  }
  return result(rule, { checked: hospitals.length, violations, params: { population, highest_level: highest } });
}

/** Runs every rule on the counted facilities (existing and planned by default). */
export function checkRules(input: RulesInput, options: RulesOptions = {}): RuleCheck[] {
  const counted = new Set<string>(options.statuses ?? DEFAULT_COUNTED_STATUSES);
  const facilities = input.facilities.features.map(toPlace).filter((f) => counted.has(facilityStatus(f.props)));
  const population = input.population.features.map(toPlace);
  const people = options.countyPopulation ?? population.reduce((sum, pt) => sum + (readCount(pt.props.population) ?? 0), 0);
  return [
    checkTownshipCentres(input, facilities, population),
    checkVillageClinics(input, facilities, population, options.villageMatchKm ?? VILLAGE_MATCH_KM),
    checkGpsPerCentre(input, facilities),
    checkInfectiousBeds(input, facilities, people),
    checkCountyHospitalLevel(input, facilities, people),
  ];
}

/**
 * A rule as the loaded plan sees it. `plan`: the plan states it (sources are its own entries), so what the data
 * miss are violations. `other_plans`: only other seed plans state it; status is `information`, `violations` is
 * empty and what the data would miss under that norm is in `findings`, never a violation of this plan.
 */
export interface PlanRuleCheck extends Omit<RuleCheck, 'status'> {
  basis: 'plan' | 'other_plans';
  status: RuleCheck['status'] | 'information';
  /** Under another plan's norm: the places that would fall short of it (information only). */
  findings: RuleViolation[];
  sources: RuleSource[];
}

/** Runs every rule (checkRules) and sorts them into the loaded plan's rules and other plans' norms. */
export function checkPlanRules(input: RulesInput, options: RulesOptions = {}): PlanRuleCheck[] {
  return checkRules(input, options).map((check) => {
    const own = loadedPlanSources(input.plan, check.rule);
    if (own.length > 0) return { ...check, basis: 'plan', findings: [], sources: own };
    return {
      ...check,
      basis: 'other_plans',
      status: 'information',
      violations: [],
      findings: check.violations,
      sources: seedSources(check.rule),
    };
  });
}
