/**
 * "Where should the next clinic go": siting suggestions that bring the most people within reach.
 *
 * One call runs the whole answer on a CoverageEngine the caller already holds (so the population, the graph
 * and today's times are not rebuilt): candidates → the coverage matrix (one bounded search per candidate) →
 * lazy greedy → swap → (with an injected solver, when small) the exact optimum → optional fewest sites for a
 * target share and the best single relocations. Synchronous and DOM-free: a worker runs it with progress
 * callbacks and a cancel check, the CLI runs it as is.
 */
import type { TerrainGraph } from '../travel/terrain/terrain-graph';
import { checkBudget, estimatePairs, sitingBytes, type MemoryBudget } from '../budget';
import type { PopulationArrays } from '../coverage/inputs';
import type { LocalProjection } from '../geo/local-projection';
import { SERVICE_TIERS, type Tier } from '../model';
import type { RoadGraph } from '../travel/road-graph';
import type { TravelSettings } from '../travel/settings';
import { dataDependentBound, greedyGuarantee, residualBound } from './bound';
import { buildCandidates, DEFAULT_GRID_METRES, type PlacedFacility } from './candidates';
import type { SiteConstraints } from './constraints';
import { buildCoverageMatrix, coverageValue, marginalGains, type Sites } from './coverage-matrix';
import { demandRows } from './demand';
import { solveMaxCoverage, type ExactResult } from './exact';
import { readAreas, type AreaSet } from './exclusion';
import { lazyGreedy } from './greedy';
import type { MipSolver } from './mip';
import { SiteReach, type ReachModel } from './reach';
import { bestRelocations } from './relocate';
import {
  capacitatedProblem,
  coverageObjective,
  runCapacitated,
  runCenter,
  runMedian,
  type CapacityRequest,
  type ObjectiveAnswer,
} from './objectives';
import { timeProblemFor } from './minutes-matrix';
import { orderByTime, prefixFigures, siteEffects, type TimeFigures } from './time-effects';
import { tradeoffCurves } from './tradeoff';
import {
  describeCandidate,
  gainsInOrder,
  orderByMarginal,
  SITING_OBJECTIVES,
  share,
  suggestionsFor,
  type ExactReport,
  type RelocationReport,
  type SetCoverReport,
  type ObjectiveReport,
  type SitingObjective,
  type SitingProblem,
  type SitingResult,
} from './report';
import { minSites } from './set-cover';
import { swapImprove } from './swap';
import { checkStop, now, SitingInputError, type CandidateSet, type CoverageMatrix, type SitingHooks } from './types';

export { suggestionFeatures, SITING_OBJECTIVES, type SitingObjective, type SitingResult } from './report';
export type { CapacityRequest } from './objectives';
export { SitingCancelledError, SitingInputError } from './types';
export type { MipSolver } from './mip';
export { highsSolver } from './highs-solver';

/** What siting needs of the coverage engine (a CoverageEngine fits). */
export interface SitingEngine {
  readonly points: PopulationArrays;
  readonly projection: LocalProjection;
  readonly settings: TravelSettings;
  /** The engine's search cutoff in minutes: today's times are known up to it. */
  readonly cutoff: number;
  readonly graph: RoadGraph | null;
  /** Terrain mode's graph (null in the other modes; absent where an engine has none). */
  readonly terrain?: TerrainGraph | null;
  readonly times: Record<Tier, Float32Array>;
  facilities(): readonly (PlacedFacility & { tier: Tier })[];
}

