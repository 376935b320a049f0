/**
 * An elevation model (a GeoTIFF: SRTM, Copernicus DEM, a county's own DEM, in any CRS geotiff-open.ts reads) on a
 * terrain grid (grid.ts): one elevation in metres per cell, NaN where the model says nothing.
 *
 * Each cell centre goes local metres → lon/lat → the model's CRS → its pixels, and is read by bilinear
 * interpolation; where the model is much finer than the grid (its pixels under half a cell) the pixels whose
 * centres fall in a cell are averaged instead, so a 30 m model on a 100 m grid gives the cell's mean height rather
 * than one point's. Only the window of the model under the grid is read, so a national model still fits within
 * `maxSourceCells`.
 *
 * Limits: first band; no rotated rasters (a GeoTIFF ModelTransformation with rotation); the file is held in memory.
 */
import type GeoTIFF from 'geotiff';
import { detectCoordinates, type Bilingual } from '../../crs';
import type { LocalProjection } from '../../geo/local-projection';
import { checkBlocks, geotiffModule, rasterCrsOrRefuse, type GeoKeys, type RasterCrs } from '../../io/formats/geotiff-open';
import { detailOf, IoError } from '../../io/messages';
import type { AbortSignalLike } from '../../io/web';
import { cellAt, cellCount, type TerrainGrid } from './grid';
import type { Side } from './sides';

export interface DemFacts {
  file: string | null;
  crs: string;
  /** The file names no coordinate system: its degrees were read as WGS 84 longitude/latitude (said wherever it is shown). */
  crsAssumed: boolean;
  /** The model's own resolution in metres at the grid's centre (√ of a pixel's area; approximate for geographic models). */
  sourceCellMetres: number;
  verticalUnit: 'metre' | 'foot';
  cells: number;
  /** Cells with an elevation. */
  coveredCells: number;
  /** Cells inside the model's extent but on nodata (holes). */
  nodataCells: number;
  /** Cells outside the model's extent. */
  outsideCells: number;
  /** Sides of the grid the model does not reach, for the message "the DEM misses the north-east". */
  missingSides: Side[];
  minMetres: number;
  maxMetres: number;
}

export interface DemOnGrid {
  /** Metres per cell (row 0 south, as grid.ts); NaN where unknown (treated as flat). */
  elevation: Float32Array;
  facts: DemFacts;
}

export interface DemOptions {
  file?: string;
  /** Overrides what the file says of its vertical unit. */
  verticalUnit?: 'metre' | 'foot';
  signal?: AbortSignalLike;
  /** Most model pixels read (the window under the grid); default 60 million. */
  maxSourceCells?: number;
}

const DEFAULT_MAX_SOURCE_CELLS = 60_000_000;
/** Plausible heights on Earth, metres (Dead Sea shore −430, Everest 8849). */
const LOWEST = -500;
const HIGHEST = 9000;

const FOOT = 0.3048;
const US_SURVEY_FOOT = 1200 / 3937;
/** GeoTIFF linear unit codes (VerticalUnitsGeoKey) in metres. */
const UNIT_CODES: Record<number, number> = { 9001: 1, 9002: FOOT, 9003: US_SURVEY_FOOT };
/** EPSG vertical CRSs in feet (GeoTIFF 1.1 files give only VerticalCSTypeGeoKey): NGVD29 and NAVD88 heights. */
const VERTICAL_CRS_FEET: Record<number, number> = { 5702: US_SURVEY_FOOT, 6360: US_SURVEY_FOOT, 8228: FOOT };

/** A north-up raster's pixel geometry: pixel (c, r) has its centre at u = c, v = r. */
interface PixelGeometry {
  width: number;
  height: number;
  /** CRS coordinates of u = v = 0 and of one pixel step. */
  originX: number;
  originY: number;
  dx: number;
  dy: number;
}

export type Pair = [number, number];
export type Image = Awaited<ReturnType<GeoTIFF['getImage']>>;

