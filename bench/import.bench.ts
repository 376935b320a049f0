/**
 * Import benchmark: a seeded ~200 MB CSV of population points (UTF-8, Chinese names), streamed through the same
 * core reader the app's worker uses (readSource → finishImport with the county outline check), against GDAL's
 * ogr2ogr converting the same file to FlatGeobuf as an independent baseline. Prints time, throughput, peak
 * memory and how often progress was reported (the page's progress bar).
 *
 * Then a 100,000-row Excel workbook (written by SheetJS, one sheet under a title row) against the same rows as a
 * CSV, each read from its bytes, mapped and validated as population (readSource → finishImport), in the same
 * run: both times and the ratio. Runs on its own:
 *   node --max-old-space-size=4096 --import tsx bench/import.bench.ts [megabytes]   (both)
 *   node --max-old-space-size=4096 --import tsx bench/import.bench.ts xlsx          (the workbook only)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finishImport, readSource } from '../src/core/io/import';
import type { ByteStream } from '../src/core/io/web';
import { readFlatGeobuf } from '../src/core/io/flatgeobuf';
import { seededRandom } from '../src/core/random';
import { memoryMb } from './timing';

const workbookOnly = process.argv[2] === 'xlsx';
const targetMb = workbookOnly ? 0 : Number(process.argv[2] ?? 200);
const WORKBOOK_ROWS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'healthshed-import-bench-'));
const file = join(dir, 'population.csv');

async function writeCsv(): Promise<number> {
  const out = createWriteStream(file);
  const rng = seededRandom(7).next;
  out.write('编号,名称,经度,纬度,人口,乡镇\n');
  let rows = 0;
  let bytes = 0;
  const target = targetMb * 1e6;
  while (bytes < target) {
    const lines: string[] = [];
    for (let k = 0; k < 10_000; k++, rows++) {
      // Inside 上犹县's bounding box, so most points pass the outline check and some do not.
      const lon = (114.0 + rng() * 0.6).toFixed(6);
      const lat = (25.7 + rng() * 0.4).toFixed(6);
      lines.push(`P${rows},居民点${rows}号村民小组,${lon},${lat},${Math.floor(rng() * 900) + 20},3607241${rows % 10}`);
    }
    const chunk = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return rows;
}

async function main(): Promise<void> {
  const rows = await writeCsv();
  const size = statSync(file).size;
  console.log(`import: ${(size / 1e6).toFixed(1)} MB CSV, ${rows.toLocaleString('en')} rows`);
  const outline = readFlatGeobuf(new Uint8Array(readFileSync(new URL('../data/shangyou/boundary.fgb', import.meta.url))));

  // Baseline: GDAL (C++) reading the same CSV into FlatGeobuf.
  const gdalStart = performance.now();
  execFileSync('ogr2ogr', [
    '-f',
    'FlatGeobuf',
    join(dir, 'gdal.fgb'),
    file,
    '-oo',
    'X_POSSIBLE_NAMES=经度',
    '-oo',
    'Y_POSSIBLE_NAMES=纬度',
    '-a_srs',
    'EPSG:4326',
  ]);
  const gdalMs = performance.now() - gdalStart;

  let progressEvents = 0;
  let peakRss = memoryMb().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryMb().rss)), 50);
  const start = performance.now();
  const stream = Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as unknown as ByteStream;
  const source = await readSource(stream, {
    fileName: 'population.csv',
    totalBytes: size,
    kind: 'population',
    onProgress: () => progressEvents++,
  });
  const readMs = performance.now() - start;
  const result = finishImport(source, { kind: 'population', outline });
  const totalMs = performance.now() - start;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, memoryMb().rss);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  console.log(
    `  healthshed core (stream + map + validate + outline): ${(totalMs / 1000).toFixed(2)} s ` +
      `(read ${(readMs / 1000).toFixed(2)} s), ${(size / 1e6 / (totalMs / 1000)).toFixed(0)} MB/s, ` +
      `${result.features.length.toLocaleString('en')} imported, ${errors.toLocaleString('en')} rows with errors, ` +
      `${progressEvents} progress reports, peak RSS ${peakRss.toFixed(0)} MB`,
  );
  console.log(
    `  GDAL ogr2ogr CSV → FlatGeobuf (no validation): ${(gdalMs / 1000).toFixed(2)} s; ratio ours / GDAL = ${(totalMs / gdalMs).toFixed(2)}`,
  );
}

/** The same rows as a workbook and as a CSV: read, mapped and validated, best of three runs each. */
async function workbookVsCsv(): Promise<void> {
  const XLSX = await import('@e965/xlsx');
  const rng = seededRandom(11).next;
  const header = ['编号', '名称', '经度', '纬度', '人口', '乡镇'];
  const rows: (string | number)[][] = [];
  for (let i = 0; i < WORKBOOK_ROWS; i++) {
    rows.push([
      `P${i}`,
      `居民点${i}号村民小组`,
      +(114.0 + rng() * 0.6).toFixed(6),
      +(25.7 + rng() * 0.4).toFixed(6),
      Math.floor(rng() * 900) + 20,
      `3607241${i % 10}`,
    ]);
  }
  const sheet = XLSX.utils.aoa_to_sheet([['上犹县居民点人口表（2020年）'], header, ...rows]);
  sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: header.length - 1 } }];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '居民点');
  const xlsx = new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer);
  const csv = new TextEncoder().encode([header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  const outline = readFlatGeobuf(new Uint8Array(readFileSync(new URL('../data/shangyou/boundary.fgb', import.meta.url))));
  const time = async (bytes: Uint8Array, fileName: string): Promise<{ ms: number; imported: number }> => {
    let best = Infinity;
    let imported = 0;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const source = await readSource(bytes, { fileName, kind: 'population' });
      const result = finishImport(source, { kind: 'population', outline });
      best = Math.min(best, performance.now() - start);
      imported = result.features.length;
    }
    return { ms: best, imported };
  };
  const ofCsv = await time(csv, 'population.csv');
  const ofXlsx = await time(xlsx, 'population.xlsx');
  if (ofCsv.imported !== ofXlsx.imported) throw new Error(`the workbook imported ${ofXlsx.imported} rows, the CSV ${ofCsv.imported}`);
  console.log(
    `import: ${WORKBOOK_ROWS.toLocaleString('en')} rows as a workbook (${(xlsx.length / 1e6).toFixed(1)} MB .xlsx) and as CSV ` +
      `(${(csv.length / 1e6).toFixed(1)} MB), read + map + validate, best of 3:\n` +
      `  .xlsx ${(ofXlsx.ms / 1000).toFixed(2)} s, CSV ${(ofCsv.ms / 1000).toFixed(2)} s; ratio xlsx / CSV = ${(ofXlsx.ms / ofCsv.ms).toFixed(2)} ` +
      `(${ofXlsx.imported.toLocaleString('en')} imported each)`,
  );
}

try {
  if (!workbookOnly) await main();
  await workbookVsCsv();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
