/**
 * What a workbook's 说明 / About sheet says (xlsx-write.ts): the table, the county, what was measured, by which
 * method, on which data (real, partly real or modelled, per layer), under which plan and on which date, worded in
 * the reader's language. The same facts the report and the files' provenance columns carry; one place for the
 * session's layer exports, the page's table exports and the command line.
 */
import type { EmergencyCheck } from '../coverage/report';
import type { CircleStandard } from '../coverage/standard';
import { PEOPLE_WORDS, PROFILE_WORDS, TIER_WORDS, type CsvLang } from '../io/csv-columns';
import type { WorkbookFacts } from '../io/xlsx-write';
import { citePlan } from '../plans/citation';
import type { Plan } from '../plans/plan';
import type { ReportPopulation } from '../ratios/population';
import { terrainOf, type TravelSettings } from '../travel/settings';
import { bicycleGradesApply } from '../travel/terrain/cycling';
import { featureNumbers } from '../travel/terrain/feature-numbers';
import { sidesWords } from '../travel/terrain/sides';
import type { GroundFacts } from '../travel/terrain/ground';

/** A layer as far as its nature goes: its features' `modelled` flags. */
interface Flagged {
  features: readonly { properties: unknown }[];
}
type Layers = Partial<Record<'population' | 'facilities' | 'roads' | 'townships', Flagged | null>>;

const LAYER_WORDS: Record<keyof Layers, Record<CsvLang, string>> = {
  population: { zh: '居民点', en: 'settlements' },
  facilities: { zh: '医疗卫生机构', en: 'facilities' },
  roads: { zh: '道路', en: 'roads' },
  townships: { zh: '乡镇', en: 'townships' },
};

/** Real, partly real or modelled, by the features' own `modelled` flag. */
function natureOf(layer: Flagged, lang: CsvLang): string {
  const flags = layer.features.map((f) => (f.properties as { modelled?: unknown } | null)?.modelled === true);
  const modelled = flags.filter(Boolean).length;
  if (modelled === 0) return lang === 'zh' ? '真实' : 'real';
  if (modelled === flags.length) return lang === 'zh' ? '示意（模型生成）' : 'modelled';
  return lang === 'zh' ? `部分真实（${modelled}/${flags.length} 为模型生成）` : `partly real (${modelled} of ${flags.length} modelled)`;
}

/** "居民点：示意（模型生成）；机构：真实…" for the layers given. */
function dataNature(layers: Layers, lang: CsvLang): string {
  const parts: string[] = [];
  for (const key of ['population', 'facilities', 'roads', 'townships'] as const) {
    const layer = layers[key];
    if (layer && layer.features.length > 0) parts.push(`${LAYER_WORDS[key][lang]}${lang === 'zh' ? '：' : ': '}${natureOf(layer, lang)}`);
  }
  return parts.join(lang === 'zh' ? '；' : '; ');
}

/** Water areas whose outline crosses itself, or was too large to check, by number in the file (as the settings panel names them). */
function outlineWords(water: NonNullable<GroundFacts['water']>, lang: CsvLang): string {
  const parts: string[] = [];
  if (water.crossing.length > 0) {
    const n = featureNumbers(water.crossing);
    parts.push(
      lang === 'zh'
        ? `${water.crossing.length} 个水面边界自相交（第 ${n.zh} 个要素，按奇偶规则填充）`
        : `${water.crossing.length} area(s) crossing their own outline (feature no. ${n.en}), filled even–odd`,
    );
  }
  if (water.unchecked.length > 0) {
    const n = featureNumbers(water.unchecked);
    parts.push(
      lang === 'zh'
        ? `${water.unchecked.length} 个水面边界未能检查是否自相交（第 ${n.zh} 个要素）`
        : `${water.unchecked.length} area(s) too large to check for that (feature no. ${n.en})`,
    );
  }
  return parts.map((part) => (lang === 'zh' ? `；${part}` : `; ${part}`)).join('');
}

