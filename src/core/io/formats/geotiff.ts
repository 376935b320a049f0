/**
 * Population rasters (WorldPop, GHS-POP, LandScan-style GeoTIFFs) with the `geotiff` package (MIT): every cell of
 * the first band with a positive value becomes a population point at the cell centre, `population` = the value.
 *
 * Coordinate systems from the GeoTIFF keys: geographic EPSG codes (4326, 4490 as WGS84), any projected EPSG code the
 * crs module knows (CGCS2000 Gauss-Krüger, UTM, Web Mercator), Mollweide ESRI:54009 (GHS-POP; recognised from the
 * code, the ESRI PE string GDAL stores in the citation, or the citation's name), other ESRI PE strings through
 * the .prj reader, and user-defined Transverse Mercator. Nodata from GDAL's tag; zero, negative and non-finite
 * cells are skipped.
 *
 * Limits: first band only; no rotated rasters (ModelTransformation); the whole file is held in memory, and at most
 * `maxCells` cells are read, so clip a national raster to the county (or pass a bbox: only that window is read).
 */
import { crsConverter, fromPrj, isSupportedCrs, type CrsConverter } from '../../crs';
import { proj4Converter } from '../../crs/proj';
import type { BaseDecoder } from 'geotiff';
import { detailOf, IoError } from '../messages';
import { checkAborted } from '../stream';
import type { FormatCodec, RawFeature, RawRead, ReadContext } from '../types';

const MOLLWEIDE = '+proj=moll +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';

interface GeoKeys {
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
}

interface RasterCrs {
  name: string;
  converter: CrsConverter | null;
}

