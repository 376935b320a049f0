/**
 * Rough rectangles around China, in WGS84 degrees. Two different rectangles exist on purpose: the
 * GCJ-02 one is the rule every open implementation uses to decide whether the obfuscation applies
 * (changing it would break agreement with AMap/Tencent data), the other is a plausibility test for
 * guessing what CRS a file is in.
 */

/**
 * The bbox of the standard open GCJ-02 implementations (coordtransform, eviltransform, gcoord):
 * outside it the GCJ-02 offset is not applied and GCJ-02 = WGS84.
 */
export const GCJ02_BBOX = { minLon: 72.004, maxLon: 137.8347, minLat: 0.8293, maxLat: 55.8271 } as const;

/**
 * China including Hainan and the South China Sea islands (down to about 3.8°N). Used only to judge
 * whether a guessed interpretation of a file's numbers lands in China.
 */
const CHINA_BBOX = { minLon: 73.0, maxLon: 135.5, minLat: 3.5, maxLat: 54.0 } as const;

/** True when [lon, lat] (degrees) is inside CHINA_BBOX. */
export function isInChinaBbox(lon: number, lat: number): boolean {
  return lon >= CHINA_BBOX.minLon && lon <= CHINA_BBOX.maxLon && lat >= CHINA_BBOX.minLat && lat <= CHINA_BBOX.maxLat;
}
