/**
 * One memory budget for every computation, so nothing runs away: a budget in bytes derived from the machine
 * (Node's os.totalmem() in the command line, navigator.deviceMemory in the worker) or set by the person running
 * it (HEALTHSHED_MEMORY_MB, --memory-mb), and an estimate per computation made BEFORE it allocates. Over the
 * budget, the computation refuses with a message in both languages, with a code, that says what to do.
 *
 * DOM-free and Node-free: the callers read the machine and pass the numbers in.
 */
import type { Bilingual } from './crs';

export const MB = 2 ** 20;
export const GB = 2 ** 30;

/** The environment variable that sets the budget in MB (the --memory-mb flag wins over it). */
export const MEMORY_ENV = 'HEALTHSHED_MEMORY_MB';

/** Share of the machine's memory one command may use (the command line: the machine is the user's). */
export const CLI_MEMORY_FRACTION = 0.5;
/** Share of the device's memory the worker may use (a tab shares the machine with the browser and the OS). */
const WORKER_MEMORY_FRACTION = 0.25;
/** When the machine does not say (a browser without navigator.deviceMemory): as if it had 8 GB. */
const DEFAULT_MACHINE_BYTES = 8 * GB;
/** No budget is set below this: the sample county must always run. */
export const MIN_BUDGET_BYTES = 16 * MB;

type BudgetSource = 'flag' | 'env' | 'machine' | 'default';

export interface MemoryBudget {
  bytes: number;
  /** Where the figure came from, for messages. */
  source: BudgetSource;
}

/** A positive number of MB from a flag or variable, else null (missing, empty, zero, negative or not a number). */
export function parseMemoryMb(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * The budget: the flag's MB, else the variable's, else `fraction` of the machine's bytes (DEFAULT_MACHINE_BYTES
 * when unknown). Throws a RangeError for a flag or variable that is not a positive number.
 */
export function resolveBudget(input: {
  flagMb?: string | undefined;
  envMb?: string | undefined;
  machineBytes?: number | undefined;
  fraction: number;
}): MemoryBudget {
  for (const [raw, source, name] of [
    [input.flagMb, 'flag', '--memory-mb'],
    [input.envMb, 'env', MEMORY_ENV],
  ] as const) {
    if (raw === undefined || (source === 'env' && raw.trim() === '')) continue;
    const mb = parseMemoryMb(raw);
    if (mb === null) throw new RangeError(`${name} must be a positive number of MB, got "${raw}"`);
    return { bytes: Math.max(MIN_BUDGET_BYTES, Math.floor(mb * MB)), source };
  }
  const machine = input.machineBytes;
  if (machine === undefined || !Number.isFinite(machine) || machine <= 0)
    return { bytes: Math.floor(DEFAULT_MACHINE_BYTES * input.fraction), source: 'default' };
  return { bytes: Math.max(MIN_BUDGET_BYTES, Math.floor(machine * input.fraction)), source: 'machine' };
}

/** The worker's budget from navigator.deviceMemory (GB; Chromium reports steps up to 8), or an override in MB. */
export function workerBudget(deviceMemoryGb: number | undefined, overrideMb?: number): MemoryBudget {
  if (overrideMb !== undefined && overrideMb > 0) return { bytes: Math.max(MIN_BUDGET_BYTES, Math.floor(overrideMb * MB)), source: 'flag' };
  const known = deviceMemoryGb !== undefined && Number.isFinite(deviceMemoryGb) && deviceMemoryGb > 0;
  return resolveBudget({ machineBytes: known ? deviceMemoryGb * GB : undefined, fraction: WORKER_MEMORY_FRACTION });
}

// ── estimates ──────────────────────────────────────────────────────────────────────────────────────────────────
// Bytes per unit, measured (test/unit/budget.test.ts checks the siting one against a real allocation, and
// bench/siting.bench.ts prints the peak beside the estimate).

