/**
 * Reading a ReadableStream<Uint8Array> in chunks, with progress (bytes read / total), cancellation between chunks
 * (an AbortSignal) and a memory budget for formats that need the whole file at once.
 */
import { IoError } from './messages';
import type { ReadContext } from './types';
import type { ByteStream, ByteStreamReader } from './web';

/** Bytes looked at to tell the format. */
export const HEAD_BYTES = 64 * 1024;

export function checkAborted(ctx: Pick<ReadContext, 'signal' | 'fileName'>): void {
  if (ctx.signal?.aborted) throw new IoError('aborted', { file: ctx.fileName });
}

/**
 * A stream's chunks with the first bytes held back for sniffing: `head()` reads until HEAD_BYTES (or the end),
 * then `chunks()` yields everything, the head first. Progress is reported as chunks arrive; the signal is
 * checked before each read, and the stream is cancelled when reading stops early.
 */
export class ChunkSource {
  private readonly reader: ByteStreamReader;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private done = false;
  bytesRead = 0;
  features = 0;
  /** No progress reports (when another source reading through this one reports them). */
  silent = false;

  constructor(
    stream: ByteStream,
    private readonly ctx: ReadContext,
    private readonly totalBytes: number | undefined,
  ) {
    this.reader = stream.getReader();
  }

  private async readOne(): Promise<Uint8Array | undefined> {
    checkAborted(this.ctx);
    const { done, value } = await this.reader.read();
    if (done || !value) {
      this.done = true;
      return undefined;
    }
    this.bytesRead += value.length;
    if (!this.silent) this.ctx.onProgress?.({ bytesRead: this.bytesRead, totalBytes: this.totalBytes, features: this.features });
    return value;
  }

  /** The first HEAD_BYTES bytes (fewer for a short file), kept to be yielded again by chunks(). */
  async head(): Promise<Uint8Array> {
    while (!this.done && this.heldBytes < HEAD_BYTES) {
      const chunk = await this.readOne();
      if (!chunk) break;
      if (chunk.length === 0) continue;
      this.held.push(chunk);
      this.heldBytes += chunk.length;
    }
    return concat(this.held, this.heldBytes);
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      const held = this.held;
      this.held = [];
      for (const chunk of held) yield chunk;
      while (!this.done) {
        const chunk = await this.readOne();
        if (!chunk) break;
        if (chunk.length > 0) yield chunk;
      }
      checkAborted(this.ctx);
    } finally {
      if (!this.done) await this.cancel();
    }
  }

  /** Reads everything into one array, or fails with a clear error past `maxBytes`. */
  async all(format: string): Promise<Uint8Array> {
    if (this.totalBytes !== undefined && this.totalBytes > this.ctx.maxBytes) {
      await this.cancel();
      throw new IoError('file-too-large', { file: this.ctx.fileName, bytes: this.totalBytes, limit: this.ctx.maxBytes, format });
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.chunks()) {
      size += chunk.length;
      if (size > this.ctx.maxBytes) {
        await this.cancel();
        throw new IoError('file-too-large', { file: this.ctx.fileName, bytes: this.totalBytes ?? size, limit: this.ctx.maxBytes, format });
      }
      parts.push(chunk);
    }
    return concat(parts, size);
  }

  async cancel(): Promise<void> {
    this.done = true;
    try {
      await this.reader.cancel();
    } catch {
      // A stream that is already closed or errored has nothing to cancel.
    }
  }

  progress(): void {
    if (!this.silent) this.ctx.onProgress?.({ bytesRead: this.bytesRead, totalBytes: this.totalBytes, features: this.features });
  }
}

function concat(parts: readonly Uint8Array[], size = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
