/**
 * The terrain search (src/core/travel/terrain/search.ts) against independent answers:
 *
 * 1. GRASS GIS r.cost (8 neighbours) and r.cost -k (16, the knight's moves) on the same friction raster and
 *    seeds. r.cost (raster/r.cost/main.c) adds, per step, the mean of the costs of the cells the step touches
 *    (the two ends; for a knight's move also the two cells it passes between) times the step's length counted in
 *    east-west cells (EW_fac = 1/2 × (a + b); DIAG_fac = √2/2; knight V_/H_DIAG_fac = √5/4 × (a + b + c + d)): its
 *    cost is per cell, not per map unit. So with the friction in minutes per metre, GRASS's answer × the cell side
 *    in metres is our minutes. Checked here on a 5 × 4 raster of ones before relying on it: the knight's cell at
 *    (2, 1) from the seed reads √5 = 2.236…, not 223.6.
 * 2. Tobler's hiking function by hand on a uniform slope: uphill and downhill between two cells.
 * 3. A river with one bridge: the far bank reached only over the bridge, the minutes worked out by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, LineString } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProjection } from '../../src/core/geo/local-projection';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { cellCount, type TerrainGrid } from '../../src/core/travel/terrain/grid';
import { emptyTerrainField, relaxTerrain, type TerrainField } from '../../src/core/travel/terrain/search';
import { buildTerrainGraph, type TerrainGraph } from '../../src/core/travel/terrain/terrain-graph';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-terrain-grass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a shell script inside a throw-away GRASS location in UTM 48N; fails (never skips) without GRASS. */
function grass(script: string): void {
  const path = join(dir, `grass-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(path, `set -e\n${script}\n`);
  execFileSync('grass', ['--tmp-location', 'EPSG:32648', '--exec', 'bash', path], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** An r.out.ascii file (header lines "north: …", then rows north to south) as values by cell, row 0 at the south. */
function readGrassAscii(path: string, nx: number, ny: number): Float64Array {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const rows = lines.filter((line) => !/^[a-z]+:/.test(line));
  expect(rows).toHaveLength(ny);
  const out = new Float64Array(nx * ny);
  rows.forEach((line, i) => {
    const values = line.trim().split(/\s+/);
    expect(values).toHaveLength(nx);
    const r = ny - 1 - i;
    values.forEach((v, c) => (out[r * nx + c] = v === '*' ? NaN : Number(v)));
  });
  return out;
}

/** A full search from cells (column, row from the south) at 0 minutes. */
function searchFrom(graph: TerrainGraph, cells: readonly [number, number][], cutoff: number): TerrainField {
  const field = emptyTerrainField(graph);
  const seeds = cells.map(([c, r], label) => ({ id: graph.roadNodes + r * graph.grid.nx + c, minutes: 0, label }));
  relaxTerrain(graph, field, seeds, cutoff, null);
  return field;
}

describe('the terrain search against GRASS r.cost', { timeout: 120_000 }, () => {
  const NX = 200;
  const NY = 150;
  const CELL = 100;
  const grid: TerrainGrid = { x0: 0, y0: 0, cell: CELL, nx: NX, ny: NY };
  /** 6 km/h on open flat ground: 0.01 minutes a metre. */
  const KMH = 6;
  const BASE = 60 / (KMH * 1000);
  /**
   * Minutes per metre by cell: rolling between 0.4 and 1.6 times the base pace, a marsh 40 times slower and a
   * diagonal band of scrub 12 times slower, with a gap; friction in whole Float32 values, as the raster holds them.
   */
  const friction = (c: number, r: number): number => {
    let f = BASE * (1 + 0.45 * Math.sin(c / 7) * Math.cos(r / 5) + 0.15 * Math.sin((c + 2 * r) / 3));
    if (c >= 80 && c < 110 && r >= 60 && r < 85) f = BASE * 40;
    if (Math.abs(c - r - 20) <= 1 && !(r > 100 && r < 106)) f = BASE * 12;
    return Math.fround(f);
  };
  const SEEDS: [number, number][] = [
    [20, 30],
    [150, 40],
    [100, 120],
    [60, 100],
  ];
  // Far beyond the largest time on this raster, so neither search stops early (GRASS has no cutoff here).
  const CUTOFF = 10_000;
  let graphs: Record<8 | 16, TerrainGraph>;
  let grassMinutes: Record<8 | 16, Float64Array>;

  beforeAll(() => {
    const speedFactor = new Float32Array(cellCount(grid));
    for (let r = 0; r < NY; r++) for (let c = 0; c < NX; c++) speedFactor[r * NX + c] = BASE / friction(c, r);
    const surface = { grid, elevation: null, impassable: null, speedFactor };
    graphs = {
      8: buildTerrainGraph(null, surface, { offroadKmh: KMH, neighbours: 8, direction: 'to_facility' }),
      16: buildTerrainGraph(null, surface, { offroadKmh: KMH, neighbours: 16, direction: 'to_facility' }),
    };
    // The search's own paces (Float32) are the raster GRASS gets: the very same friction on both sides.
    const pace = graphs[8].pace;
    for (let r = 0; r < NY; r++) for (let c = 0; c < NX; c++) expect(pace[r * NX + c]! / friction(c, r)).toBeCloseTo(1, 6);
    const lines = [`ncols ${NX}`, `nrows ${NY}`, 'xllcorner 500000', 'yllcorner 3000000', `cellsize ${CELL}`];
    for (let r = NY - 1; r >= 0; r--) {
      const row: string[] = [];
      for (let c = 0; c < NX; c++) row.push(pace[r * NX + c]!.toPrecision(9));
      lines.push(row.join(' '));
    }
    writeFileSync(join(dir, 'friction.asc'), lines.join('\n') + '\n');
    // Float64 on the GRASS side (DCELL): its sums are doubles to the end, so any difference is ours.
    execFileSync('gdal_translate', ['-q', '-ot', 'Float64', '-a_srs', 'EPSG:32648', join(dir, 'friction.asc'), join(dir, 'friction.tif')]);
    const starts = SEEDS.map(([c, r]) => `${500000 + (c + 0.5) * CELL},${3000000 + (r + 0.5) * CELL}`).join(',');
    grass(
      [
        `r.in.gdal --q input=${join(dir, 'friction.tif')} output=friction`,
        'g.region raster=friction',
        `r.cost --q input=friction output=cost8 start_coordinates=${starts}`,
        `r.cost -k --q input=friction output=cost16 start_coordinates=${starts}`,
        `r.out.ascii --q input=cost8 output=${join(dir, 'cost8.txt')} precision=17`,
        `r.out.ascii --q input=cost16 output=${join(dir, 'cost16.txt')} precision=17`,
      ].join('\n'),
    );
    grassMinutes = {
      8: readGrassAscii(join(dir, 'cost8.txt'), NX, NY).map((v) => v * CELL),
      16: readGrassAscii(join(dir, 'cost16.txt'), NX, NY).map((v) => v * CELL),
    };
  });

  /**
   * Every cell agrees within 3e-5 relative. Our search rounds each cell's minutes to Float32 as it stores them
   * (Math.fround per step), GRASS keeps doubles: over a path of n steps the rounding adds up to at most
   * n · 2⁻²⁴ relative, and the longest paths here are under 400 steps (≤ 2.4e-5); the paces themselves are the same
   * Float32 values on both sides. Anything beyond it is a different rule, not rounding. Measured (GRASS 8.2.1):
   * at worst 3.6e-7 with 8 neighbours and 3.4e-7 with 16, on times up to 427 minutes.
   */
  for (const neighbours of [8, 16] as const) {
    it(`${neighbours} neighbours: the same minutes as r.cost${neighbours === 16 ? ' -k' : ''} on every cell`, () => {
      const field = searchFrom(graphs[neighbours], SEEDS, CUTOFF);
      const reference = grassMinutes[neighbours];
      let worst = 0;
      let largest = 0;
      let unreached = 0;
      for (let k = 0; k < NX * NY; k++) {
        const ours = field.minutes[k]!;
        const theirs = reference[k]!;
        if (!Number.isFinite(theirs) || !Number.isFinite(ours)) unreached++;
        largest = Math.max(largest, theirs);
        worst = Math.max(worst, theirs === 0 ? Math.abs(ours) : Math.abs(ours - theirs) / theirs);
      }
      expect(unreached).toBe(0);
      expect(largest).toBeLessThan(CUTOFF);
      // The marsh and the band matter: the largest time is far beyond open ground's (the grid's diagonal at BASE).
      expect(largest).toBeGreaterThan(60);
      expect(worst).toBeLessThan(3e-5);
    });
  }

  it("the knight's moves change the answer (the comparison can tell 8 from 16 neighbours)", () => {
    const eight = searchFrom(graphs[8], SEEDS, CUTOFF);
    let differs = 0;
    for (let k = 0; k < NX * NY; k++)
      if (Math.abs(eight.minutes[k]! - grassMinutes[16][k]!) / Math.max(1e-9, grassMinutes[16][k]!) > 1e-3) differs++;
    expect(differs).toBeGreaterThan((NX * NY) / 4);
  });
});

describe('Tobler on a uniform slope, by hand', () => {
  // 12 × 5 cells of 100 m rising 20 m a cell eastward: a slope of 0.2 along the rows.
  const grid: TerrainGrid = { x0: 0, y0: 0, cell: 100, nx: 12, ny: 5 };
  const elevation = new Float32Array(cellCount(grid));
  for (let r = 0; r < grid.ny; r++) for (let c = 0; c < grid.nx; c++) elevation[r * grid.nx + c] = 500 + 20 * c;
  const KMH = 4.5;
  /** Minutes for `metres` at Tobler's speed on slope s, scaled so the flat is KMH: W(s) = 6·e^(−3.5·|s + 0.05|). */
  const tobler = (metres: number, s: number) => {
    const w = (x: number) => 6 * Math.exp(-3.5 * Math.abs(x + 0.05));
    return metres / (((KMH * 1000) / 60) * (w(s) / w(0)));
  };
  const graph = (neighbours: 8 | 16, direction: 'to_facility' | 'from_facility') =>
    buildTerrainGraph(null, { grid, elevation, impassable: null, speedFactor: null }, { offroadKmh: KMH, neighbours, direction });
  const at = (field: TerrainField, c: number, r: number) => field.minutes[r * grid.nx + c]!;

  for (const neighbours of [8, 16] as const) {
    it(`${neighbours} neighbours: 400 m up the slope and down it take Tobler's minutes, and they differ by e^0.35`, () => {
      const toFacility = graph(neighbours, 'to_facility');
      // The facility low at column 2: a patient at column 6 walks down to it; the facility high at 6: up to it.
      const low = searchFrom(toFacility, [[2, 2]], 120);
      const high = searchFrom(toFacility, [[6, 2]], 120);
      const down = at(low, 6, 2);
      const up = at(high, 2, 2);
      expect(down / tobler(400, -0.2)).toBeCloseTo(1, 6);
      expect(up / tobler(400, 0.2)).toBeCloseTo(1, 6);
      // W(−0.2) / W(0.2) = e^(−3.5·0.15) / e^(−3.5·0.25).
      expect(up / down).toBeCloseTo(Math.exp(0.35), 6);
      // From the facility (an ambulance crew on foot) the slopes are walked the other way round.
      const fromFacility = graph(neighbours, 'from_facility');
      expect(at(searchFrom(fromFacility, [[2, 2]], 120), 6, 2) / tobler(400, 0.2)).toBeCloseTo(1, 6);
      expect(at(searchFrom(fromFacility, [[6, 2]], 120), 2, 2) / tobler(400, -0.2)).toBeCloseTo(1, 6);
    });
  }

  it('across the slope (along a contour) is the flat speed', () => {
    const field = searchFrom(graph(16, 'to_facility'), [[5, 0]], 120);
    expect(at(field, 5, 4) / ((400 / (KMH * 1000)) * 60)).toBeCloseTo(1, 6);
  });
});

