/**
 * The most population points a command takes, as a check readLayer runs while a layer streams in: the memory
 * budget's (coverageBudgetProblem, the same refusal the app's worker gives) and Node's JavaScript heap's. The
 * budget comes from the machine (half its memory), but the points' features live in V8's heap, whose limit is
 * fixed when Node starts (about 4 GB by default on a 64-bit machine with 16 GB or more) whatever the machine
 * has; a population that fits the budget but not the heap would end in "JavaScript heap out of memory".
 */
import { getHeapStatistics } from 'node:v8';
import { coverageBytes, MB, type MemoryBudget } from '../core/budget';
import { coverageBudgetProblem } from '../core/coverage/limits';

/**
 * Share of the heap limit the points may take (at BYTES.coveragePoint each); the rest is headroom for parsing
 * and the collector. Measured on a streamed 3.5M-point GeoJSON (1.96 GB by the estimate): coverage runs to the
 * end under a 2,650 MB heap, where that is 74 % of it (peak RSS 2.3 GB), and is refused under 1,536 MB.
 */
const HEAP_SHARE = 0.75;

/** V8's heap limit in bytes (NODE_OPTIONS=--max-old-space-size sets it). */
function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

function mb(bytes: number): string {
  return Math.ceil(bytes / MB).toLocaleString('en');
}

/**
 * The refusal (one line, starting with the command) when `points` population points would not fit the budget
 * or the heap, else null.
 */
export function populationLimit(command: string, budget: MemoryBudget, heapBytes = heapLimitBytes()): (points: number) => string | null {
  return (points) => {
    const problem = coverageBudgetProblem(points, budget);
    if (problem) return `${command}: ${problem.en}`;
    const need = coverageBytes(points);
    const room = Math.floor(heapBytes * HEAP_SHARE);
    if (need <= room) return null;
    // Node's heap, not the budget, is the limit: raising --memory-mb would not help.
    const heapMb = Math.ceil(need / HEAP_SHARE / MB / 1024) * 1024;
    return (
      `${command}: coverage would need about ${mb(need)} MB for ${points.toLocaleString('en')} population points, ` +
      `more than Node's JavaScript heap allows (${mb(room)} MB of its ${mb(heapBytes)} MB limit); aggregate the ` +
      `population first (a coarser raster, or settlements instead of cells), or start Node with a larger heap ` +
      `(NODE_OPTIONS=--max-old-space-size=${heapMb})`
    );
  };
}
