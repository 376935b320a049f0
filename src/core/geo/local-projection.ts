/**
 * Metres round a county's centre: transverse Mercator on the WGS 84 ellipsoid, central meridian through the
 * centre, scale 1 on it, the centre at (0, 0) — PROJ's `+proj=tmerc +lat_0 +lon_0 +k=1 +ellps=WGS84`, by the
 * same Krüger series to order n⁶ (Karney 2011, "Transverse Mercator with an accuracy of a few nanometers"), so
 * the two agree to well under a millimetre. Being conformal, its only distance error is its scale, 1 + x²/2R²:
 * 7e-5 at 75 km east or west of the centre, 2.8e-4 at 150 km, which is why the engine may use planar maths on
 * it. (The equirectangular sphere it replaced was off by 0.4–0.9 % between a county's settlements: the sphere's
 * radius, then the east–west scale drifting with latitude.) Near the centre both directions run on series about
 * it, without Math's transcendentals: forward runs for every population point.
 */
export interface LocalProjection {
  readonly lon0: number;
  readonly lat0: number;
  /** [lon, lat] in degrees → [x, y] in metres east and north of the centre. */
  forward(lon: number, lat: number): [number, number];
  /** [x, y] in metres → [lon, lat] in degrees. */
  inverse(x: number, y: number): [number, number];
}

const RAD = Math.PI / 180;
const A_WGS84 = 6378137;
const F_WGS84 = 1 / 298.257223563;
const N = F_WGS84 / (2 - F_WGS84);
const N2 = N * N;

/** Rectifying radius × (1 + n): metres per radian of the conformal sphere's transverse coordinates. */
const QA = (A_WGS84 / (1 + N)) * (1 + N2 * (1 / 4 + N2 * (1 / 64 + N2 / 256)));

// Series coefficients in powers of n (Karney 2011, eqs 35–36; PROJ and proj4js use the same ones).
/** Geodetic → conformal latitude. */
const G2C = [
  N * (-2 + N * (2 / 3 + N * (4 / 3 + N * (-82 / 45 + N * (32 / 45 + N * (4642 / 4725)))))),
  N2 * (5 / 3 + N * (-16 / 15 + N * (-13 / 9 + N * (904 / 315 + N * (-1522 / 945))))),
  N2 * N * (-26 / 15 + N * (34 / 21 + N * (8 / 5 + N * (-12686 / 2835)))),
  N2 * N2 * (1237 / 630 + N * (-12 / 5 + N * (-24832 / 14175))),
  N2 * N2 * N * (-734 / 315 + N * (109598 / 31185)),
  N2 * N2 * N2 * (444337 / 155925),
] as const;
/** Conformal → geodetic latitude. */
const C2G = [
  N * (2 + N * (-2 / 3 + N * (-2 + N * (116 / 45 + N * (26 / 45 + N * (-2854 / 675)))))),
  N2 * (7 / 3 + N * (-8 / 5 + N * (-227 / 45 + N * (2704 / 315 + N * (2323 / 945))))),
  N2 * N * (56 / 15 + N * (-136 / 35 + N * (-1262 / 105 + N * (73814 / 2835)))),
  N2 * N2 * (4279 / 630 + N * (-332 / 35 + N * (-399572 / 14175))),
  N2 * N2 * N * (4174 / 315 + N * (-144838 / 6237)),
  N2 * N2 * N2 * (601676 / 22275),
] as const;
/** Conformal sphere's transverse Mercator → the ellipsoid's (α). */
const ALPHA = [
  N * (1 / 2 + N * (-2 / 3 + N * (5 / 16 + N * (41 / 180 + N * (-127 / 288 + N * (7891 / 37800)))))),
  N2 * (13 / 48 + N * (-3 / 5 + N * (557 / 1440 + N * (281 / 630 + N * (-1983433 / 1935360))))),
  N2 * N * (61 / 240 + N * (-103 / 140 + N * (15061 / 26880 + N * (167603 / 181440)))),
  N2 * N2 * (49561 / 161280 + N * (-179 / 168 + N * (6601661 / 7257600))),
  N2 * N2 * N * (34729 / 80640 + N * (-3418889 / 1995840)),
  N2 * N2 * N2 * (212378941 / 319334400),
] as const;
/** The inverse (β, with the sign PROJ stores it). */
const BETA = [
  N * (-1 / 2 + N * (2 / 3 + N * (-37 / 96 + N * (1 / 360 + N * (81 / 512 + N * (-96199 / 604800)))))),
  N2 * (-1 / 48 + N * (-1 / 15 + N * (437 / 1440 + N * (-46 / 105 + N * (1118711 / 3870720))))),
  N2 * N * (-17 / 480 + N * (37 / 840 + N * (209 / 4480 + N * (-5569 / 90720)))),
  N2 * N2 * (-4397 / 161280 + N * (11 / 504 + N * (830251 / 7257600))),
  N2 * N2 * N * (-4583 / 161280 + N * (108847 / 3991680)),
  N2 * N2 * N2 * (-20648693 / 638668800),
] as const;
const [G1, G2, G3, G4, G5, G6] = G2C;
const [A1, A2, A3, A4, A5, A6] = ALPHA;
const [B1, B2, B3, B4, B5, B6] = BETA;
const [K1, K2, K3, K4, K5, K6] = C2G;

