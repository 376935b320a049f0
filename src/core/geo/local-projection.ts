/**
 * An equirectangular projection to metres around a county's centre. Over a county (≤ 150 km) its
 * distance error is well under 0.5 %, which is why the engine may use planar maths on it.
 */
export interface LocalProjection {
  readonly lon0: number;
  readonly lat0: number;
  /** [lon, lat] in degrees → [x, y] in metres east and north of the centre. */
  forward(lon: number, lat: number): [number, number];
  /** [x, y] in metres → [lon, lat] in degrees. */
  inverse(x: number, y: number): [number, number];
}

const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const kx = EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD);
  const ky = EARTH_RADIUS_M * RAD;
  return {
    lon0,
    lat0,
    forward: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky],
    inverse: (x, y) => [lon0 + x / kx, lat0 + y / ky],
  };
}
