/**
 * The method line and the ground in words: which travel profile, whether its speeds were edited, which elevation
 * model and water, and where flat ground was assumed, in both languages, written out in full here.
 */
import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from '../../src/app/format';
import { demLines, groundLine, landCoverLines, sidesText, waterLines } from '../../src/app/ground-text';
import { MESSAGES, type Lang, type MessageKey } from '../../src/app/messages';
import { methodText } from '../../src/app/standard-text';
import { methodWords } from '../../src/core/session/export-facts';
import { withProfile } from '../../src/core/travel/profiles';
import { DEFAULT_TERRAIN_SETTINGS, DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import type { DemFacts } from '../../src/core/travel/terrain/dem';
import type { GroundFacts } from '../../src/core/travel/terrain/ground';
import type { LandCoverFacts } from '../../src/core/travel/terrain/landcover';
import { sidesWords } from '../../src/core/travel/terrain/sides';

const words = (lang: Lang) => ({
  t: (key: MessageKey, values?: Record<string, string | number>) =>
    MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`)),
  number: (value: number, digits = 0) => formatNumber(lang, value, digits),
  share: (share: number, digits = 1) => formatPercent(lang, share, digits),
});
const zh = words('zh');
const en = words('en');

/** A model over 1000 cells: 700 with heights, 50 holes, 250 outside it to the north-east. */
const DEM: DemFacts = {
  file: 'dem.tif',
  crs: 'EPSG:4326',
  crsAssumed: false,
  sourceCellMetres: 30.4,
  verticalUnit: 'metre',
  cells: 1000,
  coveredCells: 700,
  nodataCells: 50,
  outsideCells: 250,
  missingSides: ['north', 'east'],
  minMetres: 212.4,
  maxMetres: 1987.6,
};
const WATER: NonNullable<GroundFacts['water']> = {
  name: 'rivers.geojson',
  features: 12,
  lines: 10,
  polygons: 3,
  cells: 3456,
  skipped: [{ feature: 4, reason: 'no_geometry' }],
  crossing: [],
  unchecked: [],
  walkable: 5,
};
const ground = (elevation: DemFacts | null, water: GroundFacts['water'] = null): GroundFacts => ({
  cellMetres: 100,
  nx: 833,
  ny: 1397,
  elevation,
  water,
});

const terrain = (profile: Parameters<typeof withProfile>[1], direction: 'to_facility' | 'from_facility' = 'to_facility'): TravelSettings =>
  withProfile({ ...DEFAULT_TRAVEL_SETTINGS, mode: 'terrain', terrain: { ...DEFAULT_TERRAIN_SETTINGS, direction } }, profile);

describe('methodText', () => {
  it('straight-line circles are worded as before (no profile: one walking speed)', () => {
    expect(methodText({ ...DEFAULT_TRAVEL_SETTINGS, bufferKmh: 5 }, zh.t, zh.number)).toBe(
      '按直线距离、步行 5.0 公里/小时计，由居民点前往机构',
    );
  });

  it('the road network names its profile; settings saved before profiles are the car', () => {
    const old = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' as const };
    expect(methodText(old, zh.t, zh.number)).toBe('按路网通行时间计（小汽车；道路按等级车速，上路前步行 4.5 公里/小时），由居民点前往机构');
    const ebike = withProfile(old, 'ebike');
    expect(methodText(ebike, en.t, en.number)).toBe(
      'travel time on the roads (e-bike; speed by road class, a walk of 4.5 km/h to the road), from the settlement to the facility',
    );
    // One speed changed by hand: the line says so.
    const edited = { ...ebike, roadKmh: { ...ebike.roadKmh, 国道: 30 } };
    expect(methodText(edited, zh.t, zh.number)).toContain('（电动车，车速已修改；');
    expect(methodText(edited, en.t, en.number)).toContain('(e-bike, speeds edited;');
  });

  it('terrain names the elevation model, the water and where flat ground is assumed', () => {
    expect(methodText(terrain('ebike'), zh.t, zh.number, ground({ ...DEM, missingSides: [] }, WATER))).toBe(
      '按路网+地形通行时间计（电动车；高程 dem.tif；水系 rivers.geojson），由居民点前往机构',
    );
    expect(methodText(terrain('walking'), zh.t, zh.number, ground(null))).toBe(
      '按路网+地形通行时间计（步行；按平地计算），由居民点前往机构',
    );
    expect(methodText(terrain('walking'), en.t, en.number, ground(null))).toBe(
      'travel time on roads + terrain (walking; flat ground assumed), from the settlement to the facility',
    );
    // A model that misses the north-east: flat ground there, said.
    expect(methodText(terrain('ambulance', 'from_facility'), zh.t, zh.number, ground(DEM))).toBe(
      '按路网+地形通行时间计（救护车；高程 dem.tif，东北部未覆盖按平地计算），由机构出发前往居民点',
    );
    expect(methodText(terrain('ambulance', 'from_facility'), en.t, en.number, ground(DEM))).toBe(
      'travel time on roads + terrain (ambulance; elevation dem.tif, the north-east not covered: flat ground assumed), from the facility to the settlement',
    );
  });

  it('a bicycle on an elevation model is said to slow uphill; on flat ground or turned off it is not', () => {
    const dem = ground({ ...DEM, missingSides: [] });
    expect(methodText(terrain('bicycle'), zh.t, zh.number, dem)).toBe(
      '按路网+地形通行时间计（自行车，上坡按骑行功率减速；高程 dem.tif），由居民点前往机构',
    );
    expect(methodText(terrain('bicycle'), en.t, en.number, dem)).toBe(
      'travel time on roads + terrain (bicycle, slowed uphill by riding power; elevation dem.tif), from the settlement to the facility',
    );
    const edited = { ...terrain('bicycle'), roadKmh: { ...terrain('bicycle').roadKmh, 县道: 12 } };
    expect(methodText(edited, zh.t, zh.number, dem)).toContain('（自行车，车速已修改，上坡按骑行功率减速；');
    expect(methodText(terrain('bicycle'), zh.t, zh.number, ground(null))).toBe(
      '按路网+地形通行时间计（自行车；按平地计算），由居民点前往机构',
    );
    const off = { ...terrain('bicycle'), terrain: { ...DEFAULT_TERRAIN_SETTINGS, bicycleGrades: false } };
    expect(methodText(off, zh.t, zh.number, dem)).toBe('按路网+地形通行时间计（自行车；高程 dem.tif），由居民点前往机构');
    expect(methodText(terrain('ebike'), zh.t, zh.number, dem)).toBe('按路网+地形通行时间计（电动车；高程 dem.tif），由居民点前往机构');
    // The exports' words (the About sheet, the CLI) say the same.
    expect(methodWords(terrain('bicycle'), 'zh', dem)).toContain('自行车，上坡按骑行功率减速：');
    expect(methodWords(off, 'en', dem)).toContain('(bicycle: roads');
  });

  it('terrain without the facts of the ground names only the profile', () => {
    expect(methodText(terrain('car'), zh.t, zh.number)).toBe('按路网+地形通行时间计（小汽车），由居民点前往机构');
  });
});

it('the screen and the exports name the same ground: a side not covered, a coordinate system assumed', () => {
  // Partial (north-east missing) and read as degrees for want of a declared CRS.
  const assumed = ground({ ...DEM, crsAssumed: true }, WATER);
  expect(methodText(terrain('walking'), zh.t, zh.number, assumed)).toBe(
    '按路网+地形通行时间计（步行；高程 dem.tif（未声明坐标系、按 WGS 84 经纬度读取），东北部未覆盖按平地计算；水系 rivers.geojson），由居民点前往机构',
  );
  expect(methodText(terrain('walking'), en.t, en.number, assumed)).toBe(
    'travel time on roads + terrain (walking; elevation dem.tif (no coordinate system declared, read as WGS 84 degrees), the north-east not covered: flat ground assumed; water rivers.geojson), from the settlement to the facility',
  );
  // The exports' About sheets and the CLI's note: the same facts.
  expect(methodWords(terrain('walking'), 'zh', assumed)).toContain(
    '高程 dem.tif（覆盖 70%，未声明坐标系、按 WGS 84 经纬度读取，东北部未覆盖按平地计算，坡度按 Tobler 徒步函数）',
  );
  expect(methodWords(terrain('walking'), 'en', assumed)).toContain(
    "elevation dem.tif (70% covered; no coordinate system declared, read as WGS 84 degrees; the north-east not covered: flat ground assumed there; slopes by Tobler's hiking function)",
  );
  // Water areas whose outline crosses itself or went unchecked: named in the exports by number, as on the panel.
  const outlines = ground(null, { ...WATER, crossing: [6, 0], unchecked: [11] });
  expect(methodWords(terrain('walking'), 'zh', outlines)).toContain(
    '水系 rivers.geojson（3456 格不可步行穿越；2 个水面边界自相交（第 7、1 个要素，按奇偶规则填充）；1 个水面边界未能检查是否自相交（第 12 个要素））',
  );
  expect(methodWords(terrain('walking'), 'en', outlines)).toContain(
    'water rivers.geojson (3456 cells not crossed on foot; 2 area(s) crossing their own outline (feature no. 7, 1), filled even–odd; 1 area(s) too large to check for that (feature no. 12))',
  );
  expect(methodWords(terrain('walking'), 'en', assumed)).toContain('water rivers.geojson (3456 cells not crossed on foot)');
  // A declared, complete model: neither caveat anywhere.
  const whole = ground({ ...DEM, missingSides: [], coveredCells: 950, outsideCells: 0 });
  for (const line of [methodText(terrain('walking'), en.t, en.number, whole), methodWords(terrain('walking'), 'en', whole)])
    expect(line).not.toMatch(/not covered|no coordinate system/);
});

describe('the ground in words', () => {
  it('sides at a corner read as one direction, others as a list', () => {
    expect(sidesText(['east', 'north'], zh.t)).toBe('东北');
    expect(sidesText(['south', 'west'], en.t)).toBe('south-west');
    expect(sidesText(['north', 'south'], zh.t)).toBe('北、南');
    expect(sidesText(['west'], en.t)).toBe('west');
    // The core's words (the land cover's warnings, the exports) read the same as the screen's, corners included.
    for (const sides of [['north', 'east'], ['south', 'west'], ['east', 'south'], ['north', 'south'], ['west']] as const) {
      expect(sidesWords(sides).zh).toBe(sidesText(sides, zh.t));
      expect(sidesWords(sides).en).toBe(sidesText(sides, en.t));
    }
    expect(sidesWords(['north', 'east']).zh).toBe('东北');
  });

  it('the model: name, CRS, resolution, share covered (700 of 1000 cells), heights, missing sides and holes', () => {
    expect(demLines(DEM, zh.t, zh.number, zh.share, 'zh')).toEqual([
      'dem.tif（EPSG:4326，约 30 米分辨率）：覆盖 70.0% 的栅格',
      '高程 212–1,988 米',
      '高程模型未覆盖东北部，按平地计算',
      '50 格无数据，按平地计算',
    ]);
    expect(demLines(null, en.t, en.number, en.share, 'en')).toEqual(['No elevation model: flat ground assumed']);
  });

  it('a model whose file names no coordinate system says it was read as WGS 84 degrees, after its heights', () => {
    const assumed = { ...DEM, crsAssumed: true };
    expect(demLines(assumed, zh.t, zh.number, zh.share, 'zh')[2]).toBe(
      'dem.tif：该高程模型未声明坐标系；其范围为经纬度，已按经纬度（WGS 84）读取：请核对其位置是否正确',
    );
    expect(demLines(assumed, en.t, en.number, en.share, 'en')[2]).toMatch(
      /^dem\.tif: the elevation model names no coordinate system; .* read as longitude\/latitude \(WGS 84\)/,
    );
    expect(demLines(DEM, en.t, en.number, en.share, 'en').join(' ')).not.toMatch(/no coordinate system/);
  });

  it('the water: features, cells, streams left walkable, features not used', () => {
    expect(waterLines(ground(null, WATER), en.t, en.number, en.share, 'en')).toEqual([
      'rivers.geojson: 12 feature(s), 3,456 water cells',
      '5 stream(s) or ditch(es) can be waded: not barriers',
      '1 feature(s) not water or with bad geometry, not used',
    ]);
    expect(waterLines(ground(null), zh.t, zh.number, zh.share, 'zh')).toEqual(['未加载水系：不设水体障碍']);
    expect(waterLines(null, zh.t, zh.number, zh.share, 'zh')).toEqual(['未加载水系：不设水体障碍']);
  });

  it('water areas whose outline crosses itself are named by their number in the file, in both languages', () => {
    const crossed = ground(null, { ...WATER, crossing: [6, 0, ...Array.from({ length: 10 }, (_, i) => 20 + i)] });
    expect(waterLines(crossed, zh.t, zh.number, zh.share, 'zh').at(-1)).toBe(
      'rivers.geojson：12 个水面的边界自相交（文件中第 7、1、21、22、23、24、25、26、27、28、… 个要素，从 1 起数），属无效多边形；已按奇偶规则填充（与 GDAL 栅格化相同），湖面可能有部分未计为水体：请修复后重新加载（QGIS“修复几何”、PostGIS ST_MakeValid）',
    );
    expect(waterLines(ground(null, { ...WATER, crossing: [6] }), en.t, en.number, en.share, 'en').at(-1)).toMatch(
      /^rivers\.geojson: 1 water area\(s\) cross their own outline \(feature no\. 7 in the file, counting from 1\)/,
    );
    expect(waterLines(ground(null, WATER), en.t, en.number, en.share, 'en').join(' ')).not.toMatch(/own outline/);
  });

  it('water areas too large to check are named as unchecked, beside those found crossing, in both languages', () => {
    const both = ground(null, { ...WATER, crossing: [6], unchecked: [2, 9] });
    const zhLines = waterLines(both, zh.t, zh.number, zh.share, 'zh');
    expect(zhLines.at(-2)).toMatch(/^rivers\.geojson：1 个水面的边界自相交（文件中第 7 个要素/);
    expect(zhLines.at(-1)).toBe(
      'rivers.geojson：2 个水面的边界过于复杂，未能检查是否自相交（文件中第 3、10 个要素，从 1 起数）；已按奇偶规则填充（与 GDAL 栅格化相同），若其属无效多边形，湖面可能有部分未计为水体（可用 QGIS“检查有效性”或 PostGIS ST_IsValid 检查）',
    );
    expect(waterLines(both, en.t, en.number, en.share, 'en').at(-1)).toMatch(
      /^rivers\.geojson: 2 water area\(s\) have outlines too large to check for crossing themselves \(feature no\. 3, 10 in the file, counting from 1\)/,
    );
    expect(waterLines(ground(null, WATER), en.t, en.number, en.share, 'en').join(' ')).not.toMatch(/too large to check/);
  });

  it('water over more than half the raster is questioned as the wrong layer, in both languages', () => {
    // 833 × 1,397 = 1,163,701 cells: half of them is 581,851 (not warned), one more is.
    const half = ground(null, { ...WATER, cells: 581_850 });
    expect(waterLines(half, en.t, en.number, en.share, 'en').join(' ')).not.toMatch(/right layer/);
    const most = ground(null, { ...WATER, cells: 1_100_000 });
    expect(waterLines(most, en.t, en.number, en.share, 'en').at(-1)).toBe(
      'rivers.geojson: water covers 94.5% of the terrain raster: is it the right layer (a county or basin outline read as a lake)? Settlements on it cannot be reached off the road',
    );
    expect(waterLines(most, zh.t, zh.number, zh.share, 'zh').at(-1)).toBe(
      'rivers.geojson：水体占地形栅格的 94.5%：是否选错了图层（如把县界或流域面当作湖面）？其中的居民点无法离路到达',
    );
  });

  it('the coverage panel line: raster, model and water', () => {
    expect(groundLine(ground(DEM, WATER), zh.t, zh.number, zh.share)).toBe(
      '地形：100 米栅格 833 × 1,397；高程 dem.tif（覆盖 70.0%）；水系 rivers.geojson（3,456 格）',
    );
    expect(groundLine(ground(null), en.t, en.number, en.share)).toBe(
      'Ground: 100 m raster 833 × 1,397; flat ground assumed; no water layer',
    );
  });
});

describe('the land cover in words', () => {
  const LAND: LandCoverFacts = {
    file: 'lc.tif',
    crs: 'EPSG:4326',
    sourceCellMetres: 10.2,
    scheme: 'ESA WorldCover',
    customTable: false,
    cells: 2000,
    classCells: [{ code: 10, factor: 0.4, cells: 800 }],
    unknownCells: 30,
    unknownCodes: [0, 42],
    nodataCells: 0,
    outsideCells: 1170,
    missingSides: ['east'],
    warnings: [
      { code: 'landcover-unknown', params: { file: 'lc.tif', cells: '30', codes: '0, 42' } },
      { code: 'landcover-partial', params: { file: 'lc.tif', cells: '1,170', sides: 'east', sidesZh: '东' } },
    ],
  };
  const withLand = { ...ground(null), landCover: LAND };

  it('the method line and the panel line name the land cover beside flat ground', () => {
    expect(methodText(terrain('walking'), zh.t, zh.number, withLand)).toBe(
      '按路网+地形通行时间计（步行；按平地计算；土地覆盖 lc.tif），由居民点前往机构',
    );
    expect(methodText(terrain('walking'), en.t, en.number, withLand)).toBe(
      'travel time on roads + terrain (walking; flat ground assumed; land cover lc.tif), from the settlement to the facility',
    );
    expect(groundLine(withLand, en.t, en.number, en.share)).toBe(
      'Ground: 100 m raster 833 × 1,397; flat ground assumed; no water layer; land cover lc.tif',
    );
  });

  it('its facts and warnings, each in the reader’s language from its code', () => {
    expect(landCoverLines(LAND, zh.t, zh.number, 'zh')).toEqual([
      'lc.tif（EPSG:4326，约 10 米分辨率）：ESA WorldCover',
      'lc.tif：30 格的地类不在速度表中（0, 42），按开阔地计算',
      'lc.tif：土地覆盖未覆盖本县东部（1,170 格），该处按开阔地计算',
    ]);
    expect(landCoverLines({ ...LAND, customTable: true }, en.t, en.number, 'en')).toEqual([
      'lc.tif (EPSG:4326, about 10 m resolution): own speed table',
      'lc.tif: 30 cell(s) hold a class the speed table does not list (0, 42); they are taken as open ground',
      'lc.tif: the land cover does not reach the east of the county (1,170 cells); open ground is assumed there',
    ]);
    expect(landCoverLines(null, en.t, en.number, 'en')).toEqual(['No land cover: open ground everywhere']);
  });
});
