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

/** What an institution that is no tier is (health-columns.ts OTHER_CLASSES), for 'tier-other'. */
const OTHER_CLASS: Record<string, Bilingual> = {
  cdc: {
    en: 'a centre for disease control is a public-health institution, not a hospital',
    zh: '疾病预防控制中心是专业公共卫生机构，不是医院',
  },
  supervision: {
    en: 'a health supervision institute is a public-health institution, not a hospital',
    zh: '卫生监督所是专业公共卫生机构，不是医院',
  },
  blood: { en: 'a blood centre is a public-health institution, not a hospital', zh: '采供血机构是专业公共卫生机构，不是医院' },
  public_health: {
    en: 'a public-health institution, not a hospital or clinic of the three tiers',
    zh: '专业公共卫生机构，不属于三级医疗服务网络',
  },
  clinic: {
    en: 'a private clinic, outpatient department or infirmary is not a village clinic',
    zh: '私人诊所、门诊部、医务室不是村卫生室',
  },
  outpatient: { en: 'an outpatient department is not a village clinic', zh: '门诊部不是村卫生室' },
  infirmary: {
    en: 'an infirmary (卫生所、医务室) of a school or work unit is not a village clinic',
    zh: '单位或学校的卫生所、医务室不是村卫生室',
  },
};

/** Why a row without coordinates could not be placed at its village or township seat. */
const UNPLACED: Record<string, { en: (p: MessageParams) => string; zh: (p: MessageParams) => string }> = {
  'no-names': { en: () => 'it names no township or village', zh: () => '未填写所在乡镇或村' },
  township: {
    en: (p) => `no township of the county is called “${s(p.township)}”`,
    zh: (p) => `本县没有名为“${s(p.township)}”的乡镇`,
  },
  village: {
    en: (p) => `no settlement called “${s(p.village)}” in ${s(p.township) || 'the county'}`,
    zh: (p) => `${s(p.township) || '本县'}没有名为“${s(p.village)}”的村（居）`,
  },
  ambiguous: {
    en: (p) => `“${s(p.village)}” names ${s(p.n)} settlements; give its township`,
    zh: (p) => `“${s(p.village)}”对应 ${s(p.n)} 个村（居）；请填写所在乡镇`,
  },
  'no-seat': {
    en: (p) => `it names no village and the seat of ${s(p.township)} is not known`,
    zh: (p) => `未填写所在村，且${s(p.township)}的驻地未知`,
  },
  'not-seat-tier': {
    en: (p) => `it names no village, and only a township health centre is placed at the seat of ${s(p.township)}`,
    zh: (p) => `未填写所在村；只有乡镇卫生院按${s(p.township)}驻地定位`,
  },
};

