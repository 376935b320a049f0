/**
 * The engine's local projection (transverse Mercator on WGS 84 about the county's centre), checked against two
 * independent implementations: PROJ itself through GDAL's gdaltransform (Debian gdal-bin; the test fails without
 * it), with the same projection string, and GeographicLib's geodesic distances on the ellipsoid, which a planar
 * distance must match to well under 0.1 % anywhere within 150 km of the centre. The equirectangular sphere it
 * replaced is measured beside it, by its own formula written out here.
 */
import { Geodesic } from 'geographiclib-geodesic';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CountyId } from '../../src/core/counties';
import { settlementsProjection } from '../../src/core/coverage/inputs';
import { localProjection, type LocalProjection } from '../../src/core/geo/local-projection';
import { seededRandom } from '../../src/core/random';
import { readCommittedCounty } from './shared';
import { gdaltransform, type Pt } from './gdal';

const COUNTIES: CountyId[] = ['shangyou', 'pingba', 'yanhu', 'shandan', 'jingyu'];

/** PROJ's definition of the same projection. */
const projString = (lon0: number, lat0: number) =>
  `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs`;

/** The projection before this one: an equirectangular sphere of R = 6,371,008.8 m. */
function equirectangular(lon0: number, lat0: number): LocalProjection {
  const kx = 6371008.8 * (Math.PI / 180) * Math.cos((lat0 * Math.PI) / 180);
  const ky = 6371008.8 * (Math.PI / 180);
  return { lon0, lat0, forward: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky], inverse: (x, y) => [lon0 + x / kx, lat0 + y / ky] };
}

/** Degrees of longitude and latitude per metre near (lon0, lat0), on the ellipsoid: enough to place test points. */
function degreesPerMetre(lat0: number): [number, number] {
  const north = Geodesic.WGS84.Direct(lat0, 0, 0, 1000).lat2! - lat0;
  const east = Geodesic.WGS84.Direct(lat0, 0, 90, 1000).lon2!;
  return [east / 1000, north / 1000];
}

/** The geodesic distance on WGS 84 (GeographicLib). */
const geodesic = (a: Pt, b: Pt): number => Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0]).s12!;

/** Largest relative error of planar distances over pairs, against the geodesic's. */
function worstRelative(projection: LocalProjection, pairs: readonly [Pt, Pt][]): number {
  let worst = 0;
  for (const [a, b] of pairs) {
    const [p, q] = [projection.forward(a[0], a[1]), projection.forward(b[0], b[1])];
    const planar = Math.hypot(p[0] - q[0], p[1] - q[1]);
    const s = geodesic(a, b);
    worst = Math.max(worst, Math.abs(planar / s - 1));
  }
  return worst;
}

interface County {
  id: CountyId;
  lon0: number;
  lat0: number;
  /** Its settlements, where the engine projects people. */
  settlements: Pt[];
}

const counties: County[] = [];

beforeAll(async () => {
  for (const id of COUNTIES) {
    const dataset = await readCommittedCounty(id);
    // The centre the engine itself uses for this county's work.
    const { lon0, lat0 } = settlementsProjection(dataset.population.features, dataset.facilities.features);
    const settlements = dataset.population.features.flatMap((f) => (f.geometry ? [f.geometry.coordinates as unknown as Pt] : []));
    counties.push({ id, lon0, lat0, settlements });
  }
}, 60_000);