export async function readDemOnGrid(
  bytes: ArrayBuffer,
  grid: TerrainGrid,
  projection: LocalProjection,
  options: DemOptions = {},
): Promise<DemOnGrid> {
  const file = options.file ?? 'DEM';
  const raster = await openGridRaster(bytes, grid, projection, {
    file,
    layer: 'dem',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxSourceCells ? { maxSourceCells: options.maxSourceCells } : {}),
  });
  const { image, keys, bandMeta, noData, crs, sourceCellMetres } = raster;
  const unit = verticalUnit(keys, bandMeta, options.verticalUnit);
  const scale = Number(bandMeta?.SCALE ?? 1) * unit.metres;
  const offset = Number(bandMeta?.OFFSET ?? 0) * unit.metres;
  const isNoData = (raw: number): boolean => !Number.isFinite(raw) || (noData !== null && (raw === noData || raw === Math.fround(noData)));
  const ctx: SampleContext = { ...raster, scale, offset, unit: unit.name, isNoData };
  const sampled =
    sourceCellMetres < grid.cell / 2
      ? await averagePixels(image, ctx) // much finer than the grid: the cell's mean, not one point's height
      : await interpolateCentres(image, ctx);
  const counts = countCells(sampled, grid);
  if (counts.coveredCells + counts.nodataCells === 0) throw raster.noOverlap();
  if (counts.coveredCells === 0) throw new IoError('dem-values', { file, reason: 'nodata' });
  return {
    elevation: sampled.elevation,
    facts: {
      file: options.file ?? null,
      crs: crs.name,
      crsAssumed: crs.declared === false,
      sourceCellMetres,
      verticalUnit: unit.name,
      ...counts,
    },
  };
}

/** Which raster a message is about: the elevation model, or the land cover (landcover.ts). */
export type RasterLayer = 'dem' | 'landcover';

/** A georeferenced raster opened over a grid: its pixels' geometry, the maps between them and the grid, the window read. */
export interface GridRaster {
  image: Image;
  keys: GeoKeys | null;
  noData: number | null;
  bandMeta: Record<string, unknown> | null;
  crs: RasterCrs;
  pixels: PixelGeometry;
  /** Local metres → fractional pixel (u, v); pixel (c, r) has its centre at u = c, v = r. */
  toPixel: (x: number, y: number) => Pair;
  toLocal: (u: number, v: number) => Pair;
  /** The pixel window [c0, r0, c1, r1) under the grid. */
  window: [number, number, number, number];
  sourceCellMetres: number;
  grid: TerrainGrid;
  file: string;
  stopIfAborted: () => void;
  /** The refusal when nothing of the raster lies under the grid. */
  noOverlap: () => IoError;
}

/**
 * Opens a GeoTIFF over a grid, as every raster of the ground is read: its CRS (refused when it cannot be converted or
 * does not fit the raster's bounds), its pixel geometry, and the window under the grid (refused when there is none,
 * or when it is larger than `maxSourceCells`).
 */
export async function openGridRaster(
  bytes: ArrayBuffer,
  grid: TerrainGrid,
  projection: LocalProjection,
  options: { file: string; layer: RasterLayer; signal?: AbortSignalLike; maxSourceCells?: number },
): Promise<GridRaster> {
  const { file, layer } = options;
  const stopIfAborted = (): void => {
    if (options.signal?.aborted) throw new IoError('aborted', { file });
  };
  stopIfAborted();
  const { fromArrayBuffer } = await geotiffModule();
  let image: Image;
  let keys: GeoKeys | null;
  let noData: number | null;
  let bandMeta: Record<string, unknown> | null;
  try {
    image = await (await fromArrayBuffer(bytes)).getImage(0);
    keys = image.getGeoKeys() as GeoKeys | null;
    noData = image.getGDALNoData();
    bandMeta = await image.getGDALMetadata(0);
  } catch (error) {
    throw new IoError('geotiff-invalid', { file, detail: detailOf(error) });
  }
  // One band of heights (or classes): a photo or a coloured map has three or four, and band 1 of it is no height.
  if (image.getSamplesPerPixel() > 1) throw new IoError('raster-bands', { file, bands: image.getSamplesPerPixel(), ...layerParam(layer) });
  await checkBlocks(image, bytes.byteLength, file);
  const crs = rasterCrsOrRefuse(keys, file);
  const pixels = pixelGeometry(image, keys, crs, file, layer);
  const centre = projection.inverse(grid.x0 + (grid.nx * grid.cell) / 2, grid.y0 + (grid.ny * grid.cell) / 2);
  checkCrsFits(pixels, crs, centre, file, layer);

  const toPixel = (x: number, y: number): Pair => {
    const [lon, lat] = projection.inverse(x, y);
    const [px, py] = crs.converter ? crs.converter.fromWgs84(lon, lat) : [lon, lat];
    return [(px - pixels.originX) / pixels.dx, (py - pixels.originY) / pixels.dy];
  };
  const toLocal = (u: number, v: number): Pair => {
    const px = pixels.originX + u * pixels.dx;
    const py = pixels.originY + v * pixels.dy;
    const [lon, lat] = crs.converter ? crs.converter.toWgs84(px, py) : [px, py];
    return projection.forward(lon, lat);
  };
  const noOverlapError = (): IoError => noOverlap(file, crs, pixels, grid, projection, layer);
  const window = windowUnder(grid, pixels, toPixel);
  if (!window) throw noOverlapError();
  const [c0, r0, c1, r1] = window;
  const windowCells = (c1 - c0) * (r1 - r0);
  const limit = options.maxSourceCells ?? DEFAULT_MAX_SOURCE_CELLS;
  if (windowCells > limit)
    throw new IoError('dem-too-large', { file, width: c1 - c0, height: r1 - r0, cells: windowCells, limit, ...layerParam(layer) });
  return {
    image,
    keys,
    noData,
    bandMeta,
    crs,
    pixels,
    toPixel,
    toLocal,
    window,
    sourceCellMetres: pixelMetres(toPixel, toLocal, grid),
    grid,
    file,
    stopIfAborted,
    noOverlap: noOverlapError,
  };
}

