/**
 * Registers the Chinese CRSs proj4 does not ship with (CGCS2000 geographic EPSG:4490 and the 64
 * CGCS2000 Gauss-Krüger zones EPSG:4491–4554) in proj4's global definition table, once, on first
 * use. proj4 already knows EPSG:4326, 3857 and the WGS84 UTM zones 32601–32760.
 *
 * No +towgs84 is given, so proj4 applies no datum shift between CGCS2000 and WGS84: the app treats
 * them as the same datum (they differ by a few centimetres), as GDAL's ballpark transformation does.
 */
import proj4 from 'proj4';
import { CGCS2000_GK_ZONES, gaussKrugerProj4 } from './gauss-kruger';

let registered = false;

/** Idempotent: registers EPSG:4490 and EPSG:4491–4554 with proj4. */
export function registerChinaCrs(): void {
  if (registered) return;
  proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs');
  for (const z of CGCS2000_GK_ZONES) proj4.defs(`EPSG:${z.epsg}`, gaussKrugerProj4(z));
  registered = true;
}

/** Whether proj4 (after registerChinaCrs) has a definition for EPSG:`code`. */
export function isKnownEpsg(code: number): boolean {
  registerChinaCrs();
  if (!Number.isInteger(code) || code <= 0) return false;
  return proj4.defs(`EPSG:${code}`) !== undefined;
}