export interface SitingRequest extends SitingHooks {
  tier: Tier;
  /** The threshold: people within this many minutes count as covered. */
  minutes: number;
  /** How many new sites. */
  k: number;
  candidates?: 'settlements' | 'grid';
  /** Grid cell size in metres (default 1,000). */
  gridMetres?: number;
  /** A settlement with a facility of the tier within this many metres already has one (default 300). */
  occupiedMetres?: number;
  /** Existing facilities stay and the people they reach count for nothing (default true). When false, the
   * existing facilities are ignored and offered as candidates among the others. */
  lockExisting?: boolean;
  onePerTownship?: boolean;
  /** GeoJSON polygons no site may be in. */
  exclude?: unknown;
  /** Township polygons (properties.code as in the population's townships), to give grid cells a township. */
  zones?: unknown;
  /** What the sites are chosen for (default maximal coverage). */
  objective?: SitingObjective;
  /** Capacitated coverage: the capacities (required for that objective). */
  capacity?: CapacityRequest;
  /** Also each objective's picks for K = 1..this, with coverage, mean and worst time (default none). */
  tradeoffK?: number;
  /** What the suggestions do to travel times, before and after (default true). */
  effects?: boolean;
  /** Improve greedy by single exchanges (default true). */
  swap?: boolean;
  /** Solve exactly with this solver when the instance is small enough. */
  solver?: MipSolver | null;
  /** Largest number of useful candidates solved exactly (default 2,000). */
  exactMaxCandidates?: number;
  exactTimeLimitSeconds?: number;
  /** Also find the fewest sites bringing coverage of the tier to this share of all people (0..1]. */
  targetShare?: number | null;
  /** Also report the best few single relocations of existing facilities (true: 5). */
  relocate?: boolean | number;
  /** Extend the greedy curve to this many sites (default K). */
  curveK?: number;
  /** List, per suggestion, the population points (engine.points indices) it newly covers, for the map. */
  includePoints?: boolean;
  /** The memory budget (src/core/budget.ts): the matrix's size is estimated before it is built, and a run that
   * would not fit throws BudgetError. None: no check. */
  memoryBudget?: MemoryBudget | number | null;
}

const DEFAULT_EXACT_MAX_CANDIDATES = 2000;

function validate(engine: SitingEngine, r: SitingRequest): void {
  // Emergency stations are not sited: their reach is an emergency circle's (ambulance, from every base, hospitals and
  // centres with them), which one tier on the scenario's travel would misjudge; the planner places them.
  if (r.tier === 'emergency_station')
    throw new SitingInputError('emergency stations are not sited: place them and read the emergency circles (ambulance, with every base)');
  if (!SERVICE_TIERS.includes(r.tier as Tier))
    throw new SitingInputError(`unknown tier "${r.tier}" (expected ${SERVICE_TIERS.join(', ')})`);
  if (!Number.isFinite(r.minutes) || r.minutes <= 0) throw new SitingInputError(`minutes must be a positive number, got ${r.minutes}`);
  if (r.minutes > engine.cutoff + 1e-9)
    throw new SitingInputError(
      `minutes ${r.minutes} is beyond the engine's search cutoff of ${engine.cutoff} (build it with that threshold)`,
    );
  if (!Number.isInteger(r.k) || r.k < 1) throw new SitingInputError(`k must be a whole number ≥ 1, got ${r.k}`);
  if (r.gridMetres !== undefined && !(r.gridMetres >= 10))
    throw new SitingInputError(`grid cell size must be at least 10 m, got ${r.gridMetres}`);
  if (r.occupiedMetres !== undefined && !(r.occupiedMetres >= 0)) throw new SitingInputError(`occupied radius must be ≥ 0 m`);
  if (r.targetShare !== undefined && r.targetShare !== null && !(r.targetShare > 0 && r.targetShare <= 1))
    throw new SitingInputError(`target share must be in (0, 1], got ${r.targetShare}`);
  if (r.curveK !== undefined && !(Number.isInteger(r.curveK) && r.curveK >= 0))
    throw new SitingInputError(`curve length must be a whole number`);
  if (r.tradeoffK !== undefined && !(Number.isInteger(r.tradeoffK) && r.tradeoffK >= 0 && r.tradeoffK <= 50))
    throw new SitingInputError(`trade-off length must be a whole number from 0 to 50`);
  const objective = r.objective ?? 'coverage';
  if (!SITING_OBJECTIVES.includes(objective))
    throw new SitingInputError(`unknown objective "${String(objective)}" (expected ${SITING_OBJECTIVES.join(', ')})`);
  if (objective === 'capacitated') {
    const c = r.capacity;
    if (!c) throw new SitingInputError('capacitated coverage needs capacities');
    if (!(c.peoplePerBed > 0) || !(c.peoplePerPhysician > 0)) throw new SitingInputError('people per bed and per physician must be > 0');
    if (c.sitePeople !== null && !(c.sitePeople >= 0 && Number.isFinite(c.sitePeople)))
      throw new SitingInputError(`a new site's capacity must be a number of people ≥ 0, got ${c.sitePeople}`);
  }
}