/** The `layer` parameter of a message: absent for the elevation model (its words are the default). */
const layerParam = (layer: RasterLayer): { layer?: string } => (layer === 'dem' ? {} : { layer });

/** Sides of the grid no cell inside the raster's extent reaches ("the DEM misses the north-east"). */
export function missingSidesOf(inside: Uint8Array, grid: TerrainGrid): DemFacts['missingSides'] {
  let [west, east, south, north] = [grid.nx, -1, grid.ny, -1];
  for (let k = 0; k < inside.length; k++) {
    if (!inside[k]) continue;
    const r = Math.floor(k / grid.nx);
    const c = k - r * grid.nx;
    [west, east, south, north] = [Math.min(west, c), Math.max(east, c), Math.min(south, r), Math.max(north, r)];
  }
  // A side is missed when no cell along it lies inside the model's extent.
  const missingSides: DemFacts['missingSides'] = [];
  if (north < grid.ny - 1) missingSides.push('north');
  if (south > 0) missingSides.push('south');
  if (east < grid.nx - 1) missingSides.push('east');
  if (west > 0) missingSides.push('west');
  return missingSides;
}

/** What the sampled grid holds: cells with a height, holes, outside, the sides not reached, the range. */
function countCells(
  { elevation, inside }: Sampled,
  grid: TerrainGrid,
): Omit<DemFacts, 'file' | 'crs' | 'crsAssumed' | 'sourceCellMetres' | 'verticalUnit'> {
  let [coveredCells, nodataCells, minMetres, maxMetres] = [0, 0, Infinity, -Infinity];
  for (let k = 0; k < elevation.length; k++) {
    if (!inside[k]) continue;
    const h = elevation[k]!;
    if (Number.isNaN(h)) nodataCells++;
    else {
      coveredCells++;
      if (h < minMetres) minMetres = h;
      if (h > maxMetres) maxMetres = h;
    }
  }
  return {
    cells: elevation.length,
    coveredCells,
    nodataCells,
    outsideCells: elevation.length - coveredCells - nodataCells,
    missingSides: missingSidesOf(inside, grid),
    minMetres,
    maxMetres,
  };
}

