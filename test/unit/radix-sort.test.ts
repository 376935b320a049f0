import { describe, expect, it } from 'vitest';
import { RadixSorter, radixPasses } from '../../src/core/travel/terrain/radix-sort';

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('RadixSorter: the terrain queue sorts its buckets by id', () => {
  it('orders any slice like the built-in sort, leaving the rest of the list as it was', () => {
    const next = random(7);
    for (const largest of [1, 2047, 2048, 1_254_501, 16_777_215, 2 ** 31 - 1]) {
      const sorter = new RadixSorter(largest);
      for (const n of [0, 1, 5, 48, 49, 300, 5000]) {
        const list = Int32Array.from({ length: n + 20 }, () => Math.floor(next() * (largest + 1)));
        // Duplicates, as the queue holds ids pushed twice.
        for (let i = 10; i + 3 < n + 10; i += 7) list[i + 3] = list[i]!;
        const expected = Int32Array.from(list);
        expected.subarray(10, 10 + n).sort();
        sorter.sort(list, 10, 10 + n);
        expect(Array.from(list)).toEqual(Array.from(expected));
      }
    }
  });

  it('orders ids of one tile by their offset from its first, in the fewer passes that span needs', () => {
    const next = random(11);
    // A 512-cell tile of a raster 2,906 cells wide (山丹 at 30 m) after 40,000 road nodes: 21 bits, two passes, not three.
    const span = 511 * 2906 + 511;
    const base = 40_000 + 1024 * 2906 + 1536;
    expect(radixPasses(span)).toBe(2);
    expect(radixPasses(base + span)).toBe(3);
    const sorter = new RadixSorter(base + span);
    for (const n of [3, 49, 4000]) {
      const list = Int32Array.from({ length: n }, () => base + Math.floor(next() * (span + 1)));
      const expected = Int32Array.from(list).sort();
      sorter.sort(list, 0, n, base, radixPasses(span));
      expect(Array.from(list)).toEqual(Array.from(expected));
    }
  });
});