/** The CRS the keys describe; throws IoError when it cannot be converted. */
function rasterCrs(keys: GeoKeys | null, file: string): RasterCrs {
  const k = keys ?? {};
  const citation = `${k.PCSCitationGeoKey ?? ''} ${k.GTCitationGeoKey ?? ''}`;
  const pcs = k.ProjectedCSTypeGeoKey;
  if (pcs === 54009 || /\bMollweide\b/i.test(citation)) return { name: 'ESRI:54009 (Mollweide)', converter: proj4Converter(MOLLWEIDE) };
  if (pcs !== undefined && pcs > 0 && pcs < 32767) {
    const name = `EPSG:${pcs}`;
    if (!isSupportedCrs(name)) throw new IoError('geotiff-crs-unknown', { file, detail: name });
    return { name, converter: crsConverter(name) };
  }
  const pe = /ESRI PE String = (.*)$/s.exec(citation.trim());
  if (pe) {
    try {
      const prj = fromPrj((pe[1] as string).trim());
      return { name: prj.epsg ? `EPSG:${prj.epsg}` : prj.name, converter: prj };
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
      return { name: 'Transverse Mercator (GeoTIFF keys)', converter: proj4Converter(def) };
    }
    throw new IoError('geotiff-crs-unknown', {
      file,
      detail: `projection ${pcs ?? 'user-defined'}, transform ${k.ProjCoordTransGeoKey ?? 'none'}`,
    });
  }
  const geo = k.GeographicTypeGeoKey;
  if (geo === undefined || geo === 4326 || geo === 4490 || geo === 32767)
    return { name: geo === 4490 ? 'EPSG:4490' : 'EPSG:4326', converter: null };
  const name = `EPSG:${geo}`;
  if (!isSupportedCrs(name)) throw new IoError('geotiff-crs-unknown', { file, detail: name });
  return { name, converter: crsConverter(name) };
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

/**
 * Every strip or tile the image needs must be declared, and lie inside the file: geotiff.js reads a block that runs
 * past the end as the shorter bytes there are, and the cells it lacks would be left out without a word.
 */
async function checkBlocks(image: unknown, fileLength: number, file: string): Promise<void> {
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

const ROWS_PER_READ = 256;

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const { fromArrayBuffer, addDecoder } = await import('geotiff');
  // LZW (compression 5) through the bounded decoder: geotiff.js's own can abort the process on a damaged strip.
  addDecoder(5, () => import('./geotiff-lzw').then((m) => m.BoundedLzwDecoder as unknown as typeof BaseDecoder));
  const file = ctx.fileName;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let image;
  let origin: number[];
  let resolution: number[];
  let keys: GeoKeys | null;
  let noData: number | null;
  // Every header read can throw on a damaged file (a geo key pointing nowhere, found by fuzzing).
  try {
    const tiff = await fromArrayBuffer(buffer);
    image = await tiff.getImage(0);
    origin = image.getOrigin();
    resolution = image.getResolution();
    keys = image.getGeoKeys() as GeoKeys | null;
    noData = image.getGDALNoData();
  } catch (error) {
    throw new IoError('geotiff-invalid', { file, detail: detailOf(error) });
  }
  await checkBlocks(image, bytes.length, file);
  let crs: RasterCrs;
  try {
    crs = rasterCrs(keys, file);
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw new IoError('geotiff-crs-unknown', { file, detail: detailOf(error) });
  }
  const width = image.getWidth();
  const height = image.getHeight();
  const [x0, y0] = origin as [number, number];
  const [dx, dy] = resolution as [number, number];
  if (!Number.isFinite(x0) || !Number.isFinite(y0) || !dx || !dy)
    throw new IoError('geotiff-invalid', { file, detail: 'no usable georeferencing' });
  const pixelIsPoint = keys?.GTRasterTypeGeoKey === 2;
  const half = pixelIsPoint ? 0 : 0.5;

  // The window of cells to read: everything, or the cells over the caller's bbox.
  let window = [0, 0, width, height] as [number, number, number, number];
  if (ctx.bbox) {
    const [w, s, e, n] = ctx.bbox;
    const corners: [number, number][] = [];
    for (const lon of [w, (w + e) / 2, e]) for (const lat of [s, (s + n) / 2, n]) corners.push([lon, lat]);
    const xy = corners.map(([lon, lat]) => (crs.converter ? crs.converter.fromWgs84(lon, lat) : [lon, lat]));
    const cols = xy.map((p) => ((p[0] as number) - x0) / dx);
    const rows = xy.map((p) => ((p[1] as number) - y0) / dy);
    if ([...cols, ...rows].every(Number.isFinite)) {
      window = [
        Math.max(0, Math.floor(Math.min(...cols)) - 1),
        Math.max(0, Math.floor(Math.min(...rows)) - 1),
        Math.min(width, Math.ceil(Math.max(...cols)) + 1),
        Math.min(height, Math.ceil(Math.max(...rows)) + 1),
      ];
      if (window[2] <= window[0] || window[3] <= window[1]) window = [0, 0, 0, 0];
    }
  }
  const cells = (window[2] - window[0]) * (window[3] - window[1]);
  if (cells > ctx.maxCells) throw new IoError('raster-too-large', { file, cells, limit: ctx.maxCells });

  const features: RawFeature[] = [];
  for (let top = window[1]; top < window[3]; top += ROWS_PER_READ) {
    checkAborted(ctx);
    const bottom = Math.min(window[3], top + ROWS_PER_READ);
    let band: ArrayLike<number>;
    try {
      const rasters = await image.readRasters({ window: [window[0], top, window[2], bottom], samples: [0] });
      band = rasters[0] as unknown as ArrayLike<number>;
    } catch (error) {
      throw new IoError('geotiff-invalid', { file, detail: detailOf(error) });
    }
    const w = window[2] - window[0];
    for (let r = top; r < bottom; r++) {
      for (let c = window[0]; c < window[2]; c++) {
        const v = band[(r - top) * w + (c - window[0])] as number;
        if (!(v > 0) || !Number.isFinite(v) || (noData !== null && (v === noData || v === Math.fround(noData)))) continue;
        const x = x0 + (c + half) * dx;
        const y = y0 + (r + half) * dy;
        const [lon, lat] = crs.converter ? crs.converter.toWgs84(x, y) : [x, y];
        features.push({
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { id: `cell-${r}-${c}`, population: v, row: r, col: c },
          index: features.length,
          ...(Number.isFinite(lon) && Number.isFinite(lat)
            ? {}
            : { problem: { code: 'coord-convert-failed' as const, params: { crs: crs.name } } }),
        });
      }
    }
    ctx.onProgress?.({ bytesRead: bytes.length, totalBytes: bytes.length, features: features.length });
  }
  return { features, fieldNames: ['id', 'population', 'row', 'col'], wgs84: true, crs: { name: crs.name, warnings: [] } };
}

export const geotiffCodec: FormatCodec = {
  id: 'geotiff',
  label: 'GeoTIFF (population raster)',
  extensions: ['.tif', '.tiff'],
  limits: {
    en: 'First band; each positive cell becomes a point at its centre. No rotated rasters. Held in memory; at most maxCells cells (clip national rasters to the county, or give a bbox).',
    zh: '读取第一波段；每个正值像元生成一个位于像元中心的人口点。不支持旋转栅格。整体载入内存；像元数有上限（全国栅格请先按县裁剪，或给定范围）。',
  },
  sniff: (head) => {
    const le = head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43) && head[3] === 0;
    const be = head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && (head[3] === 42 || head[3] === 43);
    return le || be ? 1 : 0;
  },
  read,
};
