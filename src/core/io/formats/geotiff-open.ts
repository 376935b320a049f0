/**
 * What every GeoTIFF reader here shares (population rasters in geotiff.ts, elevation models in
 * src/core/travel/terrain/dem.ts): the `geotiff` package (MIT) with the bounded LZW decoder, the check that every
 * block lies inside the file, and the coordinate system from the GeoTIFF keys.
 *
 * Coordinate systems: geographic EPSG codes (4326, 4490 as WGS84), any projected EPSG code the crs module knows
 * (CGCS2000 Gauss-Krüger, UTM, Web Mercator), Mollweide ESRI:54009 (GHS-POP; recognised from the code, the ESRI PE
 * string GDAL stores in the citation, or the citation's name), other ESRI PE strings through the .prj reader, and
 * user-defined Transverse Mercator.
 */
import { crsConverter, fromPrj, isSupportedCrs, type CrsConverter } from '../../crs';
import { proj4Converter } from '../../crs/proj';
import type { BaseDecoder, fromArrayBuffer } from 'geotiff';
import { detailOf, IoError } from '../messages';

const MOLLWEIDE = '+proj=moll +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';

export interface GeoKeys {
  GTModelTypeGeoKey?: number;
  GTRasterTypeGeoKey?: number;
  GTCitationGeoKey?: string;
  GeographicTypeGeoKey?: number;
  ProjectedCSTypeGeoKey?: number;
  PCSCitationGeoKey?: string;
  ProjCoordTransGeoKey?: number;
  ProjNatOriginLongGeoKey?: number;
  ProjNatOriginLatGeoKey?: number;
  ProjCenterLongGeoKey?: number;
  ProjFalseEastingGeoKey?: number;
  ProjFalseNorthingGeoKey?: number;
  ProjScaleAtNatOriginGeoKey?: number;
  GeogSemiMajorAxisGeoKey?: number;
  GeogInvFlatteningGeoKey?: number;
  VerticalCSTypeGeoKey?: number;
  VerticalUnitsGeoKey?: number;
}

export interface RasterCrs {
  name: string;
  /** Null: WGS84 / CGCS2000 degrees as they are. */
  converter: CrsConverter | null;
  /** Whether the raster's coordinates are longitude and latitude degrees (else projected metres). */
  geographic: boolean;
  /** False when the file names no coordinate system at all: then it is read as longitude/latitude, which must be said. */
  declared?: false;
}

/** The `geotiff` module, with LZW (compression 5) through the bounded decoder: geotiff.js's own can abort the process on a damaged strip. */
export async function geotiffModule(): Promise<{ fromArrayBuffer: typeof fromArrayBuffer }> {
  const geotiff = await import('geotiff');
  geotiff.addDecoder(5, () => import('./geotiff-lzw').then((m) => m.BoundedLzwDecoder as unknown as typeof BaseDecoder));
  return { fromArrayBuffer: geotiff.fromArrayBuffer };
}

/** The CRS the keys describe; throws IoError when it cannot be converted. */
function rasterCrs(keys: GeoKeys | null, file: string): RasterCrs {
  const k = keys ?? {};
  const citation = `${k.PCSCitationGeoKey ?? ''} ${k.GTCitationGeoKey ?? ''}`;
  const pcs = k.ProjectedCSTypeGeoKey;
  if (pcs === 54009 || /\bMollweide\b/i.test(citation))
    return { name: 'ESRI:54009 (Mollweide)', converter: proj4Converter(MOLLWEIDE), geographic: false };
  if (pcs !== undefined && pcs > 0 && pcs < 32767) {
    const name = `EPSG:${pcs}`;
    if (!isSupportedCrs(name)) throw new IoError('geotiff-crs-unknown', { file, detail: name });
    return { name, converter: crsConverter(name), geographic: false };
  }
  const pe = /ESRI PE String = (.*)$/s.exec(citation.trim());
  if (pe) {
    try {
      const prj = fromPrj((pe[1] as string).trim());
      return { name: prj.epsg ? `EPSG:${prj.epsg}` : prj.name, converter: prj, geographic: prj.geographic };
    } catch (error) {
      throw new IoError('geotiff-crs-unknown', { file, detail: detailOf(error) });
    }
  }
  const isProjected = k.GTModelTypeGeoKey === 1 || (pcs !== undefined && pcs === 32767);
  if (isProjected) {
    if (k.ProjCoordTransGeoKey === 1) {
      const a = k.GeogSemiMajorAxisGeoKey ?? 6378137;
      const rf = k.GeogInvFlatteningGeoKey ?? 298.257222101;
      const def =
        `+proj=tmerc +lat_0=${k.ProjNatOriginLatGeoKey ?? 0} +lon_0=${k.ProjNatOriginLongGeoKey ?? k.ProjCenterLongGeoKey ?? 0}` +
        ` +k=${k.ProjScaleAtNatOriginGeoKey ?? 1} +x_0=${k.ProjFalseEastingGeoKey ?? 0} +y_0=${k.ProjFalseNorthingGeoKey ?? 0}` +
        ` +a=${a} +rf=${rf} +units=m +no_defs`;
      return { name: 'Transverse Mercator (GeoTIFF keys)', converter: proj4Converter(def), geographic: false };
    }
    throw new IoError('geotiff-crs-unknown', {
      file,
      detail: `projection ${pcs ?? 'user-defined'}, transform ${k.ProjCoordTransGeoKey ?? 'none'}`,
    });
  }
  const geo = k.GeographicTypeGeoKey;
  // No model type, no geographic or projected code, no citation: the file says nothing of its coordinates.
  if (geo === undefined && k.GTModelTypeGeoKey === undefined && pcs === undefined && !citation.trim())
    return { name: 'EPSG:4326', converter: null, geographic: true, declared: false };
  if (geo === undefined || geo === 4326 || geo === 4490 || geo === 32767)
    return { name: geo === 4490 ? 'EPSG:4490' : 'EPSG:4326', converter: null, geographic: true };
  const name = `EPSG:${geo}`;
  if (!isSupportedCrs(name)) throw new IoError('geotiff-crs-unknown', { file, detail: name });
  return { name, converter: crsConverter(name), geographic: true };
}

