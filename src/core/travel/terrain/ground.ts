/**
 * The ground under the terrain model, built from what the planner gave: an elevation model (GeoTIFF), a water
 * layer and a land-cover raster with its speed table (landcover.ts), each gridded onto the engine's raster. One function for the app's session and the CLI, and one
 * record of what the ground is made of (GroundFacts), which every figure computed on it carries: without an
 * elevation model the facts say "flat ground assumed", and the screens and the report say so too.
 */
import type { Feature, Geometry } from 'geojson';
import { featuresInWgs84, readSource } from '../../io/import';
import { IoError, type MessageParams } from '../../io/messages';
import type { LocalProjection } from '../../geo/local-projection';
import type { AbortSignalLike } from '../../io/web';
import { isWaterBarrier, rasterizeBarriers, type BarrierFacts } from './barriers';
import { readDemOnGrid, type DemFacts } from './dem';
import type { TerrainGrid } from './grid';
import { readLandCoverOnGrid, type LandCoverFacts, type LandCoverTable } from './landcover';
import type { TerrainSurface } from './terrain-graph';
import { featureNumbers } from './feature-numbers';

/** What the planner gave for the ground: files as they came (read here), or water features already read. */
export interface GroundInputs {
  dem: { bytes: ArrayBuffer; name: string; verticalUnit?: 'metre' | 'foot' } | null;
  water: { name: string; bytes: ArrayBuffer } | { name: string; features: readonly Feature<Geometry | null>[] } | null;
  /** A categorical land-cover GeoTIFF and its speed table (absent: WORLDCOVER_TABLE); absent or null: none. */
  landCover?: { bytes: ArrayBuffer; name: string; table?: LandCoverTable } | null;
}

/**
 * The barriers among water features (isWaterBarrier), and how many were left out as walkable (streams, ditches,
 * drains): one rule for a file read here and for features a caller read itself.
 */
function barriersOf(all: readonly Feature<Geometry | null>[]): { features: Feature<Geometry | null>[]; walkable: number; at: number[] } {
  // Each barrier's index in the file: the facts name a feature where the planner finds it, not among the barriers.
  const at = all.flatMap((f, i) => (isWaterBarrier(f.properties as Record<string, unknown> | null) ? [i] : []));
  return { features: at.map((i) => all[i]!), walkable: all.length - at.length, at };
}

/** A water file's features (any vector format the import reads; an .osm.pbf read for its water), in WGS84. */
async function readWater(bytes: ArrayBuffer, name: string): Promise<Feature<Geometry | null>[]> {
  return featuresInWgs84(await readSource(bytes, { fileName: name, kind: 'water' }));
}

export const NO_GROUND: GroundInputs = { dem: null, water: null };

/** What a terrain answer was computed on. */
export interface GroundFacts {
  cellMetres: number;
  nx: number;
  ny: number;
  /** The elevation model as gridded; null: flat ground assumed. */
  elevation: DemFacts | null;
  /** The water barriers as gridded (`walkable`: features of the file left out as walkable streams); null: none. */
  water: (BarrierFacts & { name: string; walkable: number }) | null;
  /** The land cover as gridded and mapped to speeds; null or absent: open ground everywhere. */
  landCover?: LandCoverFacts | null;
}

export interface Ground {
  surface: TerrainSurface;
  facts: GroundFacts;
}

/** Water over more than half the raster is more likely the wrong layer (an outline read as a lake) than a county's rivers. */
const MOSTLY_WATER = 0.5;

/** The share of the raster the water layer makes impassable when it is most of it (then warned of); null otherwise. */
export function mostlyWater(facts: GroundFacts): number | null {
  const cells = facts.nx * facts.ny;
  if (!facts.water || cells === 0) return null;
  const share = facts.water.cells / cells;
  return share > MOSTLY_WATER ? share : null;
}

/**
 * The warnings on the water areas' outlines (barriers.ts), with the features' numbers in the file counting from 1 as
 * a planner counts them: those whose outline crosses itself, and those too large to check; [] when neither.
 */
export function waterOutlineWarnings(
  facts: GroundFacts,
): { code: 'water-self-crossing' | 'water-outline-unchecked'; params: MessageParams }[] {
  const water = facts.water;
  if (!water) return [];
  const warning = (code: 'water-self-crossing' | 'water-outline-unchecked', features: readonly number[]) => {
    const numbers = featureNumbers(features);
    return { code, params: { file: water.name, count: features.length, features: numbers.en, featuresZh: numbers.zh } };
  };
  return [
    ...(water.crossing.length > 0 ? [warning('water-self-crossing', water.crossing)] : []),
    ...(water.unchecked.length > 0 ? [warning('water-outline-unchecked', water.unchecked)] : []),
  ];
}

/** Grids the planner's elevation model and water onto `grid` (the engine's terrain raster). */
export async function buildGround(
  inputs: GroundInputs,
  grid: TerrainGrid,
  projection: LocalProjection,
  signal?: AbortSignalLike,
): Promise<Ground> {
  const dem = inputs.dem
    ? await readDemOnGrid(inputs.dem.bytes, grid, projection, {
        file: inputs.dem.name,
        ...(inputs.dem.verticalUnit ? { verticalUnit: inputs.dem.verticalUnit } : {}),
        ...(signal ? { signal } : {}),
      })
    : null;
  const landCover = inputs.landCover
    ? await readLandCoverOnGrid(inputs.landCover.bytes, grid, projection, {
        file: inputs.landCover.name,
        ...(inputs.landCover.table ? { table: inputs.landCover.table } : {}),
        ...(signal ? { signal } : {}),
      })
    : null;
  const all =
    inputs.water === null ? null : 'bytes' in inputs.water ? await readWater(inputs.water.bytes, inputs.water.name) : inputs.water.features;
  const read = all ? barriersOf(all) : null;
  const water = read ? rasterizeBarriers(read.features, grid, projection) : null;
  // A file that holds no water line or area (a points file, streams only) is refused, never a silent "no water".
  if (water && inputs.water && water.facts.lines + water.facts.polygons === 0)
    throw new IoError('water-no-barriers', { file: inputs.water.name, features: all!.length, walkable: read!.walkable });
  return {
    surface: {
      grid,
      elevation: dem?.elevation ?? null,
      impassable: water?.impassable ?? null,
      speedFactor: landCover?.speedFactor ?? null,
    },
    facts: {
      cellMetres: grid.cell,
      nx: grid.nx,
      ny: grid.ny,
      elevation: dem?.facts ?? null,
      water:
        water && inputs.water && read
          ? {
              ...water.facts,
              skipped: water.facts.skipped.map((skip) => ({ ...skip, feature: read.at[skip.feature]! })),
              crossing: water.facts.crossing.map((i) => read.at[i]!),
              unchecked: water.facts.unchecked.map((i) => read.at[i]!),
              name: inputs.water.name,
              walkable: read.walkable,
            }
          : null,
      landCover: landCover?.facts ?? null,
    },
  };
}

/** Flat open ground on a grid (no elevation model, no water, no land cover). */
export function flatGround(grid: TerrainGrid): Ground {
  return {
    surface: { grid, elevation: null, impassable: null, speedFactor: null },
    facts: { cellMetres: grid.cell, nx: grid.nx, ny: grid.ny, elevation: null, water: null },
  };
}
