/**
 * Splits an integer total into integer parts proportional to `weights` (largest-remainder method),
 * so the parts always add up to the total exactly. Zero or negative weights get nothing.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`apportion: total must be a non-negative integer, got ${total}`);
  const positive = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = positive.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError('apportion: a positive total needs at least one positive weight');
  }
  const exact = positive.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  // Hand out what rounding down left over to the largest remainders; ties go to the earlier index.
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) parts[order[k % order.length]!.i]! += 1;
  return parts;
}