/** What terrain mode's minutes stood on, in words: the elevation model (or flat ground assumed), water, land cover, the raster. */
export function groundWords(settings: TravelSettings, ground: GroundFacts | null, lang: CsvLang): string {
  const t = terrainOf(settings);
  const dem = ground?.elevation;
  const share = dem ? Math.round((100 * dem.coveredCells) / Math.max(1, dem.cells)) : 0;
  const water = ground?.water;
  const land = ground?.landCover;
  // Named only when used: "no land cover" is the model without it, as before land cover could be given.
  const landZh = land ? [`土地覆盖 ${land.file ?? ''}（${land.customTable ? '自定义速度表' : `${land.scheme} 速度表`}）`] : [];
  const landEn = land ? [`land cover ${land.file ?? ''} (${land.customTable ? 'own speed table' : `${land.scheme} speed table`})`] : [];
  // Where the model does not reach, flat ground: named by side, as the screen's method line names it.
  const sides = dem && dem.missingSides.length > 0 ? sidesWords(dem.missingSides) : null;
  if (lang === 'zh')
    return [
      dem
        ? `高程 ${dem.file ?? ''}（覆盖 ${share}%，${dem.crsAssumed ? '未声明坐标系、按 WGS 84 经纬度读取，' : ''}${sides ? `${sides.zh}部未覆盖按平地计算，` : ''}坡度按 Tobler 徒步函数）`
        : '未加载高程模型，按平地计算',
      water ? `水系 ${water.name}（${water.cells} 格不可步行穿越${outlineWords(water, 'zh')}）` : '无水系障碍',
      ...landZh,
      `${t.cellMetres} 米栅格、${t.neighbours} 邻域`,
      t.direction === 'to_facility' ? '居民前往机构' : '从机构出发',
    ].join('；');
  return [
    dem
      ? `elevation ${dem.file ?? ''} (${share}% covered; ${dem.crsAssumed ? 'no coordinate system declared, read as WGS 84 degrees; ' : ''}${sides ? `the ${sides.en} not covered: flat ground assumed there; ` : ''}slopes by Tobler's hiking function)`
      : 'no elevation model: flat ground assumed',
    water ? `water ${water.name} (${water.cells} cells not crossed on foot${outlineWords(water, 'en')})` : 'no water barriers',
    ...landEn,
    `${t.cellMetres} m raster, ${t.neighbours} neighbours`,
    t.direction === 'to_facility' ? 'people travelling to the facility' : 'travelling out from the facility',
  ].join('; ');
}

/** The travel profile in words: "自行车，上坡按骑行功率减速" for a bicycle slowed on road grades (terrain/cycling.ts). */
export function profileWords(settings: TravelSettings, ground: GroundFacts | null, lang: CsvLang): string {
  const graded = bicycleGradesApply(settings, Boolean(ground?.elevation));
  return `${PROFILE_WORDS[settings.profile ?? 'car'][lang]}${graded ? (lang === 'zh' ? '，上坡按骑行功率减速' : ', slowed uphill by riding power') : ''}`;
}

/** The travel method in words: straight line at a speed, or the roads (and the ground) with the profile's speeds. */
export function methodWords(settings: TravelSettings, lang: CsvLang, ground: GroundFacts | null = null): string {
  if (settings.mode === 'buffer')
    return lang === 'zh' ? `直线服务圈（步行 ${settings.bufferKmh} 千米/小时）` : `Straight line (${settings.bufferKmh} km/h)`;
  const roads = Object.entries(settings.roadKmh)
    .slice(0, 5)
    .map(([k, v]) => `${k} ${v}`)
    .join(lang === 'zh' ? '、' : ', ');
  const profile = profileWords(settings, ground, lang);
  const terrain = settings.mode === 'terrain' ? (lang === 'zh' ? '；' : '; ') + groundWords(settings, ground, lang) : '';
  return lang === 'zh'
    ? `${settings.mode === 'terrain' ? '路网+地形' : '路网'}通行时间（${profile}：道路 ${roads} 千米/小时，其他道路 ${settings.defaultRoadKmh}；路外步行 ${settings.offroadKmh} 千米/小时${terrain}）`
    : `${settings.mode === 'terrain' ? 'Roads and terrain' : 'Road network'} travel time (${profile}: roads ${roads} km/h, other roads ${settings.defaultRoadKmh}; off-road walking ${settings.offroadKmh} km/h${terrain})`;
}

/**
 * How the standard's columns were measured when some part travels otherwise than the scenario (the tool's
 * default walk and e-bike, or the planner's profile): part by part, whom, within what, and by which travel. Null
 * when every part travels as the scenario does (the sheet's method line then says it all).
 */
export function standardTravelNote(
  standard: CircleStandard,
  settings: TravelSettings,
  partSettings: readonly (TravelSettings | null)[],
  ground: GroundFacts | null,
  lang: CsvLang,
): string | null {
  if (partSettings.every((p) => p === null)) return null;
  const zh = lang === 'zh';
  const parts = standard.parts.map((part, k) => {
    const tiers = part.tiers.map((t) => TIER_WORDS[t]![lang]).join(zh ? '、' : ', ');
    const who = zh
      ? `${PEOPLE_WORDS[part.people].zh} ${part.minutes} 分钟内到达${tiers}`
      : `${PEOPLE_WORDS[part.people].en} within ${part.minutes} min of ${tiers}`;
    return `${who}${zh ? '：' : ': '}${methodWords(partSettings[k] ?? settings, lang, ground)}`;
  });
  return zh
    ? `达到服务圈标准的人口按各部分的出行方式测算（计算方法一行是各层级服务圈的）：${parts.join('；')}`
    : `People meeting the standard are measured by each part's own travel (the method line is the tiers' circles'): ${parts.join('; ')}`;
}

/** The service-circle thresholds measured, in words. */
export function thresholdWords(settings: TravelSettings, lang: CsvLang): string {
  const m = settings.thresholds.join('、');
  return lang === 'zh' ? `各层级机构 ${m} 分钟服务圈内的人口` : `People within ${settings.thresholds.join(', ')} minutes of each tier`;
}