describe('the local projection', () => {
  it('puts the centre at (0, 0) and measures metres east and north of it', () => {
    for (const { lon0, lat0 } of counties) {
      const p = localProjection(lon0, lat0);
      expect(p.forward(lon0, lat0)).toEqual([0, 0]);
      const [dlon, dlat] = degreesPerMetre(lat0);
      const [xe, ye] = p.forward(lon0 + 1000 * dlon, lat0);
      const [xn, yn] = p.forward(lon0, lat0 + 1000 * dlat);
      // A kilometre east and a kilometre north (measured on the ellipsoid) come out as 1,000 m along each axis.
      expect(Math.abs(xe - 1000_000 / 1000)).toBeLessThan(1e-3);
      expect(Math.abs(ye)).toBeLessThan(0.2); // the parallel curves away from the grid's east, ~x²·tan φ/2R
      expect(Math.abs(xn)).toBeLessThan(1e-9);
      expect(Math.abs(yn - 1000)).toBeLessThan(1e-3);
    }
  });

  it('agrees with PROJ (gdaltransform, +proj=tmerc on WGS 84) to a millimetre, both ways, over each county and beyond', async () => {
    const rng = seededRandom(2011);
    for (const { id, lon0, lat0, settlements } of counties) {
      const [dlon, dlat] = degreesPerMetre(lat0);
      // The county's settlements, a 150 km box round its centre, and points 250–600 km out (the far branch).
      const points: Pt[] = [...settlements];
      for (let i = 0; i < 200; i++) points.push([lon0 + rng.uniform(-75e3, 75e3) * dlon, lat0 + rng.uniform(-75e3, 75e3) * dlat]);
      for (let i = 0; i < 40; i++) {
        const [r, a] = [rng.uniform(250e3, 600e3), rng.uniform(0, 2 * Math.PI)];
        points.push([lon0 + r * Math.cos(a) * dlon, lat0 + r * Math.sin(a) * dlat]);
      }
      const p = localProjection(lon0, lat0);
      const proj = await gdaltransform('EPSG:4326', projString(lon0, lat0), points);
      const ours = points.map(([lon, lat]) => p.forward(lon, lat));
      const forwardError = Math.max(...ours.map((q, k) => Math.hypot(q[0] - proj[k]![0], q[1] - proj[k]![1])));
      expect(forwardError, `${id}: metres from PROJ's forward`).toBeLessThan(1e-3);

      const back = await gdaltransform(projString(lon0, lat0), 'EPSG:4326', ours);
      const inverseError = Math.max(
        ...ours.map(([x, y], k) => {
          const [lon, lat] = p.inverse(x, y);
          return Math.max(Math.abs(lon - back[k]![0]) / dlon, Math.abs(lat - back[k]![1]) / dlat); // in metres
        }),
      );
      expect(inverseError, `${id}: metres from PROJ's inverse`).toBeLessThan(1e-3);
    }
  }, 60_000);

  it('gives back the point it was given, to 1e-9 degrees, near and far and at any latitude', () => {
    const rng = seededRandom(9);
    const centres: Pt[] = [...counties.map((c) => [c.lon0, c.lat0] as Pt), [0, 0], [-70, -33], [20, 79.5], [20, 85]];
    for (const [lon0, lat0] of centres) {
      const p = localProjection(lon0, lat0);
      let worst = 0;
      for (let i = 0; i < 2000; i++) {
        const lon = lon0 + rng.uniform(-6, 6);
        const lat = Math.max(-89, Math.min(89, lat0 + rng.uniform(-5, 5)));
        const [x, y] = p.forward(lon, lat);
        const [lon2, lat2] = p.inverse(x, y);
        worst = Math.max(worst, Math.abs(lon2 - lon), Math.abs(lat2 - lat));
      }
      expect(worst, `round trip at ${lon0}, ${lat0}`).toBeLessThan(1e-9);
    }
  });

  describe('planar distances against geodesics on the ellipsoid (GeographicLib)', () => {
    const report: string[] = [];
    const BOUND = 1e-4; // 0.01 %: the scale at 75 km from the central meridian is 1 + 7e-5
    const DISC_BOUND = 3e-4; // 0.03 %: at 150 km, 1 + 2.8e-4

    /** Pairs a few km apart all over the box, and pairs up to 150 km apart in it. */
    function pairsIn(lon0: number, lat0: number, half: number, seed: number): { short: [Pt, Pt][]; long: [Pt, Pt][] } {
      const rng = seededRandom(seed);
      const [dlon, dlat] = degreesPerMetre(lat0);
      const at = (x: number, y: number): Pt => [lon0 + x * dlon, lat0 + y * dlat];
      const short: [Pt, Pt][] = [];
      const long: [Pt, Pt][] = [];
      for (let i = 0; i < 4000; i++) {
        const [x, y] = [rng.uniform(-half, half), rng.uniform(-half, half)];
        const [r, a] = [rng.uniform(1000, 5000), rng.uniform(0, 2 * Math.PI)];
        short.push([at(x, y), at(x + r * Math.cos(a), y + r * Math.sin(a))]);
      }
      while (long.length < 1500) {
        const [a, b] = [at(rng.uniform(-half, half), rng.uniform(-half, half)), at(rng.uniform(-half, half), rng.uniform(-half, half))];
        const s = geodesic(a, b);
        if (s >= 5000 && s <= 150_000) long.push([a, b]);
      }
      return { short, long };
    }

    it("stay within 0.01 % over a 150 km × 150 km box round each county's centre, where the old sphere was off by over 0.5 %", () => {
      for (const { id, lon0, lat0 } of counties) {
        const { short, long } = pairsIn(lon0, lat0, 75_000, 17);
        const tm = localProjection(lon0, lat0);
        const old = equirectangular(lon0, lat0);
        const [tmShort, tmLong, oldShort, oldLong] = [
          worstRelative(tm, short),
          worstRelative(tm, long),
          worstRelative(old, short),
          worstRelative(old, long),
        ];
        report.push(
          `${id} (${lat0.toFixed(1)}°N), 150 km box: 1–5 km pairs ${(tmShort * 100).toFixed(4)} % (old ${(oldShort * 100).toFixed(2)} %), ` +
            `5–150 km pairs ${(tmLong * 100).toFixed(4)} % (old ${(oldLong * 100).toFixed(2)} %)`,
        );
        expect(tmShort, id).toBeLessThan(BOUND);
        expect(tmLong, id).toBeLessThan(BOUND);
        expect(Math.max(oldShort, oldLong), id).toBeGreaterThan(5e-3);
      }
    });

    it("stay within 0.01 % between each county's own settlements, where the old sphere was off by 0.4–0.9 %", () => {
      const rng = seededRandom(5);
      for (const { id, lon0, lat0, settlements } of counties) {
        const [dlon, dlat] = degreesPerMetre(lat0);
        const pairs: [Pt, Pt][] = [];
        for (const s of settlements) {
          const [r, a] = [rng.uniform(1000, 5000), rng.uniform(0, 2 * Math.PI)];
          pairs.push([s, [s[0] + r * Math.cos(a) * dlon, s[1] + r * Math.sin(a) * dlat]]);
        }
        while (pairs.length < 3 * settlements.length) {
          const [a, b] = [settlements[rng.int(settlements.length)]!, settlements[rng.int(settlements.length)]!];
          if (geodesic(a, b) >= 1000) pairs.push([a, b]);
        }
        const tm = worstRelative(localProjection(lon0, lat0), pairs);
        const old = worstRelative(equirectangular(lon0, lat0), pairs);
        report.push(`${id}, its ${settlements.length} settlements: ${(tm * 100).toFixed(4)} % (old ${(old * 100).toFixed(2)} %)`);
        expect(tm, id).toBeLessThan(BOUND);
        expect(old, id).toBeGreaterThan(tm * 20);
      }
    });

    it('stay within 0.03 % anywhere within 150 km of the centre', () => {
      for (const { id, lon0, lat0 } of counties) {
        const { short } = pairsIn(lon0, lat0, 150_000, 23);
        const near = short.filter(([a, b]) => geodesic([lon0, lat0], a) <= 150_000 && geodesic([lon0, lat0], b) <= 150_000);
        expect(near.length).toBeGreaterThan(2000);
        const tm = worstRelative(localProjection(lon0, lat0), near);
        report.push(`${id}, within 150 km: 1–5 km pairs ${(tm * 100).toFixed(4)} %`);
        expect(tm, id).toBeLessThan(DISC_BOUND);
      }
      console.log(report.join('\n'));
    });
  });
});
