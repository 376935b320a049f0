import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import Papa from 'papaparse';
import type { CountyId } from '../src/core/counties';
import type { CensusRow, TownshipRow, VillageRow } from './sample/shared-tables';
import type { FeverClinicRow, RealTables } from './sample/real-ground';

function readCsv(file: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${file}: row ${parsed.errors[0]!.row}: ${parsed.errors[0]!.message}`);
  return parsed.data;
}

/** The real tables of shared/data, typed. */
export function readSharedTables(shared: string) {
  const townships: TownshipRow[] = readCsv(resolve(shared, 'data/townships.csv')).map((r) => ({
    township_code: r.township_code!,
    township_name: r.township_name!,
    township_type: r.township_type as TownshipRow['township_type'],
    county_adcode: r.county_adcode!,
    n_village_committees: Number(r.n_village_committees),
    n_resident_committees: Number(r.n_resident_committees),
  }));
  const villages: VillageRow[] = readCsv(resolve(shared, 'data/villages.csv')).map((r) => ({
    village_code: r.village_code!,
    village_name: r.village_name!,
    committee_type: r.committee_type as VillageRow['committee_type'],
    township_code: r.township_code!,
    county_adcode: r.county_adcode!,
  }));
  const census: CensusRow[] = readCsv(resolve(shared, 'data/county-census-2020.csv')).map((r) => ({
    county_adcode: r.county_adcode!,
    county_name: r.county_name!,
    census2020_population: Number(r.census2020_population),
    census2020_urban_share: Number(r.census2020_urban_share),
  }));
  const boundaries = JSON.parse(readFileSync(resolve(shared, 'data/county-boundaries.wgs84.geojson'), 'utf8')) as FeatureCollection<
    Polygon | MultiPolygon,
    { adcode: string; name_zh: string; prefecture_zh: string }
  >;
  return { townships, villages, census, boundaries };
}

/** The few real points of shared/data/real (GeoNames seats, hospitals): see its README. */
export function readRealTables(shared: string): RealTables {
  const json = (file: string) => JSON.parse(readFileSync(resolve(shared, 'data/real', file), 'utf8')) as never;
  return {
    geonames: json('settlements_geonames_cities500_5counties.wgs84.geojson'),
    hospitals3A: json('hospitals_3A_5counties.wgs84.geojson'),
    feverClinics: readCsv(resolve(shared, 'data/real/hospitals_fever_clinics_2020_5counties.csv')).map((r): FeverClinicRow => ({
      county_adcode: r.county_adcode!,
      name: r.name!,
      level: r.level ?? '',
      address: r.address ?? '',
      source: r.source!,
      date: r.date!,
    })),
  };
}

export function readPlanText(shared: string, id: CountyId): string {
  return readFileSync(resolve(shared, 'plans', `${id}.json`), 'utf8');
}
