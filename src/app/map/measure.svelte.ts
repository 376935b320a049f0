/**
 * The map's measuring tool: the points a planner clicked, and what they measure (a path's length, or a ring's
 * area and perimeter). The state is here; drawing and the clicks are MeasureLayer's.
 */
import { pathLength, ringArea, type LonLat } from '../../core/geo/measure';

export type MeasureMode = 'length' | 'area';

export class MeasureState {
  mode = $state<MeasureMode | null>(null);
  points = $state.raw<LonLat[]>([]);
  /** Where the cursor is while measuring: the path runs on to it until finished. */
  cursor = $state.raw<LonLat | null>(null);
  finished = $state(false);

  /** The points measured: the clicked ones, then the cursor while the shape is open. */
  readonly shape = $derived<LonLat[]>(!this.finished && this.cursor ? [...this.points, this.cursor] : this.points);

  readonly result = $derived.by((): { length: number; area: number | null } | null => {
    if (!this.mode || this.shape.length < 2) return null;
    if (this.mode === 'length') return { length: pathLength(this.shape), area: null };
    const ring = ringArea(this.shape);
    return { length: ring.perimeter, area: this.shape.length >= 3 ? ring.area : null };
  });

  start(mode: MeasureMode): void {
    this.mode = this.mode === mode ? null : mode;
    this.clear();
  }

  add(point: LonLat): void {
    if (this.finished) this.clear();
    this.points = [...this.points, point];
  }

  /** Backspace: the last point goes. */
  undo(): void {
    this.points = this.points.slice(0, -1);
    this.finished = false;
  }

  finish(): void {
    if (this.points.length >= 2) this.finished = true;
  }

  clear(): void {
    this.points = [];
    this.cursor = null;
    this.finished = false;
  }

  stop(): void {
    this.mode = null;
    this.clear();
  }
}
