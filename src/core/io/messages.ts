/**
 * Every message the import and export code gives, as a code with parameters and its Chinese and English text.
 * The UI can show `zh`/`en` as they are or translate `code` + `params` itself; the command line prints `en`.
 */
import type { Bilingual } from '../crs';

export type { Bilingual };

export type MessageParams = Record<string, string | number | boolean | null>;

type Template = (p: MessageParams) => Bilingual;

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const mb = (bytes: unknown): string => `${(Number(bytes) / 1048576).toFixed(1)} MB`;

/** Compass points (far.ts) in words. */
const DIRECTION: Record<string, Bilingual> = {
  n: { en: 'north', zh: '北' },
  ne: { en: 'north-east', zh: '东北' },
  e: { en: 'east', zh: '东' },
  se: { en: 'south-east', zh: '东南' },
  s: { en: 'south', zh: '南' },
  sw: { en: 'south-west', zh: '西南' },
  w: { en: 'west', zh: '西' },
  nw: { en: 'north-west', zh: '西北' },
};
/** "148 km north-east of the county boundary" (`atLeast`: the distance is a lower bound). */
const whereEn = (p: MessageParams): string =>
  `${p.atLeast ? 'at least ' : ''}${s(p.km)} km ${DIRECTION[s(p.dir)]?.en ?? ''} of the county boundary`;
/** "县界以东北 148 公里". */
const whereZh = (p: MessageParams): string => `县界以${DIRECTION[s(p.dir)]?.zh ?? ''}${p.atLeast ? '至少 ' : ' '}${s(p.km)} 公里`;

