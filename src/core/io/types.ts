/**
 * The shared vocabulary of import and export: what a reader hands back, what a problem is, what a format codec
 * must provide.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { Bilingual } from '../crs';
import type { MessageCode, MessageParams } from './messages';
import type { Tier } from '../model';
import type { AbortSignalLike, ByteStream } from './web';
import type { Compass } from './far';

/** What a layer is for: the target of a field mapping. */
export const LAYER_KINDS = ['facilities', 'population', 'roads', 'zones'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];
/** What a read may ask a multi-layer source for: a layer the import maps, or the water barriers of the terrain model. */
export type ReadKind = LayerKind | 'water';

export type FormatId = 'geojson' | 'ndjson' | 'flatgeobuf' | 'csv' | 'xlsx' | 'shapefile' | 'geotiff' | 'osm-pbf';

/** One thing wrong with one row or feature (or, without row/feature, with the file). */
export interface Problem {
  /** The file name the caller gave. */
  file: string;
  /** The sheet of a workbook the row is on. */
  sheet?: string;
  /** 1-based line of a text file (CSV: the header is row 1; newline-delimited GeoJSON: the line), or a sheet's row as Excel numbers it. */
  row?: number;
  /** 0-based index of the feature in the source's own order (GeoJSON, FlatGeobuf, Shapefile record, OSM element). */
  feature?: number;
  /** The feature's name, when it has one (also in the message). */
  name?: string;
  /** error: the row or feature was left out; warning: it was imported, but should be checked. */
  severity: 'error' | 'warning';
  code: MessageCode;
  params: MessageParams;
  /** The full sentence, with the place, in both languages. */
  message: Bilingual;
}

/** A feature as a reader found it, before mapping and validation. */
export interface RawFeature {
  geometry: Geometry | null;
  properties: Record<string, unknown>;
  /** 1-based line (text formats). */
  row?: number;
  /** 0-based index in the source. */
  index: number;
  /** A problem the reader already found (unparseable coordinates, a broken line): the feature is not imported. */
  problem?: { code: MessageCode; params: MessageParams };
}

/** The CRS a reader found in the file itself (a .prj, GeoTIFF keys, a GeoJSON `crs` member). */
export interface FileCrs {
  /** A name for messages and `detected.crs`, e.g. "EPSG:4547" or "CGCS2000_3_Degree_GK_CM_114E". */
  name: string;
  /** Converts the file's pairs to WGS84 [lon, lat]; undefined when they already are (WGS84, CGCS2000). */
  toWgs84?: (x: number, y: number) => [number, number];
  warnings: Bilingual[];
}

/** A field of the source, with a few sample values for the mapping dialog. */
export interface SourceField {
  name: string;
  /** Value types seen: 'string', 'number', 'boolean', 'object', 'null'. */
  types: string[];
  samples: unknown[];
}

/** Progress of a read: bytes read so far, and the total when known. */
export interface Progress {
  bytesRead: number;
  totalBytes: number | undefined;
  /** Features read so far. */
  features: number;
}

export interface ReadContext {
  fileName: string;
  /** Text encoding forced by the caller ('utf-8', 'gbk', 'gb18030'); detected when absent. */
  encoding?: string;
  signal?: AbortSignalLike;
  onProgress?: (progress: Progress) => void;
  /** The size of a streamed file when known, for progress. */
  totalBytes?: number;
  /** Largest file (bytes) read whole into memory. */
  maxBytes: number;
  /** Largest raster (cells) read. */
  maxCells: number;
  /** Layer kind asked for, so multi-layer sources (OSM) can pick what to return. */
  kind?: ReadKind;
  /** WGS84 bbox [minLon, minLat, maxLon, maxLat] to read (rasters read only the window over it). */
  bbox?: [number, number, number, number];
  /** The sheet of a workbook to read (by name); the first visible sheet with rows when absent. */
  sheet?: string;
  /** The (first) header row of that sheet as Excel numbers it; found from the rows when absent. */
  headerRow?: number;
}

/** A sheet of a workbook, for the sheet picker. */
export interface SheetInfo {
  name: string;
  /** Rows with at least one value (title and header rows included). */
  rows: number;
  /** Hidden in the workbook (hidden or very hidden): listed, never chosen by default. */
  hidden: boolean;
}

