/**
 * Reading zip archives (a zipped Shapefile) within one memory budget for the whole archive.
 *
 * The central directory is read here, not by fflate's unzipSync, so that: every entry's declared place and sizes
 * are checked against the bytes (the directory's size and entry count against the end record, each local header
 * where the directory says, each entry's data inside the file); the declared inflated sizes of all the entries
 * wanted are added up and the archive is refused before anything is inflated when the sum is over the budget (a
 * 3.9 MB zip can hold eight entries of 480 MB each); and, because declared sizes can lie, each entry is inflated
 * in small steps and stopped as soon as it gives more than its directory declared (or refused when it gives less).
 * Stored (0) and deflated (8) entries are read, ZIP64 included; encrypted entries and other methods are refused.
 */
import { detailOf, IoError } from './messages';
import { makeDecoder } from './web';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Compressed bytes handed to the inflater at once: with deflate's 1032:1 at most, about 16 MB out per step. */
const STEP = 16 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipOptions {
  /** The archive's name, for messages. */
  file: string;
  /** Largest total of inflated bytes over all the entries read. */
  budget: number;
  /** Which entries to inflate (by name); the others are only checked in the directory. */
  keep: (name: string) => boolean;
}

function damaged(file: string, en: string, zh: string): IoError {
  return new IoError('file-damaged', { file, format: 'zip', detail: en, detailZh: zh });
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  const strict = makeDecoder('utf-8', true);
  if (utf8Flag || !strict) return (makeDecoder('utf-8') ?? strict)?.decode(bytes) ?? '';
  try {
    return strict.decode(bytes);
  } catch {
    // Names from a Chinese Windows zip tool are GBK without the UTF-8 flag.
    return (makeDecoder('gb18030') ?? makeDecoder('utf-8'))?.decode(bytes) ?? '';
  }
}

/** The entries of a zip's central directory, checked against the file's bytes. Throws IoError. */
function zipEntries(bytes: Uint8Array, file: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === EOCD && at + 22 + view.getUint16(at + 20, true) <= bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) {
    throw damaged(file, 'the end of central directory record is missing (cut short?)', '缺少中央目录结束记录（文件可能被截断）');
  }
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  let cdEnd = eocd;
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0 || view.getUint16(eocd + 8, true) !== count) {
    throw new IoError('zip-invalid', { file: file, detail: 'archives split over several disks are not supported' });
  }
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR) {
      const at = Number(view.getBigUint64(locator + 8, true));
      if (at + 56 > locator || view.getUint32(at, true) !== ZIP64_EOCD) {
        throw damaged(file, 'the ZIP64 end record is not where its locator says', 'ZIP64 结束记录不在定位记录所指位置');
      }
      count = Number(view.getBigUint64(at + 32, true));
      cdSize = Number(view.getBigUint64(at + 40, true));
      cdOffset = Number(view.getBigUint64(at + 48, true));
      cdEnd = at;
    }
  }
  if (cdOffset + cdSize > cdEnd) {
    throw damaged(
      file,
      `the central directory (${cdSize} bytes at byte ${cdOffset}) runs past its end record at byte ${cdEnd}`,
      `中央目录（第 ${cdOffset} 字节起 ${cdSize} 字节）超出其结束记录（第 ${cdEnd} 字节）`,
    );
  }
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  const cdStop = cdOffset + cdSize;
  while (at < cdStop) {
    if (at + 46 > cdStop || view.getUint32(at, true) !== CENTRAL) {
      throw damaged(
        file,
        `central directory entry ${entries.length} at byte ${at} is not an entry`,
        `中央目录第 ${entries.length} 项（第 ${at} 字节）不是有效条目`,
      );
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > cdStop) {
      throw damaged(
        file,
        `central directory entry ${entries.length} runs past the directory`,
        `中央目录第 ${entries.length} 项超出目录范围`,
      );
    }
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0);
    // ZIP64: the sizes and offset that do not fit 32 bits are in the 0x0001 extra field, in this order.
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let x = at + 46 + nameLength;
      const xEnd = x + extraLength;
      while (x + 4 <= xEnd) {
        const id = view.getUint16(x, true);
        const len = view.getUint16(x + 2, true);
        if (id === 0x0001) {
          let p = x + 4;
          const take = (): number => {
            if (p + 8 > x + 4 + len) throw damaged(file, `the ZIP64 sizes of "${name}" are missing`, `“${name}”缺少 ZIP64 大小字段`);
            const v = Number(view.getBigUint64(p, true));
            p += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localOffset === 0xffffffff) localOffset = take();
          break;
        }
        x += 4 + len;
      }
    }
    entries.push({ name, method, flags, compressedSize, size, localOffset });
    at = next;
  }
  if (entries.length !== count) {
    throw damaged(
      file,
      `the end record declares ${count} entries but the central directory holds ${entries.length}`,
      `结束记录声明 ${count} 个条目，而中央目录中有 ${entries.length} 个`,
    );
  }
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const local = e.localOffset;
    if (local + 30 > cdOffset || view.getUint32(local, true) !== LOCAL) {
      throw damaged(
        file,
        `"${e.name}": the directory puts its data at byte ${local}, where there is no local header`,
        `“${e.name}”：中央目录指向第 ${local} 字节，该处没有本地文件头`,
      );
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + e.compressedSize > cdOffset) {
      throw damaged(
        file,
        `"${e.name}" declares ${e.compressedSize} compressed bytes, more than the archive holds before its directory`,
        `“${e.name}”声明压缩后 ${e.compressedSize} 字节，超出压缩包在中央目录之前的长度`,
      );
    }
    e.localOffset = start;
  }
  return entries;
}

