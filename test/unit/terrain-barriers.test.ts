/**
 * Water barriers on the terrain grid: hand-checkable shapes on a 100 m grid (a river along a row, a diagonal river
 * an 8-neighbour walker cannot slip across, a lake with an island, a pond smaller than a cell), the OSM tag rule,
 * and an irregular lake and river compared cell by cell with GDAL's gdal_rasterize over the same features, which
 * GDAL (PROJ) projects itself into the engine's transverse Mercator.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, Geometry, Position } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { localProjection } from '../../src/core/geo/local-projection';
import { fillCentres, isWaterBarrier, rasterizeBarriers, waterTagVerdict } from '../../src/core/travel/terrain/barriers';
import type { TerrainGrid } from '../../src/core/travel/terrain/grid';

const projection = localProjection(112.5, 28.2);
/** Lon/lat of a point given in local metres, so the shapes below can be drawn (and checked) in metres. */
const ll = (x: number, y: number): Position => projection.inverse(x, y);
const feature = (geometry: Geometry | null, properties: Record<string, unknown> | null = null): Feature<Geometry | null> => ({
  type: 'Feature',
  geometry,
  properties,
});
const line = (...xy: [number, number][]): Geometry => ({ type: 'LineString', coordinates: xy.map(([x, y]) => ll(x, y)) });
const ring = (...xy: [number, number][]): Position[] => [...xy, xy[0]!].map(([x, y]) => ll(x, y));
const box = (x0: number, y0: number, x1: number, y1: number): Position[] => ring([x0, y0], [x1, y0], [x1, y1], [x0, y1]);

/** 20 × 12 cells of 100 m, south-west corner at the projection's centre. */
const small: TerrainGrid = { x0: 0, y0: 0, cell: 100, nx: 20, ny: 12 };
const water = (out: Uint8Array, grid: TerrainGrid): [number, number][] => {
  const cells: [number, number][] = [];
  out.forEach((v, k) => v && cells.push([k % grid.nx, Math.floor(k / grid.nx)]));
  return cells;
};
const at = (out: Uint8Array, grid: TerrainGrid, c: number, r: number): number => out[r * grid.nx + c]!;

/** Cells an 8-neighbour walker reaches from (c, r) over land. */
function reachable(out: Uint8Array, grid: TerrainGrid, c: number, r: number): Uint8Array {
  const seen = new Uint8Array(out.length);
  const stack = [r * grid.nx + c];
  seen[stack[0]!] = 1;
  while (stack.length) {
    const k = stack.pop()!;
    const [kc, kr] = [k % grid.nx, Math.floor(k / grid.nx)];
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) {
        const [nc, nr] = [kc + dc, kr + dr];
        if (nc < 0 || nr < 0 || nc >= grid.nx || nr >= grid.ny) continue;
        const n = nr * grid.nx + nc;
        if (seen[n] || out[n]) continue;
        seen[n] = 1;
        stack.push(n);
      }
  }
  return seen;
}

describe('rivers burnt as a supercover', () => {
  it('a river along a row marks exactly the cells it runs through', () => {
    const { impassable, facts } = rasterizeBarriers([feature(line([150, 550], [1850, 550]))], small, projection);
    expect(water(impassable, small)).toEqual(Array.from({ length: 18 }, (_, i) => [i + 1, 5]));
    expect(facts).toMatchObject({ features: 1, lines: 1, polygons: 0, cells: 18, skipped: [] });
  });

  it('a diagonal river is 4-connected: no diagonal step slips between its cells', () => {
    // From col 1 row 1 to col 17 row 10, touching no corner: 1 + 16 + 9 cells.
    const one = rasterizeBarriers([feature(line([120, 130], [1790, 1070]))], small, projection);
    expect(one.facts.cells).toBe(26);
    // Bank to bank across the grid, through grid corners exactly (45°) and at a shallow slope.
    for (const river of [line([0.5, 0.5], [1199.5, 1199.5]), line([0, 170], [2000, 1130]), line([2000, 60], [0, 1190])]) {
      const { impassable } = rasterizeBarriers([feature(river)], small, projection);
      for (const [c, r] of water(impassable, small)) {
        for (const dc of [-1, 1]) {
          if (c + dc < 0 || c + dc >= small.nx || r + 1 >= small.ny || !at(impassable, small, c + dc, r + 1)) continue;
          // Two water cells touching at a corner share a water neighbour on a side.
          expect(at(impassable, small, c + dc, r) || at(impassable, small, c, r + 1), `${c},${r} ↔ ${c + dc},${r + 1}`).toBe(1);
        }
      }
    }
    // And so the river cuts the grid in two for a walker stepping to all 8 neighbours.
    const { impassable } = rasterizeBarriers([feature(line([0, 170], [2000, 1130]))], small, projection);
    const fromSouthEast = reachable(impassable, small, small.nx - 1, 0);
    expect(fromSouthEast[(small.ny - 1) * small.nx]).toBe(0);
    expect(fromSouthEast[0]).toBe(1); // the south-west corner, on the same bank
  });
});