// Taylor coefficients of sin and cos (multiplying by them is faster than dividing: divisions chain slowly).
const [S3, S5, S7, S9] = [-1 / 6, 1 / 120, -1 / 5040, 1 / 362880];
const [C2, C4, C6, C8, C10] = [-1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800];

/** θ + Σ c_k sin 2kθ (Clenshaw). */
function sinSeries(c: readonly number[], theta: number): number {
  const r = 2 * Math.cos(2 * theta);
  let h1 = c[c.length - 1]!;
  let h2 = 0;
  for (let k = c.length - 2; k >= 0; k--) [h1, h2] = [c[k]! + r * h1 - h2, h1];
  return theta + h1 * Math.sin(2 * theta);
}

/** Σ c_k sin 2kζ for complex ζ = ξ + iη, added to ζ (Clenshaw in complex numbers). */
function sinSeriesComplex(c: readonly number[], xi: number, eta: number): [number, number] {
  const [s, co, sh, ch] = [Math.sin(2 * xi), Math.cos(2 * xi), Math.sinh(2 * eta), Math.cosh(2 * eta)];
  const [rr, ri] = [2 * co * ch, -2 * s * sh];
  let [hr, hi, hr1, hi1] = [c[c.length - 1]!, 0, 0, 0];
  for (let k = c.length - 2; k >= 0; k--) {
    const [hr2, hi2] = [hr1, hi1];
    [hr1, hi1] = [hr, hi];
    hr = c[k]! + rr * hr1 - ri * hi1 - hr2;
    hi = ri * hr1 + rr * hi1 - hi2;
  }
  const [sr, si] = [s * ch, co * sh];
  return [xi + sr * hr - si * hi, eta + sr * hi + si * hr];
}

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const sin0 = Math.sin(lat0 * RAD);
  const cos0 = Math.cos(lat0 * RAD);
  let y0 = 0; // the false northing, set below so that the centre maps to exactly (0, 0)

  // Unrolled and free of allocation but for the answer.
  function forward(lon: number, lat: number): [number, number] {
    const phi = lat * RAD;
    const lam = (lon - lon0) * RAD;
    // Near the centre (every county: within 0.05 rad of its latitude, ~320 km, and of its meridian) sines and
    // cosines come from the centre's by the angle sum, with the small angle's in Taylor series exact to 1e-17;
    // Math's transcendentals, the bulk of the cost, are left for points farther out.
    const dp = (lat - lat0) * RAD;
    let sp: number, cp: number;
    if (Math.abs(dp) < 0.05) {
      const p2 = dp * dp;
      const sdp = dp + dp * p2 * (S3 + p2 * (S5 + p2 * (S7 + p2 * S9)));
      const cdp = 1 + p2 * (C2 + p2 * (C4 + p2 * (C6 + p2 * C8)));
      sp = sin0 * cdp + cos0 * sdp;
      cp = cos0 * cdp - sin0 * sdp;
    } else {
      sp = Math.sin(phi);
      cp = Math.cos(phi);
    }
    // Conformal latitude χ = φ + δ, δ = Σ G_k sin 2kφ (Clenshaw); sin and cos of χ by the angle sum, δ being small
    // (|δ| < 0.0034).
    const r2 = 2 * (cp * cp - sp * sp);
    const g5 = G5 + r2 * G6;
    const g4 = G4 + r2 * g5 - G6;
    const g3 = G3 + r2 * g4 - g5;
    const g2 = G2 + r2 * g3 - g4;
    const d = (G1 + r2 * g2 - g3) * 2 * sp * cp;
    const d2 = d * d;
    const sd = d + d * d2 * (S3 + d2 * S5);
    const cd = 1 + d2 * (C2 + d2 * (C4 + d2 * C6));
    const sc = sp * cd + cp * sd;
    const cc = cp * cd - sp * sd;
    // Spherical transverse Mercator of (χ, λ): ξ' = atan2(sin χ, cos χ cos λ), η' = atanh(cos χ sin λ). Near the
    // central meridian, in series: ξ' as χ + atan w with w = tan(ξ' − χ), small (|w| < 7e-4) and free of
    // cancellation since 1 − cos λ comes from its own series.
    let u: number, v: number, xi: number, eta: number;
    if (Math.abs(lam) < 0.05) {
      const l2 = lam * lam;
      const sl = lam + lam * l2 * (S3 + l2 * (S5 + l2 * (S7 + l2 * S9)));
      const vl = -l2 * (C2 + l2 * (C4 + l2 * (C6 + l2 * C8))); // 1 − cos λ
      u = cc * sl;
      v = cc - cc * vl;
      const u2 = u * u;
      eta = u * (1 + u2 * (1 / 3 + u2 * (1 / 5 + u2 * (1 / 7 + u2 * (1 / 9 + u2 * (1 / 11 + u2 * (1 / 13 + u2 / 15)))))));
      const w = (sc * cc * vl) / (cc * v + sc * sc);
      const w2 = w * w;
      xi = phi + d + w * (1 - w2 * (1 / 3 - w2 * (1 / 5 - w2 / 7)));
    } else {
      u = cc * Math.sin(lam);
      v = cc * Math.cos(lam);
      xi = Math.atan2(sc, v);
      eta = Math.atanh(u);
    }
    const inv = 1 / (sc * sc + v * v);
    const sx = 2 * sc * v * inv;
    const cx = (v * v - sc * sc) * inv;
    const se = 2 * u * inv;
    const ce = (1 + u * u) * inv;
    // ζ = ζ' + Σ α_k sin 2kζ' (Clenshaw in complex numbers).
    const rr = 2 * cx * ce;
    const ri = -2 * sx * se;
    const b5r = A5 + rr * A6;
    const b5i = ri * A6;
    const b4r = A4 + rr * b5r - ri * b5i - A6;
    const b4i = rr * b5i + ri * b5r;
    const b3r = A3 + rr * b4r - ri * b4i - b5r;
    const b3i = rr * b4i + ri * b4r - b5i;
    const b2r = A2 + rr * b3r - ri * b3i - b4r;
    const b2i = rr * b3i + ri * b3r - b4i;
    const hr = A1 + rr * b2r - ri * b2i - b3r;
    const hi = rr * b2i + ri * b2r - b3i;
    const sr = sx * ce;
    const si = cx * se;
    return [QA * (eta + sr * hi + si * hr), QA * (xi + sr * hr - si * hi) - y0];
  }

  y0 = forward(lon0, lat0)[1];
  const chi0 = sinSeries(G2C, lat0 * RAD);
  const [sinChi0, cosChi0] = [Math.sin(chi0), Math.cos(chi0)];
  const [sin2Xi0, cos2Xi0] = [Math.sin((2 * y0) / QA), Math.cos((2 * y0) / QA)];
  // Near the centre (within 200 km both ways, under 80° of latitude) the inverse too runs on series about the
  // centre, as the forward does; farther out it calls Math's functions.
  const near = Math.abs(lat0) < 80;

  function inverse(x: number, y: number): [number, number] {
    if (!(near && Math.abs(x) < 2e5 && Math.abs(y) < 2e5)) return inverseFar(lon0, x, (y + y0) / QA);
    // ζ = ξ + iη on the ellipsoid; sin and cos of 2ξ = 2ξ₀ + t by the angle sum, sinh and cosh of 2η in series.
    const t = (2 * y) / QA;
    const t2 = t * t;
    const st = t + t * t2 * (S3 + t2 * (S5 + t2 * (S7 + t2 * S9)));
    const ct = 1 + t2 * (C2 + t2 * (C4 + t2 * (C6 + t2 * (C8 + t2 * C10))));
    const s2 = sin2Xi0 * ct + cos2Xi0 * st;
    const c2 = cos2Xi0 * ct - sin2Xi0 * st;
    const e = x / QA;
    const a = 2 * e;
    const a2 = a * a;
    const sh2 = a + a * a2 * (-S3 + a2 * (S5 + a2 * (-S7 + a2 * S9)));
    const ch2 = 1 + a2 * (-C2 + a2 * (C4 + a2 * (-C6 + a2 * (C8 - a2 * C10))));
    // ζ' = ζ + Σ β_k sin 2kζ (Clenshaw in complex numbers).
    const rr = 2 * c2 * ch2;
    const ri = -2 * s2 * sh2;
    const b5r = B5 + rr * B6;
    const b5i = ri * B6;
    const b4r = B4 + rr * b5r - ri * b5i - B6;
    const b4i = rr * b5i + ri * b5r;
    const b3r = B3 + rr * b4r - ri * b4i - b5r;
    const b3i = rr * b4i + ri * b4r - b5i;
    const b2r = B2 + rr * b3r - ri * b3i - b4r;
    const b2i = rr * b3i + ri * b3r - b4i;
    const hr = B1 + rr * b2r - ri * b2i - b3r;
    const hi = rr * b2i + ri * b2r - b3i;
    const sr = s2 * ch2;
    const si = c2 * sh2;
    // ξ' = χ₀ + Δ, Δ small; sin and cos of ξ', sinh and cosh of η', in series.
    const dx = (y + y0) / QA + sr * hr - si * hi - chi0;
    const ep = e + sr * hi + si * hr;
    const d2 = dx * dx;
    const sd = dx + dx * d2 * (S3 + d2 * (S5 + d2 * (S7 + d2 * S9)));
    const cd = 1 + d2 * (C2 + d2 * (C4 + d2 * (C6 + d2 * C8)));
    const sx = sinChi0 * cd + cosChi0 * sd;
    const cx = cosChi0 * cd - sinChi0 * sd;
    const e2 = ep * ep;
    const she = ep + ep * e2 * (-S3 + e2 * (S5 + e2 * (-S7 + e2 * S9)));
    const che = 1 + e2 * (-C2 + e2 * (C4 + e2 * (-C6 + e2 * C8)));
    // Back to the sphere's (χ, λ): sin χ = sin ξ' / cosh η', tan λ = sinh η' / cos ξ'. χ as ξ' − atan w,
    // w = tan(ξ' − χ), small (|w| < 0.004 here) and free of cancellation.
    const r = Math.sqrt(she * she + cx * cx);
    const w = (sx * she * she) / ((r + cx) * (cx * r + sx * sx));
    const w2 = w * w;
    const chi = chi0 + dx - w * (1 - w2 * (1 / 3 - w2 * (1 / 5 - w2 / 7)));
    const z = she / cx;
    let lam: number;
    if (Math.abs(z) < 0.1) {
      const z2 = z * z;
      lam = z * (1 - z2 * (1 / 3 - z2 * (1 / 5 - z2 * (1 / 7 - z2 * (1 / 9 - z2 * (1 / 11 - z2 * (1 / 13 - z2 / 15)))))));
    } else lam = Math.atan2(she, cx);
    // φ = χ + Σ c_k sin 2kχ (Clenshaw).
    const sc = sx / che;
    const cc = r / che;
    const q2 = 2 * (cc * cc - sc * sc);
    const g5 = K5 + q2 * K6;
    const g4 = K4 + q2 * g5 - K6;
    const g3 = K3 + q2 * g4 - g5;
    const g2 = K2 + q2 * g3 - g4;
    const phi = chi + (K1 + q2 * g2 - g3) * 2 * sc * cc;
    return [lon0 + lam / RAD, phi / RAD];
  }

  return { lon0, lat0, forward, inverse };
}

/** The inverse anywhere, with Math's functions: ξ = (y + y₀)/QA, η = x/QA. */
function inverseFar(lon0: number, x: number, xi: number): [number, number] {
  const [xp, eta] = sinSeriesComplex(BETA, xi, x / QA);
  // Back from the spherical transverse Mercator to (χ, λ), then χ → φ.
  const ge = Math.atan(Math.sinh(eta));
  const [sx, cx, sg, cg] = [Math.sin(xp), Math.cos(xp), Math.sin(ge), Math.cos(ge)];
  const chi = Math.atan2(sx * cg, Math.hypot(sg, cg * cx));
  const lam = Math.atan2(sg, cg * cx);
  return [lon0 + lam / RAD, sinSeries(C2G, chi) / RAD];
}
