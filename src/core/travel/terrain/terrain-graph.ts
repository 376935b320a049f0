/**
 * The one graph the terrain model searches: the road graph's nodes (ids 0 … roadNodes−1) and the raster's cells
 * (ids roadNodes + cell), joined where they meet. A road node links both ways to the cell it lies in; a road
 * segment links its two ends to every cell it passes through, at the ride to that point (so a cell beside the
 * middle of a long straight road is reached from the road, not from a vertex kilometres away). Cells link to
 * their 8 or 16 neighbours on the fly, at off-road cost (src/core/travel/terrain/search.ts). Water cells have no
 * links: a road over a river (a bridge) crosses it on the road layer, nobody crosses it off the road.
 */
import { withDirectedRides, type RoadGraph } from '../road-graph';
import { gradedRides, samplesOf } from './graded-rides';
import { cellAt, cellCount, type TerrainGrid } from './grid';
import { shareableArray } from './shared-memory';

/** What the off-road part of a journey is made of, per cell, on one grid. */
export interface TerrainSurface {
  grid: TerrainGrid;
  /** Metres above sea level per cell; NaN where unknown (flat is assumed there). Null: no elevation model. */
  elevation: Float32Array | null;
  /** 1 where a cell cannot be crossed off the road (water). Null: no barriers. */
  impassable: Uint8Array | null;
  /** Land-cover speed factor per cell (1: open ground; 0: impassable). Null: open ground everywhere. */
  speedFactor: Float32Array | null;
  /** 1 on the cells walked (the county and a margin, domain.ts); null or absent: every cell. */
  domain?: Uint8Array | null;
}

/** Who travels which way: patients to a facility, or an ambulance (or outreach) from it. */
export type TravelDirection = 'to_facility' | 'from_facility';

/** The road graph's edges, all a search of the terrain graph reads of it. */
export type RoadEdges = Pick<RoadGraph, 'offsets' | 'adjTarget' | 'adjMinutes'>;

/**
 * What a search from scratch reads of a terrain graph (search.ts relaxTerrain): what another thread is sent to
 * search a tier beside this one (field-thread.ts).
 */
export interface TerrainSearchGraph {
  readonly grid: TerrainGrid;
  readonly roads: RoadEdges | null;
  readonly roadNodes: number;
  readonly cells: number;
  /** Off-road minutes per metre on the flat, per cell (Infinity: impassable). */
  readonly pace: Float32Array;
  /** Pace and elevation interleaved per cell ([pace₀, h₀, pace₁, h₁, …]; h NaN without elevation): the search reads both of a neighbour from one cache line. */
  readonly ground: Float32Array;
  /**
   * Per cell: LINKED where it links to a road node (few cells: a byte read skips the link lists everywhere else);
   * ROUGH where a cell of its 3 × 3 block cannot be walked (only there must a step's side cells be checked);
   * EDGE within two cells of the grid's edge (only there may a step leave the grid).
   */
  readonly flags: Uint8Array;
  /** Every walkable cell has the same flat pace (no land cover): a step's mean pace is then any of its cells'. */
  readonly uniformPace: boolean;
  readonly neighbours: 8 | 16;
  readonly direction: TravelDirection;
  /** Links from road node u to cells: cells linkCell[nodeLinks[u] … nodeLinks[u+1]), minutes linkMinutes. */
  readonly nodeLinks: Int32Array;
  readonly nodeLinkCell: Int32Array;
  readonly nodeLinkMinutes: Float32Array;
  /** Links from cell k to road nodes (CSR over cells). */
  readonly cellLinks: Int32Array;
  readonly cellLinkNode: Int32Array;
  readonly cellLinkMinutes: Float32Array;
}

export interface TerrainGraph extends TerrainSearchGraph {
  /** The roads searched: on graded ground (bicycles, terrain/cycling.ts) their edges carry each direction's ride. */
  readonly roads: RoadGraph | null;
  readonly elevation: Float32Array | null;
  /** The roads are ridden at their grades (a bicycle on an elevation model): a snap's partial ride is too. */
  readonly bicycleGrades: boolean;
}

export interface TerrainOptions {
  /** Off-road speed on flat open ground, km/h. */
  offroadKmh: number;
  neighbours: 8 | 16;
  direction: TravelDirection;
  /** Ride the roads at each piece's grade by cyclingKmh (bicycles; only with an elevation model). */
  bicycleGrades?: boolean;
}

