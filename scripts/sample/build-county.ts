import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CountyInfo } from '../../src/core/counties';
import type { BoundaryProps, CountyDataset, ZoneProps } from '../../src/core/model';
import { seededRandom, seedFrom } from '../../src/core/random';
import { modelFacilities } from './facilities';
import { modelRoads } from './roads';
import { countySeatTownship, placeSeats, relaxSeats } from './seats';
import { spreadSettlements } from './settlement-spread';
import { modelSettlements } from './settlements';
import type { FacilityInput } from './facilities';
import type { CensusRow, TownshipRow, VillageRow } from './shared-tables';
import { voronoiZones } from './zones';
import { sampleProjection } from './sample-projection';
import { centroid } from '@turf/turf';

export interface CountySources {
  county: CountyInfo;
  boundary: Feature<Polygon | MultiPolygon, { adcode: string; name_zh: string; prefecture_zh: string }>;
  townships: readonly TownshipRow[];
  villages: readonly VillageRow[];
  census: CensusRow;
  /** The county totals of beds and staff, the beds the plan states per facility, who holds the rest, and the stated facility counts. */
  resources: Pick<FacilityInput, 'totals' | 'facilityBeds' | 'remainderBedsHolder' | 'targets'>;
}

/** The seed of the modelled sample; change it and every modelled layer changes, deterministically. */
export const SAMPLE_SEED = 'healthshed-sample-v1';

/**
 * Builds one county's dataset: the real outline and census frame, with modelled seats, zones,
 * settlements, roads and facilities. The same sources and seed always give the same output.
 */
export function buildCountySample(sources: CountySources): { dataset: CountyDataset; countySeatCode: string } {
  const { county, townships, census } = sources;
  const rng = (step: string) => seededRandom(seedFrom(`${SAMPLE_SEED}/${county.adcode}/${step}`));
  const [lon0, lat0] = centroid(sources.boundary).geometry.coordinates as [number, number];
  const projection = sampleProjection(lon0, lat0);

  const seatTownship = countySeatTownship(townships);
  const seats = relaxSeats(sources.boundary, placeSeats(sources.boundary, townships, projection, rng('seats')), townships, projection);
  const zones = voronoiZones(sources.boundary, seats, projection);
  // Village centres: where roads end and facilities stand. The people live around them (spread below).
  const settlements = modelSettlements(
    {
      townships,
      villages: sources.villages,
      seats,
      zones,
      censusPopulation: census.census2020_population,
      urbanShare: census.census2020_urban_share,
    },
    projection,
    rng('settlements'),
  );
  const roads = modelRoads(
    { boundary: sources.boundary, countySeatCode: seatTownship.township_code, seats, settlements },
    projection,
    rng('roads'),
  );
  const facilities = modelFacilities(
    {
      adcode: county.adcode,
      countyName: county.zh,
      countySeatCode: seatTownship.township_code,
      townships,
      seats,
      zones,
      settlements,
      ...sources.resources,
    },
    projection,
    rng('facilities'),
  );

  const population = spreadSettlements(county.id, settlements, zones, projection, rng('spread'));

  const townshipPopulation = new Map<string, number>();
  for (const s of settlements)
    townshipPopulation.set(s.properties.township, (townshipPopulation.get(s.properties.township) ?? 0) + s.properties.population);
  const zoneFeatures: Feature<Polygon | MultiPolygon, ZoneProps>[] = townships.map((t) => ({
    type: 'Feature',
    geometry: zones.get(t.township_code)!.geometry,
    properties: {
      code: t.township_code,
      name: t.township_name,
      township_type: t.township_type,
      n_village_committees: t.n_village_committees,
      n_resident_committees: t.n_resident_committees,
      population: townshipPopulation.get(t.township_code) ?? 0,
      seat_lon: seats.get(t.township_code)![0],
      seat_lat: seats.get(t.township_code)![1],
      is_county_seat: t.township_code === seatTownship.township_code,
      modelled: true,
    },
  }));
  const boundaryProps: BoundaryProps = {
    ...sources.boundary.properties,
    census2020_population: census.census2020_population,
    census2020_urban_share: census.census2020_urban_share,
    modelled: false,
  };

  return {
    countySeatCode: seatTownship.township_code,
    dataset: {
      boundary: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: sources.boundary.geometry, properties: boundaryProps }],
      },
      townships: { type: 'FeatureCollection', features: zoneFeatures },
      population: { type: 'FeatureCollection', features: population },
      roads: { type: 'FeatureCollection', features: roads },
      facilities: { type: 'FeatureCollection', features: facilities },
    },
  };
}