export const BYTES = {
  /** A population point in the coverage engine: its GeoJSON feature (~0.5 KB) plus ~60 B of arrays. */
  coveragePoint: 560,
  /** A candidate–demand pair in the siting matrix: 4 B in the rows, 4 B in the transpose, and the rows
   * collected in chunks before they are packed (4 B, freed before the transpose is built). */
  sitingPair: 12,
  /** A candidate: coordinates, kind, zone, id and name strings, greedy and swap state. */
  sitingCandidate: 200,
  /** A demand row: coordinates, people, weights, the search's stamps and marks. */
  sitingDemand: 120,
  /** A facility–point pair in access: the pairs (12 B), the per-scope sort keys, order and flows (~70 B). */
  accessPair: 84,
  /** A population point in access: times, nearest site, allocation and scores per scope. */
  accessPoint: 160,
  /** A feature held for export: its parsed object (~1 KB for a point with a few properties). */
  exportFeature: 1100,
} as const;

/** Bytes the coverage engine needs for a population of `points`. */
export function coverageBytes(points: number): number {
  return points * BYTES.coveragePoint;
}

export interface SitingSize {
  candidates: number;
  demand: number;
  /** Candidate–demand pairs within the threshold (estimated). */
  pairs: number;
}

/** Bytes the siting matrix and the algorithms on it need. */
export function sitingBytes(size: SitingSize): number {
  return size.pairs * BYTES.sitingPair + size.candidates * BYTES.sitingCandidate + size.demand * BYTES.sitingDemand;
}

export interface AccessSize {
  sites: number;
  points: number;
  /** Site–point pairs within the minutes (estimated). */
  pairs: number;
  /** Facility scopes computed (any tier, and each tier). */
  scopes: number;
}

/** Bytes access needs: the pairs once, their per-scope sort and flows for the largest scope, per-point state. */
export function accessBytes(size: AccessSize): number {
  return size.pairs * BYTES.accessPair + size.points * BYTES.accessPoint * Math.max(1, size.scopes);
}

/** Files read whole into memory (Shapefile, FlatGeobuf, GeoTIFF, OSM) may be at most this large (import.ts uses it). */
export const MAX_IN_MEMORY_FILE_BYTES = 512 * MB;

/** The largest file read whole within a budget: the file, its text and its features need about 4× its size. */
export function inMemoryFileLimit(budget: MemoryBudget | number): number {
  const bytes = typeof budget === 'number' ? budget : budget.bytes;
  return Math.max(1 * MB, Math.min(MAX_IN_MEMORY_FILE_BYTES, Math.floor(bytes / 4)));
}

/** Bytes a file read whole into memory needs: the bytes, the decoded text and the parsed features. */
export function readBytes(fileBytes: number, features?: number): number {
  return fileBytes * 3 + (features ?? 0) * BYTES.exportFeature;
}

/**
 * Bytes export needs: the features held (parsed, then mapped), and what is written. GeoJSON is streamed out a
 * feature at a time; the other formats are built whole (about the input's size again).
 */
export function exportBytes(input: { fileBytes: number; streamedIn: boolean; streamedOut: boolean }): number {
  // Measured: a point feature of ~200 B of GeoJSON becomes ~1 KB of objects read, ~1 KB mapped.
  const held = input.fileBytes * (input.streamedIn ? 8 : 11);
  return held + (input.streamedOut ? 0 : input.fileBytes * 3);
}

/** Bytes writing `features` already held needs: the output (about 300 B a feature), twice unless streamed. */
export function exportFeaturesBytes(features: number, streamedOut: boolean): number {
  return features * (streamedOut ? 600 : 1200);
}

/**
 * Pairs within reach over `count` items, estimated from an even sample of at most `sample` of them:
 * exact when count ≤ sample. `countAt(j)` is item j's own number of pairs.
 */