/** Township polygons aligned with the population's zone codes. */
function zoneAreas(points: PopulationArrays, zones: unknown): (AreaSet | null)[] | null {
  if (!zones) return null;
  const fc = zones as { features?: { properties?: Record<string, unknown> | null }[] };
  if (!Array.isArray(fc.features)) throw new SitingInputError('zones: expected a GeoJSON FeatureCollection');
  const byCode = new Map(points.zoneCodes.map((c, i) => [c, i]));
  const out: (AreaSet | null)[] = points.zoneCodes.map(() => null);
  fc.features.forEach((f, i) => {
    const z = byCode.get(String(f.properties?.['code'] ?? ''));
    if (z !== undefined) out[z] = readAreas(f, `zones: feature ${i}`);
  });
  return out;
}

/** Runs the siting question; see SitingRequest for the options and SitingResult for the answer. */
export function suggestSites(engine: SitingEngine, request: SitingRequest): SitingResult {
  validate(engine, request);
  const t0 = now();
  const timings = {
    candidates: 0,
    coverage: 0,
    greedy: 0,
    swap: 0,
    exact: 0,
    bound: 0,
    objective: 0,
    effects: 0,
    tradeoff: 0,
    set_cover: 0,
    relocate: 0,
    total: 0,
  };
  const problems: SitingProblem[] = [];
  const hooks: SitingHooks = { onProgress: request.onProgress, shouldStop: request.shouldStop };
  const { tier, minutes, k } = request;
  const points = engine.points;
  const lock = request.lockExisting ?? true;
  const source = request.candidates ?? 'settlements';
  const existing = engine.facilities().filter((f) => f.tier === tier);

  // 1. Candidates.
  let t = now();
  const candidates = buildCandidates(
    points,
    engine.projection,
    {
      source,
      gridMetres: request.gridMetres,
      occupiedMetres: request.occupiedMetres,
      occupiedBy: lock ? existing : [],
      facilityCandidates: lock ? [] : existing,
      excluded: readAreas(request.exclude ?? null),
      zoneAreas: zoneAreas(points, request.zones),
    },
    hooks,
  );
  timings.candidates = now() - t;

  // 2. Who counts, and who each candidate reaches.
  t = now();
  const model: ReachModel = {
    settings: engine.settings,
    minutes,
    engineCutoff: engine.cutoff,
    graph: engine.graph,
    terrain: engine.terrain ?? null,
  };
  const wantRelocation = request.relocate !== undefined && request.relocate !== false;
  const facilitySites: Sites | null =
    lock && wantRelocation
      ? { count: existing.length, x: Float64Array.from(existing, (f) => f.x), y: Float64Array.from(existing, (f) => f.y) }
      : null;
  const { rows, summary } = demandRows(points, lock ? engine.times[tier] : null, model, facilitySites, hooks);
  const reach = new SiteReach(model, rows.x, rows.y);
  const expectedPairs = checkSitingBudget(candidates, reach, rows.count, request.memoryBudget);
  const matrix = buildCoverageMatrix(candidates, reach, rows.count, hooks, expectedPairs);
  const weight = rows.uncovered;
  timings.coverage = now() - t;

  const constraints: SiteConstraints = { zone: request.onePerTownship ? candidates.zone : null };
  if (request.onePerTownship && !candidates.zone.some((z) => z >= 0))
    problems.push({ code: 'no_townships', message: 'one site per township was asked for, but no candidate has a known township' });
  const initialGains = marginalGains(matrix, weight, null);
  const useful = initialGains.reduce((n, g) => n + (g > 0 ? 1 : 0), 0);
  const uncoveredPeople = summary.total - summary.alreadyCovered;
  const reachable = coverageValue(
    matrix,
    weight,
    Int32Array.from({ length: matrix.candidates }, (_, j) => j),
  );
  if (candidates.count === 0) problems.push({ code: 'no_candidates', message: 'no candidate sites are left after the filters' });
  else if (k > candidates.count)
    problems.push({
      code: 'k_exceeds_candidates',
      message: `k = ${k} is more than the ${candidates.count} candidates`,
      candidates: candidates.count,
    });
  if (uncoveredPeople <= 0)
    problems.push({ code: 'nobody_uncovered', message: `everyone is already within ${minutes} minutes of a ${tier}` });

  // 3. Greedy (run on to the curve's length: greedy's picks are nested, so one run gives every k).
  t = now();
  const curveK = Math.max(k, request.curveK ?? k, request.tradeoffK ?? 0);
  const greedy = lazyGreedy(matrix, weight, curveK, { ...constraints, hooks });
  const greedyK = greedy.order.slice(0, k);
  const greedyValue = greedy.gains.slice(0, k).reduce((a, b) => a + b, 0);
  timings.greedy = now() - t;
  if (greedyK.length < k && candidates.count > 0 && uncoveredPeople > 0)
    problems.push({
      code: 'saturated',
      message: `after ${greedyK.length} sites no candidate reaches anyone still uncovered`,
      sites: greedyK.length,
    });

  // 4. Swap.
  t = now();
  const swap = request.swap === false || greedyK.length === 0 ? null : swapImprove(matrix, weight, greedyK, { ...constraints, hooks });
  timings.swap = now() - t;
  if (swap && !swap.converged) problems.push({ code: 'swap_not_converged', message: 'the exchange pass stopped at its round limit' });

  let best: { method: SitingResult['method']; selected: ArrayLike<number>; value: number } = {
    method: 'greedy',
    selected: greedyK,
    value: greedyValue,
  };
  if (swap && swap.value > best.value + 1e-9) best = { method: 'greedy+swap', selected: swap.selected, value: swap.value };

  // 5. Exact.
  t = now();
  const exact = request.solver ? runExact(matrix, weight, k, constraints, request, best.selected, useful, problems) : null;
  timings.exact = now() - t;
  if (exact && exact.selected.length > 0 && exact.value > best.value + 1e-9)
    best = { method: 'exact', selected: exact.selected, value: exact.value };

  t = now();
  const bound = dataDependentBound(matrix, weight, best.selected, k, constraints);
  // The greedy set's own bound may be tighter; any set's bound is valid, so keep the smaller.
  const greedyBound = dataDependentBound(matrix, weight, greedyK, k, constraints).bound;
  const gainsBound = Math.min(bound.bound, greedyBound);
  const residual = residualBound(matrix, weight, best.selected, k, constraints).bound;
  // Greedy's a-priori guarantee is a bound too: OPT ≤ greedy ÷ (1 − 1/e) (÷ 1/2 with the township rule).
  const guarantee = greedyGuarantee(request.onePerTownship ?? false);
  const bounds = { marginal_gains: gainsBound, residual_greedy: residual, guarantee: greedyValue / guarantee } as const;
  const basis = (Object.keys(bounds) as (keyof typeof bounds)[]).reduce((a, b) => (bounds[b] < bounds[a] ? b : a));
  const upper = bounds[basis];
  timings.bound = now() - t;

  // 5b. The objective asked for: maximal coverage (above), or sites chosen for the mean or worst time, or for
  // coverage within capacity; every objective's sites are then described by the same coverage and times.
  t = now();
  const objective = request.objective ?? 'coverage';
  const wantTime = objective === 'median' || objective === 'center' || request.effects !== false || (request.tradeoffK ?? 0) > 0;
  const time = wantTime
    ? timeProblemFor(
        points,
        lock ? engine.times[tier] : null,
        candidates,
        {
          settings: engine.settings,
          minutes: engine.cutoff,
          engineCutoff: engine.cutoff,
          graph: engine.graph,
          terrain: engine.terrain ?? null,
        },
        hooks,
        timeBudgetCheck(candidates.count, points.count, request.memoryBudget),
      )
    : null;
  const objectiveOptions = {
    ...constraints,
    solver: request.solver ?? null,
    exactMaxCandidates: request.exactMaxCandidates ?? DEFAULT_EXACT_MAX_CANDIDATES,
    exactTimeLimitSeconds: request.exactTimeLimitSeconds,
    hooks,
    problems,
  };
  let chosen: ArrayLike<number> = best.selected;
  let served: Float64Array | null = null;
  let objectiveReport: ObjectiveReport;
  let capacityOrder: Int32Array | null = null;
  if (objective === 'median' || objective === 'center') {
    const answer: ObjectiveAnswer = (objective === 'median' ? runMedian : runCenter)(time!.problem, k, objectiveOptions);
    chosen = answer.selected;
    objectiveReport = answer.report;
  } else if (objective === 'capacitated') {
    const capacity = capacitatedProblem(points, candidates, lock ? existing : [], request.capacity!, model, hooks);
    const answer = runCapacitated(capacity.problem, k, capacity.used, objectiveOptions);
    chosen = answer.selected;
    capacityOrder = answer.selected;
    served = answer.gains;
    objectiveReport = answer.report;
  } else {
    objectiveReport = coverageObjective(summary.alreadyCovered, best, bounds[basis], basis, exact, request.solver ?? null);
  }
  timings.objective = now() - t;

  // Rank the sites: by people newly covered for coverage, by the order of picks for capacity, by the trips they
  // shorten for the time objectives.
  let order: number[];
  let gains: number[];
  let figures: TimeFigures[] | null = null;
  if (objective === 'coverage') ({ order, gains } = orderByMarginal(matrix, weight, chosen));
  else {
    order = capacityOrder ? Array.from(capacityOrder) : orderByTime(time!.problem, chosen, minutes).order;
    gains = gainsInOrder(matrix, weight, order);
  }
  if (time) figures = prefixFigures(time.problem, order, minutes);
  const suggestions = suggestionsFor(candidates, points, order, gains, summary.alreadyCovered, summary.total);
  suggestions.forEach((s, r) => {
    if (figures && objective !== 'coverage') {
      s.mean_minutes_after = figures[r]!.mean_minutes ?? undefined;
      s.worst_minutes_after = figures[r]!.worst_minutes;
    }
    if (served) s.served = served[r]!;
  });
  const chosenValue = coverageValue(matrix, weight, order);
  if (request.includePoints) {
    const taken = new Uint8Array(matrix.demand);
    suggestions.forEach((s, r) => {
      const j = order[r]!;
      const list: number[] = [];
      for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) {
        const d = matrix.rows[q]!;
        if (taken[d] === 0 && weight[d]! > 0) list.push(rows.point[d]!);
        taken[d] = 1;
      }
      s.newly_covered_points = list;
    });
  }

  // 5c. What the sites do to travel times, and each objective's picks for K = 1..N.
  t = now();
  const effects = time && request.effects !== false ? siteEffects(time, points, lock ? engine.times[tier] : null, order, minutes) : null;
  timings.effects = now() - t;
  t = now();
  const tradeoff =
    time && (request.tradeoffK ?? 0) > 0
      ? tradeoffCurves(time.problem, request.tradeoffK!, minutes, greedy.order, capacityOrder, constraints, hooks)
      : null;
  timings.tradeoff = now() - t;

  let cumulative = 0;
  const curve = [{ k: 0, newly_covered: 0, covered: summary.alreadyCovered, share: share(summary.alreadyCovered, summary.total) }];
  greedy.gains.forEach((g, i) => {
    cumulative += g;
    curve.push({
      k: i + 1,
      newly_covered: cumulative,
      covered: summary.alreadyCovered + cumulative,
      share: share(summary.alreadyCovered + cumulative, summary.total),
    });
  });

  // 6. Fewest sites for a target share.
  t = now();
  const setCover =
    request.targetShare !== undefined && request.targetShare !== null
      ? runSetCover(matrix, weight, constraints, request, candidates, points, summary, reachable, useful, problems, hooks, best.value)
      : null;
  timings.set_cover = now() - t;

  // 7. Relocation.
  t = now();
  let relocation: RelocationReport[] | null = null;
  if (wantRelocation) {
    if (!lock)
      problems.push({
        code: 'relocate_needs_locked_facilities',
        message: 'relocation compares with existing facilities, which were not locked',
      });
    else if (existing.length === 0) problems.push({ code: 'no_facilities_to_relocate', message: `there is no existing ${tier} to move` });
    else {
      const top = request.relocate === true ? 5 : Number(request.relocate);
      const moves = bestRelocations(
        { matrix, uncovered: weight, people: rows.people, owner: rows.owner, facilityCount: existing.length },
        {},
        hooks,
      ).slice(0, Math.max(1, top));
      relocation = moves.map((m) => {
        const f = existing[m.facility]!;
        const to =
          m.candidate >= 0
            ? {
                rank: 1,
                ...describeCandidate(candidates, points, m.candidate),
                newly_covered: m.gained,
                cumulative: m.gained,
                covered_share: share(summary.alreadyCovered - m.lost + m.gained, summary.total) ?? 0,
              }
            : null;
        return { facility_id: f.id, facility_name: f.name, lon: f.lon, lat: f.lat, lost: m.lost, to, gained: m.gained, net: m.net };
      });
    }
  }
  timings.relocate = now() - t;
  timings.total = now() - t0;

  const exactReport: ExactReport | null = exact
    ? {
        solver: request.solver!.name,
        status: exact.status,
        detail: exact.detail,
        value: exact.value,
        bound: exact.bound,
        greedy_gap: gap(greedyValue, exact),
        swap_gap: swap ? gap(swap.value, exact) : null,
        seconds: exact.seconds,
        size: exact.size,
      }
    : null;
  return {
    tier,
    minutes,
    k,
    mode: engine.settings.mode,
    lock_existing: lock,
    one_per_township: request.onePerTownship ?? false,
    candidates: {
      source,
      grid_m: source === 'grid' ? (request.gridMetres ?? DEFAULT_GRID_METRES) : null,
      count: candidates.count,
      ...candidates.stats,
      useful,
      pairs: matrix.rows.length,
    },
    population: { total: summary.total, already_covered: summary.alreadyCovered, uncovered: uncoveredPeople, reachable },
    objective: objectiveReport,
    method: best.method,
    suggestions,
    effects,
    tradeoff,
    covered_after: { people: summary.alreadyCovered + chosenValue, share: share(summary.alreadyCovered + chosenValue, summary.total) },
    curve,
    quality: {
      guarantee_factor: guarantee,
      greedy_value: greedyValue,
      swap_value: swap?.value ?? null,
      swap_moves: swap?.moves.length ?? null,
      upper_bound: upper,
      upper_bound_basis: basis,
      best_share_of_bound: upper > 0 ? best.value / upper : null,
      greedy_share_of_bound: upper > 0 ? greedyValue / upper : null,
      exact: exactReport,
    },
    set_cover: setCover,
    relocation,
    timings_ms: timings,
    problems,
  };
}

