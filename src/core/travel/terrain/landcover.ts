/**
 * Land cover under the terrain model, as WHO AccessMod takes it: a categorical raster (a GeoTIFF in any CRS the
 * elevation model's reader takes, dem.ts) and a table of a speed factor per class, relative to the off-road walking
 * speed (1: open ground at TravelSettings.offroadKmh; 0.4: forest walked at 40 % of it; 0: not crossed off the road).
 * Roads keep their speeds: only the off-road pace of a cell is divided by its factor (terrain-graph.ts cellPaces).
 *
 * Classes are sampled by nearest neighbour at each cell centre (a class code is a label, not a quantity: the mean of
 * "forest" 10 and "built-up" 50 is not "grassland" 30). A cell whose class the table does not list, a nodata pixel,
 * and a cell beyond the raster are taken as open ground, and counted: each count is a warning with a code
 * (messages.ts), never a silent default.
 */
import type { LocalProjection } from '../../geo/local-projection';
import { describe, IoError, type MessageParams } from '../../io/messages';
import type { AbortSignalLike } from '../../io/web';
import type { SettingProblem } from '../settings';
import { latticeMap, missingSidesOf, openGridRaster, readWindow, ROWS_PER_READ, stepFor, type DemFacts } from './dem';
import { sidesWords } from './sides';
import { cellCount, type TerrainGrid } from './grid';

/** One class of a land-cover speed table. */
export interface LandCoverClass {
  /** The class's pixel value in the raster. */
  code: number;
  /** Off-road speed on this class ÷ the off-road walking speed on open ground; 0: not crossed off the road. */
  factor: number;
  /** The class's name, for the table on screen; optional in a planner's own table. */
  name?: { en: string; zh: string };
}

export interface LandCoverTable {
  /** Which classification the codes are of (shown; not interpreted). */
  scheme: string;
  classes: LandCoverClass[];
}

/** A factor above this is refused: land cover slows walking, it does not turn it into riding. */
const MAX_LAND_COVER_FACTOR = 2;

/**
 * ESA WorldCover 10 m (2020, 2021; Zanaga et al., doi:10.5281/zenodo.5571936), the one classification read by
 * default. The factors are AccessMod's example walking speeds on flat ground (AccessMod 5 user manual, "travel
 * scenario": urban and built-up 5 km/h, bare soil 5, low dense vegetation 4, medium dense vegetation 3, dense
 * vegetation 2) over its 5 km/h on open ground, each WorldCover class taken as the nearest of those; the same kind of
 * per-class speed that the friction surfaces of Weiss et al. 2018 ("A global map of travel time to cities to assess
 * inequalities in accessibility in 2015", Nature 553:333) assign to land cover off the roads. Snow and ice, wetland
 * and mangroves have no example there: their factors are this tool's choice (as slow as dense vegetation, snow
 * slower), and open water is not crossed on foot (as the water layer's barriers). The planner can edit every factor.
 */
export const WORLDCOVER_TABLE: LandCoverTable = {
  scheme: 'ESA WorldCover',
  classes: [
    { code: 10, factor: 0.4, name: { en: 'Tree cover', zh: '林地' } }, // dense vegetation, 2 of 5 km/h
    { code: 20, factor: 0.6, name: { en: 'Shrubland', zh: '灌木地' } }, // medium dense vegetation, 3 of 5
    { code: 30, factor: 0.8, name: { en: 'Grassland', zh: '草地' } }, // low dense vegetation, 4 of 5
    { code: 40, factor: 0.8, name: { en: 'Cropland', zh: '耕地' } }, // low dense vegetation, 4 of 5
    { code: 50, factor: 1, name: { en: 'Built-up', zh: '建设用地' } }, // urban and built-up, 5 of 5
    { code: 60, factor: 1, name: { en: 'Bare / sparse vegetation', zh: '裸地/稀疏植被' } }, // bare soil, 5 of 5
    { code: 70, factor: 0.3, name: { en: 'Snow and ice', zh: '冰雪' } }, // no example: the tool's choice
    { code: 80, factor: 0, name: { en: 'Permanent water', zh: '水体' } }, // not walked, as the water barriers
    { code: 90, factor: 0.4, name: { en: 'Herbaceous wetland', zh: '草本湿地' } }, // no example: as dense vegetation
    { code: 95, factor: 0.4, name: { en: 'Mangroves', zh: '红树林' } }, // no example: as tree cover
    { code: 100, factor: 0.8, name: { en: 'Moss and lichen', zh: '苔藓和地衣' } }, // low dense vegetation, 4 of 5
  ],
};