const TEMPLATES = {
  // ── problems with one row or feature ────────────────────────────────────────────────────────────────────────
  'geometry-empty': () => ({ en: 'has no geometry (empty or null)', zh: '没有几何图形（为空）' }),
  'geometry-invalid': (p) => ({ en: `has an invalid geometry (${s(p.detail)})`, zh: `几何图形无效（${s(p.detail)}）` }),
  'geometry-wrong-type': (p) => ({
    en: `has a ${s(p.type)} geometry where ${s(p.expected)} is expected`,
    zh: `几何类型为 ${s(p.type)}，应为 ${s(p.expected)}`,
  }),
  'coord-missing': (p) => ({
    en: `has no coordinates in the ${s(p.columns)} column(s)`,
    zh: `坐标列（${s(p.columns)}）为空`,
  }),
  'coord-not-number': (p) => ({
    en: `has coordinates that are not numbers: ${s(p.value)}`,
    zh: `坐标不是数字：${s(p.value)}`,
  }),
  'coord-out-of-range': (p) => ({
    en: `has coordinates out of range (longitude ${s(p.lon)}, latitude ${s(p.lat)}): longitude must be within ±180 and latitude within ±90`,
    zh: `坐标超出范围（经度 ${s(p.lon)}，纬度 ${s(p.lat)}）：经度应在 ±180 之间，纬度应在 ±90 之间`,
  }),
  'coord-convert-failed': (p) => ({
    en: `could not be converted from ${s(p.crs)} (the numbers are outside that coordinate system)`,
    zh: `无法从 ${s(p.crs)} 转换（数值超出该坐标系范围）`,
  }),
  'outside-outline': (p) =>
    p.km === undefined || p.km === null
      ? {
          en: `lies outside the county outline (longitude ${s(p.lon)}, latitude ${s(p.lat)}); kept, check it`,
          zh: `位于县界之外（经度 ${s(p.lon)}，纬度 ${s(p.lat)}）；已保留，请核实`,
        }
      : {
          en: `lies ${whereEn(p)} (longitude ${s(p.lon)}, latitude ${s(p.lat)}); kept, check it`,
          zh: `位于${whereZh(p)}（经度 ${s(p.lon)}，纬度 ${s(p.lat)}）；已保留，请核实`,
        },
  'far-outside': (p) => ({
    en: `lies ${whereEn(p)} (longitude ${s(p.lon)}, latitude ${s(p.lat)}), more than ${s(p.margin)} km outside; left out unless you keep it under “Points outside the county”`,
    zh: `位于${whereZh(p)}（经度 ${s(p.lon)}，纬度 ${s(p.lat)}），超出县界 ${s(p.margin)} 公里以上；默认不导入，可在“县界外的点”中选择保留`,
  }),
  'far-outside-kept': (p) => ({
    en: `lies ${whereEn(p)} (longitude ${s(p.lon)}, latitude ${s(p.lat)}), more than ${s(p.margin)} km outside; kept as you chose, check it`,
    zh: `位于${whereZh(p)}（经度 ${s(p.lon)}，纬度 ${s(p.lat)}），超出县界 ${s(p.margin)} 公里以上；已按所选保留，请核实`,
  }),
  'tier-other': (p) => ({
    en: `is a “${s(p.value)}”, not one of the three tiers (a private clinic, outpatient department or infirmary is not a village clinic); left out unless you choose a tier for it under “Facility types to tiers”`,
    zh: `类型为“${s(p.value)}”，不属于三级网络中的任何一级（私人诊所、门诊部、医务室不是村卫生室）；未导入，如需计入请在“机构类型对应层级”中为它选择层级`,
  }),
  'tier-missing': () => ({
    en: 'has no tier (county_hospital, township_centre or village_clinic)',
    zh: '缺少机构层级（县级医院、乡镇卫生院/社区卫生服务中心、村卫生室/社区卫生服务站）',
  }),
  'tier-unknown': (p) => ({
    en: `has an unknown tier "${s(p.value)}": map it to county_hospital, township_centre or village_clinic`,
    zh: `机构层级“${s(p.value)}”无法识别：请对应到县级医院、乡镇卫生院或村卫生室`,
  }),
  'duplicate-id': (p) => ({
    en: `repeats the id "${s(p.id)}" first used at ${s(p.first)}; the later one is left out`,
    zh: `编号“${s(p.id)}”与 ${s(p.first)} 重复；后出现的一条未导入`,
  }),
  'population-missing': () => ({ en: 'has no population', zh: '缺少人口数' }),
  'population-not-number': (p) => ({ en: `has a population that is not a number: "${s(p.value)}"`, zh: `人口数不是数字：“${s(p.value)}”` }),
  'population-negative': (p) => ({ en: `has a negative population (${s(p.value)})`, zh: `人口数为负（${s(p.value)}）` }),
  'count-invalid': (p) => ({
    en: `has a ${s(p.field)} value that is not a count ("${s(p.value)}"); read as no data`,
    zh: `${s(p.field)} 的值不是有效数量（“${s(p.value)}”）；按无数据处理`,
  }),
  'row-columns': (p) => ({
    en: `has ${s(p.found)} columns where the header has ${s(p.expected)}`,
    zh: `有 ${s(p.found)} 列，而表头有 ${s(p.expected)} 列`,
  }),
  'json-invalid': (p) => ({ en: `is not valid JSON (${s(p.detail)})`, zh: `不是有效的 JSON（${s(p.detail)}）` }),
  'not-a-feature': () => ({ en: 'is not a GeoJSON Feature', zh: '不是 GeoJSON 要素（Feature）' }),
  'properties-invalid': () => ({ en: 'has properties that are not an object', zh: '属性（properties）不是对象' }),
  'record-deleted': () => ({ en: 'is marked deleted in the .dbf; left out', zh: '在 .dbf 中标记为已删除；未导入' }),
  'nested-too-deep': (p) => ({
    en: `is nested too deeply (more than ${s(p.limit)} levels of arrays or objects in its ${s(p.part)}); left out`,
    zh: `嵌套层级过深（${s(p.part)} 中数组或对象超过 ${s(p.limit)} 层）；未导入`,
  }),

  // ── problems with a whole file ──────────────────────────────────────────────────────────────────────────────
  'unknown-format': (p) => ({
    en: `${s(p.file)}: the format is not recognised (expected GeoJSON, newline-delimited GeoJSON, FlatGeobuf, CSV, a zipped Shapefile, GeoTIFF or OpenStreetMap .osm.pbf)`,
    zh: `${s(p.file)}：无法识别文件格式（支持 GeoJSON、逐行 GeoJSON、FlatGeobuf、CSV、压缩的 Shapefile、GeoTIFF、OpenStreetMap .osm.pbf）`,
  }),
  'unknown-extension': (p) => ({
    en: `${s(p.file)}: cannot tell the output format from the extension "${s(p.ext)}" (use .geojson, .json, .fgb, .csv, .zip or .shp.zip)`,
    zh: `${s(p.file)}：无法从扩展名“${s(p.ext)}”判断输出格式（可用 .geojson、.json、.fgb、.csv、.zip、.shp.zip）`,
  }),
  'file-empty': (p) => ({ en: `${s(p.file)}: the file is empty`, zh: `${s(p.file)}：文件为空` }),
  'file-too-large': (p) => ({
    en: `${s(p.file)}: the file is ${mb(p.bytes)}, over the ${mb(p.limit)} that ${s(p.format)} files may take in memory; convert it to CSV or newline-delimited GeoJSON (read in a stream), or clip it to the county first`,
    zh: `${s(p.file)}：文件大小 ${mb(p.bytes)}，超过 ${s(p.format)} 格式可载入内存的上限 ${mb(p.limit)}；请转换为 CSV 或逐行 GeoJSON（可流式读取），或先按县界裁剪`,
  }),
  'raster-too-large': (p) => ({
    en: `${s(p.file)}: the raster has ${s(p.cells)} cells, over the limit of ${s(p.limit)}; clip it to the county first (e.g. gdalwarp -cutline)`,
    zh: `${s(p.file)}：栅格有 ${s(p.cells)} 个像元，超过上限 ${s(p.limit)}；请先按县界裁剪（如 gdalwarp -cutline）`,
  }),
  aborted: (p) => ({ en: `${s(p.file)}: import cancelled`, zh: `${s(p.file)}：已取消导入` }),
  'encoding-unsupported': (p) => ({
    en: `${s(p.file)}: the text encoding "${s(p.encoding)}" is not supported here`,
    zh: `${s(p.file)}：不支持文字编码“${s(p.encoding)}”`,
  }),
  'json-invalid-file': (p) => ({
    en: `${s(p.file)}: not valid JSON (${s(p.detail)})`,
    zh: `${s(p.file)}：不是有效的 JSON（${s(p.detail)}）`,
  }),
  'not-geojson': (p) => ({
    en: `${s(p.file)}: JSON, but not a GeoJSON FeatureCollection, Feature or geometry`,
    zh: `${s(p.file)}：是 JSON，但不是 GeoJSON 要素集合、要素或几何`,
  }),
  'csv-no-header': (p) => ({ en: `${s(p.file)}: the CSV has no header row`, zh: `${s(p.file)}：CSV 没有表头行` }),
  'csv-no-coordinates': (p) => ({
    en: `${s(p.file)}: no coordinate columns found among ${s(p.columns)}; name them lon/lat (经度/纬度, x/y) or give a WKT column`,
    zh: `${s(p.file)}：在列 ${s(p.columns)} 中找不到坐标列；请命名为 lon/lat（经度/纬度、x/y）或提供 WKT 列`,
  }),
  'csv-field-too-long': (p) => ({
    en: `${s(p.file)}: a field starting on row ${s(p.row)} is longer than 4 MB (a quote that is never closed?)`,
    zh: `${s(p.file)}：从第 ${s(p.row)} 行开始的字段超过 4 MB（可能有未闭合的引号）`,
  }),
  'zip-invalid': (p) => ({
    en: `${s(p.file)}: not a readable zip archive (${s(p.detail)})`,
    zh: `${s(p.file)}：不是可读取的 zip 压缩包（${s(p.detail)}）`,
  }),
  'shapefile-no-shp': (p) => ({
    en: `${s(p.file)}: the zip holds no .shp file`,
    zh: `${s(p.file)}：压缩包中没有 .shp 文件`,
  }),
  'shapefile-invalid': (p) => ({
    en: `${s(p.file)}: the Shapefile is damaged (${s(p.detail)})`,
    zh: `${s(p.file)}：Shapefile 已损坏（${s(p.detail)}）`,
  }),
  'flatgeobuf-invalid': (p) => ({
    en: `${s(p.file)}: not a readable FlatGeobuf file (${s(p.detail)})`,
    zh: `${s(p.file)}：不是可读取的 FlatGeobuf 文件（${s(p.detail)}）`,
  }),
  'geotiff-invalid': (p) => ({
    en: `${s(p.file)}: not a readable GeoTIFF (${s(p.detail)})`,
    zh: `${s(p.file)}：不是可读取的 GeoTIFF（${s(p.detail)}）`,
  }),
  'geotiff-crs-unknown': (p) => ({
    en: `${s(p.file)}: the GeoTIFF's coordinate system is not one this tool can convert (${s(p.detail)}); warp it to EPSG:4326 first (gdalwarp -t_srs EPSG:4326)`,
    zh: `${s(p.file)}：无法转换该 GeoTIFF 的坐标系（${s(p.detail)}）；请先转为 EPSG:4326（gdalwarp -t_srs EPSG:4326）`,
  }),
  'osm-invalid': (p) => ({
    en: `${s(p.file)}: not a readable OpenStreetMap PBF file (${s(p.detail)})`,
    zh: `${s(p.file)}：不是可读取的 OpenStreetMap PBF 文件（${s(p.detail)}）`,
  }),
  'file-damaged': (p) => ({
    en: `${s(p.file)}: the ${s(p.format)} file is damaged: ${s(p.detail)}; nothing was imported rather than a part of it`,
    zh: `${s(p.file)}：${s(p.format)} 文件已损坏：${s(p.detailZh)}；为免只导入一部分，未导入任何内容`,
  }),
  'zip-too-large': (p) => ({
    en: `${s(p.file)}: the zip's entries would inflate to ${mb(p.bytes)} together, over the budget of ${mb(p.limit)} for all entries of one zip; not inflated`,
    zh: `${s(p.file)}：压缩包内各文件解压后合计 ${mb(p.bytes)}，超过单个压缩包全部文件合计 ${mb(p.limit)} 的上限；未解压`,
  }),
  'index-ignored': (p) => ({
    en: `${s(p.file)}: the spatial index is damaged (${s(p.detail)}); it was ignored and all ${s(p.count)} features were read in file order`,
    zh: `${s(p.file)}：空间索引已损坏（${s(p.detailZh)}）；已忽略索引，按文件顺序读取全部 ${s(p.count)} 个要素`,
  }),
  'shapefile-no-dbf': (p) => ({
    en: `${s(p.file)}: the zip holds no .dbf for layer "${s(p.layer)}", so its features have no attributes`,
    zh: `${s(p.file)}：压缩包中没有图层“${s(p.layer)}”的 .dbf 文件，要素没有属性`,
  }),
  'cpg-unknown': (p) => ({
    en: `${s(p.file)}: the .cpg names the encoding "${s(p.encoding)}", which is not known; the attributes were read as ${s(p.used)}, check the text`,
    zh: `${s(p.file)}：.cpg 指定的编码“${s(p.encoding)}”无法识别；属性已按 ${s(p.used)} 读取，请核对文字`,
  }),
  'encoding-mixed': (p) => ({
    en: `${s(p.file)}: the file mixes encodings: ${s(p.count)} row(s) are GBK/GB18030 (rows ${s(p.rows)}) and the rest UTF-8; each row was decoded with the encoding it fits, check those rows`,
    zh: `${s(p.file)}：文件混用了编码：${s(p.count)} 行为 GBK/GB18030（第 ${s(p.rows)} 行），其余为 UTF-8；已按各行适用的编码分别解码，请核对这些行`,
  }),
  'crs-unknown': (p) => ({
    en: `unknown coordinate system "${s(p.name)}" (use wgs84, cgcs2000, gcj02, bd09 or EPSG:n, e.g. EPSG:4547)`,
    zh: `未知坐标系“${s(p.name)}”（可用 wgs84、cgcs2000、gcj02、bd09 或 EPSG:n，如 EPSG:4547）`,
  }),
  'crs-needs-choice': (p) => ({ en: `${s(p.file)}: ${s(p.en)}`, zh: `${s(p.file)}：${s(p.zh)}` }),
  'prj-unreadable': (p) => ({ en: `${s(p.file)}: ${s(p.en)}`, zh: `${s(p.file)}：${s(p.zh)}` }),
  'no-features': (p) => ({ en: `${s(p.file)}: no features to write`, zh: `${s(p.file)}：没有可输出的要素` }),
  'write-unsupported': (p) => ({
    en: `${s(p.format)} cannot hold this layer: ${s(p.detail)}`,
    zh: `${s(p.format)} 无法保存此图层：${s(p.detailZh)}`,
  }),
  'read-failed': (p) => ({ en: `${s(p.file)}: cannot be read (${s(p.detail)})`, zh: `${s(p.file)}：无法读取（${s(p.detail)}）` }),
} satisfies Record<string, Template>;

export type MessageCode = keyof typeof TEMPLATES;

/** The Chinese and English text of a message. */
export function describe(code: MessageCode, params: MessageParams = {}): Bilingual {
  return (TEMPLATES[code] as Template)(params);
}

/**
 * The error of a whole file (or an export): a code, its parameters and the text in both languages. Readers throw
 * it inside the io module; the public functions return it as a value ({ ok: false, error }).
 */
export class IoError extends Error {
  readonly code: MessageCode;
  readonly params: MessageParams;
  readonly zh: string;
  constructor(code: MessageCode, params: MessageParams = {}, options?: { cause?: unknown }) {
    const text = describe(code, params);
    super(text.en, options);
    this.name = 'IoError';
    this.code = code;
    this.params = params;
    this.zh = text.zh;
  }
  get text(): Bilingual {
    return { en: this.message, zh: this.zh };
  }
}

/** An error as a plain value, for the UI, a worker message or the command line. */
export interface IoFailure {
  code: MessageCode;
  params: MessageParams;
  message: Bilingual;
}

export function toFailure(error: IoError): IoFailure {
  return { code: error.code, params: error.params, message: error.text };
}

/** Error text of anything thrown, one line, for a `detail` parameter. */
export function detailOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || 'unknown error';
}