describe('lakes burnt as polygons', () => {
  it('a lake marks every cell it touches, its island stays land', () => {
    // Shore 230–1270 m × 230–970 m: cols 2–12, rows 2–9 (88 cells). Island 530–870 × 430–770: cols 5–8, rows 4–7,
    // its shore cells water, the four cells inside its shore (cols 6–7, rows 5–6) land.
    const lake = feature({ type: 'Polygon', coordinates: [box(230, 230, 1270, 970), box(530, 430, 870, 770).reverse()] });
    const { impassable, facts } = rasterizeBarriers([lake], small, projection);
    const expected: [number, number][] = [];
    for (let r = 2; r <= 9; r++) for (let c = 2; c <= 12; c++) if (!(c >= 6 && c <= 7 && r >= 5 && r <= 6)) expected.push([c, r]);
    expect(water(impassable, small)).toEqual(expected);
    expect(facts).toMatchObject({ polygons: 1, lines: 0, cells: 84 });
    // The island's land is closed in: a walker on it reaches only its four cells.
    expect(reachable(impassable, small, 6, 5).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('a pond smaller than a cell still marks its cell', () => {
    const pond = feature({ type: 'Polygon', coordinates: [box(1410, 1010, 1440, 1040)] });
    const { impassable, facts } = rasterizeBarriers([pond], small, projection);
    expect(water(impassable, small)).toEqual([[14, 10]]);
    expect(facts.cells).toBe(1);
  });

  it('counts parts and cells, and skips what is no water geometry', () => {
    const features = [
      feature({ type: 'MultiPolygon', coordinates: [[box(1410, 1010, 1440, 1040)], [box(1610, 210, 1690, 290)]] }),
      feature({
        type: 'MultiLineString',
        coordinates: [
          [ll(150, 550), ll(450, 550)],
          [ll(150, 750), ll(250, 750)],
        ],
      }),
      feature({ type: 'Point', coordinates: ll(50, 50) }),
      feature(null),
      feature({ type: 'LineString', coordinates: [ll(50, 50), [112.5, 95]] }),
      feature({ type: 'LineString', coordinates: [] }),
    ];
    const { impassable, facts } = rasterizeBarriers(features, small, projection);
    expect(facts).toEqual({
      features: 6,
      lines: 2,
      polygons: 2,
      cells: 1 + 1 + 4 + 2,
      skipped: [
        { feature: 2, reason: 'not_water_geometry' },
        { feature: 3, reason: 'no_geometry' },
        { feature: 4, reason: 'bad_coordinate' },
        { feature: 5, reason: 'no_geometry' },
      ],
      crossing: [],
      unchecked: [],
    });
    expect(at(impassable, small, 0, 0)).toBe(0); // the bad line drew nothing
  });

  it('clips what lies partly outside the grid', () => {
    const { impassable, facts } = rasterizeBarriers(
      [feature(line([-500, 250], [2500, 250])), feature({ type: 'Polygon', coordinates: [box(-300, 850, 350, 2000)] })],
      small,
      projection,
    );
    // Row 2 from edge to edge (20), and cols 0–3 of rows 8–11 (16).
    expect(facts.cells).toBe(20 + 16);
    expect(at(impassable, small, 3, 11) && at(impassable, small, 0, 8) && !at(impassable, small, 4, 8)).toBeTruthy();
  });
});

describe('which features are water barriers', () => {
  it('rivers, canals, lakes and reservoirs are; streams, ditches and drains are walked across', () => {
    for (const tags of [
      { waterway: 'river' },
      { waterway: 'canal' },
      { waterway: 'riverbank' },
      { waterway: 'dock' },
      { natural: 'water' },
      { natural: 'water', water: 'lake' },
      { landuse: 'reservoir' },
      { landuse: 'basin' },
      { water: 'pond' },
      { osm_id: '1', natural: null, other_tags: '"water"=>"river"' }, // GDAL's OSM driver
    ])
      expect(isWaterBarrier(tags), JSON.stringify(tags)).toBe(true);
    for (const tags of [
      { waterway: 'stream' },
      { waterway: 'ditch' },
      { waterway: 'drain' },
      { waterway: 'dam' },
      { natural: 'wood' },
      { landuse: 'farmland' },
      { osm_id: '7', highway: 'primary' },
      { osm_id: '8', waterway: null, other_tags: '"waterway"=>"stream"' },
    ])
      expect(isWaterBarrier(tags), JSON.stringify(tags)).toBe(false);
  });

  it("a planner's own water layer, without OSM tags, is all barrier", () => {
    expect(isWaterBarrier(null)).toBe(true);
    expect(isWaterBarrier({})).toBe(true);
    expect(isWaterBarrier({ 名称: '资水', 类型: '河流' })).toBe(true);
    expect(waterTagVerdict({ 名称: '资水' })).toBeUndefined();
    expect(waterTagVerdict({ waterway: 'stream' })).toBe(false);
  });
});

describe('the same features through GDAL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'barriers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tmerc = `+proj=tmerc +lat_0=${projection.lat0} +lon_0=${projection.lon0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs`;
  // 240 × 160 cells of 25 m, off the projection's centre.
  const grid: TerrainGrid = { x0: -1500, y0: 500, cell: 25, nx: 240, ny: 160 };

  /** gdal_rasterize of lon/lat features that ogr2ogr first projects to the grid's tmerc; rows flipped to row 0 south. */
  function gdal(name: string, features: Feature<Geometry | null>[], allTouched: boolean): Uint8Array {
    const src = join(dir, `${name}.geojson`);
    const projected = join(dir, `${name}.gpkg`);
    const raster = join(dir, `${name}-${allTouched ? 'at' : 'centre'}.bin`);
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features }));
    execFileSync('ogr2ogr', ['-overwrite', '-f', 'GPKG', '-s_srs', 'EPSG:4326', '-t_srs', tmerc, projected, src, '-nln', 'w']);
    const { x0, y0, cell, nx, ny } = grid;
    execFileSync('gdal_rasterize', [
      '-q',
      ...(allTouched ? ['-at'] : []),
      ...['-burn', '1', '-init', '0', '-ot', 'Byte', '-of', 'ENVI'],
      ...['-te', String(x0), String(y0), String(x0 + nx * cell), String(y0 + ny * cell), '-ts', String(nx), String(ny)],
      ...['-l', 'w', projected, raster],
    ]);
    const north = readFileSync(raster);
    const out = new Uint8Array(nx * ny);
    for (let r = 0; r < ny; r++) out.set(north.subarray((ny - 1 - r) * nx, (ny - r) * nx), r * nx);
    return out;
  }
  const count = (a: Uint8Array): number => a.reduce((s, v) => s + v, 0);
  const differing = (a: Uint8Array, b: Uint8Array): number => a.reduce((s, v, k) => s + (v !== b[k] ? 1 : 0), 0);

  // A lake with a ragged shore (a star of 90 vertices) and two islands, and a river winding across the grid.
  // Centres off the 25 m lattice, so no vertex falls on a cell corner, where a segment's passing through a cell
  // or not comes down to the last bits of the two projections (PROJ's and ours).
  const shore = (cx: number, cy: number, r: number, n: number, wobble: number): Position[] =>
    ring(
      ...Array.from({ length: n }, (_, i): [number, number] => {
        const a = (2 * Math.PI * i) / n;
        const rr = r * (1 + wobble * Math.sin(7 * a) + 0.5 * wobble * Math.cos(13 * a));
        return [cx + rr * Math.cos(a), cy + rr * Math.sin(a)];
      }),
    );
  const lake = feature({
    type: 'Polygon',
    coordinates: [
      shore(1103.7, 2409.1, 1300, 90, 0.3),
      shore(707.3, 2303.9, 260, 23, 0.2).reverse(),
      shore(1511.9, 2693.3, 180, 17, 0.25).reverse(),
    ],
  });
  const reservoir = feature({
    type: 'MultiPolygon',
    coordinates: [[shore(-713.3, 1311.7, 500, 40, 0.4)], [shore(3688.1, 1207.4, 300, 31, 0.2)]],
  });
  const river = feature({
    type: 'LineString',
    coordinates: Array.from({ length: 160 }, (_, i) =>
      ll(-1600 + i * 38, 900 + 1700 * (i / 160) + 260 * Math.sin(i / 9) + 40 * Math.cos(i * 1.7)),
    ),
  });

  it('lakes: GDAL all-touched, cell for cell; their inside by the centre rule', () => {
    const features = [lake, reservoir];
    const ours = rasterizeBarriers(features, grid, projection).impassable;
    const allTouched = gdal('lakes', features, true);
    // Inside by GDAL's centre rule plus the shores GDAL draws all-touched as lines: the same cells again, so the
    // scanline fill agrees with GDAL's wherever the shore does not decide.
    const centres = gdal('lakes', features, false);
    const outlines = gdal(
      'shores',
      [lake, reservoir].flatMap((f) => {
        const g = f.geometry as Geometry;
        const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
        return polygons.flat().map((r) => feature({ type: 'LineString', coordinates: r }));
      }),
      true,
    );
    const union = centres.map((v, k) => v | outlines[k]!);
    // The scanline fill alone, by cell centres, against GDAL's default (centre) rule.
    const inside = new Uint8Array(grid.nx * grid.ny);
    for (const f of features) {
      const g = f.geometry as Geometry;
      for (const polygon of g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) {
        const rings = polygon.map((r) =>
          Float64Array.from(
            r.flatMap(([lon, lat]) => {
              const [x, y] = projection.forward(lon!, lat!);
              return [(x - grid.x0) / grid.cell, (y - grid.y0) / grid.cell];
            }),
          ),
        );
        fillCentres(rings, grid, inside);
      }
    }
    expect(differing(inside, centres)).toBe(0);
    expect(count(ours)).toBeGreaterThan(5000);
    expect(count(centres)).toBeLessThan(count(ours));
    expect(differing(ours, allTouched)).toBe(0);
    expect(differing(ours, union)).toBe(0);
  });

  it('a river: GDAL all-touched, cell for cell', () => {
    const ours = rasterizeBarriers([river], grid, projection).impassable;
    const theirs = gdal('river', [river], true);
    expect(count(ours)).toBeGreaterThan(400);
    expect(differing(ours, theirs)).toBe(0);
  });

  it('areas whose outline crosses itself are named by feature, as GEOS (ST_IsValid, through GDAL) finds them invalid', () => {
    // A bow-tie pond, a lake whose 90-vertex shore folds over itself once, a reservoir with one crossed part, and
    // valid areas (the ragged lake with islands, a plain box) the warning must leave alone.
    const folded = shore(1103.7, 2409.1, 1300, 90, 0.3);
    [folded[40], folded[50]] = [folded[50]!, folded[40]!];
    const areas = [
      feature({ type: 'Polygon', coordinates: [ring([0, 0], [400, 400], [400, 0], [0, 400])] }),
      lake,
      feature({ type: 'Polygon', coordinates: [folded] }),
      feature({ type: 'Polygon', coordinates: [box(-1000, 800, -600, 1100)] }),
      feature({
        type: 'MultiPolygon',
        coordinates: [[shore(-713.3, 1311.7, 500, 40, 0.4)], [ring([3000, 1000], [3400, 1400], [3400, 1000], [3000, 1400])]],
      }),
      river,
    ];
    const { facts } = rasterizeBarriers(areas, grid, projection);
    const src = join(dir, 'crossing.geojson');
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: areas.map((f, i) => ({ ...f, properties: { i } })) }));
    const text = execFileSync('ogrinfo', ['-q', '-dialect', 'sqlite', '-sql', 'SELECT i, ST_IsValid(geometry) AS v FROM crossing', src], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const invalid = [...text.matchAll(/i \(Integer\) = (\d+)\s+v \(Integer\) = 0/g)].map((m) => Number(m[1]));
    expect(invalid).toEqual([0, 2, 4]);
    expect(facts.crossing).toEqual(invalid);
  });

  it('a ring that only touches itself at a vertex (a pinch) fills as drawn and is not warned of', () => {
    // Two lobes meeting at one vertex: GEOS calls the ring self-touching, but even–odd fills both lobes as drawn.
    const pinch = feature({ type: 'Polygon', coordinates: [ring([0, 0], [800, 0], [400, 400], [800, 800], [0, 800], [400, 400])] });
    const { facts, impassable } = rasterizeBarriers([pinch], small, projection);
    expect(facts.crossing).toEqual([]);
    // Both lobes' centre cells are water, the cells beside the pinch out of both lobes stay land.
    expect(at(impassable, small, 4, 1)).toBe(1);
    expect(at(impassable, small, 4, 6)).toBe(1);
    expect(at(impassable, small, 0, 3)).toBe(0);
  });
});
