import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { apportion } from '../../src/core/apportion';
import type { LocalProjection } from '../../src/core/geo/local-projection';
import type { PopulationProps } from '../../src/core/model';
import type { Random } from '../../src/core/random';
import { bestCandidateIn, isInside, round6 } from './polygon-sampling';
import type { TownshipRow, VillageRow } from './shared-tables';

export interface SettlementInput {
  townships: readonly TownshipRow[];
  /** Village and resident committees; 虚拟社区 (virtual communities) have no place and are skipped. */
  villages: readonly VillageRow[];
  seats: ReadonlyMap<string, [number, number]>;
  zones: ReadonlyMap<string, Feature<Polygon | MultiPolygon>>;
  censusPopulation: number;
  urbanShare: number;
}

/**
 * One settlement per village (村委会) or resident (居委会) committee. Resident committees are the urban
 * population and cluster round their township seat; villages spread over the zone. Populations are
 * log-normal and apportioned so that the county adds up exactly to the census total and the urban
 * people to round(total × urban share).
 */
export function modelSettlements(input: SettlementInput, projection: LocalProjection, rng: Random): Feature<Point, PopulationProps>[] {
  const townshipByCode = new Map(input.townships.map((t) => [t.township_code, t]));
  const committees = input.villages.filter((v) => v.committee_type !== '虚拟社区');
  const metres = (a: [number, number], b: [number, number]): number => {
    const [ax, ay] = projection.forward(a[0], a[1]);
    const [bx, by] = projection.forward(b[0], b[1]);
    return Math.hypot(ax - bx, ay - by);
  };

  const placedByTownship = new Map<string, [number, number][]>();
  const seatTaken = new Set<string>();
  const located = committees.map((v) => {
    const township = townshipByCode.get(v.township_code);
    if (!township) throw new Error(`village ${v.village_code} ${v.village_name}: township ${v.township_code} is not in townships.csv`);
    const seat = input.seats.get(v.township_code)!;
    const zone = input.zones.get(v.township_code)!;
    const placed = placedByTownship.get(v.township_code) ?? [];
    placedByTownship.set(v.township_code, placed);
    const urban = v.committee_type === '居委会';
    let where: [number, number] | null = null;
    // The first resident committee (or the first village where there is none) is the township seat itself.
    const isSeat = !seatTaken.has(v.township_code) && (urban || township.n_resident_committees === 0);
    if (isSeat) {
      seatTaken.add(v.township_code);
      where = seat;
    } else if (urban) {
      const [sx, sy] = projection.forward(seat[0], seat[1]);
      const spread = township.township_type === '街道' ? 700 : 1200;
      for (let i = 0; i < 100 && !where; i++) {
        const c = projection.inverse(sx + rng.normal() * spread, sy + rng.normal() * spread);
        if (isInside(c, zone)) where = c;
      }
    } else {
      where = bestCandidateIn(zone, [seat, ...placed], rng, metres, 8);
    }
    const point = round6(where ?? seat);
    placed.push(point);
    return { village: v, township, point, urban, isSeat };
  });

  const weight = (urban: boolean, isSeat: boolean): number => Math.exp(rng.normal() * (urban ? 0.45 : 0.6)) * (isSeat ? 1.6 : 1);
  const weights = located.map((s) => weight(s.urban, s.isSeat));
  const urbanTotal = Math.round(input.censusPopulation * input.urbanShare);
  const ruralTotal = input.censusPopulation - urbanTotal;
  const urbanIdx = located.flatMap((s, i) => (s.urban ? [i] : []));
  const ruralIdx = located.flatMap((s, i) => (s.urban ? [] : [i]));
  const population = new Array<number>(located.length).fill(0);
  apportion(
    urbanTotal,
    urbanIdx.map((i) => weights[i]!),
  ).forEach((p, k) => (population[urbanIdx[k]!] = p));
  apportion(
    ruralTotal,
    ruralIdx.map((i) => weights[i]!),
  ).forEach((p, k) => (population[ruralIdx[k]!] = p));

  return located.map((s, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: s.point },
    properties: {
      id: s.village.village_code,
      name: s.village.village_name,
      population: population[i]!,
      urban: s.urban,
      committee_type: s.village.committee_type as '村委会' | '居委会',
      township: s.township.township_code,
      township_name: s.township.township_name,
      modelled: true,
    },
  }));
}
