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
import { realHospitals, realSeats, type RealSeat, type RealTables, type UnusedPoint } from './real-ground';
import { placeRealHospitals, type HospitalRecord } from './real-hospitals';

export interface CountySources {
  county: CountyInfo;
  boundary: Feature<Polygon | MultiPolygon, { adcode: string; name_zh: string; prefecture_zh: string }>;
  townships: readonly TownshipRow[];
  villages: readonly VillageRow[];
  census: CensusRow;
  /** The county totals of beds and staff, the beds the plan states per facility, who holds the rest, and the stated facility counts. */
  resources: Pick<FacilityInput, 'totals' | 'facilityBeds' | 'remainderBedsHolder' | 'targets'>;
  /** The real points of ../shared/data/real (all counties; this county's are picked here). */
  real: RealTables;
}

/** What real ground the county's layers stand on: the seats anchored to GeoNames and the real hospitals. */
export interface RealGround {
  seats: RealSeat[];
  unused_points: UnusedPoint[];
  hospitals: HospitalRecord[];
}

/** The seed of the modelled sample; change it and every modelled layer changes, deterministically. */
export const SAMPLE_SEED = 'healthshed-sample-v1';

/**
 * Builds one county's dataset: the real outline and census frame, with modelled seats, zones,
 * settlements, roads and facilities. The same sources and seed always give the same output.
 */
export function buildCountySample(sources: CountySources): { dataset: CountyDataset; countySeatCode: string; real: RealGround } {
  const { county, townships, census } = sources;
  const rng = (step: string) => seededRandom(seedFrom(`${SAMPLE_SEED}/${county.adcode}/${step}`));
  const [lon0, lat0] = centroid(sources.boundary).geometry.coordinates as [number, number];
  const projection = sampleProjection(lon0, lat0);

  const seatTownship = countySeatTownship(townships);
  const metres = (a: [number, number], b: [number, number]): number => {
    const [ax, ay] = projection.forward(a[0], a[1]);
    const [bx, by] = projection.forward(b[0], b[1]);
    return Math.hypot(ax - bx, ay - by);
  };
  const anchored = realSeats(
    sources.real.geonames.features.filter((f) => f.properties.county_adcode === county.adcode),
    townships,
    sources.boundary,
    seatTownship.township_code,
    metres,
  );
  const real = new Map(anchored.seats.map((s): [string, [number, number]] => [s.township_code, [s.lon, s.lat]]));
  const seats = relaxSeats(
    sources.boundary,
    placeSeats(sources.boundary, townships, projection, rng('seats'), real),
    townships,
    projection,
    new Set(real.keys()),
  );
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
  const modelled = modelFacilities(
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

  const { facilities, records: hospitals } = placeRealHospitals(modelled, realHospitals(sources.real, county.adcode, county.zh), {
    zones,
    townshipName: new Map(townships.map((t) => [t.township_code, t.township_name])),
    pinnedKinds: new Set(sources.resources.facilityBeds.flatMap((b) => (b.facility.startsWith('county:') ? [b.facility.slice(7)] : []))),
    adcode: county.adcode,
  });

  const population = spreadSettlements(county.id, settlements, zones, projection, rng('spread'));

  const townshipPopulation = new Map<string, number>();
  for (const s of settlements)
    townshipPopulation.set(s.properties.township, (townshipPopulation.get(s.properties.township) ?? 0) + s.properties.population);
  const zoneFeatures: Feature<Polygon | MultiPolygon, ZoneProps & { seat_source: string }>[] = townships.map((t) => ({
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
      // The polygon is modelled either way; the seat is GeoNames' point where one matched.
      seat_source: real.has(t.township_code)
        ? `GeoNames ${anchored.seats.find((s) => s.township_code === t.township_code)!.geonameid}`
        : 'modelled',
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
    real: { seats: anchored.seats, unused_points: anchored.unused, hospitals },
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
