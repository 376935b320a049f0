import { describe, expect, it } from 'vitest';
import { RadixSorter } from '../../src/core/travel/terrain/radix-sort';

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
});
