/**
 * `healthshed export`: any importable file (GeoJSON, newline-delimited GeoJSON, FlatGeobuf, CSV in UTF-8 or GBK,
 * zipped Shapefile, GeoTIFF population, OpenStreetMap .osm.pbf) to GeoJSON, FlatGeobuf, CSV or a zipped Shapefile,
 * by the output's extension, converting GCJ-02, BD-09 and EPSG systems to WGS84 (or GCJ-02 for AMap). CSV and
 * GeoJSON inputs are read as a stream. The output is written to a temporary file and renamed, so a failed run never
 * leaves a file that looks complete.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { crsFromName } from '../../core/crs';
import { formatForFileName, writeLayer } from '../../core/io/export';
import { workbookFacts } from '../../core/session/export-facts';
import { asIoError, finishImport, readSource } from '../../core/io/import';
import { describe as describeProblem } from '../../core/io/messages';
import { LAYER_KINDS, type LayerKind } from '../../core/io/types';
import type { ByteStream } from '../../core/io/web';
import { MEMORY_HELP, memoryBudget, parseOptions, required } from '../args';
import { checkBudget, exportBytes, inMemoryFileLimit, BudgetError, MB } from '../../core/budget';
import { reportLayers, type DroppedRow, type LayerCheck } from '../dropped-rows';
import { checkDepth, isStackOverflow, parseHeaderRow, statInput } from '../read-layer';
import { jsonText, OutputSet } from '../write-output';
import { InputError, oneLine, type CliCommand, type CliIo } from '../command';

const HELP = `healthshed export: convert a layer between formats and coordinate systems

Usage:
  healthshed export --in FILE --out FILE [--from-crs CRS] [--to-crs wgs84|gcj02]
                    [--layer facilities|population|roads|zones] [--encoding utf-8|gbk] [--near LON,LAT] [--strict]
                    [--sheet NAME] [--header-row N]

Options:
  --in FILE         GeoJSON (.geojson, .json), newline-delimited GeoJSON (.ndjson, .geojsonl), FlatGeobuf (.fgb),
                    CSV with lon/lat (经度/纬度) or WKT columns (UTF-8, UTF-8 with BOM or GBK, detected), an Excel
                    workbook with the same columns (.xlsx, .xls: one sheet, see --sheet and --header-row), a zipped
                    Shapefile (.zip with .shp, .dbf, .prj, .cpg), a GeoTIFF population raster (.tif: one point per
                    populated cell) or OpenStreetMap (.osm.pbf: roads, or health places with --layer facilities).
                    The format is told from the bytes, not only the name. CSV and GeoJSON are read as a stream.
  --out FILE        .geojson or .json (RFC 7946), .fgb (FlatGeobuf), .csv (UTF-8 with BOM for Excel; points as
                    lon,lat columns, other geometries as WKT), .zip / .shp.zip (Shapefile with .cpg UTF-8 and .prj)
                    or .xlsx (an Excel workbook: known columns under Chinese headers, numbers as numbers with
                    their formats, codes as text, points as longitude/latitude columns, other geometries left out)
  --from-crs CRS    the input's coordinates: wgs84, cgcs2000, gcj02 (AMap, Tencent), bd09 (Baidu) or EPSG:n (e.g.
                    EPSG:4547, CGCS2000 Gauss-Krüger). Default: the file's own (.prj, GeoTIFF keys, FlatGeobuf
                    header), else judged from the numbers (projected metres, swapped latitude/longitude)
  --to-crs CRS      wgs84 (default) or gcj02
  --layer KIND      map the columns to a layer's properties (e.g. 床位数 → beds, 机构类型 → tier) and check its
                    rows: a missing or unknown tier, a duplicate id, a bad population, an empty geometry
  --encoding ENC    force the text encoding of a CSV or .dbf (utf-8, gbk, gb18030)
  --sheet NAME      an Excel workbook (.xlsx, .xls) is read like a CSV: this sheet (default: the first visible
                    sheet with coordinate columns)
  --header-row N    the workbook's header row as Excel numbers it (default: found below titles and merged cells)
  --near LON,LAT    where the data should be (e.g. the county centre, WGS84): picks the zone of Gauss-Krüger
                    metres written without their zone number
  --strict          refuse (exit 2, nothing written) when any row or feature has an error, instead of leaving
                    it out with a warning
${MEMORY_HELP}
  -h, --help        this help

Output: the file at --out, and on stdout a JSON report: input {format, encoding, crs, crs_source,
crs_explanation}, output {file, format, crs, features}, counts {read, imported, rejected, warnings}, problems[]
(file, row or feature, severity, code, message) — at most 200, the rest counted in problems_omitted.
Rows with errors are left out and reported, with one warning line each on stderr (the first 20, then a count);
the others are written. Exit code 2 with one line on stderr for bad input (missing, unreadable or not a regular
file, unknown extension or coordinate system, nothing importable, any row with an error under --strict).
`;

function readToCrs(value: string | undefined): 'wgs84' | 'gcj02' {
  if (value === undefined) return 'wgs84';
  const name = crsFromName(value);
  if (name === 'wgs84' || name === 'cgcs2000' || name === 'EPSG:4326' || name === 'EPSG:4490') return 'wgs84';
  if (name === 'gcj02') return 'gcj02';
  throw new InputError(`export: --to-crs "${value}" is not an output coordinate system (use wgs84 or gcj02)`);
}

function readFromCrs(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!crsFromName(value)) {
    throw new InputError(
      `export: --from-crs "${value}" is not a coordinate system this tool converts (use wgs84, cgcs2000, gcj02, bd09 or EPSG:n)`,
    );
  }
  return value;
}

function readNear(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((v) => Number(v.trim()));
  const [lon, lat] = parts;
  if (
    parts.length !== 2 ||
    lon === undefined ||
    lat === undefined ||
    !Number.isFinite(lon) ||
    !Number.isFinite(lat) ||
    Math.abs(lon) > 180 ||
    Math.abs(lat) > 90
  ) {
    throw new InputError(`export: --near "${value}" is not a longitude,latitude pair (e.g. 114.4,25.9)`);
  }
  return [lon, lat];
}

function readKind(value: string | undefined): LayerKind | undefined {
  if (value === undefined) return undefined;
  if (!(LAYER_KINDS as readonly string[]).includes(value))
    throw new InputError(`export: --layer "${value}" is not one of ${LAYER_KINDS.join(', ')}`);
  return value as LayerKind;
}

async function openInput(given: string, cwd: string): Promise<{ stream: ByteStream; size: number }> {
  // A regular file only: a FIFO would block and /dev/zero never ends.
  const { file: path, size } = await statInput('export: --in', given, cwd);
  const node = createReadStream(path, { highWaterMark: 1 << 20 });
  // Permission errors show up on the first read; turn them into the same one-line error.
  const opened = new Promise<void>((ok, fail) => {
    node.once('readable', () => ok());
    node.once('error', fail);
  });
  try {
    await opened;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`export: --in ${given}: cannot be read (${code === 'EACCES' ? 'permission denied' : (code ?? 'unknown error')})`);
  }
  return { stream: Readable.toWeb(node) as unknown as ByteStream, size };
}

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions('export', args, {
    in: { type: 'string' },
    out: { type: 'string' },
    'from-crs': { type: 'string' },
    'to-crs': { type: 'string' },
    layer: { type: 'string' },
    encoding: { type: 'string' },
    near: { type: 'string' },
    strict: { type: 'boolean' },
    sheet: { type: 'string' },
    'header-row': { type: 'string' },
  });
  const headerRow = parseHeaderRow('export', options['header-row']);
  const inPath = required('export', options.in, 'in');
  const outPath = required('export', options.out, 'out');
  let format;
  try {
    format = formatForFileName(outPath);
  } catch (error) {
    throw new InputError(`export: --out ${oneLine(asIoError(error, outPath).message)}`);
  }
  const toCrs = readToCrs(options['to-crs']);
  const fromCrs = readFromCrs(options['from-crs']);
  const kind = readKind(options.layer);
  const near = readNear(options.near);
  const budget = memoryBudget('export', options['memory-mb'], io.env);
  // Before the file is opened: the features held, and the output unless it is GeoJSON (streamed out).
  const fileBytes = await stat(resolve(io.cwd, inPath)).then(
    (info) => (info.isFile() ? info.size : 0),
    () => 0, // openInput says what is wrong with it
  );
  try {
    const size = fileBytes;
    const streamedIn = /\.(geojson|json|ndjson|geojsonl|geojsons|geojsonseq|jsonl|csv)$/i.test(inPath);
    const megabytes = Math.ceil(size / MB).toLocaleString('en');
    checkBudget('export', exportBytes({ fileBytes: size, streamedIn, streamedOut: format === 'geojson' }), budget, {
      en: `a ${megabytes} MB ${streamedIn ? 'streamed ' : ''}input written as ${format}`,
      zh: `${megabytes} MB 的输入文件导出为 ${format}`,
    });
  } catch (error) {
    if (error instanceof BudgetError) throw new InputError(`export: ${error.message}`);
    throw error;
  }
  const { stream, size } = await openInput(inPath, io.cwd);
  let result;
  try {
    const source = await readSource(stream, {
      fileName: inPath,
      totalBytes: size,
      maxBytes: inMemoryFileLimit(budget),
      ...(kind ? { kind } : {}),
      ...(options.encoding ? { encoding: options.encoding } : {}),
      ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
      ...(headerRow !== undefined ? { headerRow } : {}),
    });
    result = finishImport(source, { ...(kind ? { kind } : {}), ...(fromCrs ? { crs: fromCrs } : {}), ...(near ? { hint: near } : {}) });
  } catch (error) {
    if (isStackOverflow(error)) throw new InputError(`export: --in ${inPath}: nested too deeply (more than the reader can follow)`);
    throw new InputError(`export: ${oneLine(asIoError(error, inPath).message)}`);
  }
  if (result.features.length === 0) {
    const first = result.problems.find((p) => p.severity === 'error');
    throw new InputError(
      `export: ${inPath}: nothing to export${first ? ` (${oneLine(first.message.en)}${result.counts.rejected > 1 ? ` and ${result.counts.rejected - 1} more` : ''})` : ' (no features)'}`,
    );
  }
  // Rows left out: warned about one line each, or refused with --strict (dropped-rows.ts, as every command).
  const errors = result.problems.filter((p) => p.severity === 'error');
  const rows: DroppedRow[] = errors.map((p) => ({
    where:
      p.row !== undefined
        ? `${p.sheet !== undefined ? `sheet “${p.sheet}”, ` : ''}row ${p.row}`
        : p.feature !== undefined
          ? `feature ${p.feature}`
          : 'a row',
    id: null,
    reason: oneLine(describeProblem(p.code, p.params).en),
  }));
  const check: LayerCheck = {
    label: kind ?? 'layer',
    path: inPath,
    total: result.features.length + rows.length,
    dropped: rows,
    fatal: null,
    // Kept rows and whole-file warnings (mixed encodings, an ignored index, no .dbf) are said too.
    notes: result.problems.filter((p) => p.severity === 'warning').map((p) => `${kind ?? 'layer'} ${p.message.en}`),
    usable: [],
  };
  reportLayers(io, [check], options.strict ?? false);
  // The writers walk properties recursively: refuse a hostile depth as the input's fault, not the output's.
  checkDepth(result.features, 'export: --in', inPath);
  const name = basename(outPath).replace(/\.(shp\.zip|zip|geojson|json|fgb|csv|xlsx)$/i, '') || 'layer';
  let written;
  try {
    // A workbook says where it came from on its About sheet (说明).
    const facts =
      format === 'xlsx' ? workbookFacts({ lang: 'zh', table: name, crs: toCrs, notes: [`来源文件：${basename(inPath)}`] }) : null;
    written = await writeLayer(
      { type: 'FeatureCollection', features: result.features },
      { format, name, crs: toCrs, ...(facts ? { facts } : {}) },
    );
  } catch (error) {
    if (isStackOverflow(error)) throw new InputError(`export: --in ${inPath}: nested too deeply to write`);
    throw new InputError(`export: ${outPath}: ${oneLine(asIoError(error, outPath).message)}`);
  }
  const shown = result.problems.slice(0, 200).map((p) => ({
    file: p.file,
    ...(p.row !== undefined ? { row: p.row } : {}),
    ...(p.feature !== undefined ? { feature: p.feature } : {}),
    severity: p.severity,
    code: p.code,
    message: p.message.en,
    message_zh: p.message.zh,
  }));
  const report = {
    input: {
      file: inPath,
      format: result.detected.format,
      encoding: result.detected.encoding,
      crs: result.detected.crs,
      crs_source: result.detected.crsSource,
      crs_explanation: result.detected.crsExplanation,
      swapped: result.detected.swapped,
      fields: result.detected.fields.map((f) => f.name),
      mapping: result.detected.mapping,
      warnings: result.detected.warnings,
    },
    output: {
      file: outPath,
      format,
      crs: toCrs,
      features: result.features.length,
      bytes: written.bytes.length,
      warnings: written.warnings,
    },
    counts: result.counts,
    problems: shown,
    problems_omitted: result.problems.length - shown.length,
  };
  await new OutputSet(io, 'export: ')
    .file('--out', outPath, written.bytes)
    .stdout(`${jsonText(report, 2)}\n`)
    .commit();
  return 0;
}

export const command: CliCommand = {
  name: 'export',
  summary: 'convert a layer (GeoJSON, FlatGeobuf, CSV, Shapefile, GeoTIFF, OSM) to GeoJSON, FlatGeobuf, CSV or Shapefile',
  help: HELP,
  run,
};