interface BlockImage {
  isTiled: boolean;
  planarConfiguration: number;
  fileDirectory: { loadValue(tag: string): Promise<ArrayLike<number | bigint> | number | bigint | undefined> };
  getWidth(): number;
  getHeight(): number;
  getTileWidth(): number;
  getTileHeight(): number;
  getSamplesPerPixel(): number;
}

/** rasterCrs, with anything it cannot read refused as `geotiff-crs-unknown` (its own IoErrors pass as they are). */
export function rasterCrsOrRefuse(keys: GeoKeys | null, file: string): RasterCrs {
  try {
    return rasterCrs(keys, file);
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw new IoError('geotiff-crs-unknown', { file, detail: detailOf(error) });
  }
}

/**
 * Every strip or tile the image needs must be declared, and lie inside the file: geotiff.js reads a block that runs
 * past the end as the shorter bytes there are, and the cells it lacks would be left out without a word.
 */
export async function checkBlocks(image: unknown, fileLength: number, file: string): Promise<void> {
  const img = image as BlockImage;
  const what = img.isTiled ? 'tile' : 'strip';
  const whatZh = img.isTiled ? '瓦片' : '条带';
  let offsets: ArrayLike<number | bigint>;
  let counts: ArrayLike<number | bigint>;
  let needed: number;
  try {
    const list = (v: unknown): ArrayLike<number | bigint> =>
      typeof v === 'number' || typeof v === 'bigint' ? [v] : ((v as ArrayLike<number | bigint> | undefined) ?? []);
    offsets = list(await img.fileDirectory.loadValue(img.isTiled ? 'TileOffsets' : 'StripOffsets'));
    counts = list(await img.fileDirectory.loadValue(img.isTiled ? 'TileByteCounts' : 'StripByteCounts'));
    const across = Math.ceil(img.getWidth() / img.getTileWidth());
    const down = Math.ceil(img.getHeight() / img.getTileHeight());
    needed = across * down * (img.planarConfiguration === 2 ? img.getSamplesPerPixel() : 1);
  } catch (error) {
    throw new IoError('geotiff-invalid', { file, detail: detailOf(error) });
  }
  if (!Number.isFinite(needed) || offsets.length < needed || counts.length < needed) {
    throw new IoError('file-damaged', {
      file,
      format: 'GeoTIFF',
      detail: `the image needs ${needed} ${what}s but declares ${Math.min(offsets.length, counts.length)}`,
      detailZh: `图像需要 ${needed} 个${whatZh}，而文件只声明了 ${Math.min(offsets.length, counts.length)} 个`,
    });
  }
  for (let i = 0; i < needed; i++) {
    const offset = Number(offsets[i]);
    const count = Number(counts[i]);
    if (count > 0 && !(offset >= 0 && offset + count <= fileLength)) {
      throw new IoError('file-damaged', {
        file,
        format: 'GeoTIFF',
        detail: `${what} ${i} (${count} bytes at byte ${offset}) runs past the end of the file (${fileLength} bytes)`,
        detailZh: `第 ${i} 个${whatZh}（第 ${offset} 字节起 ${count} 字节）超出文件末尾（文件 ${fileLength} 字节）`,
      });
    }
  }
}
