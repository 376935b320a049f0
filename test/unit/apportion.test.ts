import { describe, expect, it } from 'vitest';
import { apportion } from '../../src/core/apportion';
import { seededRandom } from '../../src/core/random';

describe('apportion', () => {
  it('splits by largest remainder and always adds up to the total', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 3.5, 1.75, 1.75: the two leftover units go to the two largest remainders (0.75).
    expect(apportion(7, [0.5, 0.25, 0.25])).toEqual([3, 2, 2]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
    const rng = seededRandom(7);
    for (let k = 0; k < 200; k++) {
      const weights = Array.from({ length: 1 + rng.int(30) }, () => rng.next() * 10);
      const total = rng.int(100_000);
      const parts = apportion(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]!) / weights.reduce((a, b) => a + b, 0))).toBeLessThan(1));
    }
  });

  it('gives nothing to zero weights and refuses an impossible split', () => {
    expect(apportion(5, [0, 2, 0])).toEqual([0, 5, 0]);
    expect(() => apportion(5, [0, 0])).toThrow(/positive weight/);
    expect(() => apportion(-1, [1])).toThrow(/non-negative integer/);
    expect(() => apportion(2.5, [1])).toThrow(/non-negative integer/);
  });
});

describe('seededRandom', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('is uniform enough to sample from (mean and variance of 100,000 draws)', () => {
    const rng = seededRandom(1);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      sq += x * x;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });
});
