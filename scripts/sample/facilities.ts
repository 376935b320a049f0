import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { apportion } from '../../src/core/apportion';
import type { LocalProjection } from '../../src/core/geo/local-projection';
import type { FacilityCore, FacilityKind, FacilityProps, PopulationProps, Tier } from '../../src/core/model';
import type { Random } from '../../src/core/random';
import { isInside, round6 } from './polygon-sampling';
import type { ResourceIndicator, TownshipRow } from './shared-tables';
import type { FacilityTargets } from './facility-counts';
import type { StatedFacilityBeds } from './stated-counts';

export interface FacilityInput {
  adcode: string;
  countyName: string;
  countySeatCode: string;
  townships: readonly TownshipRow[];
  seats: ReadonlyMap<string, [number, number]>;
  /** Township zones: a facility is placed inside the zone of its township. */
  zones: ReadonlyMap<string, Feature<Polygon | MultiPolygon>>;
  settlements: readonly Feature<Point, PopulationProps>[];
  /** The county totals the beds and staff add up to (a count the plan states, or a ratio × the census). */
  totals: Record<ResourceIndicator, number>;
  /** Facilities whose beds the plan states: they get exactly these, the rest share what is left. */
  facilityBeds: readonly (Pick<StatedFacilityBeds, 'facility' | 'name'> & { beds: number })[];
  /** A modelled hospital at the county seat for the beds no named facility holds, where the plan says whose. */
  remainderBedsHolder?: { name: string };
  /** The numbers of facilities the plan states, where the sample honours them (else the shares below). */
  targets?: FacilityTargets;
}

/** Share of village committees left without a clinic, so the sample has real gaps to find. */
const VILLAGE_CLINIC_GAP = 0.1;
/** Share of resident committees with a community health station (社区卫生服务站). */
const COMMUNITY_STATION_SHARE = 0.5;

type Draft = {
  coordinates: [number, number];
  props: Omit<FacilityCore, 'beds' | 'physicians' | 'nurses' | 'gps' | 'public_health_staff'>;
  /** Non-public: no GPs or public-health staff are placed there. */
  nonPublic?: boolean;
};

/**
 * Modelled facilities: three county hospitals at the county seat, a 卫生院 per 乡/镇 and a 社区卫生服务中心
 * per 街道 at its seat, village clinics in most villages, and beds and staff apportioned to the county totals
 * (`input.totals`). Where the plan names a facility and its beds, that facility has them (under the plan's name),
 * a branch 卫生院 it names is added at the village of its name, and a hospital it does not name can hold the rest.
 */
