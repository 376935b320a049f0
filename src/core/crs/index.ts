/**
 * Coordinate reference systems at the door: everything inside the app is WGS84 [lon, lat] degrees
 * (CGCS2000 treated as equal); these convert GCJ-02, BD-09, EPSG codes and .prj files to and from
 * it, guess what a file's numbers are, and transform whole GeoJSON objects.
 */
export { gcj02OffsetApplies, gcj02ToWgs84, wgs84ToGcj02 } from './gcj02';
export { bd09ToGcj02, bd09ToGcj02ClosedForm, bd09ToWgs84, gcj02ToBd09, wgs84ToBd09 } from './bd09';
export {
  CGCS2000_GK_ZONES,
  gaussKrugerZone,
  gaussKrugerZoneForLon,
  gaussKrugerZoneForPrefixedEasting,
  type GaussKrugerZone,
} from './gauss-kruger';
export { crsConverter, fromWgs84, isSupportedCrs, toWgs84, type CrsConverter, type CrsName } from './proj';
export { crsFromName } from './crs-name';
export { fromPrj } from './prj';
export { detectCoordinates, type DetectVerdict } from './detect';
export { transformGeoJSON } from './transform-geojson';
export { CrsError, type Bilingual, type PointConverter } from './types';