/**
 * The matrix's size before it is built: the pairs of an even sample of candidates (exact up to 256), scaled to
 * all of them; over the budget, a BudgetError that says what to do. Returns the estimated pairs.
 */
function checkSitingBudget(candidates: CandidateSet, reach: SiteReach, demand: number, budget: SitingRequest['memoryBudget']): number {
  let n = 0;
  const count = (): void => {
    n++;
  };
  const pairs = estimatePairs(candidates.count, (j) => {
    n = 0;
    reach.reach(candidates.x[j]!, candidates.y[j]!, count);
    return n;
  });
  const each = candidates.count > 0 ? Math.round(pairs / candidates.count).toLocaleString('en') : '0';
  checkBudget('siting', sitingBytes({ candidates: candidates.count, demand, pairs }), budget, {
    en: `${candidates.count.toLocaleString('en')} candidates × ${each} of ${demand.toLocaleString('en')} demand points within reach each`,
    zh: `${candidates.count.toLocaleString('en')} 个候选点 × 每个可达 ${each} 个需求点（共 ${demand.toLocaleString('en')} 个）`,
  });
  return pairs;
}

/**
 * The candidate → person minutes grow with the candidates searched: from the pairs kept so far, the size once all
 * are done, checked against the budget (a minutes matrix holds 16 bytes a pair: rows, minutes and the transpose).
 */
