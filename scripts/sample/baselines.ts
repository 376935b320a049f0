import { NATIONAL_2020, RESOURCE_INDICATORS, type ResourceBaseline, type ResourceIndicator } from './shared-tables';

interface PlanIndicatorLike {
  id: string;
  baseline_2020?: number | null;
  quote?: string;
}

/**
 * The 2020 ratios the modelled beds and staff are sized to: the plan's own `baseline_2020` where it gives
 * one (for Jingyu that is the count-backed value, not the doubtful `baseline_2020_alt`), otherwise the
 * national 2020 figure, marked as such.
 */
export function resourceBaselines(plan: { indicators: readonly PlanIndicatorLike[] }): Record<ResourceIndicator, ResourceBaseline> {
  const out = {} as Record<ResourceIndicator, ResourceBaseline>;
  for (const id of RESOURCE_INDICATORS) {
    const indicator = plan.indicators.find((i) => i.id === id);
    const value = indicator?.baseline_2020;
    out[id] =
      typeof value === 'number' && Number.isFinite(value) && value > 0
        ? { value, source: 'plan_baseline_2020', ...(indicator?.quote ? { quote: indicator.quote } : {}) }
        : { value: NATIONAL_2020[id], source: 'national_2020_fallback' };
  }
  return out;
}
