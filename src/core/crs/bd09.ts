/**
 * BD-09 (百度坐标, "bd09ll"): Baidu's further obfuscation of GCJ-02, a small rotation and scaling in
 * polar form plus a fixed shift (+0.0065°E, +0.006°N). The GCJ-02 → BD-09 formula is the open one
 * every library uses; its usual closed-form inverse (subtract the shift, undo the polar terms at
 * the shifted point) is only approximate, off by up to about 1e-6° (0.1 m), so bd09ToGcj02 refines
 * it by fixed-point iteration of the forward formula.
 *
 * All functions take and return [lon, lat] in decimal degrees, longitude first. The BD-09 terms are
 * applied everywhere (as Baidu's formula does); only the GCJ-02 step is limited to China.
 */
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02';
import type { LonLat } from './types';

const X_PI = (Math.PI * 3000.0) / 180.0;
const BD_SHIFT_LON = 0.0065;
const BD_SHIFT_LAT = 0.006;
const INVERSE_TOLERANCE_DEG = 1e-11;
const INVERSE_MAX_ITERATIONS = 20;

/** GCJ-02 → BD-09. [lon, lat] degrees in and out. */
export function gcj02ToBd09(lon: number, lat: number): LonLat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
  return [z * Math.cos(theta) + BD_SHIFT_LON, z * Math.sin(theta) + BD_SHIFT_LAT];
}

/**
 * The closed-form BD-09 → GCJ-02 found in most libraries. It evaluates the polar terms at the
 * BD-09 point instead of the unknown GCJ-02 point, so it is only approximate (up to ~1e-6°);
 * exported so tests can measure that error. Use bd09ToGcj02.
 */
export function bd09ToGcj02ClosedForm(lon: number, lat: number): LonLat {
  const x = lon - BD_SHIFT_LON;
  const y = lat - BD_SHIFT_LAT;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

/**
 * BD-09 → GCJ-02: the closed form, then fixed-point iteration g ← g − (bd09(g) − target) until the
 * forward image is within 1e-11° of the input. [lon, lat] degrees in and out.
 */
export function bd09ToGcj02(lon: number, lat: number): LonLat {
  let [gLon, gLat] = bd09ToGcj02ClosedForm(lon, lat);
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const [bLon, bLat] = gcj02ToBd09(gLon, gLat);
    const rLon = bLon - lon;
    const rLat = bLat - lat;
    if (Math.max(Math.abs(rLon), Math.abs(rLat)) < INVERSE_TOLERANCE_DEG) break;
    gLon -= rLon;
    gLat -= rLat;
  }
  return [gLon, gLat];
}

/** WGS84 → BD-09 (through GCJ-02). [lon, lat] degrees in and out. */
export function wgs84ToBd09(lon: number, lat: number): LonLat {
  const [gLon, gLat] = wgs84ToGcj02(lon, lat);
  return gcj02ToBd09(gLon, gLat);
}

/** BD-09 → WGS84 (through GCJ-02, both steps iterative). [lon, lat] degrees in and out. */
export function bd09ToWgs84(lon: number, lat: number): LonLat {
  const [gLon, gLat] = bd09ToGcj02(lon, lat);
  return gcj02ToWgs84(gLon, gLat);
}
