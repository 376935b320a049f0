/**
 * Catchment polygons for the map: the area whose people go to each facility, with no overlaps, so a map of
 * catchments shows each person once.
 *
 * - Buffer mode: minutes are straight-line distance at one speed, so the nearest facility's area is exactly
 *   its Voronoi cell (d3-delaunay), cut to the county outline (./clip.ts: a Voronoi cell is convex, so the
 *   outline is clipped by the cell's half-planes). Facilities at the same spot share one cell, which goes to
 *   the smaller id, as in the point tables.
 * - Network mode: the road network bends the areas, so they are read off a grid: the centre of every cell
 *   inside the county (default 200 m, coarsened to at most 40,000 cells over the extent) is timed to its
 *   nearest facility exactly as a settlement is (walk to the nearest road, ride, walk in; or walk straight),
 *   and each facility's cells are traced along the cell edges (./trace.ts): neighbours share edges, with no
 *   gaps, and the county edge is followed to a cell.
 * The per-point tables, not the polygons, are the figures; the polygons are for drawing.
 */
import { Delaunay } from 'd3-delaunay';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { LocalProjection } from '../geo/local-projection';
import type { Tier } from '../model';
import { clipToConvex, insideMask, normalizeRings, ringsToPolygons, type Ring } from './clip';
import { traceLabels } from './trace';
import type { AccessTravel } from './travel';

export interface CatchmentAreaProps {
  facility_id: string;
  name: string;
  tier: Tier;
  kind: string | null;
  /** voronoi (buffer mode) or grid (network mode, traced from labelled cells). */
  method: 'voronoi' | 'grid';
  /** Grid cell in metres (network mode), else null. */
  cell_metres: number | null;
  /** People in the facility's catchment, from the points (when given). */
  population: number | null;
}

type CatchmentArea = Feature<Polygon | MultiPolygon, CatchmentAreaProps>;

type ClipFeature = Feature<Polygon | MultiPolygon | null, unknown>;

export interface CatchmentAreaOptions {
  /** The county outline, or its townships (together they are the county); without it, the extent of the points and facilities, padded. */
  clip?: FeatureCollection<Polygon | MultiPolygon | null, unknown> | ClipFeature | null;
  /** Network grid: preferred cell size in metres (default 200) and most cells (default 40,000). */
  cellMetres?: number;
  maxCells?: number;
  /** People per site index, written into each polygon. */
  population?: ArrayLike<number>;
}

/** The clip's rings in metres, outlines counter-clockwise and holes clockwise (null: no clip). */
function clipRings(clip: CatchmentAreaOptions['clip'], projection: LocalProjection): Ring[] | null {
  if (!clip) return null;
  const features: ClipFeature[] = clip.type === 'Feature' ? [clip] : clip.features;
  const polygons: number[][][][] = [];
  for (const f of features) {
    const g = f.geometry;
    if (g?.type === 'Polygon') polygons.push(g.coordinates);
    else if (g?.type === 'MultiPolygon') polygons.push(...g.coordinates);
  }
  const rings = normalizeRings(polygons.map((poly) => poly.map((ring) => ring.map(([lon, lat]) => projection.forward(lon!, lat!)))));
  return rings.length > 0 ? rings : null;
}

function extent(travel: AccessTravel, members: readonly number[], clip: Ring[] | null) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  if (clip) for (const ring of clip) for (const [x, y] of ring) add(x, y);
  else for (let i = 0; i < travel.points.count; i++) add(travel.points.x[i]!, travel.points.y[i]!);
  for (const j of members) add(travel.sites[j]!.x, travel.sites[j]!.y);
  const pad = clip ? 1 : Math.max(1000, 0.05 * Math.max(maxX - minX, maxY - minY));
  return { minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad };
}

const closed = (ring: Ring, projection: LocalProjection): Position[] => {
  const out = ring.map(([x, y]) => projection.inverse(x, y) as Position);
  out.push(out[0]!);
  return out;
};

/** The catchment polygons of the member sites, in the travel model's mode. */
export function catchmentAreas(
  travel: AccessTravel,
  projection: LocalProjection,
  members: ArrayLike<number>,
  options: CatchmentAreaOptions = {},
): FeatureCollection<Polygon | MultiPolygon, CatchmentAreaProps> {
  const sorted = Array.from(members, (j) => j).sort((a, b) => a - b);
  const clip = clipRings(options.clip, projection);
  const box = extent(travel, sorted, clip);
  const network = travel.mode === 'network';
  const cell = network
    ? Math.max(options.cellMetres ?? 200, Math.sqrt(((box.maxX - box.minX) * (box.maxY - box.minY)) / (options.maxCells ?? 40_000)))
    : null;
  const shapes = new Map<number, Ring[][]>();
  if (sorted.length > 0 && !network) {
    // One Voronoi site per distinct spot, owned by the smallest index there.
    const owners: number[] = [];
    const seen = new Set<string>();
    for (const j of sorted) {
      const key = `${travel.sites[j]!.x},${travel.sites[j]!.y}`;
      if (seen.has(key)) continue;
      seen.add(key);
      owners.push(j);
    }
    const delaunay = new Delaunay(Float64Array.from(owners.flatMap((j) => [travel.sites[j]!.x, travel.sites[j]!.y])));
    const voronoi = delaunay.voronoi([box.minX, box.minY, box.maxX, box.maxY]);
    owners.forEach((j, k) => {
      const polygon = voronoi.cellPolygon(k);
      if (!polygon) return;
      const rings = clip ? clipToConvex(clip, polygon) : normalizeRings([[polygon]]);
      const polygons = ringsToPolygons(rings);
      if (polygons.length > 0) shapes.set(j, polygons);
    });
  } else if (sorted.length > 0 && cell !== null) {
    const nx = Math.max(1, Math.ceil((box.maxX - box.minX) / cell));
    const ny = Math.max(1, Math.ceil((box.maxY - box.minY) / cell));
    const mask = clip ? insideMask(clip, box.minX, box.minY, cell, nx, ny) : new Uint8Array(nx * ny).fill(1);
    const cells: number[] = [];
    for (let k = 0; k < mask.length; k++) if (mask[k]) cells.push(k);
    const x = Float64Array.from(cells, (k) => box.minX + ((k % nx) + 0.5) * cell);
    const y = Float64Array.from(cells, (k) => box.minY + (Math.floor(k / nx) + 0.5) * cell);
    const nearest = travel.nearestToPlaces(sorted, { x, y });
    const labels = new Int32Array(nx * ny).fill(-1);
    cells.forEach((k, q) => (labels[k] = nearest.site[q]!));
    for (const [j, polygons] of traceLabels(labels, nx, ny)) {
      shapes.set(
        j,
        polygons.map((rings) => rings.map((ring) => ring.slice(0, -1).map(([gx, gy]) => [box.minX + gx * cell, box.minY + gy * cell]))),
      );
    }
  }
  const features: CatchmentArea[] = [];
  for (const j of sorted) {
    const polygons = shapes.get(j);
    if (!polygons) continue;
    const s = travel.sites[j]!;
    const coordinates = polygons.map((rings) => rings.map((ring) => closed(ring, projection)));
    features.push({
      type: 'Feature',
      geometry: coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates },
      properties: {
        facility_id: s.id,
        name: s.name,
        tier: s.tier,
        kind: s.kind,
        method: network ? 'grid' : 'voronoi',
        cell_metres: cell,
        population: options.population ? options.population[j]! : null,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}
