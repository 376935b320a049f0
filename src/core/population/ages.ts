/**
 * Age structure from the 7th census (2020). Only county totals are published openly: the township tabulation
 * (ISBN 978-7-5037-9773-6) has no machine-readable copy, so every township of a county takes the county's
 * shares. Source: ../shared/data/county-census-2020.csv (thebamboogrove/tudigong, MIT, citing NBS 2020 census
 * by county); test/unit/target-population.test.ts checks these figures against that file.
 */
export const AGE_GROUPS = ['0_14', '15_64', '65plus'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];
export type AgeShares = Record<AgeGroup, number>;

export const CENSUS_YEAR = 2020;

/** Shares of 1 by county adcode, as the census table gives them (they may add up to 0.9999 after rounding). */
const COUNTY_AGE_SHARES: Readonly<Record<string, AgeShares>> = {
  '620725': { '0_14': 0.1845, '15_64': 0.6736, '65plus': 0.1419 },
  '140802': { '0_14': 0.1781, '15_64': 0.7225, '65plus': 0.0993 },
  '520403': { '0_14': 0.2339, '15_64': 0.6478, '65plus': 0.1183 },
  '220622': { '0_14': 0.1337, '15_64': 0.7099, '65plus': 0.1564 },
  '360724': { '0_14': 0.2392, '15_64': 0.6268, '65plus': 0.134 },
};

/** The census age shares of a county, or null for a county the census table does not cover (an imported one). */
export function censusAgeShares(adcode: string): AgeShares | null {
  return COUNTY_AGE_SHARES[adcode] ?? null;
}
