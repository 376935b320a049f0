/**
 * Shared types of the CRS layer. Inside the app every coordinate is WGS84 [lon, lat] in decimal
 * degrees (CGCS2000 is treated as equal to WGS84: the two differ by centimetres). Other systems are
 * converted at the door with the functions of this folder.
 */

/** [longitude, latitude] in decimal degrees, longitude first (GeoJSON order). */
export type LonLat = [number, number];

/**
 * Converts one point. Takes the pair in the source system's GIS order (lon, lat for geographic
 * systems; easting, northing in metres for projected ones) and returns the pair in the target
 * system's GIS order. Never mutates anything.
 */
export type PointConverter = (x: number, y: number) => [number, number];

/** A message for the UI in both languages the app speaks. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/**
 * The error every CRS function throws for bad input (an unknown CRS name, a .prj proj4 cannot read).
 * `message` is English; `zh` is the same in Chinese for the UI.
 */
export class CrsError extends Error {
  readonly zh: string;
  constructor(en: string, zh: string, options?: { cause?: unknown }) {
    super(en, options);
    this.name = 'CrsError';
    this.zh = zh;
  }
}
