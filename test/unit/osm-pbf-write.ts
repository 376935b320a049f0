/**
 * A tiny .osm.pbf writer for tests (osmium is not installed and GDAL cannot write PBF): one OSMHeader blob and
 * one OSMData blob, zlib-compressed, holding dense nodes, ways and relations in groups of one kind each, as
 * fileformat.proto and osmformat.proto lay them out. GDAL's OSM driver reads what it writes.
 */
import { zlibSync } from 'fflate';
import { PbfWriter } from 'pbf';

export interface OsmNode {
  id: number;
  lon: number;
  lat: number;
  tags?: Record<string, string>;
}
export interface OsmWay {
  id: number;
  refs: number[];
  tags?: Record<string, string>;
}
export interface OsmRelation {
  id: number;
  members: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
  tags?: Record<string, string>;
}

const MEMBER_TYPE = { node: 0, way: 1, relation: 2 } as const;

/** Deltas of a sequence (the PBF's delta coding). */
const deltas = (values: readonly number[]): number[] => values.map((v, i) => v - (i > 0 ? (values[i - 1] as number) : 0));

function blob(type: string, data: Uint8Array): Uint8Array {
  const body = new PbfWriter();
  body.writeVarintField(2, data.length); // raw_size
  body.writeBytesField(3, zlibSync(data)); // zlib_data
  const blobBytes = body.finish();
  const header = new PbfWriter();
  header.writeStringField(1, type);
  header.writeVarintField(3, blobBytes.length);
  const headerBytes = header.finish();
  const out = new Uint8Array(4 + headerBytes.length + blobBytes.length);
  new DataView(out.buffer).setInt32(0, headerBytes.length, false);
  out.set(headerBytes, 4);
  out.set(blobBytes, 4 + headerBytes.length);
  return out;
}

/** An .osm.pbf of these elements (ids sorted within each kind, as Sort.Type_then_ID files are). */
export function writeOsmPbf(nodes: readonly OsmNode[], ways: readonly OsmWay[], relations: readonly OsmRelation[] = []): Uint8Array {
  const strings = [''];
  const index = new Map<string, number>();
  const sid = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const tagIds = (tags: Record<string, string> = {}): [number[], number[]] => [Object.keys(tags).map(sid), Object.values(tags).map(sid)];
  const ns = [...nodes].sort((a, b) => a.id - b.id);
  const ws = [...ways].sort((a, b) => a.id - b.id);
  const rs = [...relations].sort((a, b) => a.id - b.id);
  // Strings first, so the table is complete before the groups are written.
  for (const e of [...ns, ...ws, ...rs]) tagIds(e.tags);
  for (const r of rs) for (const m of r.members) sid(m.role);

  const header = new PbfWriter();
  header.writeStringField(4, 'OsmSchema-V0.6');
  header.writeStringField(4, 'DenseNodes');
  header.writeStringField(16, 'healthshed test');

  const block = new PbfWriter();
  block.writeMessage(
    1,
    (_: null, pbf: PbfWriter) => {
      for (const s of strings) pbf.writeBytesField(1, new TextEncoder().encode(s));
    },
    null,
  );
  block.writeMessage(
    2,
    (_: null, group: PbfWriter) =>
      group.writeMessage(
        2,
        (__: null, dense: PbfWriter) => {
          dense.writePackedSVarint(1, deltas(ns.map((n) => n.id)));
          dense.writePackedSVarint(8, deltas(ns.map((n) => Math.round(n.lat * 1e7))));
          dense.writePackedSVarint(9, deltas(ns.map((n) => Math.round(n.lon * 1e7))));
          if (ns.some((n) => n.tags && Object.keys(n.tags).length > 0))
            dense.writePackedVarint(
              10,
              ns.flatMap((n) => {
                const [k, v] = tagIds(n.tags);
                return [...k.flatMap((key, i) => [key, v[i] as number]), 0];
              }),
            );
        },
        null,
      ),
    null,
  );
  if (ws.length > 0)
    block.writeMessage(
      2,
      (_: null, group: PbfWriter) => {
        for (const w of ws)
          group.writeMessage(
            3,
            (__: null, way: PbfWriter) => {
              const [k, v] = tagIds(w.tags);
              way.writeVarintField(1, w.id);
              way.writePackedVarint(2, k);
              way.writePackedVarint(3, v);
              way.writePackedSVarint(8, deltas(w.refs));
            },
            null,
          );
      },
      null,
    );
  if (rs.length > 0)
    block.writeMessage(
      2,
      (_: null, group: PbfWriter) => {
        for (const r of rs)
          group.writeMessage(
            4,
            (__: null, rel: PbfWriter) => {
              const [k, v] = tagIds(r.tags);
              rel.writeVarintField(1, r.id);
              rel.writePackedVarint(2, k);
              rel.writePackedVarint(3, v);
              rel.writePackedVarint(
                8,
                r.members.map((m) => sid(m.role)),
              );
              rel.writePackedSVarint(9, deltas(r.members.map((m) => m.ref)));
              rel.writePackedVarint(
                10,
                r.members.map((m) => MEMBER_TYPE[m.type]),
              );
            },
            null,
          );
      },
      null,
    );
  block.writeVarintField(17, 100); // granularity: 1e-7 degrees

  const a = blob('OSMHeader', header.finish());
  const b = blob('OSMData', block.finish());
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