/** Origin and pixel steps from the tie point and pixel scale, or an unrotated ModelTransformation. */
function pixelGeometry(image: Image, keys: GeoKeys | null, crs: RasterCrs, file: string, layer: RasterLayer): PixelGeometry {
  const tag = (name: 'ModelTransformation' | 'ModelTiepoint' | 'ModelPixelScale'): number[] | undefined => {
    const v = image.fileDirectory.getValue(name) as ArrayLike<number> | undefined;
    return v ? Array.from(v) : undefined;
  };
  let g: { x: number; y: number; dx: number; dy: number } | undefined;
  try {
    const transformation = tag('ModelTransformation');
    const tie = tag('ModelTiepoint');
    const scale = tag('ModelPixelScale');
    if (transformation && transformation.length >= 8) {
      const [a, b, , x, d, e, , y] = transformation as [number, number, number, number, number, number, number, number];
      if (b !== 0 || d !== 0) throw new IoError('dem-rotated', { file, crs: crs.name, ...layerParam(layer) });
      g = { x, y, dx: a, dy: e };
    } else if (tie && tie.length >= 6 && scale && scale.length >= 2) {
      const [i, j, , x, y] = tie as [number, number, number, number, number];
      const [sx, sy] = scale as [number, number];
      g = { x: x - i * sx, y: y + j * sy, dx: sx, dy: -sy };
    }
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw new IoError('geotiff-invalid', { file, detail: detailOf(error) });
  }
  if (!g || ![g.x, g.y, g.dx, g.dy].every(Number.isFinite) || g.dx === 0 || g.dy === 0)
    throw new IoError('geotiff-invalid', { file, detail: 'no usable georeferencing' });
  // The raster space's (0, 0) is pixel (0, 0)'s corner, or its centre when the raster is PixelIsPoint.
  const half = keys?.GTRasterTypeGeoKey === 2 ? 0 : 0.5;
  return {
    width: image.getWidth(),
    height: image.getHeight(),
    originX: g.x + half * g.dx,
    originY: g.y + half * g.dy,
    dx: g.dx,
    dy: g.dy,
  };
}

const fmt = (v: number): string => String(Math.round(v * 1e4) / 1e4);

/**
 * A model that declares degrees but spans metres (500000, 3800000), or declares metres but spans a few hundred
 * "metres" with sub-metre pixels (degrees), is mislabelled: reading it would put it somewhere else, or nowhere.
 */
function checkCrsFits(pixels: PixelGeometry, crs: RasterCrs, hint: Pair, file: string, layer: RasterLayer): void {
  const xs = [pixels.originX - pixels.dx / 2, pixels.originX + (pixels.width - 0.5) * pixels.dx];
  const ys = [pixels.originY - pixels.dy / 2, pixels.originY + (pixels.height - 0.5) * pixels.dy];
  const corners: Pair[] = xs.flatMap((x) => ys.map((y): Pair => [x, y]));
  const inDegrees = corners.every(([x, y]) => Math.abs(x) <= 360 && Math.abs(y) <= 90.5);
  let why: Bilingual | undefined;
  if (crs.geographic && !inDegrees) {
    const verdict = detectCoordinates(corners, { hint });
    why =
      verdict.kind === 'projected' ? verdict.explanation : { en: 'They are not longitude/latitude degrees.', zh: '它们不是经纬度（度）。' };
  } else if (!crs.geographic && inDegrees && Math.abs(pixels.dx) < 1 && Math.abs(pixels.dy) < 1) {
    why = {
      en: `They look like longitude/latitude degrees (pixels of ${fmt(Math.abs(pixels.dx))} by ${fmt(Math.abs(pixels.dy))}), not metres.`,
      zh: `它们看起来是经纬度（度）（像元 ${fmt(Math.abs(pixels.dx))} × ${fmt(Math.abs(pixels.dy))}），而不是米。`,
    };
  }
  if (!why) return;
  const range = (v: number[]): string => `${fmt(Math.min(...v))}…${fmt(Math.max(...v))}`;
  // A file that names no coordinate system was read as degrees: say so, not that it declared them.
  if (crs.declared === false)
    throw new IoError('raster-crs-missing', { file, x: range(xs), y: range(ys), en: why.en, zh: why.zh, ...layerParam(layer) });
  throw new IoError('dem-crs-mismatch', { file, crs: crs.name, x: range(xs), y: range(ys), en: why.en, zh: why.zh, ...layerParam(layer) });
}