/** What a codec's reader returns. */
export interface RawRead {
  features: RawFeature[];
  /** Field names in source order. */
  fieldNames: string[];
  encoding?: string;
  crs?: FileCrs;
  /** Already WGS84 by construction (GeoTIFF cells projected by the reader, OSM): no CRS detection. */
  wgs84?: boolean;
  warnings?: Bilingual[];
  /** Things to check about single rows or features that were still read (a row with too many columns). */
  notes?: { row?: number; feature?: number; code: MessageCode; params: MessageParams }[];
  /** A workbook: its sheets, the one read, and that sheet's header rows (first and last, as Excel numbers them). */
  sheets?: SheetInfo[];
  sheet?: string;
  headerRows?: { first: number; last: number };
  /**
   * Why the rows cannot be imported as read (a sheet without coordinate columns under the header row found): the
   * read still answers, so the planner can pick another sheet or header row; finishing the import refuses with it.
   */
  blocking?: { code: MessageCode; params: MessageParams };
}

interface WriteOptions {
  /** Layer name inside the file (Shapefile member names, FlatGeobuf title). */
  name: string;
  /** The output CRS; coordinates are already converted to it when the writer is called. */
  crs: 'wgs84' | 'gcj02';
  /** Column order: these first, in this order, then the rest as they come. */
  columns?: string[];
  /** Decimal places for coordinates in text formats (GeoJSON, CSV). */
  decimals: number;
}

/** An output: one file's bytes, with the MIME type for a download. */
export interface Written {
  bytes: Uint8Array;
  mime: string;
  /** Things the caller should tell the user (a string cut to fit a .dbf field). */
  warnings: Bilingual[];
}

/**
 * One file format behind the common interface: its id, extensions, a sniff of the first bytes, and a reader and
 * writer, each loading its library only when called. `limits` says what the format cannot hold.
 */
export interface FormatCodec {
  id: FormatId;
  label: string;
  extensions: readonly string[];
  limits: Bilingual;
  /** How sure (0–1) the codec is that these first bytes (and the file name) are its format. */
  sniff(head: Uint8Array, fileName: string): number;
  read?(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead>;
  /** Reads a stream chunk by chunk without holding the whole text (CSV, GeoJSON). */
  readStream?(stream: ByteStream, ctx: ReadContext, head: Uint8Array): Promise<RawRead>;
  write?(collection: FeatureCollection<Geometry | null>, options: WriteOptions): Promise<Written>;
}

/** The result of an import: the features that passed, every problem, and what was detected. */
export interface ImportResult {
  features: Feature<Geometry | null>[];
  problems: Problem[];
  detected: {
    format: FormatId;
    encoding: string | null;
    /** The CRS the coordinates were read in (and converted from), e.g. 'wgs84', 'gcj02', 'EPSG:4547'. */
    crs: string;
    /** How the CRS was decided: given by the caller, read from the file, or guessed from the numbers. */
    crsSource: 'caller' | 'file' | 'detected' | 'default';
    /** The bilingual explanation of the CRS decision (from detectCoordinates or the file). */
    crsExplanation: Bilingual | null;
    /** Whether latitude/longitude were swapped back. */
    swapped: boolean;
    fields: SourceField[];
    /** The mapping that was applied (source field → target property). */
    mapping: FieldMapping;
    /** Tier values seen and what they were mapped to (facilities). */
    tierValues: TierValueMapping;
    warnings: Bilingual[];
    /** Points more than FAR_MARGIN_KM outside the county outline (at most the first 200), each kept or left out. */
    far: FarPoint[];
    /** How many such points there are in all. */
    farCount: number;
  };
  /** Counts for a summary line. */
  counts: { read: number; imported: number; rejected: number; warnings: number };
}

/** A point well outside the county: where it is, and whether the planner keeps it (left out by default). */
export interface FarPoint {
  /** 0-based index in the source (RawFeature.index): what FinishOptions.keepFar lists. */
  index: number;
  row?: number;
  feature?: number;
  /** Its id as imported (the file's, or the one the import gives), and its name when it has one. */
  id: string | null;
  name: string | null;
  /** Kilometres from the county boundary and the compass direction from it (far.ts). */
  km: number;
  direction: Compass;
  /** km is a lower bound (many points outside: measured to the outline's bounding box). */
  atLeast: boolean;
  lon: number;
  lat: number;
  kept: boolean;
}

/** target property → source field (null: not present). */
export type FieldMapping = Record<string, string | null>;

/** Source tier text → tier id (null: unknown, the row is rejected). */
export type TierValueMapping = Record<string, Tier | null>;

export type Outline = Polygon | MultiPolygon;