/** Today as YYYY-MM-DD (UTC). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The facts of a workbook: every field optional but the table; the date is today. */
export function workbookFacts(input: {
  lang: CsvLang;
  table: string;
  county?: string | null;
  measured?: string | null;
  settings?: TravelSettings | null;
  /** Terrain mode: what the ground was (GroundFacts of the answer); absent or null: flat ground assumed. */
  ground?: GroundFacts | null;
  layers?: Layers;
  /** Without the layers: whether some layer the answer stands on is modelled (the session's answers say). */
  modelled?: boolean | null;
  plan?: Plan | null;
  crs?: 'wgs84' | 'gcj02';
  notes?: readonly string[];
}): WorkbookFacts {
  const { lang } = input;
  const facts: WorkbookFacts = { table: input.table, date: today() };
  if (input.county) facts.county = input.county;
  if (input.measured) facts.measured = input.measured;
  if (input.settings) facts.method = methodWords(input.settings, lang, input.ground ?? null);
  const data = input.layers
    ? dataNature(input.layers, lang)
    : input.modelled === true
      ? lang === 'zh'
        ? '部分或全部图层为示意（模型生成）数据'
        : 'some or all layers are modelled'
      : input.modelled === false
        ? lang === 'zh'
          ? '真实'
          : 'real'
        : '';
  if (data) facts.data = data;
  const plan = input.plan ? citePlan(input.plan, lang) : null;
  if (plan) facts.plan = plan;
  if (input.crs) facts.crs = input.crs === 'gcj02' ? 'GCJ-02' : 'WGS84 (EPSG:4326)';
  if (input.notes && input.notes.length > 0) facts.notes = [...input.notes];
  return facts;
}

/** Which people the ratios divide by, in words (the 2020 census, a grown year, or an imported table). */
export function ratioPopulationNote(population: ReportPopulation, lang: CsvLang): string {
  const people = Math.round(population.county).toLocaleString('en');
  const how =
    population.basis === 'census2020'
      ? lang === 'zh'
        ? '2020 年第七次人口普查'
        : 'the 2020 census'
      : population.basis === 'growth'
        ? lang === 'zh'
          ? `按年增长率推算至 ${population.year} 年`
          : `grown to ${population.year} at a yearly rate`
        : lang === 'zh'
          ? `导入的 ${population.year} 年人口表${population.file ? `（${population.file}）` : ''}`
          : `an imported ${population.year} table${population.file ? ` (${population.file})` : ''}`;
  return lang === 'zh' ? `床位与人员比率所用人口：${how}，全县 ${people} 人` : `Ratios divide by ${how}: ${people} people in the county`;
}

/**
 * One emergency circle on a workbook's About sheet, as the coverage panel says it: whom, within how many minutes,
 * by which profile from which bases, the people within and the verdict (全覆盖: met only when everyone is within),
 * and the modelled layers it stands on.
 */
export function emergencyNote(e: EmergencyCheck, modelled: readonly string[], lang: CsvLang): string {
  const s = e.standard;
  const zh = lang === 'zh';
  const name = s.name || s.id;
  const tiers = s.tiers.map((t) => TIER_WORDS[t]![lang]).join(zh ? '、' : ', ');
  const profile = PROFILE_WORDS[s.profile][lang];
  const what =
    s.direction === 'from_facility'
      ? zh
        ? `全体居民 ${s.minutes} 分钟内，${profile}自${tiers}出发可到达`
        : `everyone reached within ${s.minutes} min by ${profile} from ${tiers}`
      : zh
        ? `全体居民 ${s.minutes} 分钟内，以${profile}可到达${tiers}`
        : `everyone within ${s.minutes} min of ${tiers} by ${profile}`;
  const part = e.check.parts[0];
  const people = (n: number) => Math.round(n).toLocaleString('en');
  const share = part && part.population > 0 ? `${((100 * part.covered) / part.population).toFixed(1)}%` : '—';
  const verdict = zh
    ? { pass: '达标', fail: '未达标', cannot_judge: '无法判定' }[e.check.verdict]
    : { pass: 'met', fail: 'not met', cannot_judge: 'cannot be judged' }[e.check.verdict];
  const figures = e.noRoads
    ? zh
      ? '无法判定（没有可用的道路，无法测算救护车用时）'
      : "cannot be judged (no usable road: an ambulance's minutes cannot be measured)"
    : zh
      ? `圈内 ${people(part?.covered ?? 0)} / ${people(part?.population ?? 0)} 人（${share}），${verdict}（全覆盖才达标）`
      : `${people(part?.covered ?? 0)} of ${people(part?.population ?? 0)} people within (${share}), ${verdict} (met only when everyone is within)`;
  const basis = modelled.map((l) => LAYER_WORDS[l as keyof Layers]?.[lang] ?? l).join(zh ? '、' : ', ');
  const shown = basis ? (zh ? `；所依据的${basis}含示意（模型生成）数据` : `; stands on modelled data (${basis})`) : '';
  const quote = s.quote?.quote ? (zh ? `；规划原文：“${s.quote.quote}”` : `; the plan's words: “${s.quote.quote}”`) : '';
  return zh ? `急救圈「${name}」：${what}；${figures}${shown}${quote}` : `Emergency circle “${name}”: ${what}; ${figures}${shown}${quote}`;
}
