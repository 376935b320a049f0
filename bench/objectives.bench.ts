/**
 * Siting objectives on the five embedded counties, K = 10, both modes: maximal coverage (today's objective, the
 * baseline measured in the same run), p-median, p-center and capacitated coverage, each with its effects on travel
 * times, heuristic and with the exact solver (HiGHS). The target: each objective ≤ 1 s on a sample county.
 *   node --import tsx bench/objectives.bench.ts
 */
import loadHighs from 'highs';
import { DEFAULT_CAPACITY_OPTIONS } from '../src/core/access/capacity';
import { facilityUnits } from '../src/core/access/sites';
import { CoverageEngine } from '../src/core/coverage/engine';
import type { Tier } from '../src/core/model';
import { highsSolver, SITING_OBJECTIVES, suggestSites, type MipSolver, type SitingObjective } from '../src/core/siting/index';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES, type TravelSettings } from '../src/core/travel/settings';
import { time } from './timing';
import { readCounty } from './county-files';

const COUNTIES = ['shangyou', 'jingyu', 'pingba', 'shandan', 'yanhu'];
const QUESTIONS: { tier: Tier; minutes: number }[] = [
  { tier: 'township_centre', minutes: 30 },
  { tier: 'village_clinic', minutes: 15 },
];

async function main(): Promise<void> {
  const solver: MipSolver = highsSolver(await loadHighs());
  console.log('\n## Siting objectives, K = 10, each county and mode (min of 5 runs after a warm-up; ratio to maximal coverage)');
  console.log(
    'county | mode | tier, minutes | objective | heuristic ms (× coverage) | its method, proven gap | with HiGHS ms | its method, gap | candidates',
  );
  let worst = { ms: 0, what: '' };
  for (const id of COUNTIES) {
    const county = await readCounty(id);
    const units = facilityUnits(county.facilities.features as never);
    for (const mode of ['buffer', 'network'] as const) {
      const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode };
      const engine = new CoverageEngine(
        {
          population: county.population as never,
          facilities: county.facilities as never,
          roads: county.roads as never,
          zones: county.townships as never,
        },
        settings,
        TIME_HORIZON_MINUTES,
      );
      for (const { tier, minutes } of QUESTIONS) {
        const ask = (objective: SitingObjective, exact: boolean) => () =>
          suggestSites(engine, {
            tier,
            minutes,
            k: 10,
            objective,
            zones: county.townships,
            solver: exact ? solver : null,
            capacity: { ...DEFAULT_CAPACITY_OPTIONS, unknown: 'unlimited', sitePeople: null, units },
          });
        const baseline = time(ask('coverage', false), 5, 3).min;
        for (const objective of SITING_OBJECTIVES) {
          const heuristic = time(ask(objective, false), 5, 2).min;
          const exactMs = time(ask(objective, true), 1, 0).min;
          const h = ask(objective, false)().objective;
          const r = ask(objective, true)();
          const o = r.objective;
          // How far the heuristic's value is from the proven optimum (when the solver proved one).
          const offOptimum = (heuristic: typeof o, exact: typeof o) =>
            exact.proven_optimal && exact.value !== null && heuristic.value !== null && exact.value !== 0
              ? `${((Math.abs(heuristic.value - exact.value) / Math.abs(exact.value)) * 100).toFixed(2)} %`
              : '—';
          const gap = (x: typeof o) =>
            `${x.method}${x.proven_optimal ? ', proven' : ''}, ${x.gap === null ? '—' : (x.gap * 100).toFixed(2) + ' %'}`;
          for (const [ms, how] of [
            [heuristic, 'heuristic'],
            [exactMs, 'exact'],
          ] as const)
            if (ms > worst.ms) worst = { ms, what: `${id} ${mode} ${tier} ${objective} ${how}` };
          console.log(
            `${id} | ${mode} | ${tier}, ${minutes} | ${objective} | ${heuristic.toFixed(1)} (${(heuristic / baseline).toFixed(2)}×) | ${gap(h)} | ${exactMs.toFixed(0)} | ${gap(o)} | ${offOptimum(h, o)} | ${r.candidates.count}`,
          );
        }
      }
    }
  }
  console.log(`\nslowest: ${worst.ms.toFixed(0)} ms (${worst.what}); target ≤ 1,000 ms`);
}

await main();
