/**
 * Tells from the numbers alone whether a file's coordinate pairs can be WGS84/GCJ-02 degrees, and
 * if not, what they probably are: projected metres fed in as degrees (a Gauss-Krüger easting such
 * as 38 512 345 with the zone number in front, an unprefixed 512 345 whose zone needs an expected
 * location to pin down, Web Mercator), degrees with latitude and longitude swapped, or nothing
 * usable. The verdict carries a Chinese and an English explanation for the import dialog.
 *
 * The numbers cannot tell WGS84 from GCJ-02 or BD-09 (they differ by a few hundred metres); that
 * choice stays with the user.
 */
import { isInChinaBbox } from './china-bbox';
import { gaussKrugerZone, gaussKrugerZoneForLon, gaussKrugerZoneForPrefixedEasting } from './gauss-kruger';
import { epsgCode, toWgs84, type CrsName } from './proj';
import type { Bilingual, LonLat } from './types';

export interface DetectOptions {
  /**
   * Where the data is expected to be, WGS84 [lon, lat] degrees (e.g. the county centre). Needed to
   * pick the zone of unprefixed Gauss-Krüger coordinates; also ranks guesses by distance.
   */
  readonly hint?: Pair;
}

/** One reading of projected numbers. */
interface ProjectedGuess {
  readonly crs: CrsName;
  /** EPSG name of the CRS, e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 38". */
  readonly label: string;
  /**
   * 'xy': the pairs are [easting, northing]; 'yx': they are [northing, easting], the X-north order
   * of Chinese survey tables, so swap them before converting.
   */
  readonly axisOrder: 'xy' | 'yx';
  /** The sample's median point read this way, WGS84 [lon, lat] degrees. */
  readonly lonLat: LonLat;
  /** Whether that point is in China. */
  readonly insideChina: boolean;
  /** Share of the sample's points that land in China read this way (0–1). */
  readonly shareInChina: number;
  /** Distance from lonLat to the hint, km, when a hint was given. */
  readonly distanceToHintKm: number | undefined;
}

type ProjectedReason = 'gk-zone-prefix' | 'gk-no-prefix' | 'utm' | 'web-mercator';
type InvalidReason = 'empty' | 'non-finite' | 'mixed' | 'out-of-range';

export type DetectVerdict =
  | { readonly kind: 'degrees'; readonly insideChina: boolean; readonly explanation: Bilingual }
  | { readonly kind: 'swapped'; readonly lonLat: LonLat; readonly insideChina: boolean; readonly explanation: Bilingual }
  | {
      readonly kind: 'projected';
      readonly reason: ProjectedReason;
      /** Best first. Empty when needsHint and nothing else fits. */
      readonly guesses: readonly ProjectedGuess[];
      /** True when the numbers look like unprefixed Gauss-Krüger/UTM metres and no hint was given. */
      readonly needsHint: boolean;
      readonly explanation: Bilingual;
    }
  | { readonly kind: 'invalid'; readonly reason: InvalidReason; readonly explanation: Bilingual };

type Pair = readonly [number, number];

/** Points beyond this many checked per candidate CRS: the verdict does not need more. */
const MAX_CHECKED = 200;
const WEB_MERCATOR_MAX = 20037508.342789244;
/** Any |value| above this cannot be degrees, and is taken as metres. */
const METRES_MIN = 1000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function haversineKm(a: Pair, b: Pair): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const fmt = (v: number): string => String(Math.round(v * 1e6) / 1e6);
const fmtPair = (p: Pair): string => `(${fmt(p[0])}, ${fmt(p[1])})`;

function invalid(reason: InvalidReason, en: string, zh: string): DetectVerdict {
  return { kind: 'invalid', reason, explanation: { en, zh } };
}

function shareInChina(points: readonly Pair[], read: (p: Pair) => LonLat): number {
  let inside = 0;
  const n = Math.min(points.length, MAX_CHECKED);
  for (let i = 0; i < n; i++) {
    const [lon, lat] = read(points[i] as Pair);
    if (isInChinaBbox(lon, lat)) inside++;
  }
  return inside / n;
}

