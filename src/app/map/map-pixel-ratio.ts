/**
 * The map's drawing resolution on this computer. Without a GPU (an old office PC, a virtual desktop, the headless
 * browser of the tests) WebGL runs in software and a frame costs in proportion to its pixels: a 1,400 × 900 map
 * takes about 0.3 s a frame in SwiftShader. `healthshed.mapPixelRatio` in this browser's localStorage (a number
 * from 0.25 to 4) draws the map at that many device pixels per CSS pixel instead of the screen's own; the map
 * keeps its size, positions and clicks, and is only less sharp. Absent or unusable: the screen's ratio.
 * A setting of this machine, not of the project: it changes no figure.
 */
const KEY = 'healthshed.mapPixelRatio';

export function mapPixelRatio(): number | undefined {
  let saved: string | null;
  try {
    saved = globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return undefined; // storage refused (a sandboxed frame): the screen's ratio
  }
  const ratio = saved === null ? NaN : Number(saved);
  return Number.isFinite(ratio) && ratio >= 0.25 && ratio <= 4 ? ratio : undefined;
}
