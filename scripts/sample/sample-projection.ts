/**
 * The projection the modelled sample (data/) was built in: an equirectangular sphere of R = 6,371,008.8 m round
 * the county's centroid. Frozen here so `npm run data` keeps rebuilding the committed files byte for byte; the
 * engine measures with its own, accurate projection (src/core/geo/local-projection.ts). Changing this changes
 * every modelled place.
 */
import type { LocalProjection } from '../../src/core/geo/local-projection';

const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

export function sampleProjection(lon0: number, lat0: number): LocalProjection {
  const kx = EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD);
  const ky = EARTH_RADIUS_M * RAD;
  return {
    lon0,
    lat0,
    forward: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky],
    inverse: (x, y) => [lon0 + x / kx, lat0 + y / ky],
  };
}