describe('a river with one bridge, by hand', () => {
  // Local metres round 平坝: 40 × 30 cells of 100 m; the river fills column 20 (2,000–2,100 m east) top to bottom.
  const projection = localProjection(106.3, 26.4);
  const grid: TerrainGrid = { x0: 0, y0: 0, cell: 100, nx: 40, ny: 30 };
  const impassable = new Uint8Array(cellCount(grid));
  for (let r = 0; r < grid.ny; r++) impassable[r * grid.nx + 20] = 1;
  const KMH = 4.5;
  const walk = (metres: number) => (metres / (KMH * 1000)) * 60;
  // One road of 1 km at 30 km/h over the river: from the centre of cell (15, 15) to that of (25, 15).
  const lonLat = (x: number, y: number) => projection.inverse(x, y);
  const bridge: Feature<LineString> = {
    type: 'Feature',
    properties: { class_zh: '县道' },
    geometry: { type: 'LineString', coordinates: [lonLat(1550, 1550), lonLat(2550, 1550)] },
  };
  const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'terrain' as const, roadKmh: { 县道: 30 }, defaultRoadKmh: 30, offroadKmh: KMH };
  const RIDE = (1000 / 30000) * 60; // 2 minutes
  const surface = { grid, elevation: null, impassable, speedFactor: null };
  const withBridge = buildTerrainGraph(buildRoadGraph([bridge], projection, settings), surface, {
    offroadKmh: KMH,
    neighbours: 8,
    direction: 'to_facility',
  });
  const noBridge = buildTerrainGraph(null, surface, { offroadKmh: KMH, neighbours: 8, direction: 'to_facility' });
  const at = (graph: TerrainGraph, field: TerrainField, c: number, r: number) => field.minutes[graph.roadNodes + r * grid.nx + c]!;
  const fromWestBank = (graph: TerrainGraph) => {
    const field = emptyTerrainField(graph);
    relaxTerrain(graph, field, [{ id: graph.roadNodes + 15 * grid.nx + 10, minutes: 0, label: 0 }], 120, null);
    return field;
  };

  it('without the road the far bank cannot be reached at all', () => {
    const field = fromWestBank(noBridge);
    expect(at(noBridge, field, 19, 15)).toBeCloseTo(walk(900), 4);
    for (let r = 0; r < grid.ny; r++) for (let c = 21; c < grid.nx; c++) expect(at(noBridge, field, c, r)).toBe(Infinity);
  });

  it('with it, the far bank is the walk to the bridge, the ride and the walk from its end', () => {
    const field = fromWestBank(withBridge);
    // From cell (10, 15): 500 m to the road's west end in cell (15, 15), 2 minutes' ride, then on foot from (25, 15).
    const over = walk(500) + RIDE;
    expect(at(withBridge, field, 25, 15)).toBeCloseTo(over, 4);
    expect(at(withBridge, field, 30, 15)).toBeCloseTo(over + walk(500), 4);
    // Off the road's line on the far side: 5 diagonal and 5 straight steps from (25, 15) to (30, 5).
    expect(at(withBridge, field, 30, 5)).toBeCloseTo(over + walk(5 * 100 * Math.SQRT2 + 5 * 100), 4);
    expect(at(withBridge, field, 39, 29)).toBeCloseTo(over + walk(14 * 100 * Math.SQRT2), 4);
    // The near bank stays on foot: the road does not help a walk that never crosses.
    expect(at(withBridge, field, 10, 5)).toBeCloseTo(walk(1000), 4);
    // And the river itself is never stood on.
    for (let r = 0; r < grid.ny; r++) expect(at(withBridge, field, 20, r)).toBe(Infinity);
  });
});
