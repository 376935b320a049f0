/**
 * The formats, each one codec behind the common interface (id, extensions, sniff, read, write). A codec's module
 * is small; the heavy libraries (shpjs, geotiff, fflate, pbf, flatgeobuf, @turf/rewind, @e965/xlsx) load when it reads or
 * writes.
 */
import { csvCodec } from './formats/csv';
import { flatgeobufCodec } from './formats/flatgeobuf';
import { geojsonCodec, ndjsonCodec } from './formats/geojson';
import { geotiffCodec } from './formats/geotiff';
import { osmPbfCodec } from './formats/osm-pbf';
import { shapefileCodec } from './formats/shapefile';
import { xlsxCodec } from './formats/xlsx';
import type { FormatCodec, FormatId } from './types';

// A workbook is a zip too: the workbook codec is asked before the Shapefile one.
const CODECS: readonly FormatCodec[] = [
  flatgeobufCodec,
  geotiffCodec,
  osmPbfCodec,
  xlsxCodec,
  shapefileCodec,
  ndjsonCodec,
  geojsonCodec,
  csvCodec,
];

export function codecById(id: FormatId): FormatCodec {
  return CODECS.find((c) => c.id === id) as FormatCodec;
}

/** The codec whose sniff is surest about these first bytes and this name, or undefined when none is. */
export function detectFormat(head: Uint8Array, fileName: string): FormatCodec | undefined {
  let best: FormatCodec | undefined;
  let score = 0;
  for (const codec of CODECS) {
    const s = codec.sniff(head, fileName);
    if (s > score) {
      best = codec;
      score = s;
    }
  }
  return score >= 0.1 ? best : undefined;
}

/** Output formats by extension: .geojson/.json, .fgb, .csv, .zip/.shp.zip, .xlsx (a workbook, xlsx-write.ts). */
export type OutputFormat = 'geojson' | 'flatgeobuf' | 'csv' | 'shapefile' | 'xlsx';

/** The extension an exported file of each format is written with (without the dot). */
export const OUTPUT_EXTENSION: Record<OutputFormat, string> = {
  geojson: 'geojson',
  flatgeobuf: 'fgb',
  csv: 'csv',
  shapefile: 'shp.zip',
  xlsx: 'xlsx',
};

export function outputFormatFor(fileName: string): OutputFormat | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.geojson') || name.endsWith('.json')) return 'geojson';
  if (name.endsWith('.fgb')) return 'flatgeobuf';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.zip')) return 'shapefile';
  if (name.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}
