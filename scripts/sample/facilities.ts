import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { apportion } from '../../src/core/apportion';
import type { LocalProjection } from '../../src/core/geo/local-projection';
import type { FacilityCore, FacilityKind, FacilityProps, PopulationProps, Tier } from '../../src/core/model';
import type { Random } from '../../src/core/random';
import { isInside, round6 } from './polygon-sampling';
import type { ResourceBaseline, ResourceIndicator, TownshipRow } from './shared-tables';

export interface FacilityInput {
  adcode: string;
  countyName: string;
  countySeatCode: string;
  townships: readonly TownshipRow[];
  seats: ReadonlyMap<string, [number, number]>;
  /** Township zones: a facility is placed inside the zone of its township. */
  zones: ReadonlyMap<string, Feature<Polygon | MultiPolygon>>;
  settlements: readonly Feature<Point, PopulationProps>[];
  censusPopulation: number;
  baselines: Record<ResourceIndicator, ResourceBaseline>;
}

/** Share of village committees left without a clinic, so the sample has real gaps to find. */
const VILLAGE_CLINIC_GAP = 0.1;
/** Share of resident committees with a community health station (社区卫生服务站). */
const COMMUNITY_STATION_SHARE = 0.5;

type Draft = {
  coordinates: [number, number];
  props: Omit<FacilityCore, 'beds' | 'physicians' | 'nurses' | 'gps' | 'public_health_staff'>;
};

/**
 * Modelled facilities: three county hospitals at the county seat, a 卫生院 per 乡/镇 and a 社区卫生服务中心
 * per 街道 at its seat, village clinics in most villages, and beds and staff apportioned so that the
 * county's ratios equal its plan's 2020 baseline (to the nearest whole bed or person).
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
  for (const s of input.settlements) {
    const where = s.geometry.coordinates as [number, number];
    const isSeat = seatKeys.has(`${where[0]},${where[1]}`);
    const roll = rng.next();
    const short = s.properties.name.replace(/(村民委员会|居民委员会|社区居委会|居委会|村委会)$/, '');
    if (s.properties.committee_type === '村委会') {
      if (!isSeat && roll < VILLAGE_CLINIC_GAP) continue;
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
    } else if (roll < COMMUNITY_STATION_SHARE) {
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
  }

  const totals = Object.fromEntries(
    Object.entries(input.baselines).map(([id, b]) => [
      id,
      Math.round((b.value * input.censusPopulation) / (id === 'gps_per_10000' ? 10_000 : 1_000)),
    ]),
  ) as Record<ResourceIndicator, number>;
  const centreWeight = centres.map((c) => Math.max(1000, townshipPopulation.get(c.props.township) ?? 0));
  const kindWeight = (d: Draft, w: Partial<Record<FacilityKind, number>>): number => w[d.props.kind] ?? 0;

  /** Splits a county total first between the three tiers, then within each tier by weight. */
  const split = (
    total: number,
    tierShares: [number, number, number],
    countyWeights: number[],
    centreWeights: number[],
    clinicWeights: number[],
  ): number[] => {
    const groups: [Draft[], number[]][] = [
      [county, countyWeights],
      [centres, centreWeights],
      [clinics, clinicWeights],
    ];
    const shares = tierShares.map((s, i) => (groups[i]![0].length > 0 && groups[i]![1].some((w) => w > 0) ? s : 0));
    const perTier = apportion(total, shares);
    return groups.flatMap(([members, weights], i) => (members.length === 0 ? [] : apportion(perTier[i]!, weights)));
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
  );
  const physicians = split(totals.physicians_per_1000, [0.45, 0.35, 0.2], countyW, centreWeight, ones(clinics));
  const nurses = split(totals.nurses_per_1000, [0.6, 0.37, 0.03], countyW, centreWeight, ones(clinics));
  const gps = split(
    totals.gps_per_10000,
    [0.2, 0.8, 0],
    county.map((d) => (d.props.kind === 'general_hospital' ? 1 : 0)),
    centreWeight.map(Math.sqrt),
    ones(clinics).map(() => 0),
  );
  const publicHealth = split(
    totals.public_health_staff_per_1000,
    [0.4, 0.6, 0],
    county.map((d) => kindWeight(d, { general_hospital: 0.3, tcm_hospital: 0.1, maternal_child_hospital: 0.6 })),
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
