/**
 * A minimal PMTiles v3 writer following the published spec (github.com/protomaps/PMTiles, spec/v3/spec.md):
 * the 127-byte header, one uncompressed root directory (no leaf directories: small archives only), the JSON
 * metadata and the tile data in tile-id order. Written apart from the `pmtiles` package so the app's reader is
 * checked against an independent writer; tile ids follow the spec's Hilbert curve, coded here from its text.
 */

export interface PmtilesInput {
  /** XYZ tiles (y from the north), with their bytes as stored (gzipped vector tiles stay gzipped). */
  tiles: { z: number; x: number; y: number; data: Uint8Array }[];
  /** 1 MVT, 2 PNG, 3 JPEG, 4 WebP. */
  tileType: number;
  /** 1 none, 2 gzip. */
  tileCompression: number;
  bounds: [number, number, number, number];
  metadata: Record<string, unknown>;
}

/** The spec's tile id: tiles of all lower zooms, then the position on the Hilbert curve of zoom z. */
export function hilbertTileId(z: number, x: number, y: number): number {
  let id = (4 ** z - 1) / 3;
  const n = 2 ** z;
  let [px, py] = [x, y];
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (px & s) > 0 ? 1 : 0;
    const ry = (py & s) > 0 ? 1 : 0;
    id += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant (as the spec's reference xy2d does, over the whole side n).
    if (ry === 0) {
      if (rx === 1) [px, py] = [n - 1 - px, n - 1 - py];
      [px, py] = [py, px];
    }
  }
  return id;
}

function varint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

export function writePmtiles(input: PmtilesInput): Uint8Array {
  const tiles = input.tiles.map((t) => ({ ...t, id: hilbertTileId(t.z, t.x, t.y) })).sort((a, b) => a.id - b.id);
  const entries: { id: number; offset: number; length: number }[] = [];
  let offset = 0;
  for (const t of tiles) {
    entries.push({ id: t.id, offset, length: t.data.byteLength });
    offset += t.data.byteLength;
  }
  // Directory: count, id deltas, run lengths, lengths, offsets (0 = right after the previous entry, else offset + 1).
  const dir: number[] = [];
  varint(dir, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(dir, e.id - last);
    last = e.id;
  }
  for (let i = 0; i < entries.length; i++) varint(dir, 1);
  for (const e of entries) varint(dir, e.length);
  entries.forEach((e, i) => varint(dir, i > 0 && e.offset === entries[i - 1]!.offset + entries[i - 1]!.length ? 0 : e.offset + 1));
  const metadata = new TextEncoder().encode(JSON.stringify(input.metadata));
  const HEADER = 127;
  const rootOffset = HEADER;
  const metadataOffset = rootOffset + dir.length;
  const dataOffset = metadataOffset + metadata.byteLength;
  if (dataOffset > 16384) throw new Error('the root directory and header must fit in the first 16 KiB (no leaf directories here)');
  const out = new Uint8Array(dataOffset + offset);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('PMTiles'), 0);
  out[7] = 3;
  const u64 = (at: number, v: number) => {
    view.setUint32(at, v % 2 ** 32, true);
    view.setUint32(at + 4, Math.floor(v / 2 ** 32), true);
  };
  u64(8, rootOffset);
  u64(16, dir.length);
  u64(24, metadataOffset);
  u64(32, metadata.byteLength);
  u64(40, dataOffset); // no leaf directories: offset anywhere, length 0
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, offset);
  u64(72, entries.length); // addressed tiles
  u64(80, entries.length); // tile entries
  u64(88, entries.length); // tile contents
  out[96] = 1; // clustered: data in tile-id order
  out[97] = 1; // internal compression: none
  out[98] = input.tileCompression;
  out[99] = input.tileType;
  const zooms = tiles.map((t) => t.z);
  out[100] = Math.min(...zooms);
  out[101] = Math.max(...zooms);
  const [w, s, e, n] = input.bounds;
  view.setInt32(102, Math.round(w * 1e7), true);
  view.setInt32(106, Math.round(s * 1e7), true);
  view.setInt32(110, Math.round(e * 1e7), true);
  view.setInt32(114, Math.round(n * 1e7), true);
  out[118] = Math.min(...zooms);
  view.setInt32(119, Math.round(((w + e) / 2) * 1e7), true);
  view.setInt32(123, Math.round(((s + n) / 2) * 1e7), true);
  out.set(dir, rootOffset);
  out.set(metadata, metadataOffset);
  let at = dataOffset;
  for (const t of tiles) {
    out.set(t.data, at);
    at += t.data.byteLength;
  }
  return out;
}
