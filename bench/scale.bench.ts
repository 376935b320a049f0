/**
 * How a buffer full recompute grows: 100,000 to 3,000,000 points against 200 to 20,000 facilities (the tiers in
 * the proportions of the 2,000-facility county), 15 and 30 min at 5 km/h, with the table. Aim: 3M × 20,000 ≤ 1.5 s.
 */
import { CoverageEngine } from '../src/core/coverage/engine';
import { circleStandard } from '../src/core/coverage/standard';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../src/core/travel/settings';
import { syntheticFacilities, syntheticPopulation } from './synthetic-county';
import { time } from './timing';

const buffer: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15, 30], bufferKmh: 5 };
const POINTS = [100_000, 1_000_000, 3_000_000];
const FACILITIES = [200, 2_000, 20_000];

export function benchScale(): void {
  console.log('\n## Buffer full recompute by size (mean of 3 after a warm-up, ms; 15 + 30 min, three tiers, with the table)');
  const standard = circleStandard(null);
  const rows: number[][] = [];
  for (const points of POINTS) {
    const population = syntheticPopulation(points);
    const row: number[] = [];
    for (const count of FACILITIES) {
      const scale = count / 2_000;
      const facilities = syntheticFacilities({
        county_hospital: Math.round(20 * scale),
        township_centre: Math.round(280 * scale),
        village_clinic: Math.round(1_700 * scale),
      });
      const engine = new CoverageEngine({ population, facilities }, buffer);
      row.push(
        time(() => {
          engine.computeAll();
          return engine.summary(standard);
        }, 3).mean,
      );
    }
    rows.push(row);
  }
  console.log(`| points \\ facilities | ${FACILITIES.map((f) => f.toLocaleString('en')).join(' | ')} |`);
  console.log(`| --- | ${FACILITIES.map(() => '---').join(' | ')} |`);
  POINTS.forEach((p, i) => console.log(`| ${p.toLocaleString('en')} | ${rows[i]!.map((ms) => ms.toFixed(0)).join(' | ')} |`));
  const last = rows.length - 1;
  const growth = (a: number, b: number) => (b / a).toFixed(1);
  console.log(
    `growth: ×10 facilities at 1M points ${growth(rows[1]![0]!, rows[1]![1]!)}× then ${growth(rows[1]![1]!, rows[1]![2]!)}×; ` +
      `×10 points (100k → 1M) at 2,000 facilities ${growth(rows[0]![1]!, rows[1]![1]!)}×, ×3 (1M → 3M) ${growth(rows[1]![1]!, rows[last]![1]!)}×`,
  );
  console.log(`3,000,000 points × 20,000 facilities: ${rows[last]![2]!.toFixed(0)} ms  [aim ≤ 1,500 ms]`);
}
