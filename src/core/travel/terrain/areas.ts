/**
 * Service areas traced from the terrain field itself: the cells within each threshold, contoured. Above
 * MAX_CONTOUR_CELLS the field is read in blocks (the least minutes of each block, so an area never shrinks),
 * which keeps a 30 m county raster's outlines to a second or so.
 */
import { contourAreas, type ServiceArea } from '../../coverage/service-areas';
import type { LocalProjection } from '../../geo/local-projection';
import type { Tier } from '../../model';
import type { TerrainField } from './search';
import type { TerrainGraph } from './terrain-graph';

const MAX_CONTOUR_CELLS = 1_500_000;

/**
 * The cells' minutes as a grid for contouring, in blocks of `block` × `block` cells; unreached cells far away. Cells
 * reached beyond the largest threshold keep their minutes (the engine searches to its horizon): the outline at that
 * threshold is then placed between the cells either side of it, as at the others, not drawn at the last cell
 * within it (half a cell short). Where the search stopped at the threshold, the outline stays at the last cell it
 * reached: no minutes are made up beyond the field.
 */
function cellMinutes(
  graph: TerrainGraph,
  field: TerrainField,
  cutoff: number,
  block = 1,
): { values: Float64Array; nx: number; ny: number } {
  const { nx, ny } = graph.grid;
  const bx = Math.ceil(nx / block);
  const by = Math.ceil(ny / block);
  const far = cutoff * 100 + 1000;
  const values = new Float64Array(bx * by).fill(far);
  const R = graph.roadNodes;
  for (let r = 0; r < ny; r++) {
    const row = ((r / block) | 0) * bx;
    for (let c = 0; c < nx; c++) {
      const t = field.minutes[R + r * nx + c]!;
      const k = row + ((c / block) | 0);
      if (t < values[k]!) values[k] = t;
    }
  }
  return { values, nx: bx, ny: by };
}

export function terrainServiceAreas(
  graph: TerrainGraph,
  field: TerrainField,
  projection: LocalProjection,
  tier: Tier,
  thresholds: readonly number[],
): ServiceArea[] {
  const block = Math.max(1, Math.ceil(Math.sqrt(graph.cells / MAX_CONTOUR_CELLS)));
  const cutoff = Math.max(...thresholds);
  const { values, nx, ny } = cellMinutes(graph, field, cutoff, block);
  const { x0, y0, cell } = graph.grid;
  return contourAreas({ values, nx, ny, ox: x0, oy: y0, cell: cell * block }, projection, thresholds, tier, 'terrain');
}
