/**
 * The people of each township and of the county in a given year and age group, under the project's population
 * setting. The 2020 figures are the loaded settlements' (the census, apportioned to townships); a growth rate
 * compounds yearly from 2020, (1 + r)^(year − 2020); an imported table gives its own year. Age groups apply the
 * county's census shares to every township (the only age table published for these counties). The county is
 * always the sum of its townships, so the two never disagree.
 */
import type { FeatureCollection, Point } from 'geojson';
import type { PopulationProps } from '../model';
import { CENSUS_YEAR, type AgeGroup, type AgeShares } from './ages';
import type { PopulationSetting } from './setting';

interface TownshipBase {
  code: string;
  name: string;
  /** People in 2020 (the census as the loaded settlements layer apportions it). */
  population: number;
}

interface TownshipPopulation extends TownshipBase {
  /** People in the year asked for (not rounded: round only to show). */
  population: number;
  census2020: number;
  /** The yearly rate applied, for a growth setting. */
  rate: number | null;
}

interface PopulationAnswer {
  ok: true;
  year: number;
  basis: PopulationSetting['basis'];
  ageGroup: AgeGroup | 'all';
  /** Where the age split came from: the county's census shares, or null for all ages. */
  ageSource: 'census2020_county_shares' | null;
  townships: TownshipPopulation[];
  county: number;
}

type PopulationError =
  | { ok: false; code: 'no_age_shares'; params: Record<string, never> }
  | { ok: false; code: 'year_not_available'; params: { year: number; available: number[] } }
  | { ok: false; code: 'township_missing'; params: { code: string; name: string } };

type PopulationResult = PopulationAnswer | PopulationError;

/** The 2020 people of each township from the settlements layer (every township listed, those without people at 0). */
export function censusBase(
  settlements: FeatureCollection<Point, PopulationProps>,
  townships: readonly { code: string; name: string }[],
): TownshipBase[] {
  const sums = new Map<string, number>(townships.map((t) => [t.code, 0]));
  for (const f of settlements.features) {
    const code = f.properties.township;
    if (sums.has(code)) sums.set(code, sums.get(code)! + f.properties.population);
  }
  return townships.map((t) => ({ code: t.code, name: t.name, population: sums.get(t.code)! }));
}

/** The year a setting speaks of: 2020 for the census, else the plan's target year it was given. */
function settingYear(setting: PopulationSetting): number {
  return setting.basis === 'census2020' ? CENSUS_YEAR : setting.year;
}

/**
 * People per township and for the county in `year` (default: the setting's own year), of one age group or all.
 * A growth setting answers any year from 2020 on; the census answers 2020 and a table its own year (and 2020).
 */
export function populationFor(
  base: readonly TownshipBase[],
  setting: PopulationSetting,
  options: { year?: number; ageGroup?: AgeGroup | 'all'; ageShares?: AgeShares | null } = {},
): PopulationResult {
  const year = options.year ?? settingYear(setting);
  const ageGroup = options.ageGroup ?? 'all';
  const share = ageGroup === 'all' ? 1 : options.ageShares?.[ageGroup];
  if (share === undefined) return { ok: false, code: 'no_age_shares', params: {} };
  let townships: TownshipPopulation[];
  if (setting.basis === 'growth' && year >= CENSUS_YEAR) {
    townships = base.map((t) => {
      const rate = setting.townshipRates?.[t.code] ?? setting.rate;
      return { ...t, census2020: t.population, rate, population: t.population * (1 + rate) ** (year - CENSUS_YEAR) };
    });
  } else if (year === CENSUS_YEAR) {
    townships = base.map((t) => ({ ...t, census2020: t.population, rate: null }));
  } else if (setting.basis === 'table' && year === setting.year) {
    const byCode = new Map(setting.rows.map((r) => [r.code, r]));
    townships = [];
    for (const t of base) {
      const row = byCode.get(t.code);
      // A township the table leaves out has no figure for that year: refused rather than mixed with 2020's.
      if (!row && t.population > 0) return { ok: false, code: 'township_missing', params: { code: t.code, name: t.name } };
      townships.push({ ...t, census2020: t.population, rate: null, population: row?.population ?? 0 });
    }
  } else {
    const available = setting.basis === 'census2020' ? [CENSUS_YEAR] : [CENSUS_YEAR, setting.year];
    return { ok: false, code: 'year_not_available', params: { year, available } };
  }
  if (share !== 1) townships = townships.map((t) => ({ ...t, population: t.population * share }));
  return {
    ok: true,
    year,
    basis: year === CENSUS_YEAR ? 'census2020' : setting.basis,
    ageGroup,
    ageSource: ageGroup === 'all' ? null : 'census2020_county_shares',
    townships,
    county: townships.reduce((sum, t) => sum + t.population, 0),
  };
}
