/**
 * A road segment ridden on graded ground (bicycles with an elevation model, terrain/cycling.ts): heights
 * interpolated along it at the samples the terrain graph links its cells at, and the ride to each sample each way.
 */
import type { RoadGraph } from '../road-graph';
import { cyclingKmh } from './cycling';
import { heightAt, type TerrainGrid } from './grid';

/** The samples a segment is walked at for the cells it crosses: every half cell, so only corner grazes are missed (the neighbours cover those). */
export const samplesOf = (grid: TerrainGrid, length: number): number => Math.max(1, Math.ceil(length / (grid.cell / 2)));

/**
 * A segment's ride to each of its samples on graded ground: minutes from A to sample i riding A → B (`ahead`) and
 * from sample i back to A riding B → A (`back`), each piece between samples at cyclingKmh of its own grade (flat
 * where the elevation is unknown). `flatKmh`: the segment's class speed.
 */
export function gradedRides(
  grid: TerrainGrid,
  elevation: Float32Array,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  steps: number,
  ride: number,
  flatKmh: number,
): { ahead: Float64Array; back: Float64Array } {
  const ahead = new Float64Array(steps + 1);
  const back = new Float64Array(steps + 1);
  const run = Math.hypot(bx - ax, by - ay) / steps;
  const piece = ride / steps;
  let h = heightAt(grid, elevation, ax, ay);
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const next = heightAt(grid, elevation, ax + t * (bx - ax), ay + t * (by - ay));
    const grade = h === h && next === next && run > 0 ? (next - h) / run : 0;
    ahead[i] = ahead[i - 1]! + (piece * flatKmh) / cyclingKmh(flatKmh, grade);
    back[i] = back[i - 1]! + (piece * flatKmh) / cyclingKmh(flatKmh, -grade);
    h = next;
  }
  return { ahead, back };
}

/**
 * The rides between a point `along` segment s (0 at A, 1 at B) and its ends, each way: what a facility snapped to
 * the road (it stands on water) rides to either end. At the class speed both ways when `graded` is null; on graded
 * ground (its elevation) interpolated between the samples.
 */
export function snapRides(
  roads: RoadGraph,
  grid: TerrainGrid,
  graded: Float32Array | null,
  s: number,
  along: number,
): { aToPoint: number; pointToA: number; pointToB: number; bToPoint: number } {
  const a = roads.segA[s]!;
  const b = roads.segB[s]!;
  const [ax, ay, bx, by] = [roads.nodeX[a]!, roads.nodeY[a]!, roads.nodeX[b]!, roads.nodeY[b]!];
  const ride = roads.segMinutes[s]!;
  const flat = { aToPoint: along * ride, pointToA: along * ride, pointToB: (1 - along) * ride, bToPoint: (1 - along) * ride };
  if (!graded || !(ride > 0) || !Number.isFinite(ride)) return flat;
  const steps = samplesOf(grid, Math.hypot(bx - ax, by - ay));
  const { ahead, back } = gradedRides(grid, graded, ax, ay, bx, by, steps, ride, (roads.segMetres[s]! * 60) / (1000 * ride));
  const at = Math.min(steps, Math.max(0, along * steps));
  const i = Math.min(steps - 1, Math.floor(at));
  const w = at - i;
  const aToPoint = ahead[i]! + w * (ahead[i + 1]! - ahead[i]!);
  const pointToA = back[i]! + w * (back[i + 1]! - back[i]!);
  return { aToPoint, pointToA, pointToB: ahead[steps]! - aToPoint, bToPoint: back[steps]! - pointToA };
}
