/**
 * Where coverage stops, said plainly instead of a frozen tab or an empty table: a population layer too large to
 * hold in the worker, and tiers whose facilities reach nobody (on the road network, say, when no facility is
 * near a road that leads to people).
 */
import type { Bilingual } from '../crs';
import { TIERS, type Tier } from '../model';
import type { CoverageSummary } from './aggregate';

/**
 * Settlements the engine takes at most. Each costs the worker its GeoJSON feature (about 0.5 KB) plus about 60
 * bytes of arrays, so two million stay near 1 GB, what a small machine's tab can have.
 */
export const MAX_COVERAGE_POINTS = 2_000_000;

/** A message when a population layer has more points than the engine takes, else null. */
export function coverageSizeProblem(points: number, limit = MAX_COVERAGE_POINTS): Bilingual | null {
  if (points <= limit) return null;
  const n = points.toLocaleString('en');
  const max = limit.toLocaleString('en');
  return {
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