function timeBudgetCheck(
  candidates: number,
  demand: number,
  budget: SitingRequest['memoryBudget'],
): ((done: number, pairs: number) => void) | undefined {
  if (budget === null || budget === undefined) return undefined;
  return (done, pairs) => {
    const expected = (pairs / done) * candidates;
    checkBudget('siting', sitingBytes({ candidates, demand, pairs: (expected * 16) / 12 }), budget, {
      en: `${candidates.toLocaleString('en')} candidates × about ${Math.round(expected / Math.max(1, candidates)).toLocaleString('en')} people each whose trip they would shorten`,
      zh: `${candidates.toLocaleString('en')} 个候选点 × 每个约可缩短 ${Math.round(expected / Math.max(1, candidates)).toLocaleString('en')} 个需求点的用时`,
    });
  };
}

/** (optimum − value) / optimum; against the proven bound when the solve did not finish. */
function gap(value: number, exact: ExactResult): number | null {
  const reference = exact.status === 'optimal' ? exact.value : exact.bound;
  if (reference === null || !(reference > 0)) return reference === 0 ? 0 : null;
  return Math.max(0, (reference - value) / reference);
}

function runExact(
  matrix: CoverageMatrix,
  weight: Float64Array,
  k: number,
  constraints: SiteConstraints,
  request: SitingRequest,
  start: ArrayLike<number>,
  useful: number,
  problems: SitingProblem[],
): ExactResult | null {
  const limit = request.exactMaxCandidates ?? DEFAULT_EXACT_MAX_CANDIDATES;
  if (useful > limit) {
    problems.push({
      code: 'exact_too_large',
      message: `${useful} useful candidates is more than the ${limit} solved exactly`,
      useful,
      limit,
    });
    return null;
  }
  request.onProgress?.({ phase: 'exact', done: 0, total: 1 });
  const exact = solveMaxCoverage(matrix, weight, k, request.solver!, {
    ...constraints,
    start,
    timeLimitSeconds: request.exactTimeLimitSeconds,
    shouldStop: request.shouldStop,
  });
  // An interrupted solve was the caller cancelling: stop here rather than report a half answer.
  checkStop(request, 'exact');
  request.onProgress?.({ phase: 'exact', done: 1, total: 1 });
  if (exact.status !== 'optimal')
    problems.push({ code: 'exact_not_optimal', message: `the solver stopped with status ${exact.detail}`, status: exact.status });
  return exact;
}

