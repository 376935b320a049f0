import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS, COUNTIES } from '../../src/core/counties';
import {
  AGE_GROUPS,
  censusAgeShares,
  censusBase,
  checkPopulationSetting,
  parsePopulationTable,
  populationFor,
  type PopulationSetting,
} from '../../src/core/population/index';
import { readProject } from '../../src/core/project/read';
import { writeProject } from '../../src/core/project/write';
import { setProjectPopulation } from '../../src/core/scenario/operations';
import { createProject } from '../../src/core/scenario/project';
import { sharedDir } from '../../scripts/shared-dir';
import { collection, facility } from '../fixtures/project/helpers';
import { readCommittedCounty, readMeta } from './shared';

/** The census table of ../shared/data, read here line by line (no quoted cells in it). */
function censusRows(): Record<string, string>[] {
  const [head, ...lines] = readFileSync(resolve(sharedDir(), 'data/county-census-2020.csv'), 'utf8').trim().split(/\r?\n/);
  const keys = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i]!, v])));
}

/** (1 + r)^n by repeated multiplication, not by the power the module uses. */
function compound(people: number, rate: number, years: number): number {
  let x = people;
  for (let i = 0; i < years; i++) x *= 1 + rate;
  return x;
}

describe('census age shares', () => {
  it('are the 7th-census shares of ../shared/data for each of the five counties', () => {
    const rows = censusRows();
    for (const id of COUNTY_IDS) {
      const row = rows.find((r) => r.county_adcode === COUNTIES[id].adcode)!;
      expect(censusAgeShares(COUNTIES[id].adcode)).toEqual({
        '0_14': Number(row.census2020_age_0_14_share),
        '15_64': Number(row.census2020_age_15_64_share),
        '65plus': Number(row.census2020_age_65plus_share),
      });
    }
    expect(censusAgeShares('999999')).toBeNull();
  });
});

describe.each(COUNTY_IDS)('the population of %s', (county) => {
  it('2020 townships add up to the census; growth compounds per township; the county is the sum of its townships', async () => {
    const data = await readCommittedCounty(county);
    const base = censusBase(
      data.population,
      data.townships.features.map((z) => z.properties),
    );
    const census = populationFor(base, { basis: 'census2020' });
    if (!census.ok) throw new Error(census.code);
    expect(census.county).toBe(readMeta(county).census2020_population);

    const first = base.find((t) => t.population > 0)!;
    const setting: PopulationSetting = { basis: 'growth', year: 2025, rate: -0.013, townshipRates: { [first.code]: 0.021 } };
    const grown = populationFor(base, setting);
    if (!grown.ok) throw new Error(grown.code);
    expect(grown.year).toBe(2025);
    for (const t of grown.townships) {
      const b = base.find((x) => x.code === t.code)!;
      expect(t.population).toBeCloseTo(compound(b.population, t.code === first.code ? 0.021 : -0.013, 5), 6);
    }
    expect(grown.county).toBeCloseTo(
      grown.townships.reduce((s, t) => s + t.population, 0),
      6,
    );
    // Another year from the same rates.
    const later = populationFor(base, setting, { year: 2030 });
    if (!later.ok) throw new Error(later.code);
    expect(later.county).toBeCloseTo(
      base.reduce((s, t) => s + compound(t.population, t.code === first.code ? 0.021 : -0.013, 10), 0),
      4,
    );

    const shares = censusAgeShares(COUNTIES[county].adcode)!;
    for (const group of AGE_GROUPS) {
      const r = populationFor(base, setting, { ageGroup: group, ageShares: shares });
      if (!r.ok) throw new Error(r.code);
      expect(r.ageSource).toBe('census2020_county_shares');
      expect(r.county).toBeCloseTo(grown.county * shares[group], 4);
      expect(r.county).toBeCloseTo(
        r.townships.reduce((s, t) => s + t.population, 0),
        6,
      );
    }
    expect(populationFor(base, setting, { ageGroup: '65plus', ageShares: null })).toMatchObject({ ok: false, code: 'no_age_shares' });
  });
});

