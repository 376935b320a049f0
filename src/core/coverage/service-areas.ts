import { circle, featureCollection, union } from '@turf/turf';
import { contours } from 'd3-contour';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LocalProjection } from '../geo/local-projection';
import type { Tier } from '../model';
import type { NodeField } from '../travel/dijkstra';
import { foundSlot, networkMinutes } from '../travel/minutes';
import type { RoadGraph } from '../travel/road-graph';
import { metresIn, type TravelMode } from '../travel/settings';

interface ServiceAreaProps {
  tier: Tier;
  minutes: number;
  mode: TravelMode;
}

export type ServiceArea = Feature<Polygon | MultiPolygon, ServiceAreaProps>;

/** Buffer mode: the union of Turf circles of radius speed × minutes round each facility. */
export function bufferServiceArea(
  facilities: readonly { lon: number; lat: number }[],
  tier: Tier,
  minutes: number,
  kmh: number,
): ServiceArea | null {
  if (facilities.length === 0) return null;
  const radiusKm = metresIn(minutes, kmh) / 1000;
  // 32 steps: the polygon strays at most r·(1 − cos π/32) ≈ 0.5 % of the radius (6 m at 1.25 km) from the circle.
  const circles = facilities.map((f) => circle([f.lon, f.lat], radiusKm, { steps: 32, units: 'kilometers' }));
  const merged = circles.length === 1 ? circles[0]! : union(featureCollection(circles));
  if (!merged) return null;
  return { type: 'Feature', geometry: merged.geometry, properties: { tier, minutes, mode: 'buffer' } };
}

/**
 * The area of several tiers' service areas at one threshold as one polygon (an emergency circle's bases are
 * several tiers): their union, or null when there are none.
 */
function mergedArea(areas: readonly ServiceArea[]): Polygon | MultiPolygon | null {
  if (areas.length === 0) return null;
  if (areas.length === 1) return areas[0]!.geometry;
  return union(featureCollection([...areas]))?.geometry ?? null;
}

/**
 * An emergency circle's area at its minutes: the service areas of its bases' tiers on the engine that judges it
 * (searched to the circle's minutes only), merged; empty where it is not measured (no roads) or has no base.
 * The app's 急救圈 layer and the command line's --areas both draw it here.
 */
export function circleArea(
  engine: { serviceAreas(tier: Tier): ServiceArea[] },
  tiers: readonly Tier[],
  noRoads: boolean,
): Polygon | MultiPolygon {
  const areas = noRoads ? [] : tiers.flatMap((tier) => engine.serviceAreas(tier));
  return mergedArea(areas) ?? { type: 'MultiPolygon', coordinates: [] };
}

export interface NetworkAreaInput {
  graph: RoadGraph;
  field: NodeField;
  facilities: readonly { x: number; y: number }[];
  projection: LocalProjection;
  offroadKmh: number;
  /** Grid cell in metres; coarser is faster. */
  cellMetres?: number;
}

/**
 * Network mode: the area within each threshold when people ride the roads and walk the rest, as contours
 * of a time grid. Each cell takes the least of (time at a point of a reached road + walk from it) and the
 * straight walk from a facility; roads are sampled every cell so long segments count along their length.
 */
