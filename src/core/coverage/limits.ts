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

/**
 * The limit for a machine: a quarter of its memory (the browser's navigator.deviceMemory, in GB, which Chromium
 * reports in steps up to 8) at about 0.56 KB a point; the fixed default when the machine does not say.
 */
export function coveragePointLimit(deviceMemoryGb: number | undefined): number {
  if (deviceMemoryGb === undefined || !Number.isFinite(deviceMemoryGb) || deviceMemoryGb <= 0) return MAX_COVERAGE_POINTS;
  const points = Math.floor((deviceMemoryGb * 2 ** 30) / 4 / 560);
  return Math.min(8_000_000, Math.max(250_000, Math.round(points / 50_000) * 50_000));
}

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

/** Marks an error message that carries both languages as JSON ({zh, en}) across the worker boundary. */
export const BILINGUAL_PREFIX = 'bilingual:';

/** The reader's language of a message made with BILINGUAL_PREFIX; any other message as it is. */
export function bilingualMessage(message: string, lang: 'zh' | 'en'): string {
  if (!message.startsWith(BILINGUAL_PREFIX)) return message;
  try {
    const parsed = JSON.parse(message.slice(BILINGUAL_PREFIX.length)) as Partial<Bilingual>;
    return (lang === 'zh' ? parsed.zh : parsed.en) ?? message;
  } catch {
    return message;
  }
}

/** Tiers that have facilities yet bring nobody within the largest threshold (all people counted). */
export function unreachableTiers(summary: CoverageSummary, facilitiesPerTier: Readonly<Record<Tier, number>>): Tier[] {
  const largest = String(Math.max(...summary.thresholds));
  if (summary.population_total <= 0) return [];
  return TIERS.filter((tier) => facilitiesPerTier[tier] > 0 && (summary.county.tiers[tier]?.[largest]?.covered ?? 0) === 0);
}
