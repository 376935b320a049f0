/**
 * Reads a large GeoJSON FeatureCollection for the command line without ever holding its text whole: the file is
 * read from disk in 1 MB chunks, decoded by the import module's StreamDecoder and cut into features by its
 * FeatureScanner (src/core/io/formats/geojson.ts), so only one feature's text is held at a time. One string of
 * the whole file would stop at V8's string limit (about 512 MB) whatever memory the machine has.
 *
 * Each feature is JSON.parse'd as it is cut, and kept as parsed, so a streamed file gives exactly the objects
 * the whole-text path gives (read-layer.ts checks both the same way). A layer that would exceed its limit
 * (`tooMany`, the coverage budget) stops being kept but is still counted to the end, so the refusal names the
 * true count without the features having been built.
 */
import { open } from 'node:fs/promises';
import { FeatureScanner } from '../core/io/formats/geojson';
import { StreamDecoder } from '../core/io/text';
import { InputError, oneLine } from './command';

/** Files larger than this are streamed; smaller ones are read as one string (as fast, and simplest). */
const DEFAULT_STREAM_BYTES = 64 * 2 ** 20;
/** Sets the size above which GeoJSON is streamed (bytes; tests set it low to take the streaming path). */
export const STREAM_BYTES_ENV = 'HEALTHSHED_CLI_STREAM_BYTES';
/** Bytes read from disk at a time. */
const CHUNK_BYTES = 2 ** 20;
/** Features between two looks at the limit (the check formats a message, so not at every feature). */
const LIMIT_EVERY = 65_536;

/** The streaming threshold: HEALTHSHED_CLI_STREAM_BYTES when it is a whole number ≥ 0, else 64 MB. */
export function streamThreshold(env: NodeJS.ProcessEnv | undefined): number {
  const raw = env?.[STREAM_BYTES_ENV];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_STREAM_BYTES;
}

export interface StreamOptions {
  /** What the layer is and where it came from, for messages: "population", the path as given. */
  label: string;
  path: string;
  /** The refusal (one line) when a layer of `features` features is too large, else null. */
  tooMany?: ((features: number) => string | null) | undefined;
  /**
   * Each parsed feature is checked here (its nesting), with the length of its text; a message is thrown as an
   * InputError naming the feature.
   */
  checkFeature?: ((feature: unknown, chars: number) => string | null) | undefined;
  /** Bytes read at a time, and features between two looks at `tooMany` (smaller in tests). */
  chunkBytes?: number;
  limitEvery?: number;
}

function detail(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/**
 * The features of the FeatureCollection in `file` (an absolute path to a regular file), as JSON.parse gives
 * them (a scalar element of `features` is kept as null, for the caller to name), and the top-level value
 * without them. Throws InputError with one line naming the file and, for a broken feature, its index.
 */
export async function streamFeatureCollection(file: string, options: StreamOptions): Promise<{ features: unknown[]; outer: unknown }> {
  const { label, path } = options;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const limitEvery = options.limitEvery ?? LIMIT_EVERY;
  const where = `${label} ${path}`;
  const decoder = new StreamDecoder(path);
  let features: unknown[] = [];
  let counted = 0;
  let refusal: string | null = null;
  let bytesBefore = 0;
  let bytesRead = 0;
  const at = (index: number) =>
    `feature ${index} (which ends between byte ${bytesBefore.toLocaleString('en')} and ${bytesRead.toLocaleString('en')})`;
  const scanner = new FeatureScanner((json, index) => {
    counted = index + 1;
    if (refusal !== null) return;
    if (options.tooMany && counted % limitEvery === 0) {
      refusal = options.tooMany(counted);
      // Over the limit: the features kept so far go; the rest are only counted.
      if (refusal !== null) {
        features = [];
        return;
      }
    }
    if (json === null) {
      features.push(null);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message))
        throw new InputError(`${where}: ${at(index)} is nested too deeply (more than the parser can follow)`);
      throw new InputError(`${where}: ${at(index)} is not valid JSON (${detail(error)})`);
    }
    const problem = options.checkFeature?.(value, json.length);
    if (problem) throw new InputError(`${where}: ${at(index)} ${problem}`);
    features.push(value);
  });

  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new InputError(`${where}: cannot be read (${(error as NodeJS.ErrnoException).code ?? detail(error)})`);
  }
  try {
    // Checked again on the open descriptor: the path may have been swapped since it was stat'ed.
    if (!(await handle.stat()).isFile()) throw new InputError(`${where}: is not a regular file`);
    const push = (text: string) => {
      if (text !== '') scanner.push(text);
    };
    for (;;) {
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead: n } = await handle.read(buffer, 0, chunkBytes, null);
      if (n === 0) break;
      bytesBefore = bytesRead;
      bytesRead += n;
      push(decodeChunk(decoder, buffer.subarray(0, n), where));
    }
    push(decodeChunk(decoder, null, where));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${where}: cannot be read (${(error as NodeJS.ErrnoException).code ?? detail(error)})`);
  } finally {
    await handle.close();
  }

  const end = scanner.end();
  if (end.truncatedFeature) throw new InputError(`${where}: not valid JSON (the file ends inside feature ${scanner.count})`);
  if (!end.complete) throw new InputError(`${where}: not valid JSON (the file ends early${end.outer === '' ? ': it is empty' : ''})`);
  let outer: unknown;
  try {
    outer = JSON.parse(end.outer);
  } catch (error) {
    throw new InputError(`${where}: not valid JSON outside the features (${detail(error)})`);
  }
  const last: string | null = options.tooMany ? options.tooMany(counted) : null;
  if (last !== null) throw new InputError(last);
  return { features, outer };
}

/** The text of the next chunk (null: the end), any decoding failure as one line. */
function decodeChunk(decoder: StreamDecoder, chunk: Uint8Array | null, where: string): string {
  try {
    return chunk === null ? decoder.end() : decoder.push(chunk);
  } catch (error) {
    throw new InputError(`${where}: cannot be decoded as text (${detail(error)})`);
  }
}
