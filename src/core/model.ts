/**
 * The domain of Healthshed. Coordinates are always WGS84 [longitude, latitude]
 * (CGCS2000 is treated as equal to it); other systems are converted at the door.
 */
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { RoadClassSource } from './travel/road-class';

/**
 * The three levels of the Chinese county health system, and the emergency stations (急救站/分站)
 * that ambulances leave from: placed like any facility, counted by the emergency circles only.
 */
export const TIERS = ['county_hospital', 'township_centre', 'village_clinic', 'emergency_station'] as const;
export type Tier = (typeof TIERS)[number];
/**
 * The tiers that give care: "any tier" is the nearest of these, and a service standard counts only these unless a
 * planner lists stations in a part (an ambulance base is not where people go to see a doctor).
 */
export const SERVICE_TIERS: readonly Tier[] = ['county_hospital', 'township_centre', 'village_clinic'];

/** What a facility is within its tier (县级医院 of three kinds, 卫生院 or 社区中心, 卫生室 or 社区站, 急救站/分站). */
export const FACILITY_KINDS = [
  'general_hospital',
  'tcm_hospital',
  'maternal_child_hospital',
  'township_health_centre',
  'community_health_centre',
  'village_clinic',
  'community_health_station',
  'emergency_station',
] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** The kind a new facility of a tier is (placed on the map, suggested by siting) until the planner says otherwise. */
export const TIER_DEFAULT_KIND: Record<Tier, FacilityKind> = {
  county_hospital: 'general_hospital',
  township_centre: 'township_health_centre',
  village_clinic: 'village_clinic',
  emergency_station: 'emergency_station',
};

export const FACILITY_STATUSES = ['existing', 'planned', 'suggested'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

/** Road classes of the Chinese network, from national highway down to village road. */
export const ROAD_CLASSES = ['国道', '省道', '县道', '乡道', '村道'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

/** The OSM `highway` value each Chinese class is exported as, so OSM-minded tools read our roads. */
export const ROAD_CLASS_HIGHWAY: Record<RoadClass, string> = {
  国道: 'trunk',
  省道: 'primary',
  县道: 'secondary',
  乡道: 'tertiary',
  村道: 'unclassified',
};

export type TownshipType = '街道' | '镇' | '乡' | '类似乡级单位';

/** The fields every facility has; FacilityProps also keeps whatever else it came with. */
export interface FacilityCore {
  id: string;
  name: string;
  tier: Tier;
  kind: FacilityKind;
  status: FacilityStatus;
  /** Counts are null when unknown: "no data" is never shown as 0. */
  beds: number | null;
  physicians: number | null;
  nurses: number | null;
  gps: number | null;
  public_health_staff: number | null;
  /** Township code (9 digits, NBS). */
  township: string;
  township_name: string;
  modelled: boolean;
}

/** A facility's properties: the core fields, and every other property it came with, kept untouched. */
export type FacilityProps = FacilityCore & { [other: string]: unknown };

export interface PopulationProps {
  id: string;
  name: string;
  population: number;
  urban: boolean;
  committee_type: '村委会' | '居委会';
  township: string;
  township_name: string;
  modelled: boolean;
}

export interface ZoneProps {
  code: string;
  name: string;
  township_type: TownshipType;
  n_village_committees: number;
  n_resident_committees: number;
  population: number;
  seat_lon: number;
  seat_lat: number;
  is_county_seat: boolean;
  modelled: boolean;
}

export interface RoadProps {
  id: string;
  class_zh: RoadClass;
  /** Where class_zh came from (imported roads): the file, the route number (ref), or only the OSM highway value. */
  class_by?: RoadClassSource;
  highway: string;
  length_m: number;
  modelled: boolean;
}

export interface BoundaryProps {
  adcode: string;
  name_zh: string;
  prefecture_zh: string;
  census2020_population: number;
  census2020_urban_share: number;
  modelled: boolean;
}

export type FacilityFeature = Feature<Point, FacilityProps>;
export type PopulationFeature = Feature<Point, PopulationProps>;
export type ZoneFeature = Feature<Polygon | MultiPolygon, ZoneProps>;
export type RoadFeature = Feature<LineString, RoadProps>;

/** One county's layers, as the app and the command line hold them. */
export interface CountyDataset {
  boundary: FeatureCollection<Polygon | MultiPolygon, BoundaryProps>;
  townships: FeatureCollection<Polygon | MultiPolygon, ZoneProps>;
  population: FeatureCollection<Point, PopulationProps>;
  roads: FeatureCollection<LineString, RoadProps>;
  facilities: FeatureCollection<Point, FacilityProps>;
}

export const LAYER_NAMES = ['boundary', 'townships', 'population', 'roads', 'facilities'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];
