/**
 * A seed county over synthetic ground, for the tests that run the terrain model on real roads, facilities and
 * settlements: rolling hills (no real DEM is reachable here) and a river down the middle of the raster that walkers
 * cross only where a road does. Not a fixture of answers: each test checks its own against an independent one.
 */
import { engineProjection, terrainGrid } from '../../src/core/coverage/engine';
import type { CountyDataset } from '../../src/core/model';
import { DEFAULT_TERRAIN_SETTINGS, DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { cellCount } from '../../src/core/travel/terrain/grid';
import type { Ground } from '../../src/core/travel/terrain/ground';

/** Terrain mode by car, 16 neighbours, on `cellMetres` cells, with the app's thresholds. */
export const terrainSettings = (cellMetres: number): TravelSettings => ({
  ...DEFAULT_TRAVEL_SETTINGS,
  mode: 'terrain',
  thresholds: [15, 30],
  terrain: { ...DEFAULT_TERRAIN_SETTINGS, cellMetres, neighbours: 16 },
});

/**
 * The county's raster at `cellMetres`: heights 1,200 m ± 150 m in waves `wave` cells long (and a gentle rise to the
 * north), and the middle column water.
 */
export function hillsWithRiver(data: CountyDataset, cellMetres: number, wave: { cols: number; rows: number; rise: number }): Ground {
  const place = { population: data.population, facilities: data.facilities, boundary: data.boundary } as never;
  const grid = terrainGrid(place, engineProjection(place), cellMetres);
  const n = cellCount(grid);
  const elevation = new Float32Array(n);
  const impassable = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const [c, r] = [k % grid.nx, Math.floor(k / grid.nx)];
    elevation[k] = 1200 + 150 * Math.sin(c / wave.cols) * Math.cos(r / wave.rows) + wave.rise * r;
    impassable[k] = c === Math.floor(grid.nx / 2) ? 1 : 0;
  }
  return {
    surface: { grid, elevation, impassable, speedFactor: null },
    facts: { cellMetres, nx: grid.nx, ny: grid.ny, elevation: null, water: null },
  };
}
