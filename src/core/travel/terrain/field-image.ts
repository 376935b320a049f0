/**
 * The travel-time field as a picture for the map: every pixel of a Web Mercator-aligned image (what MapLibre's
 * image source stretches between four corners) reads the minutes of the cell under its centre, through the
 * engine's projection, and takes the colour of those minutes on one continuous ramp. Unreached cells are clear.
 * The ramp's stops are returned with the image, so the legend is drawn from the same numbers as the pixels.
 */
import type { LocalProjection } from '../../geo/local-projection';
import { cellAt } from './grid';
import type { TerrainField } from './search';
import type { TerrainGraph } from './terrain-graph';

export interface FieldStop {
  minutes: number;
  rgb: [number, number, number];
}

export interface FieldImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  /** MapLibre image source corners: top left, top right, bottom right, bottom left, [lon, lat]. */
  coordinates: [[number, number], [number, number], [number, number], [number, number]];
  stops: FieldStop[];
}

/** Quick to slow: green, yellow, orange, red, purple (ColorBrewer-like, readable by most colour-blind readers in lightness). */
const RAMP: [number, number, number][] = [
  [26, 152, 80],
  [166, 217, 106],
  [254, 224, 139],
  [253, 174, 97],
  [215, 48, 39],
  [118, 42, 131],
];

/**
 * The ramp's stops for a field searched to `maxMinutes`: 0, the service-circle thresholds and the horizon, and
 * between them, in the widest gap, twice its lower end (30 → 60) or else its middle on a multiple of 15 minutes,
 * until there are as many stops as colours; so the thresholds fall on colour changes a reader can see.
 */
export function fieldStops(thresholds: readonly number[], maxMinutes: number): FieldStop[] {
  const marks = [...new Set([0, ...thresholds.filter((t) => t > 0 && t < maxMinutes), maxMinutes])].sort((a, b) => a - b);
  while (marks.length < RAMP.length) {
    let widest = 0;
    for (let i = 1; i < marks.length - 1; i++) if (marks[i + 1]! - marks[i]! > marks[widest + 1]! - marks[widest]!) widest = i;
    const [a, b] = [marks[widest]!, marks[widest + 1]!];
    const step = b - a >= 30 ? 15 : 5;
    const mark = a > 0 && 2 * a < b ? 2 * a : Math.round((a + b) / 2 / step) * step;
    if (!(mark > a && mark < b)) break;
    marks.splice(widest + 1, 0, mark);
  }
  const picked = marks.length > RAMP.length ? marks.filter((_, i) => i % Math.ceil(marks.length / RAMP.length) === 0) : marks;
  return picked.map((minutes, i) => ({ minutes, rgb: RAMP[Math.round((i * (RAMP.length - 1)) / Math.max(1, picked.length - 1))]! }));
}

function colourAt(stops: readonly FieldStop[], minutes: number, out: Uint8ClampedArray, at: number): void {
  let i = 1;
  while (i < stops.length - 1 && minutes > stops[i]!.minutes) i++;
  const a = stops[i - 1]!;
  const b = stops[i]!;
  const w = Math.min(1, Math.max(0, (minutes - a.minutes) / (b.minutes - a.minutes || 1)));
  out[at] = a.rgb[0] + w * (b.rgb[0] - a.rgb[0]);
  out[at + 1] = a.rgb[1] + w * (b.rgb[1] - a.rgb[1]);
  out[at + 2] = a.rgb[2] + w * (b.rgb[2] - a.rgb[2]);
  out[at + 3] = 255;
}

const mercatorY = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const latitudeOf = (y: number): number => (360 / Math.PI) * Math.atan(Math.exp(y)) - 90;

/** Which cell each pixel of the image reads (-1: off the grid), worked out once per graph and image size. */
export interface PixelCells {
  width: number;
  height: number;
  cells: Int32Array;
  coordinates: FieldImage['coordinates'];
}

/** The image's pixels over the grid's extent, at most `maxPixels` (about one per cell below that), and their cells. */
export function pixelCells(graph: TerrainGraph, projection: LocalProjection, maxPixels = 1_000_000): PixelCells {
  const { x0, y0, cell, nx, ny } = graph.grid;
  const corners = [
    [x0, y0],
    [x0 + nx * cell, y0],
    [x0, y0 + ny * cell],
    [x0 + nx * cell, y0 + ny * cell],
  ].map(([x, y]) => projection.inverse(x!, y!));
  const west = Math.min(...corners.map((c) => c[0]));
  const east = Math.max(...corners.map((c) => c[0]));
  const south = Math.min(...corners.map((c) => c[1]));
  const north = Math.max(...corners.map((c) => c[1]));
  const scale = Math.min(1, Math.sqrt(maxPixels / (nx * ny)));
  const width = Math.max(1, Math.round(nx * scale));
  const height = Math.max(1, Math.round(ny * scale));
  const cells = new Int32Array(width * height);
  const [top, bottom] = [mercatorY(north), mercatorY(south)];
  for (let py = 0; py < height; py++) {
    const lat = latitudeOf(top + ((py + 0.5) / height) * (bottom - top));
    for (let px = 0; px < width; px++) {
      const lon = west + ((px + 0.5) / width) * (east - west);
      const [x, y] = projection.forward(lon, lat);
      cells[py * width + px] = cellAt(graph.grid, x, y);
    }
  }
  return {
    width,
    height,
    cells,
    coordinates: [
      [west, north],
      [east, north],
      [east, south],
      [west, south],
    ],
  };
}

/** The field's image: each pixel coloured by its cell's minutes (pixels from pixelCells, kept for the next image). */
export function fieldImage(graph: TerrainGraph, field: TerrainField, pixels: PixelCells, stops: readonly FieldStop[]): FieldImage {
  const { width, height, cells } = pixels;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const last = stops[stops.length - 1]!.minutes;
  const R = graph.roadNodes;
  for (let p = 0; p < cells.length; p++) {
    const k = cells[p]!;
    if (k < 0) continue;
    const minutes = field.minutes[R + k]!;
    if (minutes <= last) colourAt(stops, minutes, rgba, p * 4);
  }
  return { width, height, rgba, coordinates: pixels.coordinates, stops: [...stops] };
}
