/** The township choropleth's classes (report and dashboard) and the dashboard's change classes and rows. */
import { describe, expect, it } from 'vitest';
import { classOf, classScheme, colourOf, NO_PEOPLE_COLOUR, rangeText } from '../../src/report/classes';
import { changeClass, CHANGE_COLOURS, townshipRows } from '../../src/app/dashboard-rows';

const SHARES = [0.12, 0.31, 0.48, 0.55, 0.62, 0.7, 0.81, 0.9, 0.95, 0.99, 1, 1];
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

describe('choropleth classes', () => {
  it('equal interval and quantile give the number of classes asked for, from the lowest share to the highest', () => {
    for (const count of [3, 4, 5, 6, 7]) {
      for (const method of ['equal', 'quantile'] as const) {
        const scheme = classScheme(SHARES, method, count);
        expect(scheme.colours, `${method} ${count}`).toHaveLength(count);
        expect(scheme.breaks).toHaveLength(count - 1);
        expect(classOf(scheme, Math.min(...SHARES))).toBe(0);
        expect(classOf(scheme, Math.max(...SHARES))).toBe(count - 1);
        expect(scheme.ranges[0]!.from).toBe(0.12);
        expect(scheme.ranges.at(-1)!.to).toBe(1);
      }
    }
  });

  it('equal interval: breaks evenly spaced between the lowest and highest share', () => {
    const scheme = classScheme([0, 1], 'equal', 4);
    expect(scheme.breaks).toEqual([0.25, 0.5, 0.75]);
    expect(scheme.ranges.map((r) => rangeText(r, pct))).toEqual(['0.0% – 24.9%', '25.0% – 49.9%', '50.0% – 74.9%', '75.0% – 100.0%']);
  });

  it("the plan's target: full coverage is its own class, whatever number was asked for", () => {
    const scheme = classScheme(SHARES, 'target', 3);
    expect(scheme.breaks).toEqual([0.5, 0.8, 0.95, 1]);
    expect(scheme.ranges.map((r) => rangeText(r, pct))).toEqual(['< 50.0%', '50.0% – 79.9%', '80.0% – 94.9%', '95.0% – 99.9%', '100.0%']);
    expect(classOf(scheme, 1)).toBe(4);
    expect(classOf(scheme, 0.99)).toBe(3);
    expect(colourOf(scheme, null)).toBe(NO_PEOPLE_COLOUR);
  });

  it('the fixed classes stay as the report prints them (the number asked for is ignored)', () => {
    const scheme = classScheme(SHARES, 'fixed', 7);
    expect(scheme.ranges.map((r) => rangeText(r, pct))).toEqual(['< 50.0%', '50.0% – 69.9%', '70.0% – 89.9%', '≥ 90.0%']);
  });

  it('repeated shares give fewer classes rather than empty ones', () => {
    const scheme = classScheme([0.9, 0.9, 0.9, 1], 'quantile', 5);
    expect(scheme.colours.length).toBeLessThan(5);
    expect(classOf(scheme, 0.9)).toBe(0);
  });
});

describe('the dashboard before and after', () => {
  it('change classes: lower, unchanged, and three classes of gain', () => {
    expect([-0.2, -0.001, 0, 0.0004, 0.01, 0.05, 0.1, 0.15, 0.5].map(changeClass)).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4]);
    expect(CHANGE_COLOURS).toHaveLength(5);
  });

  it('rows carry the share before and the change, matched by township code', () => {
    const after = [
      { code: 'a', name: 'A', population: 100, covered: 90, share: 0.9 },
      { code: 'b', name: 'B', population: 50, covered: 50, share: 1 },
      { code: 'c', name: 'C', population: 0, covered: 0, share: null },
    ];
    const before = [
      { code: 'b', name: 'B', population: 50, covered: 40, share: 0.8 },
      { code: 'a', name: 'A', population: 100, covered: 90, share: 0.9 },
    ];
    const rows = townshipRows(after, before);
    expect(rows.map((r) => [r.code, r.outside, r.before, r.change])).toEqual([
      ['a', 10, 0.9, 0],
      ['b', 0, 0.8, 1 - 0.8],
      ['c', 0, null, null],
    ]);
    expect(townshipRows(after, null).every((r) => r.before === null && r.change === null)).toBe(true);
  });
});
