/**
 * Population rasters (WorldPop, GHS-POP, LandScan-style GeoTIFFs) with the `geotiff` package (MIT): every cell of
 * the first band with a positive value becomes a population point at the cell centre, `population` = the value.
 *
 * Coordinate systems from the GeoTIFF keys (geotiff-open.ts: EPSG, ESRI PE strings, Mollweide, user-defined
 * Transverse Mercator). Nodata from GDAL's tag; zero, negative and non-finite cells are skipped.
 *
 * Limits: first band only; no rotated rasters (ModelTransformation); the whole file is held in memory, and at most
 * `maxCells` cells are read, so clip a national raster to the county (or pass a bbox: only that window is read).
 */
import { checkBlocks, geotiffModule, rasterCrsOrRefuse, type GeoKeys } from './geotiff-open';
import { detailOf, IoError } from '../messages';
import { checkAborted } from '../stream';
import type { FormatCodec, RawFeature, RawRead, ReadContext } from '../types';

const ROWS_PER_READ = 256;

async function read(bytes: Uint8Array, ctx: ReadContext): Promise<RawRead> {
  checkAborted(ctx);
  const { fromArrayBuffer } = await geotiffModule();
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
  const crs = rasterCrsOrRefuse(keys, file);
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
