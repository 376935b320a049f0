/**
 * The real reference tables of ../shared/data, as typed rows. Parsing is done by the caller's CSV
 * reader; these are the shapes the sample builder consumes.
 */
import type { TownshipType } from '../../src/core/model';

export interface TownshipRow {
  township_code: string;
  township_name: string;
  township_type: TownshipType;
  county_adcode: string;
  n_village_committees: number;
  n_resident_committees: number;
}

export interface VillageRow {
  village_code: string;
  village_name: string;
  committee_type: '村委会' | '居委会' | '虚拟社区';
  township_code: string;
  county_adcode: string;
}

export interface CensusRow {
  county_adcode: string;
  county_name: string;
  census2020_population: number;
  census2020_urban_share: number;
}

/** The five indicators whose county totals (a stated count, else a 2020 ratio) size the modelled beds and staff. */
export const RESOURCE_INDICATORS = [
  'beds_per_1000',
  'physicians_per_1000',
  'nurses_per_1000',
  'gps_per_10000',
  'public_health_staff_per_1000',
] as const;
export type ResourceIndicator = (typeof RESOURCE_INDICATORS)[number];

/**
 * National 2020 figures (《2020年我国卫生健康事业发展统计公报》), used only where a plan gives no 2020
 * baseline: beds 6.46, physicians 2.90, nurses 3.34 per 1,000; GPs 2.90 per 10,000; professional
 * public-health staff ≈ 0.66 per 1,000 (0.93 million ÷ 1.412 billion).
 */
export const NATIONAL_2020: Record<ResourceIndicator, number> = {
  beds_per_1000: 6.46,
  physicians_per_1000: 2.9,
  nurses_per_1000: 3.34,
  gps_per_10000: 2.9,
  public_health_staff_per_1000: 0.66,
};
