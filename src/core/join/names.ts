/**
 * The one normaliser of Chinese place names, for joining a table to a layer (and for placing registry rows at
 * villages): the same village is written 城东社区居委会, 城东社区居民委员会, 城东社区 or 城东 in different tables,
 * a township 东山镇 or 东山 or 东山镇人民政府, with full-width letters, spaces and brackets in between. Each level
 * strips the generic endings its tables use and keeps what kind of unit the ending said (村 or 社区), which tells
 * 解州村委会 from 解州社区居委会 in the same township.
 */

export type PlaceLevel = 'village' | 'township' | 'facility';

/** What an ending said the unit is: a village committee (村) or a resident committee (社区/居委会). */
export type CommitteeKind = 'village' | 'community';

export interface NormalisedName {
  /** The proper part of the name, compared between table and layer: 城东社区居委会 → 城东. */
  core: string;
  /** The whole name without spaces, brackets and full-width forms (for a tie between cores). */
  full: string;
  /** The kind its ending names (village level), or null when the name has no generic ending. */
  kind: CommitteeKind | null;
}

/**
 * Village-level endings, longest first so 社区居委会 goes before 居委会 and 村民委员会 before 村. Stripped
 * repeatedly (十里堡村村民委员会 → 十里堡村 → 十里堡), so a name written with or without its 村 meets itself.
 */
const VILLAGE_ENDINGS: readonly [string, CommitteeKind][] = [
  ['社区居民委员会', 'community'],
  ['社区居委会', 'community'],
  ['居民委员会', 'community'],
  ['社区居委', 'community'],
  ['居委会', 'community'],
  ['社区', 'community'],
  ['居委', 'community'],
  ['村民委员会', 'village'],
  ['村委会', 'village'],
  ['行政村', 'village'],
  ['村委', 'village'],
  ['村', 'village'],
];

/** Township-level endings: 街道办事处 before 街道, the government's own name (镇人民政府) before 镇. */
const TOWNSHIP_ENDINGS: readonly string[] = ['街道办事处', '镇人民政府', '乡人民政府', '人民政府', '办事处', '街道', '镇', '乡'];

/** The 55 minority nationalities, as in 十字回族苗族乡 (written 十字乡 in many tables). */
const NATIONALITIES =
  '蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺';
const NATIONALITY_ENDING = new RegExp(`(?:${NATIONALITIES})族$`);

/** Facility names: the same institution as 东山镇中心卫生院 and 东山镇卫生院, 中医医院 and 中医院. */
const FACILITY_SAME: readonly [RegExp, string][] = [
  [/中心卫生院/g, '卫生院'],
  [/中医医院/g, '中医院'],
  [/妇幼保健计划生育服务中心/g, '妇幼保健院'],
  [/妇幼保健所/g, '妇幼保健院'],
  [/妇保院/g, '妇幼保健院'],
  [/村卫生所/g, '村卫生室'],
];

/**
 * A name as its characters mean it: full-width letters and digits as half-width (NFKC), no spaces of any width,
 * no bracketed remarks ("城东社区（原城东村）") and no punctuation that tables add (·, -, quotes).
 */
function plain(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[\s\u3000\u00a0·•・.,，、\-—_'"“”‘’]/g, '');
}

function stripVillage(full: string): { core: string; kind: CommitteeKind | null } {
  let core = full;
  let kind: CommitteeKind | null = null;
  // At most three endings (村村民委员会, 社区居委会 after 村); a name is never stripped to nothing.
  for (let round = 0; round < 3; round++) {
    const hit = VILLAGE_ENDINGS.find(([ending]) => core.endsWith(ending) && core.length > ending.length);
    if (!hit) break;
    core = core.slice(0, -hit[0].length);
    // The outermost ending says what the unit is (新村社区 is a community).
    kind ??= hit[1];
  }
  return { core, kind };
}

function stripTownship(full: string): string {
  let core = full;
  const ending = TOWNSHIP_ENDINGS.find((e) => core.endsWith(e) && core.length > e.length);
  if (ending) core = core.slice(0, -ending.length);
  // 十字回族苗族 → 十字: nationalities come off one by one while a proper name of two characters stays.
  for (let m = NATIONALITY_ENDING.exec(core); m && core.length - m[0].length >= 2; m = NATIONALITY_ENDING.exec(core)) {
    core = core.slice(0, -m[0].length);
  }
  return core;
}

/** A place name reduced to what identifies it at its level (see the module comment). */
export function normalisePlaceName(name: string, level: PlaceLevel): NormalisedName {
  const full = plain(name);
  switch (level) {
    case 'village': {
      const { core, kind } = stripVillage(full);
      return { core, full, kind };
    }
    case 'township':
      return { core: stripTownship(full), full, kind: null };
    case 'facility': {
      let core = full;
      for (const [from, to] of FACILITY_SAME) core = core.replace(from, to);
      return { core, full, kind: null };
    }
  }
}

/** A county's own name as a prefix of the names in its tables (上犹县东山镇卫生院): the forms to strip. */
export function countyPrefixes(countyName: string): string[] {
  const full = plain(countyName);
  const short = full.replace(/(自治县|自治旗|县|区|市|旗)$/, '');
  return [...new Set([full, short.length >= 2 ? short : full])].sort((a, b) => b.length - a.length);
}

/** The name with a leading county name taken off (上犹县人民医院 → 人民医院), when something is left. */
export function withoutPrefix(name: string, prefixes: readonly string[]): string {
  const p = prefixes.find((prefix) => name.startsWith(prefix) && name.length > prefix.length);
  return p ? name.slice(p.length) : name;
}