/** Per-cell flat pace (minutes per metre), Infinity where water or a land cover of factor 0 blocks the cell. */
function cellPaces(surface: TerrainSurface, offroadKmh: number): Float32Array {
  const n = cellCount(surface.grid);
  const base = 60 / (offroadKmh * 1000);
  const pace = shareableArray(Float32Array, n).fill(base);
  const { impassable, speedFactor, domain } = surface;
  if (speedFactor) for (let k = 0; k < n; k++) pace[k] = speedFactor[k]! > 0 ? base / speedFactor[k]! : Infinity;
  if (impassable) for (let k = 0; k < n; k++) if (impassable[k]) pace[k] = Infinity;
  if (domain) for (let k = 0; k < n; k++) if (!domain[k]) pace[k] = Infinity;
  return pace;
}

/** Whether every walkable cell has the same pace (land cover of one class, or of factor 1 only): the search's fast path. */
function oneWalkablePace(pace: Float32Array): boolean {
  let first = NaN;
  for (let k = 0; k < pace.length; k++) {
    const p = pace[k]!;
    if (p === Infinity) continue;
    if (first !== first) first = p;
    else if (p !== first) return false;
  }
  return true;
}

/** A link between a road node and a cell, with the minutes the search spends on it (its travel's, by direction). */
interface Link {
  node: number;
  cell: number;
  minutes: number;
}

/** The cells a segment passes through, each with the sample (of `steps`, from A) that found it. */
function segmentCells(
  grid: TerrainGrid,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  steps: number,
  into: (cell: number, sample: number) => void,
): void {
  let last = -1;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const cell = cellAt(grid, ax + t * (bx - ax), ay + t * (by - ay));
    if (cell >= 0 && cell !== last) into(cell, i);
    last = cell;
  }
}

/**
 * The links a search may follow from road nodes to cells and from cells to road nodes, and each segment's ride
 * A → B (`ahead`) and B → A (`back`): the flat ride, or on `graded` ground (bicycles with an elevation model) the
 * ride piece by piece at its grade, so a link to a cell halfway up a hill costs what riding to it does.
 */
function roadLinks(
  roads: RoadGraph,
  grid: TerrainGrid,
  pace: Float32Array,
  graded: Float32Array | null,
): { fromNodes: Link[]; fromCells: Link[]; ahead: Float32Array; back: Float32Array } {
  const fromNodes: Link[] = [];
  const fromCells: Link[] = [];
  for (let u = 0; u < roads.nodeCount; u++) {
    const cell = cellAt(grid, roads.nodeX[u]!, roads.nodeY[u]!);
    if (cell >= 0 && Number.isFinite(pace[cell]!)) {
      fromNodes.push({ node: u, cell, minutes: 0 });
      fromCells.push({ node: u, cell, minutes: 0 });
    }
  }
  const ahead = Float32Array.from(roads.segMinutes);
  const back = Float32Array.from(roads.segMinutes);
  // Searched towards the facility (reversed), a search step u → v is travelled v → u.
  const reversed = roads.oneway === 'to_facility';
  const honoured = roads.oneway !== 'ignore';
  for (let s = 0; s < roads.segmentCount; s++) {
    const a = roads.segA[s]!;
    const b = roads.segB[s]!;
    const [ax, ay, bx, by] = [roads.nodeX[a]!, roads.nodeY[a]!, roads.nodeX[b]!, roads.nodeY[b]!];
    const ride = roads.segMinutes[s]!;
    const steps = samplesOf(grid, Math.hypot(bx - ax, by - ay));
    const flatKmh = (roads.segMetres[s]! * 60) / (1000 * ride);
    const rides = graded && ride > 0 && Number.isFinite(ride) ? gradedRides(grid, graded, ax, ay, bx, by, steps, ride, flatKmh) : null;
    if (rides) {
      ahead[s] = rides.ahead[steps]!;
      back[s] = rides.back[steps]!;
    }
    const [whole, wholeBack] = [ahead[s]!, back[s]!];
    // A one-way segment (A→B travel) is joined on A → point and point → B only.
    const oneway = honoured && roads.segOneway[s] === 1;
    segmentCells(grid, ax, ay, bx, by, steps, (cell, i) => {
      if (i === 0 || i === steps || !Number.isFinite(pace[cell]!)) return;
      const t = i / steps;
      const aToPoint = rides ? rides.ahead[i]! : t * ride;
      const pointToA = rides ? rides.back[i]! : t * ride;
      const pointToB = rides ? whole - aToPoint : (1 - t) * ride;
      const bToPoint = rides ? wholeBack - pointToA : (1 - t) * ride;
      const aOut = !oneway; // travel point → A
      const bIn = !oneway; // travel B → point
      // Search steps and the travel each stands for.
      if (!reversed) {
        fromNodes.push({ node: a, cell, minutes: aToPoint });
        if (bIn) fromNodes.push({ node: b, cell, minutes: bToPoint });
        if (aOut) fromCells.push({ node: a, cell, minutes: pointToA });
        fromCells.push({ node: b, cell, minutes: pointToB });
      } else {
        if (aOut) fromNodes.push({ node: a, cell, minutes: pointToA });
        fromNodes.push({ node: b, cell, minutes: pointToB });
        fromCells.push({ node: a, cell, minutes: aToPoint });
        if (bIn) fromCells.push({ node: b, cell, minutes: bToPoint });
      }
    });
  }
  return { fromNodes, fromCells, ahead, back };
}

