/**
 * People newly within reach between two scenarios: for every tier, threshold and township (and the nearest
 * facility of any tier), b − a. Both sides are CoverageSummary as the engine gives them; thresholds or
 * townships present on one side only are reported with null on the other, never guessed.
 */
import type { AreaCoverage, CoverageSummary, Reach, StandardCheck, StandardReason, StandardVerdict } from '../coverage/aggregate';
import { TIERS, type Tier } from '../model';

interface ReachChange {
  /** People within the threshold in a and in b (null: that side has no such threshold or township). */
  a: number | null;
  b: number | null;
  /** b − a: people newly within reach; negative when people lose it (a facility removed or moved away). */
  newly_covered: number | null;
  share_a: number | null;
  share_b: number | null;
  /** b − a of the shares (0–1), null when either is unknown. */
  share_change: number | null;
}

interface AreaCoverageChange {
  code: string;
  name: string;
  population_a: number | null;
  population_b: number | null;
  tiers: Record<Tier, Record<string, ReachChange>>;
  any: Record<string, ReachChange>;
}

export interface CoverageComparison {
  /** Every threshold of either side, ascending. */
  thresholds: number[];
  county: AreaCoverageChange;
  /** Townships of a in their order, then any only b has. */
  zones: AreaCoverageChange[];
  /**
   * People outside the standard (missing any part that applies to them) in a and b; negative change is better. The
   * verdicts are the checks' own: `cannot_judge` (reason `no_people`…) is never a pass; `pass_a`/`pass_b` are
   * verdict === 'pass', kept for callers that want yes or no.
   */
  standard: {
    shortfall_a: number;
    shortfall_b: number;
    shortfall_change: number;
    verdict_a: StandardVerdict;
    verdict_b: StandardVerdict;
    reason_a: StandardReason;
    reason_b: StandardReason;
    pass_a: boolean;
    pass_b: boolean;
  };
}

/** The verdict of one side; a summary from before verdicts existed is judged only when it has people. */
function verdictOf(check: StandardCheck): { verdict: StandardVerdict; reason: StandardReason } {
  if (check.verdict) return { verdict: check.verdict, reason: check.reason ?? null };
  // Older summaries kept urban and rural people instead of parts.
  const legacy = check as unknown as { urban?: { population?: number }; rural?: { population?: number } };
  const people =
    (legacy.urban?.population ?? 0) + (legacy.rural?.population ?? 0) + (check.parts ?? []).reduce((s, p) => s + p.population, 0);
  if (!(people > 0)) return { verdict: 'cannot_judge', reason: 'no_people' };
  return { verdict: check.pass ? 'pass' : 'fail', reason: null };
}

const minus = (b: number | null, a: number | null): number | null => (a === null || b === null ? null : b - a);

function reachChange(a: Reach | undefined, b: Reach | undefined): ReachChange {
  const ca = a?.covered ?? null;
  const cb = b?.covered ?? null;
  const sa = a?.share ?? null;
  const sb = b?.share ?? null;
  return { a: ca, b: cb, newly_covered: minus(cb, ca), share_a: sa, share_b: sb, share_change: minus(sb, sa) };
}

function columns(a: Record<string, Reach> | undefined, b: Record<string, Reach> | undefined, thresholds: number[]) {
  return Object.fromEntries(thresholds.map((t) => [String(t), reachChange(a?.[String(t)], b?.[String(t)])]));
}

function areaChange(a: AreaCoverage | undefined, b: AreaCoverage | undefined, thresholds: number[]): AreaCoverageChange {
  const either = (b ?? a)!;
  return {
    code: either.code,
    name: b?.name ?? a?.name ?? '',
    population_a: a?.population ?? null,
    population_b: b?.population ?? null,
    tiers: Object.fromEntries(TIERS.map((tier) => [tier, columns(a?.tiers[tier], b?.tiers[tier], thresholds)])) as Record<
      Tier,
      Record<string, ReachChange>
    >,
    any: columns(a?.any, b?.any, thresholds),
  };
}

/** b − a for every tier, threshold and township; thresholds and townships are matched by value and code. */
export function compareCoverage(a: CoverageSummary, b: CoverageSummary): CoverageComparison {
  const thresholds = [...new Set([...a.thresholds, ...b.thresholds])].sort((x, y) => x - y);
  const zonesB = new Map(b.zones.map((z) => [z.code, z]));
  const codesA = new Set(a.zones.map((z) => z.code));
  const zones = [
    ...a.zones.map((z) => areaChange(z, zonesB.get(z.code), thresholds)),
    ...b.zones.filter((z) => !codesA.has(z.code)).map((z) => areaChange(undefined, z, thresholds)),
  ];
  const va = verdictOf(a.standard);
  const vb = verdictOf(b.standard);
  return {
    thresholds,
    county: areaChange(a.county, b.county, thresholds),
    zones,
    standard: {
      shortfall_a: a.standard.shortfall,
      shortfall_b: b.standard.shortfall,
      shortfall_change: b.standard.shortfall - a.standard.shortfall,
      verdict_a: va.verdict,
      verdict_b: vb.verdict,
      reason_a: va.reason,
      reason_b: vb.reason,
      pass_a: va.verdict === 'pass',
      pass_b: vb.verdict === 'pass',
    },
  };
}
