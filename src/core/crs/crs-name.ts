/**
 * Reads the CRS names people type or files carry ("EPSG:4547", "epsg 4547", "GCJ-02", "百度",
 * "CGCS2000_3_Degree_GK_CM_114E", "urn:ogc:def:crs:EPSG::4490") into a CrsName.
 */
import { CGCS2000_GK_ZONES } from './gauss-kruger';
import { isSupportedCrs, type CrsName } from './proj';

/** Lower case without spaces, hyphens, underscores, dots, slashes or parentheses. */
function squash(s: string): string {
  return s.toLowerCase().replace(/[\s\-_./()（）]+/g, '');
}

const ALIASES = new Map<string, CrsName>();
function alias(crs: CrsName, ...names: string[]): void {
  for (const n of names) ALIASES.set(squash(n), crs);
}
alias('wgs84', 'wgs84', 'wgs 1984', 'wgs-84', 'gps', 'crs84', 'ogc:crs84', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'GCS_WGS_1984');
alias(
  'cgcs2000',
  'cgcs2000',
  'cgcs 2000',
  'China Geodetic Coordinate System 2000',
  '2000国家大地坐标系',
  '国家2000',
  'GCS_China_Geodetic_Coordinate_System_2000',
);
alias('gcj02', 'gcj02', 'gcj-02', 'gcj', 'gcj02ll', '火星坐标', '火星坐标系', '国测局坐标', '国测局', 'amap', '高德', 'tencent', '腾讯');
alias('bd09', 'bd09', 'bd-09', 'bd09ll', 'baidu', '百度', '百度坐标', '百度坐标系');
for (const z of CGCS2000_GK_ZONES) {
  const crs: CrsName = `EPSG:${z.epsg}`;
  // The EPSG name and the ESRI (.prj) name, e.g. CGCS2000_3_Degree_GK_CM_114E / CGCS2000_GK_Zone_20.
  const esriFamily = z.width === 3 ? 'CGCS2000_3_Degree_GK' : 'CGCS2000_GK';
  alias(crs, z.name, z.prefixed ? `${esriFamily}_Zone_${z.zone}` : `${esriFamily}_CM_${z.centralMeridian}E`);
}

/**
 * The CrsName a user-typed or file-supplied name stands for, or undefined when it is not one the
 * app can convert (including EPSG codes proj4 has no definition for, and Baidu's Mercator bd09mc).
 * Case, spaces, hyphens and underscores are ignored: "EPSG:4547", "epsg 4547", "EPSG4547" and
 * "4547" all give 'EPSG:4547'; "GCJ-02" gives 'gcj02'.
 */
export function crsFromName(input: string): CrsName | undefined {
  const s = input.trim();
  if (s === '') return undefined;
  const urn = /epsg(?:\/0\/|::|\s*[:：]?\s*)(\d{4,6})$/i.exec(s) ?? /^(\d{4,6})$/.exec(s);
  if (urn) {
    const crs: CrsName = `EPSG:${Number(urn[1])}`;
    return isSupportedCrs(crs) ? crs : undefined;
  }
  return ALIASES.get(squash(s));
}
