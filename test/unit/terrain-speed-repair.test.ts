/**
 * The terrain repair (a source removed, moved or added) against a search from scratch over the whole field, on
 * rasters with slopes, water, land cover and edges: every cell's minutes the same, and every cell's source one
 * whose own search gives that cell those minutes (a tie may go to either source).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random';
import type { TerrainGrid } from '../../src/core/travel/terrain/grid';
import { emptyTerrainField, relaxTerrain } from '../../src/core/travel/terrain/search';
import { TerrainSourceField, type TerrainSource } from '../../src/core/travel/terrain/source-field';
import { buildTerrainGraph, type TerrainGraph } from '../../src/core/travel/terrain/terrain-graph';

const grid: TerrainGrid = { x0: 0, y0: 0, cell: 100, nx: 47, ny: 31 };
const CUTOFF = 60;

function graphOf(seed: number, neighbours: 8 | 16, landCover: boolean): TerrainGraph {
  const rng = seededRandom(seed);
  const random = (): number => rng.next();
  const n = grid.nx * grid.ny;
  const elevation = new Float32Array(n);
  const impassable = new Uint8Array(n);
  const speedFactor = landCover ? new Float32Array(n) : null;
  for (let k = 0; k < n; k++) {
    const c = k % grid.nx;
    const r = Math.floor(k / grid.nx);
    elevation[k] = random() < 0.05 ? NaN : 40 * Math.sin(c / 5) + 25 * Math.cos(r / 4) + 5 * random();
    // A river across the raster with one ford, and a few ponds.
    impassable[k] = (c === 20 && r !== 12) || random() < 0.03 ? 1 : 0;
    if (speedFactor) speedFactor[k] = random() < 0.05 ? 0 : 0.4 + random();
  }
  return buildTerrainGraph(null, { grid, elevation, impassable, speedFactor }, { offroadKmh: 4.5, neighbours, direction: 'to_facility' });
}

const at = (c: number, r: number, label: number): TerrainSource => ({
  label,
  x: (c + 0.5) * grid.cell,
  y: (r + 0.5) * grid.cell,
  snap: null,
});

/** Every cell's minutes from scratch, and each source's own minutes (to check a cell's source, ties either way). */
function expected(graph: TerrainGraph, sources: readonly TerrainSource[]) {
  const all = new TerrainSourceField(graph, CUTOFF);
  all.reset(sources);
  const own = new Map(
    sources.map((s) => {
      const field = emptyTerrainField(graph);
      const one = new TerrainSourceField(graph, CUTOFF);
      one.reset([s]);
      field.minutes.set(one.field.minutes);
      return [s.label, field.minutes] as const;
    }),
  );
  return { minutes: all.field.minutes, own };
}

describe('terrain repair', () => {
  for (const [seed, neighbours, landCover] of [
    [1, 16, false],
    [2, 8, true],
    [3, 16, true],
  ] as const)
    it(`gives what a search from scratch gives (${neighbours} neighbours${landCover ? ', land cover' : ''})`, () => {
      const graph = graphOf(seed, neighbours, landCover);
      // Two sources on one cell (removing one must leave the other's seed in place), one at the grid's corner.
      let sources = [at(5, 5, 0), at(30, 20, 1), at(30, 20, 2), at(0, 0, 3), at(44, 3, 4)];
      const field = new TerrainSourceField(graph, CUTOFF);
      field.reset(sources);
      const edits: [TerrainSource[], TerrainSource[]][] = [
        [[sources[1]!], []],
        [[sources[0]!], [at(25, 12, 0)]],
        [[], [at(46, 30, 5)]],
        [[sources[3]!, sources[4]!], [at(10, 25, 3)]],
      ];
      for (const [removed, added] of edits) {
        field.update(removed, added);
        sources = [...sources.filter((s) => !removed.includes(s)), ...added];
        const { minutes, own } = expected(graph, sources);
        let reached = 0;
        for (let id = 0; id < minutes.length; id++) {
          expect(field.field.minutes[id]).toBe(minutes[id]);
          const l = field.field.label[id]!;
          if (minutes[id] === Infinity) expect(l).toBe(-1);
          else {
            reached++;
            expect(own.get(l)?.[id]).toBe(minutes[id]);
          }
        }
        expect(reached).toBeGreaterThan(grid.nx * grid.ny * 0.3);
      }
    });

  it('gives the same field when a seed comes twice or a later seed improves nothing', () => {
    const graph = graphOf(4, 16, false);
    const a = emptyTerrainField(graph);
    relaxTerrain(graph, a, [{ id: 5 * grid.nx + 5, minutes: 0, label: 0 }], CUTOFF, null);
    // The same seed given twice and a later seed that improves nothing leave the same field.
    const b = emptyTerrainField(graph);
    relaxTerrain(
      graph,
      b,
      [
        { id: 5 * grid.nx + 5, minutes: 0, label: 0 },
        { id: 5 * grid.nx + 5, minutes: 0, label: 0 },
        { id: 6 * grid.nx + 6, minutes: 50, label: 1 },
      ],
      CUTOFF,
      null,
    );
    expect(Array.from(b.minutes)).toEqual(Array.from(a.minutes));
    expect(Array.from(b.label)).toEqual(Array.from(a.label));
  });
});