function noOverlap(
  file: string,
  crs: RasterCrs,
  pixels: PixelGeometry,
  grid: TerrainGrid,
  projection: LocalProjection,
  layer: RasterLayer,
): IoError {
  const span = (points: Pair[], i: 0 | 1): string => {
    const v = points.map((p) => p[i]).filter(Number.isFinite);
    return v.length ? `${fmt(Math.min(...v))}…${fmt(Math.max(...v))}` : '?';
  };
  const demCorners: Pair[] = [];
  for (const u of [-0.5, pixels.width - 0.5])
    for (const v of [-0.5, pixels.height - 0.5]) {
      const x = pixels.originX + u * pixels.dx;
      const y = pixels.originY + v * pixels.dy;
      demCorners.push(crs.converter ? crs.converter.toWgs84(x, y) : [x, y]);
    }
  const gridCorners: Pair[] = [];
  for (const x of [grid.x0, grid.x0 + grid.nx * grid.cell])
    for (const y of [grid.y0, grid.y0 + grid.ny * grid.cell]) gridCorners.push(projection.inverse(x, y));
  return new IoError('dem-no-overlap', {
    file,
    crs: crs.name,
    demLon: span(demCorners, 0),
    demLat: span(demCorners, 1),
    gridLon: span(gridCorners, 0),
    gridLat: span(gridCorners, 1),
    ...layerParam(layer),
  });
}

function verticalUnit(
  keys: GeoKeys | null,
  bandMeta: Record<string, unknown> | null,
  chosen: 'metre' | 'foot' | undefined,
): { name: 'metre' | 'foot'; metres: number } {
  if (chosen) return { name: chosen, metres: chosen === 'foot' ? FOOT : 1 };
  const fromKeys = UNIT_CODES[keys?.VerticalUnitsGeoKey ?? 0] ?? VERTICAL_CRS_FEET[keys?.VerticalCSTypeGeoKey ?? 0] ?? undefined;
  // GDAL's band unit (gdal_edit -units, a VRT's <UnitType>) when the keys are silent.
  const unitType = String(bandMeta?.UNITTYPE ?? '')
    .trim()
    .toLowerCase();
  const fromBand = /^(ft|foot|feet|international foot)$/.test(unitType)
    ? FOOT
    : /^(us[ -]?ft|us survey foot|ftus|foot_us)$/.test(unitType)
      ? US_SURVEY_FOOT
      : undefined;
  const metres = fromKeys ?? fromBand ?? 1;
  return { name: metres === 1 ? 'metre' : 'foot', metres };
}

/**
 * The pixel window [c0, r0, c1, r1) under the grid, from the grid's outline traced cell by cell (the maps are
 * continuous, so the outline's image bounds the interior's), with a pixel to spare for interpolation; null when the
 * grid and the model do not meet.
 */
function windowUnder(
  grid: TerrainGrid,
  pixels: PixelGeometry,
  toPixel: (x: number, y: number) => Pair,
): [number, number, number, number] | null {
  let [minU, minV, maxU, maxV] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number): void => {
    const [u, v] = toPixel(x, y);
    if (!Number.isFinite(u) || !Number.isFinite(v)) return;
    [minU, maxU, minV, maxV] = [Math.min(minU, u), Math.max(maxU, u), Math.min(minV, v), Math.max(maxV, v)];
  };
  const [x1, y1] = [grid.x0 + grid.nx * grid.cell, grid.y0 + grid.ny * grid.cell];
  for (let c = 0; c <= grid.nx; c++) {
    add(grid.x0 + c * grid.cell, grid.y0);
    add(grid.x0 + c * grid.cell, y1);
  }
  for (let r = 0; r <= grid.ny; r++) {
    add(grid.x0, grid.y0 + r * grid.cell);
    add(x1, grid.y0 + r * grid.cell);
  }
  const c0 = Math.max(0, Math.floor(minU) - 1);
  const r0 = Math.max(0, Math.floor(minV) - 1);
  const c1 = Math.min(pixels.width, Math.ceil(maxU) + 2);
  const r1 = Math.min(pixels.height, Math.ceil(maxV) + 2);
  return c1 > c0 && r1 > r0 ? [c0, r0, c1, r1] : null;
}

/** √ of one pixel's area in local metres at the grid's centre. */
function pixelMetres(toPixel: (x: number, y: number) => Pair, toLocal: (u: number, v: number) => Pair, grid: TerrainGrid): number {
  const [u, v] = toPixel(grid.x0 + (grid.nx * grid.cell) / 2, grid.y0 + (grid.ny * grid.cell) / 2);
  const [ax, ay] = toLocal(u - 0.5, v);
  const [bx, by] = toLocal(u + 0.5, v);
  const [cx, cy] = toLocal(u, v - 0.5);
  const [dx, dy] = toLocal(u, v + 0.5);
  // Cross product: the area of the parallelogram the pixel's steps span.
  return Math.sqrt(Math.abs((bx - ax) * (dy - cy) - (by - ay) * (dx - cx)));
}