export type LandCoverProblem = Omit<SettingProblem, 'key'> & {
  key: SettingProblem['key'] | 'negative' | 'not_integer' | 'duplicate';
};

/**
 * What is wrong with a speed table, each problem named by its field path (`landCover.classes[2].factor`) as the
 * travel settings' validator names its fields; an empty list means usable. `prefix` is the path of the table.
 */
export function landCoverTableProblems(table: unknown, prefix = 'landCover'): LandCoverProblem[] {
  const problems: LandCoverProblem[] = [];
  const classes = (table as { classes?: unknown } | null)?.classes;
  if (!Array.isArray(classes)) return [{ field: `${prefix}.classes`, key: 'not_a_choice', value: classes }];
  if (classes.length === 0) problems.push({ field: `${prefix}.classes`, key: 'empty', value: classes });
  const seen = new Set<number>();
  classes.forEach((entry: unknown, i) => {
    const at = `${prefix}.classes[${i}]`;
    const { code, factor } = (entry ?? {}) as { code?: unknown; factor?: unknown };
    if (typeof code !== 'number' || !Number.isFinite(code)) problems.push({ field: `${at}.code`, key: 'not_number', value: code });
    else if (!Number.isInteger(code)) problems.push({ field: `${at}.code`, key: 'not_integer', value: code });
    else if (seen.has(code)) problems.push({ field: `${at}.code`, key: 'duplicate', value: code });
    else seen.add(code);
    if (typeof factor !== 'number' || !Number.isFinite(factor)) problems.push({ field: `${at}.factor`, key: 'not_number', value: factor });
    else if (factor < 0) problems.push({ field: `${at}.factor`, key: 'negative', value: factor });
    else if (factor > MAX_LAND_COVER_FACTOR) problems.push({ field: `${at}.factor`, key: 'too_fast', value: factor });
  });
  return problems;
}

/** A problem in words, for a refusal's message (the UI translates the key itself). */
function problemWords(p: LandCoverProblem): { en: string; zh: string } {
  const what: Record<LandCoverProblem['key'], { en: string; zh: string }> = {
    not_number: { en: 'is not a number', zh: '不是数字' },
    not_positive: { en: 'is not positive', zh: '不是正数' },
    too_fast: { en: `is over ${MAX_LAND_COVER_FACTOR}`, zh: `超过 ${MAX_LAND_COVER_FACTOR}` },
    too_many: { en: 'has too many entries', zh: '条目过多' },
    empty: { en: 'is empty', zh: '为空' },
    too_long: { en: 'is too long', zh: '过长' },
    not_a_choice: { en: 'is not a list of classes', zh: '不是地类列表' },
    negative: { en: 'is negative', zh: '为负数' },
    not_integer: { en: 'is not a whole number', zh: '不是整数' },
    duplicate: { en: 'is listed twice', zh: '重复' },
  };
  const value = JSON.stringify(p.value) ?? String(p.value);
  return { en: `${p.field} ${what[p.key].en} (${value})`, zh: `${p.field}${what[p.key].zh}（${value}）` };
}

/** Throws landcover-table, naming every problem by its field path, unless the table is usable. */
export function checkLandCoverTable(table: unknown, file: string): asserts table is LandCoverTable {
  const problems = landCoverTableProblems(table);
  if (problems.length === 0) return;
  const words = problems.map(problemWords);
  throw new IoError('landcover-table', {
    file,
    field: problems[0]!.field,
    en: words.map((w) => w.en).join('; '),
    zh: words.map((w) => w.zh).join('；'),
  });
}

/** A warning on a land cover read: a message code (messages.ts) and its parameters, shown in the reader's language. */
export interface LandCoverWarning {
  code: 'landcover-unknown' | 'landcover-nodata' | 'landcover-partial' | 'raster-crs-assumed';
  params: MessageParams;
}