/** The raster a GeoTIFF message is about: the elevation model unless `layer` says land cover (dem.ts openGridRaster). */
const rasterNoun = (p: MessageParams): Bilingual =>
  p.layer === 'landcover' ? { en: 'land-cover raster', zh: '土地覆盖栅格' } : { en: 'elevation model', zh: '高程模型' };

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
    en: `is a “${s(p.value)}”, not one of the three tiers (${OTHER_CLASS[s(p.class)]?.en ?? OTHER_CLASS.clinic!.en}); left out unless you choose a tier for it under “Facility types to tiers”`,
    zh: `类型为“${s(p.value)}”，不属于三级网络中的任何一级（${OTHER_CLASS[s(p.class)]?.zh ?? OTHER_CLASS.clinic!.zh}）；未导入，如需计入请在“机构类型对应层级”中为它选择层级`,
  }),
  'facilities-placed': (p) => ({
    en: `${s(p.file)}: ${s(p.village)} row(s) without coordinates placed at their village's settlement point and ${s(p.seat)} at their township's seat; these positions are approximate (located_by), drag a facility to its true place`,
    zh: `${s(p.file)}：${s(p.village)} 行无坐标的机构按所在村定位、${s(p.seat)} 行按乡镇驻地定位；位置为近似（located_by），可在地图上拖到实际位置`,
  }),
  'facility-unplaced': (p) => ({
    en: `${p.name ? `(${s(p.name)}) ` : ''}has no coordinates and cannot be placed: ${UNPLACED[s(p.reason)]?.en(p) ?? ''}`,
    zh: `${p.name ? `（${s(p.name)}）` : ''}没有坐标，无法定位：${UNPLACED[s(p.reason)]?.zh(p) ?? ''}`,
  }),
  'tier-missing': () => ({
    en: 'has no tier (county_hospital, township_centre, village_clinic or emergency_station)',
    zh: '缺少机构层级（县级医院、乡镇卫生院/社区卫生服务中心、村卫生室/社区卫生服务站、急救站）',
  }),
  'tier-unknown': (p) => ({
    en: `has an unknown tier "${s(p.value)}": map it to county_hospital, township_centre, village_clinic or emergency_station`,
    zh: `机构层级“${s(p.value)}”无法识别：请对应到县级医院、乡镇卫生院、村卫生室或急救站`,
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
    en: `${s(p.file)}: the format is not recognised (expected GeoJSON, newline-delimited GeoJSON, FlatGeobuf, CSV, an Excel workbook .xlsx/.xls, a zipped Shapefile, GeoTIFF or OpenStreetMap .osm.pbf)`,
    zh: `${s(p.file)}：无法识别文件格式（支持 GeoJSON、逐行 GeoJSON、FlatGeobuf、CSV、Excel 工作簿 .xlsx/.xls、压缩的 Shapefile、GeoTIFF、OpenStreetMap .osm.pbf）`,
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
  'xlsx-password': (p) => ({
    en: `${s(p.file)}: the workbook is protected with a password, so it cannot be read; open it in Excel or WPS, remove the password to open (File → Info → Protect Workbook → Encrypt with Password) and save it again`,
    zh: `${s(p.file)}：工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中打开，取消打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密）后重新保存`,
  }),
  'xlsx-damaged': (p) => ({
    en: `${s(p.file)}: not a readable Excel workbook (${s(p.detail)}); it may be damaged or cut short: open it in Excel or WPS and save it again`,
    zh: `${s(p.file)}：不是可读取的 Excel 工作簿（${s(p.detail)}）；文件可能已损坏或不完整，请在 Excel 或 WPS 中打开后重新保存`,
  }),
  'xlsx-too-large': (p) => ({
    en: `${s(p.file)}: the workbook takes ${mb(p.bytes)} unpacked, over the ${mb(p.limit)} a workbook may take in memory here; save the sheet as CSV (read in a stream) or split it`,
    zh: `${s(p.file)}：工作簿解压后为 ${mb(p.bytes)}，超过此处工作簿可载入内存的上限 ${mb(p.limit)}；请将该工作表另存为 CSV（可流式读取）或拆分`,
  }),
  'xlsx-no-sheet': (p) => ({
    en: `${s(p.file)}: the workbook has no sheet named “${s(p.sheet)}” (its sheets: ${s(p.sheets)})`,
    zh: `${s(p.file)}：工作簿中没有名为“${s(p.sheet)}”的工作表（现有工作表：${s(p.sheets)}）`,
  }),
  'xlsx-empty': (p) => ({
    en: `${s(p.file)}: every sheet of the workbook is empty`,
    zh: `${s(p.file)}：工作簿的所有工作表都是空的`,
  }),
  'xlsx-header-row': (p) => ({
    en: `${s(p.file)}, sheet “${s(p.sheet)}”: row ${s(p.row)} cannot be the header row (the sheet's rows run from ${s(p.first)} to ${s(p.last)})`,
    zh: `${s(p.file)} 工作表“${s(p.sheet)}”：第 ${s(p.row)} 行不能作为表头行（该表的行号为 ${s(p.first)}–${s(p.last)}）`,
  }),
  'xlsx-formula-uncached': (p) => ({
    en: `${s(p.file)}, sheet “${s(p.sheet)}”: ${s(p.count)} formula cell(s) have no saved result (first ${s(p.cell)}) and were read as empty; the program that wrote the file did not calculate them: open and save it in Excel or WPS`,
    zh: `${s(p.file)} 工作表“${s(p.sheet)}”：${s(p.count)} 个公式单元格没有保存计算结果（第一个为 ${s(p.cell)}），已按空值读取；生成该文件的程序未计算公式，请在 Excel 或 WPS 中打开后保存`,
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

  // ── elevation models (src/core/travel/terrain/dem.ts) ──────────────────────────────────────────────────────────
  'dem-rotated': (p) => ({
    en: `${s(p.file)}: the ${rasterNoun(p).en} is rotated (a GeoTIFF ModelTransformation with rotation), which is not read here; warp it north-up first (gdalwarp -t_srs ${s(p.crs)})`,
    zh: `${s(p.file)}：该${rasterNoun(p).zh}为旋转栅格（GeoTIFF 含旋转的 ModelTransformation），无法读取；请先用 gdalwarp -t_srs ${s(p.crs)} 转为正北朝上`,
  }),
  'raster-bands': (p) => ({
    en: `${s(p.file)}: the ${rasterNoun(p).en} has ${s(p.bands)} bands (an image, not ${p.layer === 'landcover' ? 'classes' : 'heights'}?); it must have one: extract the band that holds them first (gdal_translate -b 1)`,
    zh: `${s(p.file)}：该${rasterNoun(p).zh}有 ${s(p.bands)} 个波段（是影像而非${p.layer === 'landcover' ? '地类' : '高程'}？）；应只有一个波段：请先提取所需波段（gdal_translate -b 1）`,
  }),
  'raster-crs-missing': (p) => ({
    en: `${s(p.file)}: the ${rasterNoun(p).en} names no coordinate system, and its bounds (x ${s(p.x)}, y ${s(p.y)}) are not longitude/latitude degrees: ${s(p.en)} Assign the right one (gdal_translate -a_srs EPSG:n)`,
    zh: `${s(p.file)}：该${rasterNoun(p).zh}未声明坐标系，且其范围（x ${s(p.x)}，y ${s(p.y)}）不是经纬度：${s(p.zh)}请指定正确的坐标系（gdal_translate -a_srs EPSG:n）`,
  }),
  'raster-crs-assumed': (p) => ({
    en: `${s(p.file)}: the ${rasterNoun(p).en} names no coordinate system; its bounds are degrees, so it is read as longitude/latitude (WGS 84): check that it lies where it should`,
    zh: `${s(p.file)}：该${rasterNoun(p).zh}未声明坐标系；其范围为经纬度，已按经纬度（WGS 84）读取：请核对其位置是否正确`,
  }),
  'dem-no-overlap': (p) => ({
    en: `${s(p.file)}: the ${rasterNoun(p).en} (${s(p.crs)}, longitude ${s(p.demLon)}, latitude ${s(p.demLat)}) does not overlap the county's terrain grid (longitude ${s(p.gridLon)}, latitude ${s(p.gridLat)}); choose the tile or clip that covers the county`,
    zh: `${s(p.file)}：${rasterNoun(p).zh}（${s(p.crs)}，经度 ${s(p.demLon)}，纬度 ${s(p.demLat)}）与本县地形网格（经度 ${s(p.gridLon)}，纬度 ${s(p.gridLat)}）不重叠；请选择覆盖本县的分幅或裁剪结果`,
  }),
  'dem-crs-mismatch': (p) => ({
    en: `${s(p.file)}: the ${rasterNoun(p).en} says its coordinate system is ${s(p.crs)}, but its bounds (x ${s(p.x)}, y ${s(p.y)}) do not fit it: ${s(p.en)} Assign the right one (gdal_translate -a_srs EPSG:n) or warp it (gdalwarp -t_srs EPSG:4326)`,
    zh: `${s(p.file)}：${rasterNoun(p).zh}声明的坐标系为 ${s(p.crs)}，但其范围（x ${s(p.x)}，y ${s(p.y)}）与之不符：${s(p.zh)}请指定正确的坐标系（gdal_translate -a_srs EPSG:n）或重新投影（gdalwarp -t_srs EPSG:4326）`,
  }),
  'dem-values': (p) =>
    p.reason === 'nodata'
      ? {
          en: `${s(p.file)}: every cell of the elevation model over the county is nodata`,
          zh: `${s(p.file)}：高程模型在本县范围内的像元全部为无数据（nodata）`,
        }
      : {
          en: `${s(p.file)}: the elevation model's values run from ${s(p.min)} to ${s(p.max)} m (read as ${p.unit === 'foot' ? 'feet' : 'metres'}), outside the plausible −500 to 9000 m; is the nodata value undeclared, or the vertical unit wrong?`,
          zh: `${s(p.file)}：高程模型的数值为 ${s(p.min)}–${s(p.max)} 米（按${p.unit === 'foot' ? '英尺' : '米'}读取），超出合理范围 −500–9000 米；是否未声明无数据值，或高程单位有误？`,
        },
  'dem-too-large': (p) =>
    p.layer === 'landcover'
      ? {
          en: `${s(p.file)}: the part of the land-cover raster over the county is ${s(p.width)} × ${s(p.height)} = ${s(p.cells)} cells, over the limit of ${s(p.limit)}; clip it to the county first, or resample it by majority to a coarser pixel (gdalwarp -te … -tr 30 30 -r mode)`,
          zh: `${s(p.file)}：土地覆盖栅格覆盖本县的部分为 ${s(p.width)} × ${s(p.height)} = ${s(p.cells)} 个像元，超过上限 ${s(p.limit)}；请先按县界裁剪，或按众数重采样（gdalwarp -te … -tr 30 30 -r mode）`,
        }
      : {
          en: `${s(p.file)}: the part of the elevation model over the county is ${s(p.width)} × ${s(p.height)} = ${s(p.cells)} cells, over the limit of ${s(p.limit)}; clip it to the county first (gdalwarp -te …) or use a coarser model`,
          zh: `${s(p.file)}：高程模型覆盖本县的部分为 ${s(p.width)} × ${s(p.height)} = ${s(p.cells)} 个像元，超过上限 ${s(p.limit)}；请先按县界裁剪（gdalwarp -te …）或改用较粗的高程模型`,
        },
  'water-mostly': (p) => ({
    en: `${s(p.file)}: water covers ${s(p.share)} of the terrain raster: is it the right layer (a county or basin outline read as a lake)? Settlements on it cannot be reached off the road`,
    zh: `${s(p.file)}：水体占地形栅格的 ${s(p.share)}：是否选错了图层（如把县界或流域面当作湖面）？其中的居民点无法离路到达`,
  }),
  'water-self-crossing': (p) => ({
    en: `${s(p.file)}: ${s(p.count)} water area(s) cross their own outline (feature no. ${s(p.features)} in the file, counting from 1), which makes them invalid polygons; they were filled by the even–odd rule, as GDAL rasterises them, so part of such a lake may be left dry: repair them (QGIS “Fix geometries”, PostGIS ST_MakeValid) and load the file again`,
    zh: `${s(p.file)}：${s(p.count)} 个水面的边界自相交（文件中第 ${s(p.featuresZh)} 个要素，从 1 起数），属无效多边形；已按奇偶规则填充（与 GDAL 栅格化相同），湖面可能有部分未计为水体：请修复后重新加载（QGIS“修复几何”、PostGIS ST_MakeValid）`,
  }),
  'water-outline-unchecked': (p) => ({
    en: `${s(p.file)}: ${s(p.count)} water area(s) have outlines too large to check for crossing themselves (feature no. ${s(p.features)} in the file, counting from 1); they were filled by the even–odd rule, as GDAL rasterises them: if one is an invalid polygon, part of it may be left dry (check them with QGIS “Check validity” or PostGIS ST_IsValid)`,
    zh: `${s(p.file)}：${s(p.count)} 个水面的边界过于复杂，未能检查是否自相交（文件中第 ${s(p.featuresZh)} 个要素，从 1 起数）；已按奇偶规则填充（与 GDAL 栅格化相同），若其属无效多边形，湖面可能有部分未计为水体（可用 QGIS“检查有效性”或 PostGIS ST_IsValid 检查）`,
  }),
  'water-no-barriers': (p) => ({
    en: `${s(p.file)}: no river, canal, lake or reservoir in it (${s(p.features)} features read, ${s(p.walkable)} of them walkable streams or ditches, the rest not lines or areas); the water barriers in use are kept`,
    zh: `${s(p.file)}：其中没有河流、运河、湖泊或水库（读到 ${s(p.features)} 个要素，其中 ${s(p.walkable)} 个为可步行穿越的溪沟，其余不是线或面）；仍使用原有水系`,
  }),

  // ── land cover (src/core/travel/terrain/landcover.ts): warnings on a raster read, and a table refused ──────────
  'landcover-unknown': (p) => ({
    en: `${s(p.file)}: ${s(p.cells)} cell(s) hold a class the speed table does not list (${s(p.codes)}); they are taken as open ground`,
    zh: `${s(p.file)}：${s(p.cells)} 格的地类不在速度表中（${s(p.codes)}），按开阔地计算`,
  }),
  'landcover-nodata': (p) => ({
    en: `${s(p.file)}: ${s(p.cells)} cell(s) over the county are nodata; they are taken as open ground`,
    zh: `${s(p.file)}：本县范围内有 ${s(p.cells)} 格为无数据（nodata），按开阔地计算`,
  }),
  'landcover-partial': (p) => ({
    en: `${s(p.file)}: the land cover does not reach the ${s(p.sides)} of the county (${s(p.cells)} cells); open ground is assumed there`,
    zh: `${s(p.file)}：土地覆盖未覆盖本县${s(p.sidesZh)}部（${s(p.cells)} 格），该处按开阔地计算`,
  }),
  'landcover-table': (p) => ({
    en: `${s(p.file)}: the land-cover speed table is not usable: ${s(p.en)}`,
    zh: `${s(p.file)}：土地覆盖速度表不可用：${s(p.zh)}`,
  }),
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
