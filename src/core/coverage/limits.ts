/**
 * Where coverage stops, said plainly instead of a frozen tab or an empty table: a population layer too large to
 * hold in the worker, and tiers whose facilities reach nobody (on the road network, say, when no facility is
 * near a road that leads to people).
 */
import { BYTES, budgetProblem, coverageBytes, workerBudget, type BudgetProblem, type MemoryBudget } from '../budget';
import type { Bilingual } from '../crs';
import { TIERS, type Tier } from '../model';
import type { CoverageSummary } from './aggregate';

/**
 * Settlements the engine takes at most. Each costs the worker its GeoJSON feature (about 0.5 KB) plus about 60
 * bytes of arrays, so two million stay near 1 GB, what a small machine's tab can have.
 */
export const MAX_COVERAGE_POINTS = 2_000_000;

/**
 * The limit for a machine: a quarter of its memory (the browser's navigator.deviceMemory, in GB, which Chromium
 * reports in steps up to 8) at about 0.56 KB a point; the fixed default when the machine does not say.
 */
export function coveragePointLimit(deviceMemoryGb: number | undefined): number {
  if (deviceMemoryGb === undefined || !Number.isFinite(deviceMemoryGb) || deviceMemoryGb <= 0) return MAX_COVERAGE_POINTS;
  // The worker's budget (src/core/budget.ts: a quarter of the device) at BYTES.coveragePoint a point.
  const points = Math.floor(workerBudget(deviceMemoryGb).bytes / BYTES.coveragePoint);
  return Math.min(8_000_000, Math.max(250_000, Math.round(points / 50_000) * 50_000));
}

/** The budget's refusal (code memory_budget_exceeded) when coverage of `points` would not fit, else null. */
export function coverageBudgetProblem(points: number, budget: MemoryBudget | number): BudgetProblem | null {
  return budgetProblem('coverage', coverageBytes(points), budget, {
    en: `${points.toLocaleString('en')} population points`,
    zh: `${points.toLocaleString('en')} 个人口点`,
  });
}

/** A message when a population layer has more points than the engine takes, else null. */
export function coverageSizeProblem(points: number, limit = MAX_COVERAGE_POINTS): (Bilingual & { code: 'coverage_too_large' }) | null {
  if (points <= limit) return null;
  const n = points.toLocaleString('en');
  const max = limit.toLocaleString('en');
  return {
    code: 'coverage_too_large',
    en: `the population layer has ${n} points, more than the ${max} coverage can hold in memory; aggregate it first (e.g. a coarser raster, or settlements instead of cells)`,
    zh: `人口图层有 ${n} 个点，超过服务圈计算可载入内存的上限 ${max}；请先汇总（如使用更粗的栅格，或以居民点代替栅格单元）`,
  };
}

/** Tiers that have facilities yet bring nobody within the largest threshold (all people counted). */
export function unreachableTiers(summary: CoverageSummary, facilitiesPerTier: Readonly<Record<Tier, number>>): Tier[] {
  const largest = String(Math.max(...summary.thresholds));
  if (summary.population_total <= 0) return [];
  return TIERS.filter((tier) => facilitiesPerTier[tier] > 0 && (summary.county.tiers[tier]?.[largest]?.covered ?? 0) === 0);
}
