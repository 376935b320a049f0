/**
 * Tobler's hiking function (Tobler 1993, "Three presentations on geographical analysis and modeling"): walking
 * speed W = 6·e^(−3.5·|S + 0.05|) km/h on a slope S = rise / run in the direction of travel. Fastest (6 km/h) a
 * little downhill (S = −0.05), 5.04 km/h on the flat, and uphill differs from downhill: the time to a facility
 * is not the time from it. The model keeps a profile's own flat speed and scales it by W(S) / W(0), so without
 * elevation every factor is 1 and the minutes are the flat ones.
 */

/** W(S) / W(0): the factor a slope applies to the flat off-road speed. */
export function toblerFactor(slope: number): number {
  return Math.exp(-3.5 * (Math.abs(slope + 0.05) - 0.05));
}

/** Tobler's walking speed in km/h on slope S (for tests and documentation; the engine uses toblerFactor). */
export const toblerKmh = (slope: number): number => 6 * Math.exp(-3.5 * Math.abs(slope + 0.05));

/** Slopes beyond this (a 1:1 rise, 45°) are read as this: Tobler's curve is fitted to walkable ground. */
const MAX_SLOPE = 1;
const STEPS_PER_UNIT = 2000;
const TABLE_SIZE = 2 * MAX_SLOPE * STEPS_PER_UNIT + 1;

/**
 * 1 / toblerFactor on a table of slopes −1..1 every 0.0005, linearly interpolated: the search takes eight or
 * sixteen slopes per cell, and a table read is several times cheaper than Math.exp. The interpolation's error
 * is below 1e-6 relative (the curve is smooth between steps; its kink at −0.05 falls on a step).
 */
const PACE_TABLE = (() => {
  const table = new Float64Array(TABLE_SIZE + 1);
  for (let i = 0; i <= TABLE_SIZE; i++) table[i] = 1 / toblerFactor(i / STEPS_PER_UNIT - MAX_SLOPE);
  return table;
})();

/** The smallest slopePace of any slope (downhill at −0.05): no step is quicker than its flat minutes times this. */
export const FASTEST_SLOPE_PACE = PACE_TABLE.reduce((a, b) => Math.min(a, b), Infinity);

/** 1 / toblerFactor(slope), clamped to ±MAX_SLOPE: the pace multiplier of a slope. */
export function slopePace(slope: number): number {
  let f = (slope + MAX_SLOPE) * STEPS_PER_UNIT;
  if (f <= 0) return PACE_TABLE[0]!;
  if (f >= TABLE_SIZE - 1) f = TABLE_SIZE - 1;
  const i = f | 0;
  const w = f - i;
  return PACE_TABLE[i]! + w * (PACE_TABLE[i + 1]! - PACE_TABLE[i]!);
}