function detectDegrees(points: readonly Pair[], asIsOk: boolean, swapOk: boolean, hint: Pair | undefined): DetectVerdict {
  const mid: Pair = [median(points.map((p) => p[0])), median(points.map((p) => p[1]))];
  const asIsShare = asIsOk ? shareInChina(points, (p) => [p[0], p[1]]) : 0;
  const swapShare = swapOk ? shareInChina(points, (p) => [p[1], p[0]]) : 0;
  let swapped: boolean;
  if (!asIsOk) swapped = true;
  else if (!swapOk) swapped = false;
  else if (hint) swapped = haversineKm([mid[1], mid[0]], hint) < haversineKm([mid[0], mid[1]], hint);
  else swapped = swapShare > asIsShare;

  const caveat = {
    en: ' The numbers cannot tell WGS84 from GCJ-02 (AMap, Tencent) or BD-09 (Baidu): check where the data came from.',
    zh: '数值本身无法区分 WGS84、GCJ-02（高德、腾讯）与 BD-09（百度），请确认数据来源。',
  };
  if (swapped) {
    const insideChina = swapShare >= 0.5;
    return {
      kind: 'swapped',
      lonLat: [mid[1], mid[0]],
      insideChina,
      explanation: {
        en:
          `Latitude and longitude appear swapped: a typical pair ${fmtPair(mid)} makes sense as longitude ${fmt(mid[1])}, latitude ${fmt(mid[0])}` +
          (insideChina ? ', which is in China.' : '.') +
          caveat.en,
        zh: `经纬度似乎颠倒了：典型坐标 ${fmtPair(mid)} 按经度 ${fmt(mid[1])}、纬度 ${fmt(mid[0])} 理解才合理${insideChina ? '（位于中国境内）' : ''}。${caveat.zh}`,
      },
    };
  }
  const insideChina = asIsShare >= 0.5;
  return {
    kind: 'degrees',
    insideChina,
    explanation: {
      en: `The coordinates are longitude/latitude in degrees${insideChina ? '' : ', but most of them are not in China'}.` + caveat.en,
      zh: `坐标为经纬度（度）${insideChina ? '' : '，但大部分不在中国境内'}。${caveat.zh}`,
    },
  };
}

interface Candidate {
  readonly crs: CrsName;
  readonly label: string;
  readonly family: ProjectedReason;
  readonly axisOrder: 'xy' | 'yx';
}

function utmCrs(lon: number): Candidate['crs'] {
  return `EPSG:${32600 + Math.floor((lon + 180) / 6) + 1}`;
}

/** The CRSs projected numbers [e, n] (already in easting, northing order) could be in. */
function candidatesFor(e: number, n: number, axisOrder: 'xy' | 'yx', hint: Pair | undefined): { list: Candidate[]; unprefixed: boolean } {
  const list: Candidate[] = [];
  let unprefixed = false;
  const gk = (epsg: number, family: ProjectedReason): void => {
    const z = gaussKrugerZone(epsg);
    if (z) list.push({ crs: `EPSG:${epsg}`, label: z.name, family, axisOrder });
  };
  if (n > 0 && n < 10_000_000) {
    const prefixed = gaussKrugerZoneForPrefixedEasting(e);
    if (prefixed) gk(prefixed.epsg, 'gk-zone-prefix');
    if (e > 0 && e < 1_000_000) {
      unprefixed = true;
      if (hint) {
        for (const dz of [-1, 0, 1]) {
          const z = gaussKrugerZoneForLon(hint[0] + 3 * dz, 3, false);
          if (z) gk(z.epsg, 'gk-no-prefix');
        }
        const z6 = gaussKrugerZoneForLon(hint[0], 6, false);
        if (z6) gk(z6.epsg, 'gk-no-prefix');
        const utm = utmCrs(hint[0]);
        list.push({ crs: utm, label: `WGS 84 / UTM zone ${(epsgCode(utm) as number) - 32600}N`, family: 'utm', axisOrder });
      }
    }
  }
  if (Math.abs(e) <= WEB_MERCATOR_MAX && Math.abs(n) <= WEB_MERCATOR_MAX) {
    list.push({ crs: 'EPSG:3857', label: 'WGS 84 / Pseudo-Mercator', family: 'web-mercator', axisOrder });
  }
  return { list, unprefixed };
}

/**
 * Which reading wins among readings that fit equally well (all in China and no hint, or all near
 * the hint). 3° zones are what Chinese county survey and planning data mostly uses; Web Mercator
 * comes from web scrapes; 6° prefixed zones 13–15 overlap Web Mercator's numbers but only cover
 * the far west. Unprefixed 3° and 6° zones with the same meridian give the same result; UTM
 * (scale 0.9996) lands within ~2 km of them, so closeness to a county-centre hint cannot tell
 * them apart.
 */
