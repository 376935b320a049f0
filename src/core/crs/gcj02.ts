/**
 * GCJ-02 (国测局坐标, "Mars coordinates"): the obfuscated WGS84 that AMap (高德), Tencent (腾讯) and
 * most Chinese web maps publish. The forward formula is the open one that every public library
 * uses (coordtransform, eviltransform, gcoord): an offset of a few hundred metres computed on the
 * Krasovsky ellipsoid. There is no closed-form inverse, so GCJ-02 → WGS84 iterates the forward
 * formula to a fixed point.
 *
 * All functions take and return [lon, lat] in decimal degrees, longitude first.
 */
import { GCJ02_BBOX } from './china-bbox';
import type { LonLat } from './types';

/** Semi-major axis (m) and first eccentricity squared of the Krasovsky 1940 ellipsoid the formula uses. */
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943; // 0.00669342162296594323 as the formula gives it, to double precision
const DEG = Math.PI / 180;

/** Stop iterating once the forward image is this close (degrees) to the target: ~1 mm. */
const INVERSE_TOLERANCE_DEG = 1e-10;
const INVERSE_MAX_ITERATIONS = 30;

/**
 * Whether the GCJ-02 offset applies at [lon, lat] (degrees): only inside the rectangle
 * 72.004–137.8347°E, 0.8293–55.8271°N used by eviltransform and gcoord. Outside it GCJ-02 = WGS84.
 */
export function gcj02OffsetApplies(lon: number, lat: number): boolean {
  return lon >= GCJ02_BBOX.minLon && lon <= GCJ02_BBOX.maxLon && lat >= GCJ02_BBOX.minLat && lat <= GCJ02_BBOX.maxLat;
}

function offsetLatSeries(x: number, y: number): number {
  let s = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  s += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  s += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  s += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return s;
}

function offsetLonSeries(x: number, y: number): number {
  let s = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  s += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  s += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  s += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return s;
}

/** The GCJ-02 offset [dLon, dLat] in degrees at a WGS84 point inside the offset rectangle. */
function gcj02Offset(lon: number, lat: number): [number, number] {
  const x = lon - 105;
  const y = lat - 35;
  const phi = lat * DEG;
  const s = Math.sin(phi);
  const w = 1 - KRASOVSKY_EE * s * s;
  const sqrtW = Math.sqrt(w);
  // The series are in metres-like units; divide by the meridian and parallel radii of curvature.
  const dLat = (offsetLatSeries(x, y) * 180) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (w * sqrtW)) * Math.PI);
  const dLon = (offsetLonSeries(x, y) * 180) / ((KRASOVSKY_A / sqrtW) * Math.cos(phi) * Math.PI);
  return [dLon, dLat];
}

/**
 * WGS84 → GCJ-02. [lon, lat] degrees in, [lon, lat] degrees out. Points outside the offset
 * rectangle (see gcj02OffsetApplies) are returned unchanged.
 */
export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (!gcj02OffsetApplies(lon, lat)) return [lon, lat];
  const [dLon, dLat] = gcj02Offset(lon, lat);
  return [lon + dLon, lat + dLat];
}

/**
 * GCJ-02 → WGS84 by fixed-point iteration of the forward formula: w ← w − (gcj(w) − target). The
 * offset changes by well under 1 % of itself per degree of movement, so each step gains about
 * three digits and 3–4 steps reach the 1e-10° tolerance (the one-step "subtract the offset"
 * approximation used by many libraries is off by up to a few metres). [lon, lat] degrees in and
 * out; points outside the offset rectangle are returned unchanged.
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (!gcj02OffsetApplies(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  let best: LonLat = [lon, lat];
  let bestResidual = Infinity;
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    const rLon = gLon - lon;
    const rLat = gLat - lat;
    const residual = Math.max(Math.abs(rLon), Math.abs(rLat));
    if (residual < bestResidual) {
      bestResidual = residual;
      best = [wLon, wLat];
    }
    if (residual < INVERSE_TOLERANCE_DEG) break;
    wLon -= rLon;
    wLat -= rLat;
  }
  // Right at the rectangle's edge the WGS84 pre-image may fall outside it, where no exact inverse
  // exists; the closest iterate is returned then.
  return best;
}