export function networkServiceAreas(input: NetworkAreaInput, tier: Tier, thresholds: readonly number[]): ServiceArea[] {
  const { graph, field, projection, offroadKmh } = input;
  const cutoff = Math.max(...thresholds);
  const walkPerMinute = metresIn(1, offroadKmh);
  const reach = cutoff * walkPerMinute;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  const extend = (x: number, y: number, r: number): void => {
    minX = Math.min(minX, x - r);
    minY = Math.min(minY, y - r);
    maxX = Math.max(maxX, x + r);
    maxY = Math.max(maxY, y + r);
  };
  for (let u = 0; u < graph.nodeCount; u++)
    if (field.minutes[u]! <= cutoff) extend(graph.nodeX[u]!, graph.nodeY[u]!, (cutoff - field.minutes[u]!) * walkPerMinute);
  for (const f of input.facilities) extend(f.x, f.y, reach);
  if (!Number.isFinite(minX)) return [];
  // Keep the grid under ~400k cells whatever the county's size.
  const cell = Math.max(input.cellMetres ?? 100, Math.sqrt(((maxX - minX) * (maxY - minY)) / 400_000));
  const nx = Math.ceil((maxX - minX) / cell) + 3;
  const ny = Math.ceil((maxY - minY) / cell) + 3;
  const ox = minX - cell;
  const oy = minY - cell;
  const FAR = cutoff * 100;
  const grid = new Float64Array(nx * ny).fill(FAR);

  // A spot's walk is written on the cells of its disk within the cutoff and a cell and a half beyond: every cell
  // beside one within the cutoff then holds its true minutes, which is all the contours read (a cell further out
  // holds a nearer spot's minutes, or FAR, and lies beyond every threshold either way). The square round the disk
  // wrote 27 % more cells, each by Math.hypot; 靖宇's 120-minute emergency circle spent 2.5 s here.
  const margin = 1.5 * cell;
  const splat = (x: number, y: number, minutes: number): void => {
    if (minutes > cutoff) return;
    const reach = (cutoff - minutes) * walkPerMinute + margin;
    const reach2 = reach * reach;
    const cy0 = Math.max(0, Math.ceil((y - reach - oy) / cell - 0.5));
    const cy1 = Math.min(ny - 1, Math.floor((y + reach - oy) / cell - 0.5));
    for (let cy = cy0; cy <= cy1; cy++) {
      const dy = oy + (cy + 0.5) * cell - y;
      const dy2 = dy * dy;
      const half = Math.sqrt(Math.max(0, reach2 - dy2));
      const cx0 = Math.max(0, Math.ceil((x - half - ox) / cell - 0.5));
      const cx1 = Math.min(nx - 1, Math.floor((x + half - ox) / cell - 0.5));
      const row = cy * nx;
      for (let cx = cx0; cx <= cx1; cx++) {
        const dx = ox + (cx + 0.5) * cell - x;
        const t = minutes + Math.sqrt(dx * dx + dy2) / walkPerMinute;
        if (t < grid[row + cx]!) grid[row + cx] = t;
      }
    }
  };
  for (const f of input.facilities) splat(f.x, f.y, 0);
  // A spot on a road is a place attached where it stands (no walk on): timed by the travel model, then walked from.
  const spot = { segment: new Int32Array(1), along: new Float64Array(1), walkMinutes: new Float64Array(1) };
  const found = foundSlot();
  for (let s = 0; s < graph.segmentCount; s++) {
    const a = graph.segA[s]!;
    const b = graph.segB[s]!;
    if (!(field.minutes[a]! <= cutoff) && !(field.minutes[b]! <= cutoff)) continue;
    const length = graph.segMetres[s]!;
    const steps = Math.max(1, Math.ceil(length / cell));
    spot.segment[0] = s;
    for (let k = 0; k <= steps; k++) {
      const along = k / steps;
      spot.along[0] = along;
      const t = networkMinutes(graph, field, spot, 0, null, Infinity, 'first', found);
      if (t <= cutoff)
        splat(
          graph.nodeX[a]! + along * (graph.nodeX[b]! - graph.nodeX[a]!),
          graph.nodeY[a]! + along * (graph.nodeY[b]! - graph.nodeY[a]!),
          t,
        );
    }
  }
  return contourAreas({ values: grid, nx, ny, ox, oy, cell }, projection, thresholds, tier, 'network');
}

/** A grid of minutes in local metres: values[cy × nx + cx] at the centre of the cell whose south-west corner is (ox + cx·cell, oy + cy·cell). */
export interface MinutesGrid {
  values: Float64Array;
  nx: number;
  ny: number;
  ox: number;
  oy: number;
  cell: number;
}

/**
 * The area within each threshold of a grid of minutes, traced by d3-contour (marching squares, smoothed), in
 * lon/lat. Unreached cells must hold a large finite number. The grid's values are negated in place.
 */
export function contourAreas(
  grid: MinutesGrid,
  projection: LocalProjection,
  thresholds: readonly number[],
  tier: Tier,
  mode: TravelMode,
): ServiceArea[] {
  const { values, nx, ny, ox, oy, cell } = grid;
  // d3-contour encloses values ≥ a threshold, so the grid is negated: −t ≥ −minutes ⇔ t ≤ minutes.
  for (let k = 0; k < values.length; k++) values[k] = -values[k]!;
  const generator = contours().size([nx, ny]).smooth(true);
  return thresholds.map((minutes) => {
    const shape = generator.contour(values as unknown as number[], -minutes);
    const coordinates = shape.coordinates.map((poly) =>
      poly.map((ring) => ring.map(([gx, gy]) => projection.inverse(ox + gx! * cell, oy + gy! * cell))),
    );
    return { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates }, properties: { tier, minutes, mode } };
  });
}