function prior(c: Candidate): number {
  const width = gaussKrugerZone(epsgCode(c.crs) ?? 0)?.width;
  switch (c.family) {
    case 'gk-zone-prefix':
      return width === 3 ? 0 : 2;
    case 'web-mercator':
      return 1;
    case 'gk-no-prefix':
      return width === 3 ? 3 : 4;
    case 'utm':
      return 5;
  }
}

/** Readings this close (km) to the hint, compared with the closest one, count as equally near. */
const NEAR_KM = 15;

function detectProjected(points: readonly Pair[], hint: Pair | undefined): DetectVerdict {
  const mid: Pair = [median(points.map((p) => p[0])), median(points.map((p) => p[1]))];
  const xy = candidatesFor(mid[0], mid[1], 'xy', hint);
  const yx = candidatesFor(mid[1], mid[0], 'yx', hint);
  const needsHint = !hint && (xy.unprefixed || yx.unprefixed);
  const seen = new Set<string>();
  let ranked: { guess: ProjectedGuess; family: ProjectedReason; prior: number }[] = [];
  for (const c of [...xy.list, ...yx.list]) {
    const key = `${c.crs}/${c.axisOrder}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const read = (p: Pair): LonLat => (c.axisOrder === 'xy' ? toWgs84(p[0], p[1], c.crs) : toWgs84(p[1], p[0], c.crs));
    const lonLat = read(mid);
    if (!Number.isFinite(lonLat[0]) || !Number.isFinite(lonLat[1])) continue;
    const guess: ProjectedGuess = {
      crs: c.crs,
      label: c.label,
      axisOrder: c.axisOrder,
      lonLat,
      insideChina: isInChinaBbox(lonLat[0], lonLat[1]),
      shareInChina: shareInChina(points, read),
      distanceToHintKm: hint ? haversineKm(lonLat, hint) : undefined,
    };
    ranked.push({ guess, family: c.family, prior: prior(c) });
  }
  // Readings that land outside China are only worth showing when no reading lands inside it.
  if (needsHint || ranked.some((r) => r.guess.insideChina)) ranked = ranked.filter((r) => r.guess.insideChina);
  const closest = Math.min(...ranked.map((r) => r.guess.distanceToHintKm ?? Infinity));
  const near = (r: (typeof ranked)[number]): number => (hint && (r.guess.distanceToHintKm as number) <= closest + NEAR_KM ? 0 : 1);
  ranked.sort(
    (a, b) =>
      near(a) - near(b) ||
      (hint && near(a) === 1 ? (a.guess.distanceToHintKm as number) - (b.guess.distanceToHintKm as number) : 0) ||
      b.guess.shareInChina - a.guess.shareInChina ||
      a.prior - b.prior ||
      (a.guess.axisOrder === b.guess.axisOrder ? 0 : a.guess.axisOrder === 'xy' ? -1 : 1) ||
      (a.guess.distanceToHintKm ?? 0) - (b.guess.distanceToHintKm ?? 0),
  );
  ranked = ranked.slice(0, 6);

  const best = ranked[0];
  if (!best && !needsHint) {
    return invalid(
      'out-of-range',
      `The numbers ${fmtPair(mid)} are neither degrees nor metres of a coordinate system used in China.`,
      `坐标数值 ${fmtPair(mid)} 既不是经纬度，也不像国内常用投影坐标系的米制坐标。`,
    );
  }
  const reason: ProjectedReason = best ? best.family : 'gk-no-prefix';
  return {
    kind: 'projected',
    reason,
    guesses: ranked.map((r) => r.guess),
    needsHint,
    explanation: explainProjected(mid, best?.guess, reason, needsHint),
  };
}

function explainProjected(mid: Pair, best: ProjectedGuess | undefined, family: ProjectedReason, needsHint: boolean): Bilingual {
  const head = {
    en: `The numbers (e.g. ${fmtPair(mid)}) are far outside the range of degrees: they are projected coordinates in metres.`,
    zh: `坐标数值（如 ${fmtPair(mid)}）远超经纬度范围，是以米为单位的投影坐标。`,
  };
  if (!best) {
    return {
      en: `${head.en} They look like Gauss-Krüger or UTM coordinates without a zone number, so the zone cannot be told from the numbers: give the expected location (e.g. the county) or choose the coordinate system.`,
      zh: `${head.zh}看起来是未加带号的高斯-克吕格或 UTM 坐标，仅凭数值无法判断投影带：请提供预期位置（如所在县）或手动选择坐标系。`,
    };
  }
  const order =
    best.axisOrder === 'yx'
      ? { en: ' The first number is the northing (X), as Chinese survey tables write it.', zh: '第一个数是北坐标 X（测量习惯），需对调。' }
      : { en: '', zh: '' };
  const where = {
    en: ` Read this way the median point is at ${fmt(best.lonLat[0])}°E, ${fmt(best.lonLat[1])}°N${best.insideChina ? ', in China' : ''}.`,
    zh: `按此解读，中位点位于东经 ${fmt(best.lonLat[0])}°、北纬 ${fmt(best.lonLat[1])}°${best.insideChina ? '（中国境内）' : ''}。`,
  };
  const z = gaussKrugerZone(epsgCode(best.crs) ?? 0);
  let what: Bilingual;
  if (family === 'gk-zone-prefix' && z) {
    what = {
      en: ` They look like CGCS2000 ${z.width}-degree Gauss-Krüger coordinates with the zone number ${z.zone} in front of the easting (${best.crs}, central meridian ${z.centralMeridian}°E).`,
      zh: `看起来是东坐标前加了带号 ${z.zone} 的 CGCS2000 ${z.width === 3 ? '3' : '6'}度带高斯-克吕格坐标（${best.crs}，中央经线 ${z.centralMeridian}°E）。`,
    };
  } else if (family === 'gk-no-prefix' && z) {
    what = {
      en: ` They look like Gauss-Krüger coordinates without a zone number; near the expected location that is ${z.name} (${best.crs}).`,
      zh: `看起来是未加带号的高斯-克吕格坐标；结合预期位置，应为 CGCS2000 ${z.width === 3 ? '3' : '6'}度带、中央经线 ${z.centralMeridian}°E（${best.crs}）。`,
    };
  } else if (family === 'utm') {
    what = { en: ` They fit ${best.label} (${best.crs}).`, zh: `与 ${best.label}（${best.crs}）相符。` };
  } else {
    what = { en: ` They look like Web Mercator metres (${best.crs}).`, zh: `看起来是 Web 墨卡托米制坐标（${best.crs}）。` };
  }
  const hintNote = needsHint
    ? {
        en: ' Some readings need the zone: give the expected location to check the others.',
        zh: '部分解读需要知道投影带：请提供预期位置以核对。',
      }
    : { en: '', zh: '' };
  return { en: head.en + what.en + order.en + where.en + hintNote.en, zh: head.zh + what.zh + order.zh + where.zh + hintNote.zh };
}

/**
 * What a sample of coordinate pairs (as read from a file, first column first) is. Pass a few
 * dozen to a few hundred pairs; a sample with any non-finite value is 'invalid' (clean empty cells
 * out first). See DetectVerdict for the outcomes.
 */
export function detectCoordinates(sample: readonly Pair[], options: DetectOptions = {}): DetectVerdict {
  const { hint } = options;
  if (sample.length === 0) return invalid('empty', 'There are no coordinates to check.', '没有可检查的坐标。');
  const bad = sample.findIndex((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
  if (bad >= 0) {
    const p = sample[bad] as Pair;
    return invalid(
      'non-finite',
      `Pair ${bad + 1} (${String(p[0])}, ${String(p[1])}) is not a pair of numbers.`,
      `第 ${bad + 1} 个坐标（${String(p[0])}, ${String(p[1])}）不是有效数字。`,
    );
  }
  const asIsOk = sample.every((p) => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90);
  const swapOk = sample.every((p) => Math.abs(p[1]) <= 180 && Math.abs(p[0]) <= 90);
  if (asIsOk || swapOk) return detectDegrees(sample, asIsOk, swapOk, hint);
  if (sample.every((p) => Math.abs(p[0]) > METRES_MIN || Math.abs(p[1]) > METRES_MIN)) return detectProjected(sample, hint);
  const anyMetres = sample.some((p) => Math.abs(p[0]) > METRES_MIN || Math.abs(p[1]) > METRES_MIN);
  return anyMetres
    ? invalid(
        'mixed',
        'Some pairs look like degrees and others like metres: the file mixes coordinate systems or has broken rows.',
        '部分坐标像经纬度、部分像米制投影坐标：文件混用了坐标系或含有错误行。',
      )
    : invalid(
        'out-of-range',
        'Some pairs are outside the range of degrees (longitude ±180, latitude ±90) in either order, yet too small to be metres.',
        '部分坐标无论按何种顺序都超出经纬度范围（经度 ±180、纬度 ±90），又太小不像米制坐标。',
      );
}