function runSetCover(
  matrix: CoverageMatrix,
  weight: Float64Array,
  constraints: SiteConstraints,
  request: SitingRequest,
  candidates: CandidateSet,
  points: PopulationArrays,
  summary: { total: number; alreadyCovered: number },
  reachable: number,
  useful: number,
  problems: SitingProblem[],
  hooks: SitingHooks,
  bestAtBudget: number,
): SetCoverReport {
  const targetShare = request.targetShare!;
  const required = Math.max(0, targetShare * summary.total - summary.alreadyCovered);
  if (required <= 0) problems.push({ code: 'target_met_already', message: `coverage is already at least ${targetShare * 100} %` });
  else if (reachable < required - 1e-9 * required)
    problems.push({
      code: 'target_unreachable',
      message: `even every candidate together reaches only ${share(summary.alreadyCovered + reachable, summary.total)} of the people`,
      best_share: share(summary.alreadyCovered + reachable, summary.total),
    });
  const limit = request.exactMaxCandidates ?? DEFAULT_EXACT_MAX_CANDIDATES;
  const solver = request.solver && useful <= limit && required > 0 && reachable >= required - 1e-9 * required ? request.solver : null;
  const r = minSites(matrix, weight, required, { ...constraints, solver, timeLimitSeconds: request.exactTimeLimitSeconds, hooks });
  const sites = (selected: ArrayLike<number>) => {
    const { order, gains } = orderByMarginal(matrix, weight, selected);
    return suggestionsFor(candidates, points, order, gains, summary.alreadyCovered, summary.total);
  };
  // K sites fit the target when the best K found reach it, or the proven fewest are at most K; they do not when
  // the target is out of reach or the proven fewest are more; otherwise it is not known.
  const eps = 1e-9 * Math.max(1, required);
  const fits =
    required <= 0 || bestAtBudget >= required - eps
      ? true
      : reachable < required - eps
        ? false
        : r.exact?.status === 'optimal'
          ? r.exact.selected.length <= request.k
          : null;
  return {
    target_share: targetShare,
    required,
    reachable,
    budget: {
      sites: request.k,
      fits,
      best_share: share(summary.alreadyCovered + bestAtBudget, summary.total),
    },
    greedy: r.greedy
      ? {
          count: r.greedy.count,
          newly_covered: r.greedy.value,
          share: share(summary.alreadyCovered + r.greedy.value, summary.total),
          sites: sites(r.greedy.order),
        }
      : null,
    greedy_reached: r.greedyReached,
    exact: r.exact
      ? {
          status: r.exact.status,
          detail: r.exact.detail,
          count: r.exact.status === 'optimal' || r.exact.selected.length > 0 ? r.exact.selected.length : null,
          lower_bound: r.exact.bound === null ? null : Math.ceil(r.exact.bound - 1e-6),
          seconds: r.exact.seconds,
          sites: sites(r.exact.selected),
        }
      : null,
  };
}