export interface LandCoverFacts {
  file: string | null;
  crs: string;
  /** The raster's own resolution in metres at the grid's centre (as DemFacts). */
  sourceCellMetres: number;
  scheme: string;
  /** Whether the table is the default (WORLDCOVER_TABLE) or the planner's own. */
  customTable: boolean;
  cells: number;
  /** Cells per class of the table found under the grid, in the table's order (classes not found left out). */
  classCells: { code: number; factor: number; cells: number }[];
  /** Cells of a class the table does not list (open ground), and up to 12 of those codes, ascending. */
  unknownCells: number;
  unknownCodes: number[];
  /** Cells inside the raster's extent on nodata (open ground). */
  nodataCells: number;
  /** Cells beyond the raster's extent (open ground), and the sides of the grid it does not reach. */
  outsideCells: number;
  missingSides: DemFacts['missingSides'];
  warnings: LandCoverWarning[];
}

export interface LandCoverOnGrid {
  /** Speed factor per cell (row 0 south, as grid.ts); 1 where unknown. */
  speedFactor: Float32Array;
  facts: LandCoverFacts;
}

export interface LandCoverOptions {
  file?: string;
  /** The speed table; default WORLDCOVER_TABLE. */
  table?: LandCoverTable;
  signal?: AbortSignalLike;
  maxSourceCells?: number;
}

/** A cell beyond the raster, or on nodata, in the class array (codes are 32-bit integers; these two are kept out). */
const OUTSIDE = -(2 ** 31);
const NODATA = OUTSIDE + 1;
const MAX_CODES_LISTED = 12;
/**
 * Most pixels of the window under the grid read: more than the elevation model's 60 million, since the classes are
 * read a band of rows at a time (memory bounded by a band, not the window): ESA WorldCover's 10 m over a county of
 * 140 × 140 km. The time to decode them is what grows (see bench/terrain.bench.ts landcover).
 */
const MAX_SOURCE_CELLS = 200_000_000;

/**
 * The class code of the pixel nearest each cell centre (OUTSIDE beyond the raster, NODATA on nodata or on a value
 * that is not a whole number), reading the window a band of rows at a time so a fine raster over a large county is
 * never held whole.
 */
async function nearestClasses(raster: Awaited<ReturnType<typeof openGridRaster>>): Promise<Int32Array> {
  const { grid, pixels, window, image, file, noData } = raster;
  const [c0, r0, c1, r1] = window;
  const w = c1 - c0;
  const n = cellCount(grid);
  const classes = new Int32Array(n).fill(OUTSIDE);
  const at = latticeMap(grid.nx, grid.ny, stepFor(grid.cell), (c, r) =>
    raster.toPixel(grid.x0 + (c + 0.5) * grid.cell, grid.y0 + (r + 0.5) * grid.cell),
  );
  // The pixel each cell centre falls in (centres at integer u, v: the nearest is the rounded one), grouped by row.
  const pixelOf = new Int32Array(n).fill(-1);
  const perRow = new Int32Array(r1 - r0 + 1);
  for (let r = 0; r < grid.ny; r++)
    for (let c = 0; c < grid.nx; c++) {
      const [u, v] = at(c, r);
      if (!(u >= -0.5 && u < pixels.width - 0.5 && v >= -0.5 && v < pixels.height - 0.5)) continue;
      const pu = Math.round(u);
      const pv = Math.round(v);
      if (pu < c0 || pu >= c1 || pv < r0 || pv >= r1) continue;
      const k = r * grid.nx + c;
      pixelOf[k] = (pv - r0) * w + (pu - c0);
      perRow[pv - r0 + 1]!++;
    }
  for (let i = 0; i < r1 - r0; i++) perRow[i + 1]! += perRow[i]!;
  const fill = perRow.slice(0, r1 - r0);
  const byRow = new Int32Array(perRow[r1 - r0]!);
  for (let k = 0; k < n; k++) if (pixelOf[k]! >= 0) byRow[fill[Math.floor(pixelOf[k]! / w)]!++] = k;
  const isNoData = (raw: number): boolean => !Number.isFinite(raw) || (noData !== null && (raw === noData || raw === Math.fround(noData)));
  for (let top = r0; top < r1; top += ROWS_PER_READ) {
    raster.stopIfAborted();
    const bottom = Math.min(r1, top + ROWS_PER_READ);
    const from = perRow[top - r0]!;
    const to = perRow[bottom - r0]!;
    if (from === to) continue; // no cell centre in these rows
    const band = await readWindow(image, [c0, top, c1, bottom], file);
    const offset = (top - r0) * w;
    for (let i = from; i < to; i++) {
      const k = byRow[i]!;
      const raw = band[pixelOf[k]! - offset]!;
      // A value that is no 32-bit whole number is no class code: nodata, as a hole in the raster.
      classes[k] = isNoData(raw) || !Number.isInteger(raw) || raw <= NODATA || raw >= 2 ** 31 ? NODATA : raw;
    }
  }
  return classes;
}

