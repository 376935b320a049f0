/**
 * Converters from an ESRI .prj (WKT1) text, for Shapefile imports: proj4 parses the WKT. A .prj
 * that names a datum without TOWGS84 parameters gets no datum shift; that is right for CGCS2000 and
 * WGS84, and for Beijing 1954 / Xian 1980 it would leave an error of tens of metres, so those
 * come back with a warning instead of silently.
 */
import proj4 from 'proj4';
import { CGCS2000_GK_ZONES } from './gauss-kruger';
import { proj4Converter, type CrsConverter } from './proj';
import { registerChinaCrs } from './registry';
import { CrsError, type Bilingual } from './types';

/** What fromPrj makes of a .prj. */
export interface PrjCrs extends CrsConverter {
  /** The CRS name in the WKT, e.g. "CGCS2000_3_Degree_GK_CM_114E". */
  readonly name: string;
  /** True for a geographic CRS (pairs are lon, lat degrees); false for a projected one (metres or feet). */
  readonly geographic: boolean;
  /** The CGCS2000 Gauss-Krüger EPSG code the WKT is equivalent to, when it is one. */
  readonly epsg: number | undefined;
  /** Things the user should know, e.g. a datum shift that cannot be applied. */
  readonly warnings: readonly Bilingual[];
}

/** The parts of a proj4 Proj object read here (proj4's types do not describe them). */
interface ParsedProj {
  readonly projName?: string;
  readonly name?: string;
  readonly srsCode?: string;
  readonly datumCode?: string;
  readonly datum?: { readonly datum_type?: number; readonly a?: number; readonly es?: number };
  readonly a?: number;
  readonly es?: number;
  readonly k0?: number;
  readonly x0?: number;
  readonly y0?: number;
  readonly lat0?: number;
  readonly long0?: number;
  readonly to_meter?: number;
}

/** proj4's PJD_NODATUM: a datum with no parameters, so no shift is applied. */
const PJD_NODATUM = 5;
const GRS80_ES = 0.0066943800229;
const TM_NAMES = new Set(['gauss_kruger', 'transverse_mercator', 'tmerc', 'etmerc', 'gauss kruger', 'transverse mercator']);

function cannotRead(detail: string, cause?: unknown): CrsError {
  return new CrsError(
    `Cannot read this .prj coordinate system (${detail}). Export the layer again with a .prj, or choose its coordinate system by hand (e.g. EPSG:4547).`,
    `无法读取 .prj 坐标系定义（${detail}）。请重新导出带 .prj 的图层，或手动选择坐标系（例如 EPSG:4547）。`,
    { cause },
  );
}

/** The CGCS2000 Gauss-Krüger zone a parsed TM definition equals, if any (to 1 mm and 1e-9 rad). */
function matchGaussKruger(p: ParsedProj): number | undefined {
  if (!p.projName || !TM_NAMES.has(p.projName.toLowerCase())) return undefined;
  if (Math.abs((p.a ?? 0) - 6378137) > 1e-3 || Math.abs((p.es ?? 0) - GRS80_ES) > 1e-10) return undefined;
  if ((p.k0 ?? 1) !== 1 || (p.y0 ?? 0) !== 0 || (p.lat0 ?? 0) !== 0 || (p.to_meter ?? 1) !== 1) return undefined;
  const cm = ((p.long0 ?? NaN) * 180) / Math.PI;
  const z = CGCS2000_GK_ZONES.find(
    (zone) => Math.abs(zone.centralMeridian - cm) < 1e-7 && Math.abs(zone.falseEasting - (p.x0 ?? NaN)) < 1e-3,
  );
  return z?.epsg;
}

function datumWarnings(p: ParsedProj): Bilingual[] {
  const code = (p.datumCode ?? '').toLowerCase();
  const noShift = p.datum?.datum_type === PJD_NODATUM;
  if (noShift && /beijing|1954|xian|xi_an|1980/.test(code)) {
    return [
      {
        en: `The .prj uses the ${p.datumCode} datum without transformation parameters (TOWGS84); it is read as if it were WGS84, which can be tens of metres off.`,
        zh: `.prj 使用 ${p.datumCode} 基准但没有转换参数（TOWGS84），已按 WGS84 读取，可能偏差数十米。`,
      },
    ];
  }
  return [];
}

/**
 * Makes a converter from an ESRI .prj (WKT1) text. Throws CrsError with a bilingual message when
 * proj4 cannot read it (empty, not WKT, an unknown projection).
 */
export function fromPrj(wkt: string): PrjCrs {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  if (text === '') throw cannotRead('the file is empty');
  if (!/^(PROJCS|GEOGCS|GEOGCRS|PROJCRS|GEODCRS|BOUNDCRS|COMPD_CS)\s*\[/i.test(text)) throw cannotRead('it is not WKT');
  registerChinaCrs();
  let parsed: ParsedProj;
  let converter: CrsConverter;
  try {
    parsed = new proj4.Proj(text) as unknown as ParsedProj;
    if (!parsed.projName) throw new Error('no projection');
    converter = proj4Converter(text);
  } catch (error) {
    // proj4 throws its own messages for syntax errors, but bare TypeErrors (or nothing) for WKT
    // that parses yet lacks parts; those say nothing to a user.
    const detail =
      error instanceof Error && error.message && !(error instanceof TypeError) ? error.message : 'unknown projection or incomplete WKT';
    throw cannotRead(detail, error);
  }
  const geographic = parsed.projName === 'longlat' || parsed.projName === 'identity';
  // A sanity probe at the CRS's own false origin: a definition proj4 accepted but cannot evaluate gives NaN here.
  const probe = converter.toWgs84(geographic ? 0 : (parsed.x0 ?? 0), geographic ? 0 : (parsed.y0 ?? 0));
  if (!Number.isFinite(probe[0]) || !Number.isFinite(probe[1])) throw cannotRead('proj4 cannot evaluate it');
  return {
    ...converter,
    name: parsed.name ?? parsed.srsCode ?? '',
    geographic,
    epsg: geographic ? undefined : matchGaussKruger(parsed),
    warnings: datumWarnings(parsed),
  };
}