describe('an imported table of the target year', () => {
  it('is matched by code or name, answers its own year, and is refused when a township with people is left out', async () => {
    const data = await readCommittedCounty('shangyou');
    const base = censusBase(
      data.population,
      data.townships.features.map((z) => z.properties),
    );
    const peopled = base.filter((t) => t.population > 0);
    // Half the rows by code, half by name, with a header in Chinese and a thousands separator in one cell.
    const lines = peopled.map((t, i) =>
      i % 2 ? `${t.code},,${Math.round(t.population * 0.97)}` : `,${t.name},"${(t.population + 1000).toLocaleString('en-US')}"`,
    );
    const text = `\uFEFF乡镇代码,乡镇名称,人口\n${lines.join('\n')}\n`;
    const parsed = parsePopulationTable(text, base);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const expected = peopled.map((t, i) => (i % 2 ? Math.round(t.population * 0.97) : t.population + 1000));
    const setting: PopulationSetting = { basis: 'table', year: 2025, rows: parsed.rows, file: 't.csv' };
    const answer = populationFor(base, setting);
    if (!answer.ok) throw new Error(answer.code);
    expect(answer.county).toBe(expected.reduce((a, b) => a + b, 0));
    expect(answer.county).toBe(answer.townships.reduce((s, t) => s + t.population, 0));
    expect(populationFor(base, setting, { year: 2024 })).toMatchObject({ ok: false, code: 'year_not_available' });

    const short = parsePopulationTable(
      `code,population\n${peopled
        .slice(1)
        .map((t) => `${t.code},10`)
        .join('\n')}\n不存在乡,5\n`,
      base,
    );
    expect(short.ok).toBe(false);
    expect(short.problems).toContainEqual({ code: 'missing_township', line: 0, value: peopled[0]!.name });
    expect(parsePopulationTable('名称,人口\n东山镇,-4\n', base).problems[0]).toMatchObject({ code: 'bad_number', line: 2 });
    expect(parsePopulationTable('名称,床位\n', base).problems[0]).toMatchObject({ code: 'no_population_column' });
  });
});

describe('the population setting in a project', () => {
  const project = () => {
    const created = createProject({
      county: { id: 'shangyou', name: '上犹县' },
      baseline: collection([facility('A', 114.4, 25.9)]),
      now: '2026-01-01T00:00:00.000Z',
    });
    if (!created.ok) throw new Error(created.error.en);
    return created.project;
  };

  it('is saved and read back; a project saved before it existed reads as the census', () => {
    const setting: PopulationSetting = { basis: 'growth', year: 2025, rate: 0.008, townshipRates: { '360724105': -0.01 } };
    const read = readProject(writeProject(setProjectPopulation(project(), setting)));
    if (!read.ok) throw new Error(read.error.en);
    expect(read.project.population).toEqual(setting);
    const old = readProject(writeProject(project()));
    if (!old.ok) throw new Error(old.error.en);
    expect(old.project.population).toBeUndefined();
    expect(setProjectPopulation(setProjectPopulation(project(), setting), { basis: 'census2020' }).population).toBeUndefined();
  });

  it('refuses a rate of 5 (500 %/year) or a year before the census, naming where', () => {
    expect(checkPopulationSetting({ basis: 'growth', year: 2025, rate: 5 })).toMatchObject({ ok: false, problem: { path: 'rate' } });
    expect(checkPopulationSetting({ basis: 'growth', year: 2019, rate: 0.01 })).toMatchObject({ ok: false, problem: { path: 'year' } });
    const doc = JSON.parse(new TextDecoder().decode(writeProject(project(), { gzip: false }))) as Record<string, unknown>;
    const bad = readProject(new TextEncoder().encode(JSON.stringify({ ...doc, population: { basis: 'growth', year: 2025, rate: 5 } })));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.en).toContain('population.rate');
  });
});
