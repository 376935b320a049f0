/**
 * The ground as the project keeps it (ProjectGround, src/core/scenario/types.ts) and as the session takes it
 * (GroundInputs, src/core/travel/terrain/ground.ts, which reads both files). Each file goes into the project as
 * base64 unless it is too large: then the project records only its name and size ('session'), the page keeps the
 * bytes while it is open, and a reopened project says the file is not loaded rather than dropping it silently.
 */
import type { ProjectDem, ProjectGround, ProjectGroundFile, ProjectLandCover } from '../core/scenario/types';
import type { LandCoverTable } from '../core/travel/terrain/landcover';
import type { GroundInputs } from '../core/travel/terrain/ground';

/**
 * Larger files stay out of the project. The autosave keeps the ground beside the project's bytes (autosave.ts), so
 * an edit's save does not grow with it; a project file does (base64 adds a third, and a compressed GeoTIFF does not
 * compress again): writing and reading back one with a 8 MiB model took about 3 s here (2 cores, shared).
 */
const MAX_SAVED_GROUND_BYTES = 16 * 1024 * 1024;

export type GroundSlot = 'dem' | 'water' | 'landCover';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const VALUES = new Uint8Array(128).fill(255);
CODES.forEach((code, i) => (VALUES[code] = i));
const PAD = 61; // '='

/** Bytes as base64 (RFC 4648), by table: btoa over a binary string takes seconds for a few megabytes. */
export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63]! : PAD;
    out[o] = PAD;
  }
  return new TextDecoder('ascii').decode(out);
}

/** base64 (as toBase64 writes it, and as the project reader has checked it) back to bytes. */
export function fromBase64(text: string): ArrayBuffer {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (VALUES[text.charCodeAt(i)]! << 18) |
      (VALUES[text.charCodeAt(i + 1)]! << 12) |
      ((VALUES[text.charCodeAt(i + 2)]! & 63) << 6) |
      (VALUES[text.charCodeAt(i + 3)]! & 63);
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out.buffer;
}

/** A file the planner chose, as the page holds it. */
export interface ChosenFile {
  bytes: ArrayBuffer;
  name: string;
  /** When it was chosen (ISO time). */
  at: string;
}

/** How the project records a chosen file: its bytes within the size limit, else only its name and size. */
export function projectFileOf(file: ChosenFile, limit = MAX_SAVED_GROUND_BYTES): ProjectGroundFile {
  return file.bytes.byteLength <= limit
    ? { kind: 'inline', name: file.name, at: file.at, base64: toBase64(new Uint8Array(file.bytes)) }
    : { kind: 'session', name: file.name, at: file.at, bytes: file.bytes.byteLength };
}

/** Whether a project's record is of this file (the same file chosen at the same time). */
const isFileOf = (record: ProjectGroundFile, file: Pick<ChosenFile, 'name' | 'at'>): boolean =>
  record.name === file.name && (record.at ?? '') === file.at;

/** A file the project names but whose bytes are not at hand (too large to keep, and not chosen on this page). */
export interface NotLoaded {
  slot: GroundSlot;
  name: string;
  bytes: number;
}

export interface InputsFromProject {
  inputs: GroundInputs;
  notLoaded: NotLoaded[];
}

/**
 * What the session gets for a project's ground. `held` are the files the page still holds (chosen while it is
 * open): a 'session' record is read from the one it names, and otherwise reported as not loaded.
 */
export function inputsFromProject(
  ground: ProjectGround | null | undefined,
  held: Partial<Record<GroundSlot, ChosenFile>>,
): InputsFromProject {
  const notLoaded: NotLoaded[] = [];
  const bytesOf = (slot: GroundSlot, record: ProjectGroundFile | null): ArrayBuffer | null => {
    if (!record) return null;
    if (record.kind === 'inline') return fromBase64(record.base64);
    const file = held[slot];
    if (file && isFileOf(record, file)) return file.bytes;
    notLoaded.push({ slot, name: record.name, bytes: record.bytes });
    return null;
  };
  const dem = ground?.dem ?? null;
  const demBytes = bytesOf('dem', dem);
  const waterBytes = bytesOf('water', ground?.water ?? null);
  const land = ground?.landCover ?? null;
  const landBytes = bytesOf('landCover', land);
  return {
    inputs: {
      dem: dem && demBytes ? { bytes: demBytes, name: dem.name, ...(dem.verticalUnit ? { verticalUnit: dem.verticalUnit } : {}) } : null,
      water: ground?.water && waterBytes ? { bytes: waterBytes, name: ground.water.name } : null,
      // Only when there is one: the inputs of a project without land cover are as before it could have one.
      ...(land && landBytes ? { landCover: { bytes: landBytes, name: land.name, ...(land.table ? { table: land.table } : {}) } } : {}),
    },
    notLoaded,
  };
}

/** A project's ground with one file replaced (null: removed); null when nothing is left. */
export function withFile(ground: ProjectGround | null | undefined, slot: GroundSlot, file: ProjectGroundFile | null): ProjectGround | null {
  const next: ProjectGround = { dem: ground?.dem ?? null, water: ground?.water ?? null };
  const landCover = slot === 'landCover' ? keepTable(ground?.landCover ?? null, file) : (ground?.landCover ?? null);
  if (landCover) next.landCover = landCover;
  if (slot === 'dem')
    next.dem = file; // a new model is read as its file says until the planner overrides it
  else if (slot === 'water') next.water = file;
  return next.dem || next.water || next.landCover ? next : null;
}

/** A new land-cover file keeps the planner's table (the classes are the scheme's, not the file's); null: removed. */
function keepTable(old: ProjectLandCover | null, file: ProjectGroundFile | null): ProjectLandCover | null {
  if (!file) return null;
  return old?.table ? { ...file, table: old.table } : file;
}

/** The project's land cover with another speed table (undefined: the default, WORLDCOVER_TABLE). */
export function withLandCoverTable(landCover: ProjectLandCover, table: LandCoverTable | undefined): ProjectLandCover {
  const { table: _old, ...rest } = landCover;
  return table ? { ...rest, table } : rest;
}

/** The project's elevation model with another vertical unit (undefined: as the file says). */
export function withVerticalUnit(dem: ProjectDem, unit: 'metre' | 'foot' | undefined): ProjectDem {
  const { verticalUnit: _old, ...rest } = dem;
  return unit ? { ...rest, verticalUnit: unit } : rest;
}
