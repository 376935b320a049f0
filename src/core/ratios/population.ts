/**
 * The people the ratios divide by, from the project's population setting (src/core/population): each township's
 * people of the setting's year replace the ones counted from the population layer, and the county's are their sum
 * (plus any people on no township, grown at the county rate). The seven resource ratios count people of all ages;
 * the plans' per-child and per-elderly norms would take an age group (from the county's census shares) but are
 * not evaluated. A setting that cannot be applied to the loaded townships (a table for another township layer)
 * leaves the census in use and says why, rather than mixing years.
 */
import { CENSUS_YEAR } from '../population/ages';
import { CENSUS_SETTING, populationFor, type PopulationSetting } from '../population/index';
import { ratiosFromTotals, type AreaResources, type ResourceIndicators } from './indicators';

/** Why the chosen setting could not be used for these townships. */
type PopulationProblem =
  | { code: 'year_not_available'; params: { year: number; available: number[] } }
  | { code: 'township_missing'; params: { code: string; name: string } };

export interface ReportPopulation {
  /** The year of the people used (2020 for the census). */
  year: number;
  basis: PopulationSetting['basis'];
  /** For a growth basis: the county-wide yearly rate (0.01 = +1 %/year), and whether some townships have their own. */
  rate: number | null;
  township_rates: boolean;
  /** For an imported table: its file name, when known. */
  file: string | null;
  /** The ratios here count all ages. */
  age_group: 'all';
  /** Where age groups would come from: the county's 2020 census shares, the same for every township. */
  age_shares: 'census2020_county_shares';
  /** The county's people in 2020 (as counted from the population layer) and in the year used (not rounded). */
  census_2020: number;
  county: number;
  /** The setting asked for could not be applied, so the census is used: why. Null when it was applied. */
  problem: PopulationProblem | null;
}

/** Sentinel code for people on no township: they have no row of their own in a table. */
const UNASSIGNED = '';

function withPeople(area: AreaResources, people: number): AreaResources {
  const totals = { ...area.totals, population: people };
  return { ...area, totals, ratios: ratiosFromTotals(totals) };
}

/** The county and townships with their people (and per-people ratios) for the setting's year. */
export function applyPopulation(
  indicators: ResourceIndicators,
  setting: PopulationSetting = CENSUS_SETTING,
): { population: ReportPopulation; county: AreaResources; zones: AreaResources[] } {
  const census = indicators.county.totals.population;
  const describe = (used: PopulationSetting, county: number, problem: PopulationProblem | null): ReportPopulation => ({
    year: used.basis === 'census2020' ? CENSUS_YEAR : used.year,
    basis: used.basis,
    rate: used.basis === 'growth' ? used.rate : null,
    township_rates: used.basis === 'growth' && Object.keys(used.townshipRates ?? {}).length > 0,
    file: used.basis === 'table' ? (used.file ?? null) : null,
    age_group: 'all',
    age_shares: 'census2020_county_shares',
    census_2020: census,
    county,
    problem,
  });
  if (setting.basis === 'census2020')
    return { population: describe(CENSUS_SETTING, census, null), county: indicators.county, zones: indicators.zones };

  const base = indicators.zones.map((z) => ({ code: z.code ?? '', name: z.name ?? '', population: z.totals.population }));
  if (indicators.unassigned.population > 0) base.push({ code: UNASSIGNED, name: '', population: indicators.unassigned.population });
  const answer = populationFor(base, setting, { ageGroup: 'all' });
  if (!answer.ok) {
    const problem = answer.code === 'no_age_shares' ? null : ({ code: answer.code, params: answer.params } as PopulationProblem);
    return { population: describe(CENSUS_SETTING, census, problem), county: indicators.county, zones: indicators.zones };
  }
  const people = new Map(answer.townships.map((t) => [t.code, t.population]));
  const zones = indicators.zones.map((z) => withPeople(z, people.get(z.code ?? '') ?? 0));
  return { population: describe(setting, answer.county, null), county: withPeople(indicators.county, answer.county), zones };
}