/**
 * A map from integer (column, row) to a pair, exact at nodes at most `span` metres apart (and at the last column and
 * row) and bilinear between them: the projections here bend a straight line by at most h²·tanφ / 8R over h metres
 * (the meridians' convergence), 2 cm over 1 km at 45°N, while calling proj4 for every one of millions of cells or
 * pixels would take seconds.
 */
export function latticeMap(cols: number, rows: number, step: number, exact: (c: number, r: number) => Pair) {
  const nodes = (n: number): number[] => {
    const list: number[] = [];
    for (let i = 0; i < n - 1; i += step) list.push(i);
    list.push(n - 1);
    return list;
  };
  const nc = nodes(cols);
  const nr = nodes(rows);
  const values = new Float64Array(nc.length * nr.length * 2);
  nr.forEach((r, j) =>
    nc.forEach((c, i) => {
      const [a, b] = exact(c, r);
      values[(j * nc.length + i) * 2] = a;
      values[(j * nc.length + i) * 2 + 1] = b;
    }),
  );
  const out: Pair = [0, 0];
  return (c: number, r: number): Pair => {
    const i = Math.min(Math.floor(c / step), nc.length - 2);
    const j = Math.min(Math.floor(r / step), nr.length - 2);
    const ti = i < 0 ? 0 : (c - nc[i]!) / (nc[i + 1]! - nc[i]!);
    const tj = j < 0 ? 0 : (r - nr[j]!) / (nr[j + 1]! - nr[j]!);
    const [ii, jj] = [Math.max(i, 0), Math.max(j, 0)];
    const [i1, j1] = [Math.min(ii + 1, nc.length - 1), Math.min(jj + 1, nr.length - 1)];
    for (let k = 0; k < 2; k++) {
      const v00 = values[(jj * nc.length + ii) * 2 + k]!;
      const v10 = values[(jj * nc.length + i1) * 2 + k]!;
      const v01 = values[(j1 * nc.length + ii) * 2 + k]!;
      const v11 = values[(j1 * nc.length + i1) * 2 + k]!;
      out[k] = (v00 * (1 - ti) + v10 * ti) * (1 - tj) + (v01 * (1 - ti) + v11 * ti) * tj;
    }
    return out;
  };
}

/** Nodes of a lattice map at most 1 km apart. */
export const stepFor = (metres: number): number => Math.max(1, Math.min(16, Math.floor(1000 / metres)));

interface SampleContext extends GridRaster {
  /** Metres = raw × scale + offset. */
  scale: number;
  offset: number;
  unit: 'metre' | 'foot';
  isNoData: (raw: number) => boolean;
}

interface Sampled {
  elevation: Float32Array;
  /** 1 where the cell is inside the model's extent. */
  inside: Uint8Array;
}

export async function readWindow(image: Image, window: number[], file: string): Promise<ArrayLike<number>> {
  try {
    return (await image.readRasters({ window, samples: [0] }))[0] as ArrayLike<number>;
  } catch (error) {
    throw new IoError('geotiff-invalid', { file, detail: detailOf(error) });
  }
}

/** Throws dem-values when the valid pixels read (metres) are none or beyond plausible heights. */
function checkValues(min: number, max: number, file: string, unit: string): void {
  if (!(min <= max)) throw new IoError('dem-values', { file, reason: 'nodata' });
  if (min < LOWEST || max > HIGHEST)
    throw new IoError('dem-values', { file, reason: 'range', min: Math.round(min), max: Math.round(max), unit });
}

/**
 * Bilinear interpolation at each cell centre. Where some of the four pixels are nodata the nearest valid one of them
 * is taken (a hole's rim keeps its measured height); none valid leaves NaN.
 */
