/**
 * The few web-platform pieces the readers need (TextDecoder, TextEncoder, ReadableStream, AbortSignal), typed
 * structurally here because src/core compiles without the DOM library. Browsers, workers and Node 18+ all have
 * them as globals; the DOM's own types are assignable to these.
 */

export interface TextDecoderLike {
  readonly encoding: string;
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

interface TextDecoderCtor {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoderLike;
}

interface TextEncoderLike {
  encode(input: string): Uint8Array;
}

const platform = globalThis as unknown as {
  TextDecoder?: TextDecoderCtor;
  TextEncoder?: new () => TextEncoderLike;
};

/**
 * A decoder for `label` ('utf-8', 'gb18030', 'gbk', 'windows-1252', …), or undefined when the platform does not
 * know the label (Node built without full ICU has no gb18030). The BOM is kept, so callers see and strip it.
 */
export function makeDecoder(label: string, fatal = false): TextDecoderLike | undefined {
  const Ctor = platform.TextDecoder;
  if (!Ctor) return undefined;
  try {
    return new Ctor(label, { fatal, ignoreBOM: true });
  } catch {
    return undefined;
  }
}

let encoder: TextEncoderLike | undefined;
/** UTF-8 bytes of a string. */
export function encodeUtf8(text: string): Uint8Array {
  encoder ??= new (platform.TextEncoder as new () => TextEncoderLike)();
  return encoder.encode(text);
}

/** The reader half of a ReadableStream<Uint8Array>. */
export interface ByteStreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

/** A ReadableStream<Uint8Array> (browser File.stream(), fetch body, Node's Readable.toWeb). */
export interface ByteStream {
  getReader(): ByteStreamReader;
}

/** An AbortSignal: only `aborted` is read, between chunks. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export function isByteStream(value: unknown): value is ByteStream {
  return typeof value === 'object' && value !== null && typeof (value as { getReader?: unknown }).getReader === 'function';
}
