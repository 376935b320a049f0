/**
 * The CGCS2000 Gauss-Krüger zones of the EPSG registry, the projected CRSs Chinese survey and
 * planning data (国土、规划、测绘成果) come in. Every zone is a transverse Mercator on the GRS80/CGCS2000
 * ellipsoid with scale 1 on the central meridian, latitude of origin 0 and no false northing. Each
 * exists twice: with the zone number prefixed to the easting (false easting zone × 1e6 + 500 000,
 * so x ≈ 38 500 000 in zone 38) and without (false easting 500 000, named after the meridian):
 *
 * - 3° zones: EPSG:4513–4533 "CGCS2000 / 3-degree Gauss-Kruger zone 25…45" (prefixed) and
 *   EPSG:4534–4554 "… CM 75E…135E" (not prefixed); zone n has central meridian 3n°.
 * - 6° zones: EPSG:4491–4501 "CGCS2000 / Gauss-Kruger zone 13…23" (prefixed) and
 *   EPSG:4502–4512 "… CM 75E…135E" (not prefixed); zone n has central meridian 6n − 3°.
 *
 * Coordinates are handled in GIS order, x = easting and y = northing, in metres (the EPSG axis
 * order of these CRSs is northing first; GDAL, QGIS and Shapefiles use easting first).
 */

/** One CGCS2000 Gauss-Krüger CRS of the EPSG registry. */
export interface GaussKrugerZone {
  /** EPSG code, e.g. 4547. */
  readonly epsg: number;
  /** Zone width in degrees of longitude. */
  readonly width: 3 | 6;
  /** Zone number: 25–45 for 3° zones, 13–23 for 6° zones. */
  readonly zone: number;
  /** Central meridian, degrees east. */
  readonly centralMeridian: number;
  /** Whether the zone number is prefixed to the easting. */
  readonly prefixed: boolean;
  /** False easting in metres: zone × 1e6 + 500 000 when prefixed, else 500 000. */
  readonly falseEasting: number;
  /** The EPSG name, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 114E". */
  readonly name: string;
}

function zone(epsg: number, width: 3 | 6, zoneNumber: number, prefixed: boolean): GaussKrugerZone {
  const centralMeridian = width === 3 ? 3 * zoneNumber : 6 * zoneNumber - 3;
  const family = width === 3 ? 'CGCS2000 / 3-degree Gauss-Kruger' : 'CGCS2000 / Gauss-Kruger';
  return {
    epsg,
    width,
    zone: zoneNumber,
    centralMeridian,
    prefixed,
    falseEasting: prefixed ? zoneNumber * 1_000_000 + 500_000 : 500_000,
    name: prefixed ? `${family} zone ${zoneNumber}` : `${family} CM ${centralMeridian}E`,
  };
}

function buildZones(): GaussKrugerZone[] {
  const zones: GaussKrugerZone[] = [];
  for (let n = 13; n <= 23; n++) zones.push(zone(4491 + n - 13, 6, n, true));
  for (let n = 13; n <= 23; n++) zones.push(zone(4502 + n - 13, 6, n, false));
  for (let n = 25; n <= 45; n++) zones.push(zone(4513 + n - 25, 3, n, true));
  for (let n = 25; n <= 45; n++) zones.push(zone(4534 + n - 25, 3, n, false));
  return zones;
}

/** All 64 CGCS2000 Gauss-Krüger CRSs, EPSG:4491–4554, in code order. */
export const CGCS2000_GK_ZONES: readonly GaussKrugerZone[] = buildZones();

const BY_EPSG = new Map(CGCS2000_GK_ZONES.map((z) => [z.epsg, z]));

/** The zone of an EPSG code in 4491–4554, or undefined for any other code. */
export function gaussKrugerZone(epsg: number): GaussKrugerZone | undefined {
  return BY_EPSG.get(epsg);
}

/**
 * The zone of a given width whose central meridian is nearest to `lon` (degrees east), in the
 * prefixed or unprefixed variant; undefined when `lon` is outside the 73.5–136.5°E the EPSG zones cover.
 */
export function gaussKrugerZoneForLon(lon: number, width: 3 | 6, prefixed: boolean): GaussKrugerZone | undefined {
  const n = width === 3 ? Math.round(lon / 3) : Math.floor(lon / 6) + 1;
  return CGCS2000_GK_ZONES.find((z) => z.width === width && z.zone === n && z.prefixed === prefixed);
}

/** The prefixed zone a prefixed easting (metres) belongs to, from its leading digits; undefined if none. */
export function gaussKrugerZoneForPrefixedEasting(easting: number): GaussKrugerZone | undefined {
  const n = Math.floor(easting / 1_000_000);
  return CGCS2000_GK_ZONES.find((z) => z.prefixed && z.zone === n);
}

/** The proj4 definition string of a zone (the same string `gdalsrsinfo -o proj4 EPSG:n` prints). */
export function gaussKrugerProj4(z: GaussKrugerZone): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${z.centralMeridian} +k=1 +x_0=${z.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}