async function interpolateCentres(image: Image, ctx: SampleContext): Promise<Sampled> {
  const { grid, pixels, window, scale, offset, isNoData, file } = ctx;
  const [c0, r0, c1] = window;
  const w = c1 - c0;
  const band = await readWindow(image, window, file);
  ctx.stopIfAborted();
  let [min, max] = [Infinity, -Infinity];
  for (let i = 0; i < band.length; i++) {
    const raw = band[i]!;
    if (isNoData(raw)) continue;
    const m = raw * scale + offset;
    if (m < min) min = m;
    if (m > max) max = m;
  }
  checkValues(min, max, file, ctx.unit);
  const n = cellCount(grid);
  const elevation = new Float32Array(n).fill(NaN);
  const inside = new Uint8Array(n);
  const at = latticeMap(grid.nx, grid.ny, stepFor(grid.cell), (c, r) =>
    ctx.toPixel(grid.x0 + (c + 0.5) * grid.cell, grid.y0 + (r + 0.5) * grid.cell),
  );
  const value = (c: number, r: number): number => {
    const raw = band[(r - r0) * w + (c - c0)]!;
    return isNoData(raw) ? NaN : raw * scale + offset;
  };
  for (let r = 0; r < grid.ny; r++) {
    if (r % 256 === 0) ctx.stopIfAborted();
    for (let c = 0; c < grid.nx; c++) {
      const [u, v] = at(c, r);
      if (!(u >= -0.5 && u <= pixels.width - 0.5 && v >= -0.5 && v <= pixels.height - 0.5)) continue;
      const k = r * grid.nx + c;
      inside[k] = 1;
      const ua = Math.min(Math.max(Math.floor(u), 0), pixels.width - 1);
      const va = Math.min(Math.max(Math.floor(v), 0), pixels.height - 1);
      const ub = Math.min(ua + 1, pixels.width - 1);
      const vb = Math.min(va + 1, pixels.height - 1);
      const tu = Math.min(Math.max(u - ua, 0), 1);
      const tv = Math.min(Math.max(v - va, 0), 1);
      const corners = [
        [value(ua, va), (1 - tu) * (1 - tv), tu * tu + tv * tv],
        [value(ub, va), tu * (1 - tv), (1 - tu) ** 2 + tv * tv],
        [value(ua, vb), (1 - tu) * tv, tu * tu + (1 - tv) ** 2],
        [value(ub, vb), tu * tv, (1 - tu) ** 2 + (1 - tv) ** 2],
      ] as const;
      if (corners.every((q) => !Number.isNaN(q[0]))) {
        elevation[k] = corners.reduce((sum, q) => sum + q[0] * q[1], 0);
        continue;
      }
      let nearest = NaN;
      let best = Infinity;
      for (const [h, , d2] of corners) if (!Number.isNaN(h) && d2 < best) [nearest, best] = [h, d2];
      elevation[k] = nearest;
    }
  }
  return { elevation, inside };
}

export const ROWS_PER_READ = 256;

/** The mean of the valid pixels whose centres fall in each cell, read a band of rows at a time. */
async function averagePixels(image: Image, ctx: SampleContext): Promise<Sampled> {
  const { grid, window, scale, offset, isNoData, file } = ctx;
  const [c0, r0, c1, r1] = window;
  const w = c1 - c0;
  const n = cellCount(grid);
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  const inside = new Uint8Array(n);
  const at = latticeMap(w, r1 - r0, stepFor(ctx.sourceCellMetres), (c, r) => ctx.toLocal(c0 + c, r0 + r));
  let [min, max] = [Infinity, -Infinity];
  for (let top = r0; top < r1; top += ROWS_PER_READ) {
    ctx.stopIfAborted();
    const bottom = Math.min(r1, top + ROWS_PER_READ);
    const band = await readWindow(image, [c0, top, c1, bottom], file);
    for (let r = top; r < bottom; r++)
      for (let c = c0; c < c1; c++) {
        const [x, y] = at(c - c0, r - r0);
        const k = cellAt(grid, x, y);
        if (k < 0) continue;
        inside[k] = 1;
        const raw = band[(r - top) * w + (c - c0)]!;
        if (isNoData(raw)) continue;
        const m = raw * scale + offset;
        if (m < min) min = m;
        if (m > max) max = m;
        sum[k] = sum[k]! + m;
        count[k] = count[k]! + 1;
      }
  }
  checkValues(min, max, file, ctx.unit);
  const elevation = new Float32Array(n).fill(NaN);
  for (let k = 0; k < n; k++) if (count[k]! > 0) elevation[k] = sum[k]! / count[k]!;
  return { elevation, inside };
}