export function modelFacilities(input: FacilityInput, projection: LocalProjection, rng: Random): Feature<Point, FacilityProps>[] {
  const townshipName = new Map(input.townships.map((t) => [t.township_code, t.township_name]));
  /** A point a short way from `p`, inside the township's zone (and so inside the county). */
  const near = (p: [number, number], township: string, minM: number, maxM: number): [number, number] => {
    const [x, y] = projection.forward(p[0], p[1]);
    const zone = input.zones.get(township)!;
    for (let attempt = 0; attempt < 50; attempt++) {
      const angle = rng.uniform(0, 2 * Math.PI);
      const r = rng.uniform(minM, maxM) * (1 - attempt / 50);
      const candidate = round6(projection.inverse(x + r * Math.cos(angle), y + r * Math.sin(angle)));
      if (isInside(candidate, zone)) return candidate;
    }
    return p;
  };
  const draft = (id: string, name: string, tier: Tier, kind: FacilityKind, township: string, coordinates: [number, number]): Draft => ({
    coordinates,
    props: { id, name, tier, kind, status: 'existing', township, township_name: townshipName.get(township) ?? '', modelled: true },
  });

  const seat = input.seats.get(input.countySeatCode)!;
  const county: Draft[] = [
    draft(
      `CH-${input.adcode}-1`,
      `${input.countyName}人民医院`,
      'county_hospital',
      'general_hospital',
      input.countySeatCode,
      near(seat, input.countySeatCode, 300, 700),
    ),
    draft(
      `CH-${input.adcode}-2`,
      `${input.countyName}中医院`,
      'county_hospital',
      'tcm_hospital',
      input.countySeatCode,
      near(seat, input.countySeatCode, 500, 1200),
    ),
    draft(
      `CH-${input.adcode}-3`,
      `${input.countyName}妇幼保健院`,
      'county_hospital',
      'maternal_child_hospital',
      input.countySeatCode,
      near(seat, input.countySeatCode, 500, 1200),
    ),
  ];

  const townshipPopulation = new Map<string, number>();
  for (const s of input.settlements)
    townshipPopulation.set(s.properties.township, (townshipPopulation.get(s.properties.township) ?? 0) + s.properties.population);
  const centres: Draft[] = [];
  for (const t of input.townships) {
    if (t.township_type === '类似乡级单位') continue; // farms and development zones have no 卫生院 of their own
    const street = t.township_type === '街道';
    centres.push(
      draft(
        `TC-${t.township_code}`,
        street ? `${t.township_name}社区卫生服务中心` : `${t.township_name}卫生院`,
        'township_centre',
        street ? 'community_health_centre' : 'township_health_centre',
        t.township_code,
        near(input.seats.get(t.township_code)!, t.township_code, 80, 250),
      ),
    );
  }

  const clinics: Draft[] = [];
  const seatKeys = new Set([...input.seats.values()].map((p) => `${p[0]},${p[1]}`));
  const targets = input.targets ?? {};
  const isSeat = (s: Feature<Point, PopulationProps>) => seatKeys.has(s.geometry.coordinates.join(','));
  const isVillage = (s: Feature<Point, PopulationProps>) => s.properties.committee_type === '村委会';
  // With a stated count, the rolls are drawn first and rank the committees (seat villages first), so the count is exact.
  const stated = targets.villageClinics !== undefined || targets.communityStations !== undefined;
  const rolls = stated ? input.settlements.map(() => rng.next()) : null;
  const chosen = new Set<Feature<Point, PopulationProps>>();
  const villagesWithClinic = (): number => {
    const byDefault = input.settlements.filter((s, i) => isVillage(s) && (isSeat(s) || rolls![i]! >= VILLAGE_CLINIC_GAP)).length;
    return Math.min(targets.villagesWithClinic ?? byDefault, targets.villageClinics ?? byDefault);
  };
  const pick = (keep: (s: Feature<Point, PopulationProps>) => boolean, n: number) =>
    input.settlements
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => keep(s))
      .sort((a, b) => Number(isSeat(b.s)) - Number(isSeat(a.s)) || rolls![a.i]! - rolls![b.i]! || a.i - b.i)
      .slice(0, n)
      .forEach(({ s }) => chosen.add(s));
  if (rolls) {
    if (targets.villageClinics !== undefined) pick(isVillage, villagesWithClinic());
    else input.settlements.forEach((s, i) => isVillage(s) && (isSeat(s) || rolls[i]! >= VILLAGE_CLINIC_GAP) && chosen.add(s));
    const committees = (s: Feature<Point, PopulationProps>) => !isVillage(s);
    if (targets.communityStations !== undefined) pick(committees, targets.communityStations);
    else input.settlements.forEach((s, i) => committees(s) && rolls[i]! < COMMUNITY_STATION_SHARE && chosen.add(s));
  }
  const shortName = (s: Feature<Point, PopulationProps>) =>
    s.properties.name.replace(/(村民委员会|居民委员会|社区居委会|居委会|村委会)$/, '');
  input.settlements.forEach((s, i) => {
    const where = s.geometry.coordinates as [number, number];
    const roll = rolls ? rolls[i]! : rng.next();
    const short = shortName(s);
    if (isVillage(s)) {
      if (rolls ? !chosen.has(s) : !isSeat(s) && roll < VILLAGE_CLINIC_GAP) return;
      clinics.push(
        draft(
          `VC-${s.properties.id}`,
          `${short}卫生室`,
          'village_clinic',
          'village_clinic',
          s.properties.township,
          near(where, s.properties.township, 30, 120),
        ),
      );
    } else if (rolls ? chosen.has(s) : roll < COMMUNITY_STATION_SHARE) {
      clinics.push(
        draft(
          `VC-${s.properties.id}`,
          `${short}社区卫生服务站`,
          'village_clinic',
          'community_health_station',
          s.properties.township,
          near(where, s.properties.township, 30, 150),
        ),
      );
    }
  });
  // Where the plan states more clinics than villages with one, the rest are second clinics in the largest villages.
  const seconds = (targets.villageClinics ?? 0) - (targets.villageClinics !== undefined ? villagesWithClinic() : 0);
  const largest = input.settlements
    .filter((s) => isVillage(s) && chosen.has(s))
    .sort((a, b) => b.properties.population - a.properties.population || a.properties.id.localeCompare(b.properties.id));
  if (seconds > largest.length) throw new Error(`${seconds} second clinics for ${largest.length} villages with one`);
  for (const s of largest.slice(0, Math.max(0, seconds)))
    clinics.push(
      draft(
        `VC-${s.properties.id}-2`,
        `${shortName(s)}第二卫生室`,
        'village_clinic',
        'village_clinic',
        s.properties.township,
        near(s.geometry.coordinates as [number, number], s.properties.township, 250, 600),
      ),
    );

  // Drawn after the clinics, so the places of everything else do not depend on them.
  const settlementById = new Map(input.settlements.map((s) => [s.properties.id, s]));
  const branchPopulation = new Map<string, number>();
  for (const row of input.facilityBeds) {
    if (!row.facility.startsWith('branch:')) continue;
    const village = settlementById.get(row.facility.slice('branch:'.length));
    if (!village) throw new Error(`${row.name}: no settlement ${row.facility}`);
    const township = village.properties.township;
    branchPopulation.set(`TC-${village.properties.id}`, village.properties.population);
    centres.push(
      draft(
        `TC-${village.properties.id}`,
        row.name.replace(input.countyName, ''),
        'township_centre',
        'township_health_centre',
        township,
        near(village.geometry.coordinates as [number, number], township, 80, 250),
      ),
    );
  }
  // A stated count of 卫生院 above the townships with a seat: 分院 at the largest village of the most populous
  // 乡/镇 other than the county seat (then the next), as recorded in meta.json.
  const branch = targets.branchCentres;
  if (branch) {
    const missing = branch.count - centres.filter((c) => branch.kinds.includes(c.props.kind)).length;
    const towns = input.townships
      .filter((t) => (t.township_type === '镇' || t.township_type === '乡') && t.township_code !== input.countySeatCode)
      .sort((a, b) => (townshipPopulation.get(b.township_code) ?? 0) - (townshipPopulation.get(a.township_code) ?? 0));
    if (missing < 0 || missing > towns.length) throw new Error(`cannot honour ${branch.count} township centres with branches`);
    for (const t of towns.slice(0, missing)) {
      const village = input.settlements
        .filter((s) => s.properties.township === t.township_code && isVillage(s) && !isSeat(s))
        .sort((a, b) => b.properties.population - a.properties.population)[0]!;
      branchPopulation.set(`TC-B-${village.properties.id}`, village.properties.population);
      centres.push(
        draft(
          `TC-B-${village.properties.id}`,
          `${t.township_name}卫生院${shortName(village)}分院`,
          'township_centre',
          'township_health_centre',
          t.township_code,
          near(village.geometry.coordinates as [number, number], t.township_code, 80, 250),
        ),
      );
    }
  }
  if (input.remainderBedsHolder) {
    const holder = draft(
      `CH-${input.adcode}-${county.length + 1}`,
      input.remainderBedsHolder.name,
      'county_hospital',
      'general_hospital',
      input.countySeatCode,
      near(seat, input.countySeatCode, 500, 1500),
    );
    county.push({ ...holder, nonPublic: true });
  }

  const totals = input.totals;
  const pinned = new Map<string, number>();
  for (const row of input.facilityBeds) {
    const [where, key] = row.facility.split(':') as [string, string];
    const target =
      where === 'county' ? county.find((d) => d.props.kind === key && !d.nonPublic) : centres.find((d) => d.props.id === `TC-${key}`);
    if (!target) throw new Error(`${row.name}: no modelled facility for ${row.facility}`);
    if (where === 'township') target.props.name = row.name.replace(input.countyName, '');
    pinned.set(target.props.id, row.beds);
  }
  const centreWeight = centres.map((c) =>
    Math.max(1000, branchPopulation.get(c.props.id) ?? townshipPopulation.get(c.props.township) ?? 0),
  );
  const kindWeight = (d: Draft, w: Partial<Record<FacilityKind, number>>): number => w[d.props.kind] ?? 0;

  /**
   * Splits a county total first between the three tiers, then within each tier by weight. Facilities in `fixed`
   * keep their count; the others share what is left, and a tier with nobody left to share gets none of it.
   */
  const split = (
    total: number,
    tierShares: [number, number, number],
    countyWeights: number[],
    centreWeights: number[],
    clinicWeights: number[],
    fixed: ReadonlyMap<string, number> = new Map(),
  ): number[] => {
    const raw: [Draft[], number[]][] = [
      [county, countyWeights],
      [centres, centreWeights],
      [clinics, clinicWeights],
    ];
    const groups = raw.map(([members, weights]): [Draft[], number[]] => [
      members,
      weights.map((w, j) => (fixed.has(members[j]!.props.id) ? 0 : w)),
    ]);
    const free = total - [...fixed.values()].reduce((a, b) => a + b, 0);
    if (free < 0) throw new Error(`the stated counts of single facilities (${total - free}) exceed the county total ${total}`);
    const shares = tierShares.map((s, i) => (groups[i]![0].length > 0 && groups[i]![1].some((w) => w > 0) ? s : 0));
    const perTier = apportion(free, shares);
    return groups.flatMap(([members, weights], i) =>
      members.length === 0 ? [] : apportion(perTier[i]!, weights).map((n, j) => fixed.get(members[j]!.props.id) ?? n),
    );
  };
  const hospitals = { general_hospital: 0.6, tcm_hospital: 0.28, maternal_child_hospital: 0.12 };
  const countyW = county.map((d) => kindWeight(d, hospitals));
  const ones = (list: Draft[]): number[] => list.map(() => 1);
  const beds = split(
    totals.beds_per_1000,
    [0.6, 0.4, 0],
    countyW,
    centreWeight,
    ones(clinics).map(() => 0),
    pinned,
  );
  // Physicians and nurses of the county hospitals follow their beds (the kinds' shares where none is stated).
  const countyStaffW = pinned.size > 0 ? county.map((_, i) => beds[i]!) : countyW;
  const physicians = split(totals.physicians_per_1000, [0.45, 0.35, 0.2], countyStaffW, centreWeight, ones(clinics));
  const nurses = split(totals.nurses_per_1000, [0.6, 0.37, 0.03], countyStaffW, centreWeight, ones(clinics));
  const gps = split(
    totals.gps_per_10000,
    [0.2, 0.8, 0],
    county.map((d) => (d.props.kind === 'general_hospital' && !d.nonPublic ? 1 : 0)),
    centreWeight.map(Math.sqrt),
    ones(clinics).map(() => 0),
  );
  const publicHealth = split(
    totals.public_health_staff_per_1000,
    [0.4, 0.6, 0],
    county.map((d) => (d.nonPublic ? 0 : kindWeight(d, { general_hospital: 0.3, tcm_hospital: 0.1, maternal_child_hospital: 0.6 }))),
    centreWeight,
    ones(clinics).map(() => 0),
  );

  return [...county, ...centres, ...clinics].map((d, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: d.coordinates },
    properties: {
      ...d.props,
      beds: beds[i]!,
      physicians: physicians[i]!,
      nurses: nurses[i]!,
      gps: gps[i]!,
      public_health_staff: publicHealth[i]!,
    },
  }));
}
