/**
 * Import benchmark: a seeded ~200 MB CSV of population points (UTF-8, Chinese names), streamed through the same
 * core reader the app's worker uses (readSource → finishImport with the county outline check), against GDAL's
 * ogr2ogr converting the same file to FlatGeobuf as an independent baseline. Prints time, throughput, peak
 * memory and how often progress was reported (the page's progress bar). Runs on its own:
 *   node --max-old-space-size=4096 --import tsx bench/import.bench.ts [megabytes]
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

const targetMb = Number(process.argv[2] ?? 200);
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

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