export function estimatePairs(count: number, countAt: (j: number) => number, sample = 256): number {
  if (count <= 0) return 0;
  if (count <= sample) {
    let sum = 0;
    for (let j = 0; j < count; j++) sum += countAt(j);
    return sum;
  }
  let sum = 0;
  const step = count / sample;
  for (let s = 0; s < sample; s++) sum += countAt(Math.min(count - 1, Math.floor((s + 0.5) * step)));
  return Math.round((sum / sample) * count);
}

// ── refusals ───────────────────────────────────────────────────────────────────────────────────────────────────

export type BudgetTask = 'coverage' | 'siting' | 'access' | 'export' | 'import';

export interface BudgetProblem extends Bilingual {
  code: 'memory_budget_exceeded';
  task: BudgetTask;
  /** Bytes the estimate says the computation needs. */
  need: number;
  budget: number;
}

const TASK_NAME: Record<BudgetTask, Bilingual> = {
  coverage: { en: 'coverage', zh: '服务圈计算' },
  siting: { en: 'siting', zh: '选址计算' },
  access: { en: 'access', zh: '可及性计算' },
  export: { en: 'export', zh: '导出' },
  import: { en: 'import', zh: '导入' },
};

/** What to do, per task, in both languages. */
const ADVICE: Record<BudgetTask, Bilingual> = {
  coverage: {
    en: 'aggregate the population first (a coarser raster, or settlements instead of cells)',
    zh: '请先汇总人口（如使用更粗的栅格，或以居民点代替栅格单元）',
  },
  siting: {
    en: 'thin the candidates (grid candidates with larger cells, or exclude areas), aggregate the population to a grid, lower the minutes or K',
    zh: '请减少候选点（改用更大网格的网格候选点，或排除部分区域）、将人口汇总到网格、降低时间阈值或 K',
  },
  access: {
    en: 'aggregate the population to a grid, lower the minutes, or compute one tier instead of all',
    zh: '请将人口汇总到网格、降低时间阈值，或只计算一个层级',
  },
  export: {
    en: 'split the layer into parts (GeoJSON output, written as a stream, needs the least)',
    zh: '请将图层拆分为几部分（导出为流式写出的 GeoJSON 所需内存最少）',
  },
  import: {
    en: 'aggregate or split the layer (e.g. the population to a coarser grid)',
    zh: '请汇总或拆分图层（如将人口汇总到更粗的网格）',
  },
};

function mb(bytes: number): string {
  return Math.ceil(bytes / MB).toLocaleString('en');
}

/**
 * The refusal when `need` bytes exceed the budget, else null. `what` says what is large ({en, zh}, e.g.
 * "97,000 candidates × 800 people within reach each").
 */
export function budgetProblem(task: BudgetTask, need: number, budget: MemoryBudget | number, what: Bilingual): BudgetProblem | null {
  const limit = typeof budget === 'number' ? budget : budget.bytes;
  if (!(need > limit)) return null;
  const name = TASK_NAME[task];
  const advice = ADVICE[task];
  return {
    code: 'memory_budget_exceeded',
    task,
    need,
    budget: limit,
    en: `${name.en} would need about ${mb(need)} MB for ${what.en}, more than its memory budget of ${mb(limit)} MB; ${advice.en}, or raise the limit with --memory-mb N (or ${MEMORY_ENV})`,
    zh: `${name.zh}约需 ${mb(need)} MB 内存（${what.zh}），超过内存预算 ${mb(limit)} MB；${advice.zh}，或用 --memory-mb N（或 ${MEMORY_ENV}）提高上限`,
  };
}

/** Thrown by a computation that refuses to start: its message is the English one, `problem` has both. */
export class BudgetError extends Error {
  override name = 'BudgetError';
  constructor(readonly problem: BudgetProblem) {
    super(problem.en);
  }
}

/** Throws BudgetError when `need` exceeds the budget (no budget: no check). */
export function checkBudget(task: BudgetTask, need: number, budget: MemoryBudget | number | null | undefined, what: Bilingual): void {
  if (budget === null || budget === undefined) return;
  const problem = budgetProblem(task, need, budget, what);
  if (problem) throw new BudgetError(problem);
}