/** Reads a land-cover GeoTIFF onto a grid and turns its classes into speed factors by `table`. */
export async function readLandCoverOnGrid(
  bytes: ArrayBuffer,
  grid: TerrainGrid,
  projection: LocalProjection,
  options: LandCoverOptions = {},
): Promise<LandCoverOnGrid> {
  const file = options.file ?? 'land cover';
  const table = options.table ?? WORLDCOVER_TABLE;
  checkLandCoverTable(table, file);
  const raster = await openGridRaster(bytes, grid, projection, {
    file,
    layer: 'landcover',
    ...(options.signal ? { signal: options.signal } : {}),
    maxSourceCells: options.maxSourceCells ?? MAX_SOURCE_CELLS,
  });
  const classes = await nearestClasses(raster);
  const mapped = landCoverFactors(classes, table);
  const inside = Uint8Array.from(classes, (c) => (c === OUTSIDE ? 0 : 1));
  const outsideCells = classes.length - inside.reduce((sum, v) => sum + v, 0);
  if (outsideCells === classes.length) throw raster.noOverlap();
  const missingSides = missingSidesOf(inside, grid);
  const warnings: LandCoverWarning[] = [];
  if (raster.crs.declared === false) warnings.push({ code: 'raster-crs-assumed', params: { file, layer: 'landcover' } });
  // Counts with thousands separators, as both languages' screens write them (1,234).
  const count = (n: number): string => n.toLocaleString('en');
  if (mapped.unknownCells > 0)
    warnings.push({
      code: 'landcover-unknown',
      params: { file, cells: count(mapped.unknownCells), codes: mapped.unknownCodes.join(', ') },
    });
  if (mapped.nodataCells > 0) warnings.push({ code: 'landcover-nodata', params: { file, cells: count(mapped.nodataCells) } });
  if (outsideCells > 0) {
    const words = sidesWords(missingSides);
    warnings.push({ code: 'landcover-partial', params: { file, cells: count(outsideCells), sides: words.en, sidesZh: words.zh } });
  }
  return {
    speedFactor: mapped.speedFactor,
    facts: {
      file: options.file ?? null,
      crs: raster.crs.name,
      sourceCellMetres: raster.sourceCellMetres,
      scheme: table.scheme,
      customTable: table !== WORLDCOVER_TABLE,
      cells: classes.length,
      classCells: mapped.classCells,
      unknownCells: mapped.unknownCells,
      unknownCodes: mapped.unknownCodes,
      nodataCells: mapped.nodataCells,
      outsideCells,
      missingSides,
      warnings,
    },
  };
}

/** Class codes per cell (OUTSIDE, NODATA or a code) to speed factors by the table, with what was counted on the way. */
function landCoverFactors(classes: Int32Array, table: LandCoverTable) {
  const factorOf = new Map(table.classes.map((c) => [c.code, c.factor]));
  const count = new Map<number, number>();
  const unknown = new Set<number>();
  let [unknownCells, nodataCells] = [0, 0];
  const speedFactor = new Float32Array(classes.length).fill(1);
  for (let k = 0; k < classes.length; k++) {
    const code = classes[k]!;
    if (code === OUTSIDE) continue;
    if (code === NODATA) {
      nodataCells++;
      continue;
    }
    const factor = factorOf.get(code);
    if (factor === undefined) {
      unknownCells++;
      unknown.add(code);
      continue;
    }
    speedFactor[k] = factor;
    count.set(code, (count.get(code) ?? 0) + 1);
  }
  return {
    speedFactor,
    classCells: table.classes.flatMap((c) => (count.has(c.code) ? [{ code: c.code, factor: c.factor, cells: count.get(c.code)! }] : [])),
    unknownCells,
    unknownCodes: [...unknown].sort((a, b) => a - b).slice(0, MAX_CODES_LISTED),
    nodataCells,
  };
}

/** A land-cover warning in both languages (the CLI prints it; the page shows the reader's language). */
export const landCoverWarningText = (warning: LandCoverWarning): { en: string; zh: string } => describe(warning.code, warning.params);
