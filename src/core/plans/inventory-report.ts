/**
 * The plan inventory of a ratios report: what the report judged (its indicators and rule checks) and the coverage
 * standard the plan gives, so the app and the command line list the same entries.
 */
import { circleStandard } from '../coverage/standard';
import type { RatiosReport } from '../ratios/report';
import { planInventory, type InventoryEntry } from './inventory';
import type { Plan } from './plan';

export function reportInventory(plan: Plan, report: Pick<RatiosReport, 'county' | 'rules'>): InventoryEntry[] {
  return planInventory(plan, {
    ratioIds: report.county.indicators.map((e) => e.indicator_id),
    rules: report.rules,
    standard: circleStandard(plan),
  });
}