/** fflate's streaming Inflate (raw deflate) or Unzlib (zlib), passed in so fflate loads only when used. */
export type InflaterClass = new (ondata: (chunk: Uint8Array, final: boolean) => void) => {
  push(chunk: Uint8Array, final?: boolean): void;
};

/**
 * Inflates a stream that must give exactly `size` bytes, in small steps, stopping as soon as it gives more: the
 * bytes, or what went wrong ('over': more than `size`; 'short': fewer; 'broken': the stream is damaged).
 */
export function inflateBounded(
  Inflater: InflaterClass,
  data: Uint8Array,
  size: number,
): { bytes: Uint8Array } | { problem: 'over' | 'short' | 'broken'; produced: number; detail: string } {
  const out = new Uint8Array(size);
  let produced = 0;
  let over = false;
  const inflater = new Inflater((chunk) => {
    if (produced + chunk.length > size) over = true;
    else out.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
    for (let at = 0; at < data.length && !over; at += STEP) {
      const end = Math.min(data.length, at + STEP);
      inflater.push(data.subarray(at, end), end === data.length);
    }
  } catch (error) {
    if (!over) return { problem: 'broken', produced, detail: detailOf(error) };
  }
  if (over) return { problem: 'over', produced, detail: '' };
  if (produced !== size) return { problem: 'short', produced, detail: '' };
  return { bytes: out };
}

async function inflateExactly(data: Uint8Array, size: number, name: string, file: string): Promise<Uint8Array> {
  const { Inflate } = await import('fflate');
  const r = inflateBounded(Inflate, data, size);
  if ('bytes' in r) return r.bytes;
  if (r.problem === 'broken') throw damaged(file, `"${name}" cannot be inflated (${r.detail})`, `“${name}”无法解压（${r.detail}）`);
  if (r.problem === 'over') {
    throw damaged(
      file,
      `"${name}" inflates to more than the ${size} bytes its directory entry declares`,
      `“${name}”解压后超过其目录项声明的 ${size} 字节`,
    );
  }
  throw damaged(
    file,
    `"${name}" inflates to ${r.produced} bytes where its directory entry declares ${size}`,
    `“${name}”解压后为 ${r.produced} 字节，而目录项声明为 ${size} 字节`,
  );
}

/**
 * The wanted entries of a zip, inflated within one budget for all of them (see the module comment). Throws
 * IoError: zip-too-large before inflating, file-damaged when the directory disagrees with the bytes, zip-invalid
 * for what is not supported.
 */
export async function readZip(bytes: Uint8Array, options: ZipOptions): Promise<Record<string, Uint8Array>> {
  const { file, budget } = options;
  const entries = zipEntries(bytes, file).filter((e) => !e.name.endsWith('/') && options.keep(e.name));
  const declared = entries.reduce((n, e) => n + e.size, 0);
  if (declared > budget) throw new IoError('zip-too-large', { file, bytes: declared, limit: budget });
  const files: Record<string, Uint8Array> = {};
  let total = 0;
  for (const e of entries) {
    if (e.flags & 1) throw new IoError('zip-invalid', { file, detail: `"${e.name}" is encrypted` });
    const data = bytes.subarray(e.localOffset, e.localOffset + e.compressedSize);
    let content: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) {
        throw damaged(
          file,
          `"${e.name}" is stored uncompressed but declares ${e.compressedSize} bytes stored and ${e.size} bytes in all`,
          `“${e.name}”未压缩存储，但声明存储 ${e.compressedSize} 字节、原始 ${e.size} 字节`,
        );
      }
      content = data.slice();
    } else if (e.method === 8) content = await inflateExactly(data, e.size, e.name, file);
    else
      throw new IoError('zip-invalid', {
        file,
        detail: `"${e.name}" uses compression method ${e.method}; only stored and deflated entries are read`,
      });
    total += content.length;
    // The declared sizes were checked against the budget; the sizes found are held to it as well.
    if (total > budget) throw new IoError('zip-too-large', { file, bytes: total, limit: budget });
    files[e.name] = content;
  }
  return files;
}
