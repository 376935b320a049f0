/** The part of shpjs (MIT, https://github.com/calvinmetcalf/shapefile-js) used here; it ships no types. */
declare module 'shpjs' {
  /** Parses .shp bytes into GeoJSON geometries (null for null records); `prj` false or undefined: no reprojection. */
  export function parseShp(shp: DataView | ArrayBuffer | Uint8Array, prj?: string | false): unknown[];
}
