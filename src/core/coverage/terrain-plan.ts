/**
 * The memory a terrain run needs, stated before it runs (issue 16): which engines search a raster and how many
 * fields each keeps. One rule for the app's raster plan (图层 → 地形栅格) and the command line's budget check, so
 * the figure the planner reads is the one the run is held to.
 */
import { TIERS, type Tier } from '../model';
import { cellCount, gridBytes, type TerrainGrid } from '../travel/terrain/grid';
import { fieldThreadBytes } from '../travel/terrain/field-thread';
import { SEARCH_POOL_BYTES } from '../travel/terrain/search';
import type { TravelSettings } from '../travel/settings';
import { emergencyTravel, type EmergencyStandard } from './emergency';
import { searchedTiers } from './engine';
import { partTravels, profileTiers, type CircleStandard } from './standard';

type Facilities = Parameters<typeof searchedTiers>[0];

/**
 * Per engine that searches the raster, the fields it keeps (its own tiers that have a facility): the scenario's,
 * each emergency circle's that travels on the terrain, and each part profile's that travels otherwise than the
 * scenario. `settings` must be the scenario's terrain-mode travel.
 */
export function terrainEngineFields(
  facilities: Facilities,
  settings: TravelSettings,
  standard: Pick<CircleStandard, 'parts'>,
  circles: readonly EmergencyStandard[],
): number[] {
  const onTerrain = (travel: TravelSettings) => travel.mode === 'terrain';
  const tiers = (only: readonly Tier[] = TIERS) => searchedTiers(facilities, only);
  return [
    tiers(),
    ...circles.filter((circle) => onTerrain(emergencyTravel(settings, circle))).map((circle) => tiers(circle.tiers)),
    ...[...partTravels(standard, settings)]
      .filter(([, travel]) => onTerrain(travel))
      .map(([profile]) => tiers(profileTiers(standard, profile))),
  ];
}

/**
 * Bytes of those engines on `grid` (gridBytes each, and the bucket lists each engine's graph keeps between its
 * searches), with a land-cover raster's speed factors once, and `fieldThread`: the second thread's share when one
 * searches beside (an engine with two tiers or more gives it one).
 */
export function terrainPlanBytes(grid: TerrainGrid, engineFields: readonly number[], landCover: boolean, fieldThread: boolean): number {
  const engines = engineFields.reduce((sum, fields) => sum + gridBytes(grid, fields) + SEARCH_POOL_BYTES, 0);
  return engines + terrainThreadBytes(grid, engineFields, fieldThread) + (landCover ? LAND_COVER_BYTES * grid.nx * grid.ny : 0);
}

/**
 * Of those bytes, the second thread's when one searches beside (else 0): its field, and its copy of a graph where the
 * graph cannot be shared (field-thread.ts).
 */
export function terrainThreadBytes(grid: TerrainGrid, engineFields: readonly number[], fieldThread: boolean): number {
  return fieldThread && engineFields.some((fields) => fields >= 2) ? fieldThreadBytes(cellCount(grid)) : 0;
}

/** A land-cover raster's speed factor per cell (a Float32Array), kept beside the ground. */
const LAND_COVER_BYTES = 4;