/** Groups links by a key into CSR arrays (a cell's offsets are 4 bytes a cell: shareable, as the thread reads them). */
function csr(count: number, links: readonly Link[], key: (l: Link) => number, other: (l: Link) => number) {
  const offsets = shareableArray(Int32Array, count + 1);
  for (const l of links) offsets[key(l) + 1]!++;
  for (let i = 0; i < count; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, count);
  const target = new Int32Array(links.length);
  const minutes = new Float32Array(links.length);
  for (const l of links) {
    const at = fill[key(l)]!++;
    target[at] = other(l);
    minutes[at] = l.minutes;
  }
  return { offsets, target, minutes };
}

export const LINKED = 1;
export const ROUGH = 2;
export const EDGE = 4;

/** Sets EDGE on the cells of the two outer rows and columns (a step of two cells from them may leave the grid). */
function markEdge(grid: TerrainGrid, flags: Uint8Array): void {
  const { nx, ny } = grid;
  for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) if (r < 2 || r >= ny - 2 || c < 2 || c >= nx - 2) flags[r * nx + c]! |= EDGE;
}

/** Sets ROUGH on every cell with a cell it cannot walk in its 3 × 3 block (itself included). */
function markRough(grid: TerrainGrid, pace: Float32Array, flags: Uint8Array): void {
  const { nx, ny } = grid;
  for (let k = 0; k < pace.length; k++) {
    if (pace[k] !== Infinity) continue;
    const r = Math.floor(k / nx);
    const c = k - r * nx;
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) {
        const r2 = r + dr;
        const c2 = c + dc;
        if (r2 >= 0 && r2 < ny && c2 >= 0 && c2 < nx) flags[r2 * nx + c2]! |= ROUGH;
      }
  }
}

/** Joins a road graph (or none) and a surface into the graph the terrain search runs on. */
export function buildTerrainGraph(roadGraph: RoadGraph | null, surface: TerrainSurface, options: TerrainOptions): TerrainGraph {
  const { grid } = surface;
  const cells = cellCount(grid);
  const pace = cellPaces(surface, options.offroadKmh);
  const roadNodes = roadGraph?.nodeCount ?? 0;
  const graded = options.bicycleGrades && surface.elevation ? surface.elevation : null;
  const links = roadGraph ? roadLinks(roadGraph, grid, pace, graded) : null;
  // On graded ground the roads' edges take each direction's ride.
  const roads = roadGraph && links && graded ? withDirectedRides(roadGraph, links.ahead, links.back) : roadGraph;
  const byNode = csr(
    roadNodes,
    links?.fromNodes ?? [],
    (l) => l.node,
    (l) => l.cell,
  );
  const byCell = csr(
    cells,
    links?.fromCells ?? [],
    (l) => l.cell,
    (l) => l.node,
  );
  const ground = shareableArray(Float32Array, 2 * cells);
  for (let k = 0; k < cells; k++) {
    ground[2 * k] = pace[k]!;
    ground[2 * k + 1] = surface.elevation ? surface.elevation[k]! : NaN;
  }
  const flags = shareableArray(Uint8Array, cells);
  for (const l of links?.fromCells ?? []) flags[l.cell]! |= LINKED;
  markRough(surface.grid, pace, flags);
  markEdge(surface.grid, flags);
  return {
    ground,
    flags,
    uniformPace: !surface.speedFactor || oneWalkablePace(pace),
    grid,
    roads,
    roadNodes,
    cells,
    pace,
    elevation: surface.elevation,
    neighbours: options.neighbours,
    direction: options.direction,
    bicycleGrades: roads !== roadGraph,
    nodeLinks: byNode.offsets,
    nodeLinkCell: byNode.target,
    nodeLinkMinutes: byNode.minutes,
    cellLinks: byCell.offsets,
    cellLinkNode: byCell.target,
    cellLinkMinutes: byCell.minutes,
  };
}
