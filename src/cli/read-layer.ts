/**
 * Reads a layer file into a GeoJSON FeatureCollection, by extension: .fgb (FlatGeobuf), .geojson or .json as
 * they are; any other format the import module reads (CSV in UTF-8 or GBK, zipped Shapefile, newline-delimited
 * GeoJSON, GeoTIFF population, .osm.pbf) through it, converted to WGS84 and mapped to the layer's properties.
 * Every failure is an InputError with one line saying which layer, which file and what is wrong, because the
 * person running the command needs to know what to fix, not a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { GeoJsonGeometryTypes } from 'geojson';
import { readFlatGeobuf } from '../core/io/flatgeobuf';
import { asIoError, finishImport, readSource } from '../core/io/import';
import { detectFormat } from '../core/io/registry';
import { LAYER_KINDS, type LayerKind } from '../core/io/types';
import type { LooseFeatureCollection } from '../core/ratios/indicators';
import { InputError, oneLine } from './command';

export interface LayerSpec {
  /** What the layer is, for messages: "facilities", "population", "zones". */
  label: string;
  /** Geometry types every feature must have. */
  geometry: readonly GeoJsonGeometryTypes[];
}

/** Reads a whole file, turning the usual system errors into plain words. */
export async function readInputFile(label: string, path: string, cwd: string): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new InputError(`${label} ${path}: ${reason}`);
  }
}

function isFeatureCollection(value: unknown): value is LooseFeatureCollection {
  if (typeof value !== 'object' || value === null) return false;
  const fc = value as { type?: unknown; features?: unknown };
  return fc.type === 'FeatureCollection' && Array.isArray(fc.features);
}

async function parse(bytes: Buffer, path: string, label: string): Promise<LooseFeatureCollection> {
  const ext = extname(path).toLowerCase();
  if (ext === '.fgb') {
    try {
      return (await readFlatGeobuf(new Uint8Array(bytes))) as LooseFeatureCollection;
    } catch (error) {
      throw new InputError(
        `${label} ${path}: not a readable FlatGeobuf file (${oneLine(error instanceof Error ? error.message : String(error))})`,
      );
    }
  }
  if (ext === '.geojson' || ext === '.json') {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new InputError(`${label} ${path}: not valid JSON (${oneLine(error instanceof Error ? error.message : String(error))})`);
    }
    if (!isFeatureCollection(json)) throw new InputError(`${label} ${path}: expected a GeoJSON FeatureCollection`);
    return json;
  }
  return parseOther(bytes, path, label, ext);
}

/** Any other importable format, through the import module; a file with a bad row fails as a whole, like the others. */
async function parseOther(bytes: Buffer, path: string, label: string, ext: string): Promise<LooseFeatureCollection> {
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!detectFormat(data.subarray(0, 65536), path)) {
    throw new InputError(
      `${label} ${path}: unsupported file type "${ext || '(none)'}" (expected .fgb, .geojson, .json, .ndjson, .csv, a zipped Shapefile, .tif or .osm.pbf)`,
    );
  }
  const kind = (LAYER_KINDS as readonly string[]).includes(label) ? (label as LayerKind) : undefined;
  try {
    const result = finishImport(await readSource(data, { fileName: path, ...(kind ? { kind } : {}) }), kind ? { kind } : {});
    const errors = result.problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    if (first) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      throw new InputError(`${label} ${oneLine(first.message.en)}${more}`);
    }
    return { type: 'FeatureCollection', features: result.features } as LooseFeatureCollection;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${label} ${oneLine(asIoError(error, path).message)}`);
  }
}

/** Checks each feature is a Feature with one of the allowed geometry types; names the first that is not. */
function checkFeatures(fc: LooseFeatureCollection, path: string, spec: LayerSpec): void {
  const expected = spec.geometry.join(' or ');
  const bad: { index: number; problem: string }[] = [];
  fc.features.forEach((feature, index) => {
    if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature')
      bad.push({ index, problem: 'is not a GeoJSON Feature' });
    else if (feature.geometry === null || feature.geometry === undefined)
      bad.push({ index, problem: `has no geometry (expected ${expected})` });
    else if (!spec.geometry.includes(feature.geometry.type))
      bad.push({ index, problem: `has a ${feature.geometry.type} geometry (expected ${expected})` });
    else if (feature.properties !== null && (typeof feature.properties !== 'object' || Array.isArray(feature.properties))) {
      bad.push({ index, problem: 'has properties that are not an object' });
    }
  });
  const first = bad[0];
  if (first) {
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more)` : '';
    throw new InputError(`${spec.label} ${path}: feature ${first.index}${more} ${first.problem}`);
  }
}

/** Reads and checks one layer. */
export async function readLayer(path: string, spec: LayerSpec, cwd: string = process.cwd()): Promise<LooseFeatureCollection> {
  const bytes = await readInputFile(spec.label, path, cwd);
  const fc = await parse(bytes, path, spec.label);
  checkFeatures(fc, path, spec);
  return fc;
}
