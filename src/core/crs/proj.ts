/**
 * Conversion between the CRSs data arrives in and the app's WGS84 [lon, lat]. One entry point for
 * everything: the obfuscated web-map systems (GCJ-02, BD-09, done in gcj02.ts / bd09.ts) and every
 * EPSG code proj4 knows once the Chinese ones are registered (4326, 4490, 3857, the CGCS2000
 * Gauss-Krüger zones 4491–4554, the WGS84 UTM zones…).
 *
 * Pairs are in GIS order everywhere: [lon, lat] degrees for geographic systems, [easting,
 * northing] metres for projected ones. CGCS2000 (EPSG:4490) is treated as WGS84.
 */
import proj4 from 'proj4';
import { bd09ToWgs84, wgs84ToBd09 } from './bd09';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02';
import { isKnownEpsg, registerChinaCrs } from './registry';
import { CrsError, type LonLat, type PointConverter } from './types';

/**
 * A CRS the app can convert: 'wgs84' and 'cgcs2000' (both the identity), 'gcj02' (AMap, Tencent),
 * 'bd09' (Baidu), or `EPSG:n` for any code proj4 knows after registerChinaCrs.
 */
export type CrsName = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | `EPSG:${number}`;

/** A pair of converters between one CRS and WGS84. */
export interface CrsConverter {
  /** Source CRS pair (GIS order) → WGS84 [lon, lat] degrees. */
  readonly toWgs84: PointConverter;
  /** WGS84 [lon, lat] degrees → source CRS pair (GIS order). */
  readonly fromWgs84: PointConverter;
}

const identity: PointConverter = (x, y) => [x, y];
const IDENTITY: CrsConverter = { toWgs84: identity, fromWgs84: identity };
const IDENTITY_CODES = new Set([4326, 4490]);

/** The EPSG number of an `EPSG:n` CRS name, else undefined. */
export function epsgCode(crs: string): number | undefined {
  const m = /^EPSG:(\d+)$/.exec(crs);
  return m ? Number(m[1]) : undefined;
}

/** Whether `crs` is a CrsName this module can convert. */
export function isSupportedCrs(crs: string): crs is CrsName {
  if (crs === 'wgs84' || crs === 'cgcs2000' || crs === 'gcj02' || crs === 'bd09') return true;
  const code = epsgCode(crs);
  return code !== undefined && isKnownEpsg(code);
}

/** proj4's output as a finite pair, or [NaN, NaN] when the point is outside the projection's domain. */
function finitePair(p: number[]): [number, number] {
  const x = p[0];
  const y = p[1];
  return x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : [NaN, NaN];
}

/** Runs one proj4 step; non-finite input, a throw or a non-finite result all give [NaN, NaN]. */
function guarded(step: (p: number[]) => number[]): PointConverter {
  return (x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [NaN, NaN];
    try {
      return finitePair(step([x, y]));
    } catch {
      return [NaN, NaN];
    }
  };
}

/**
 * Wraps a proj4 converter (source ↔ WGS84) in the app's PointConverter shape. A point proj4
 * cannot convert (non-finite, outside the projection's domain) comes back as [NaN, NaN] rather
 * than throwing, so one bad vertex does not abort a whole file.
 */
export function proj4Converter(source: string): CrsConverter {
  registerChinaCrs();
  const c = proj4(source, 'EPSG:4326');
  return {
    toWgs84: guarded((p) => c.forward(p)),
    fromWgs84: guarded((p) => c.inverse(p)),
  };
}

const cache = new Map<string, CrsConverter>();

/**
 * The converter pair for a CRS, built once and cached (building a proj4 transform parses the
 * definition, so converting a file point by point must not rebuild it). Throws CrsError for an
 * unsupported CRS.
 */
export function crsConverter(crs: CrsName): CrsConverter {
  const cached = cache.get(crs);
  if (cached) return cached;
  let made: CrsConverter;
  if (crs === 'wgs84' || crs === 'cgcs2000') made = IDENTITY;
  else if (crs === 'gcj02') made = { toWgs84: gcj02ToWgs84, fromWgs84: wgs84ToGcj02 };
  else if (crs === 'bd09') made = { toWgs84: bd09ToWgs84, fromWgs84: wgs84ToBd09 };
  else {
    const code = epsgCode(crs);
    if (code === undefined || !isKnownEpsg(code)) {
      throw new CrsError(`Unsupported coordinate system: ${String(crs)}`, `不支持的坐标系：${String(crs)}`);
    }
    made = IDENTITY_CODES.has(code) ? IDENTITY : proj4Converter(crs);
  }
  cache.set(crs, made);
  return made;
}

/**
 * One point from `crs` to WGS84. x, y in the CRS's GIS order (lon/lat degrees, or easting/northing
 * metres); returns [lon, lat] degrees. Throws CrsError for an unsupported CRS.
 */
export function toWgs84(x: number, y: number, crs: CrsName): LonLat {
  return crsConverter(crs).toWgs84(x, y);
}

/** One WGS84 [lon, lat] (degrees) point to `crs`, returned in the CRS's GIS order. Throws CrsError for an unsupported CRS. */
export function fromWgs84(lon: number, lat: number, crs: CrsName): [number, number] {
  return crsConverter(crs).fromWgs84(lon, lat);
}
