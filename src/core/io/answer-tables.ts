/**
 * The tables of the session's answers as rows of the readable table model (csv-columns.ts), for a workbook: the
 * settlements missing a part of the standard, siting suggestions, and the ratios with their gaps. Each builder only
 * lays out what the answer already holds (the numbers on screen); nothing is counted again here.
 */
import type { ScopeTables } from '../access/index';
import type { UncoveredPoint } from '../coverage/aggregate';
import type { RatiosReport } from '../ratios/report';
import type { ScenarioComparison } from '../scenario/compare';
import type { SiteSuggestion } from '../siting/report';
import { columnLabel, type CsvLang } from './csv-columns';
import { TIERS } from '../model';

/** A table to write: its title (the sheet's name and the About sheet's "table"), column keys and rows. */
export interface AnswerTable {
  title: string;
  keys: string[];
  rows: Record<string, unknown>[];
}

const UNCOVERED_TITLE = { zh: '未达标居民点', en: 'Settlements missing the standard' };
const SITING_TITLE = { zh: '选址建议', en: 'Siting suggestions' };
const RATIOS_TITLE = { zh: '床位与人员配置及缺口', en: 'Beds and staff ratios and gaps' };

/**
 * The settlements that miss a part of the standard, largest first, as the coverage panel lists them (the answer
 * holds up to 200). `partWords` words a part id as the screen does; `townshipName` names a township code.
 */
export function uncoveredTable(
  uncovered: readonly UncoveredPoint[],
  lang: CsvLang,
  words: { part: (id: string) => string; township: (code: string) => string | null },
): AnswerTable {
  return {
    title: UNCOVERED_TITLE[lang],
    keys: ['id', 'name', 'township', 'township_name', 'people', 'urban', 'minutes', 'part_minutes', 'missed_parts', 'lon', 'lat'],
    rows: uncovered.map((u) => ({
      id: u.id,
      name: u.name,
      township: u.zone,
      township_name: u.zone ? words.township(u.zone) : null,
      people: u.people,
      urban: u.urban,
      minutes: u.minutes,
      part_minutes: u.limit,
      missed_parts: u.parts.map(words.part).join(lang === 'zh' ? '；' : '; '),
      lon: u.lon,
      lat: u.lat,
    })),
  };
}

/** Siting suggestions in rank order, with what each adds and the share covered once built up to it. */
export function sitingTable(suggestions: readonly SiteSuggestion[], lang: CsvLang): AnswerTable {
  const has = (k: keyof SiteSuggestion) => suggestions.some((s) => s[k] !== undefined);
  const optional = (['mean_minutes_after', 'worst_minutes_after', 'served'] as const).filter(has);
  return {
    title: SITING_TITLE[lang],
    keys: [
      'siting_rank',
      'name',
      'candidate_kind',
      'township',
      'township_name',
      'siting_newly_covered',
      'siting_cumulative',
      'siting_covered_share',
      ...optional,
      'lon',
      'lat',
    ],
    rows: suggestions.map((s) => ({
      siting_rank: s.rank,
      name: s.name,
      candidate_kind: s.kind,
      township: s.township,
      township_name: s.township_name,
      siting_newly_covered: s.newly_covered,
      siting_cumulative: s.cumulative,
      siting_covered_share: s.covered_share,
      ...Object.fromEntries(optional.map((k) => [k, s[k] ?? null])),
      lon: s.lon,
      lat: s.lat,
    })),
  };
}

const UNIT_WORDS: Record<string, { zh: string; en: string }> = {
  beds: { zh: '床位（张）', en: 'beds' },
  physicians: { zh: '执业（助理）医师（人）', en: 'physicians' },
  nurses: { zh: '注册护士（人）', en: 'nurses' },
  gps: { zh: '全科医生（人）', en: 'GPs' },
  public_health_staff: { zh: '公共卫生人员（人）', en: 'public-health staff' },
  staff: { zh: '人员（人）', en: 'staff' },
};

/**
 * The county's ratios against the plan's targets with the gap of each (the people it is sized for as the panel
 * names them): one row per indicator, in the report's order.
 */
export function ratiosTable(report: RatiosReport, lang: CsvLang): AnswerTable {
  const gaps = new Map(report.gaps.map((g) => [g.indicator_id, g]));
  return {
    title: RATIOS_TITLE[lang],
    keys: [
      'indicator',
      'value',
      'target',
      'comparator',
      'indicator_status',
      'gap_unit',
      'gap_current',
      'gap_add',
      'gap_remove',
      'gap_population',
      'approximate',
    ],
    rows: report.county.indicators.map((e) => {
      const g = gaps.get(e.indicator_id);
      return {
        indicator: lang === 'zh' ? (e.zh ?? columnLabel(e.indicator_id, lang)) : columnLabel(e.indicator_id, lang),
        value: e.value,
        target: e.target,
        comparator: e.comparator,
        indicator_status: e.status,
        gap_unit: g ? (UNIT_WORDS[g.unit]?.[lang] ?? g.unit) : null,
        gap_current: g?.current ?? null,
        gap_add: g?.add ?? null,
        gap_remove: g?.remove ?? null,
        gap_population: g?.population ?? null,
        approximate: e.definition.approximate,
      };
    }),
  };
}

const COMPARE_TITLES = {
  coverage: { zh: '方案比较_覆盖', en: 'Compare coverage' },
  ratios: { zh: '方案比较_配置', en: 'Compare ratios' },
  facilities: { zh: '方案比较_机构变化', en: 'Compare facilities' },
};

/**
 * A comparison of two scenarios (A, B) as three tables: people within reach per tier and threshold in A and B and
 * the people B newly covers (county, then townships); the county's ratios in A and B with their verdicts; the
 * facilities added, removed, moved and changed.
 */
export function comparisonTables(c: ScenarioComparison, lang: CsvLang): AnswerTable[] {
  const tiers = [...TIERS, 'any'] as const;
  const reachKeys = c.coverage.thresholds.flatMap((m) => tiers.flatMap((t) => [`${t}_${m}min_a`, `${t}_${m}min_b`, `${t}_${m}min_newly`]));
  const areas = [c.coverage.county, ...c.coverage.zones];
  const coverageRows = areas.map((area, i) => {
    const row: Record<string, unknown> = {
      code: area.code,
      name: area.name,
      level: i === 0 ? 'county' : 'township',
      population_a: area.population_a,
      population_b: area.population_b,
    };
    for (const m of c.coverage.thresholds) {
      for (const t of tiers) {
        const r = t === 'any' ? area.any[String(m)] : area.tiers[t][String(m)];
        row[`${t}_${m}min_a`] = r?.a ?? null;
        row[`${t}_${m}min_b`] = r?.b ?? null;
        row[`${t}_${m}min_newly`] = r?.newly_covered ?? null;
      }
    }
    return row;
  });
  return [
    {
      title: COMPARE_TITLES.coverage[lang],
      keys: ['code', 'name', 'level', 'population_a', 'population_b', ...reachKeys],
      rows: coverageRows,
    },
    {
      title: COMPARE_TITLES.ratios[lang],
      keys: ['indicator', 'value_a', 'value_b', 'value_change', 'target', 'comparator', 'indicator_status_a', 'indicator_status_b'],
      rows: c.ratios.county.ratios.map((r) => ({
        indicator: columnLabel(r.id, lang),
        value_a: r.a,
        value_b: r.b,
        value_change: r.change,
        target: r.target,
        comparator: r.comparator,
        indicator_status_a: r.status_a,
        indicator_status_b: r.status_b,
      })),
    },
    {
      title: COMPARE_TITLES.facilities[lang],
      keys: ['change', 'id', 'name', 'tier', 'status', 'distance_m', 'attributes'],
      rows: c.facilities.features.features.map((f) => ({ ...f.properties })),
    },
  ];
}

const ACCESS_TITLE = { zh: '可及性_分乡镇', en: 'Access per township' };

/**
 * The access panel's township table for one scope: people within reach, served within capacity and not served,
 * and the 2SFCA physicians and beds per 1,000 in reach (county row first).
 */
export function accessTownshipTable(scope: ScopeTables, lang: CsvLang): AnswerTable {
  const sfca = (summary: ScopeTables['sfca']['physicians'], code: string) => summary.zones.find((z) => z.code === code)?.per_1000 ?? null;
  const county = scope.capacity;
  return {
    title: ACCESS_TITLE[lang],
    keys: [
      'code',
      'name',
      'level',
      'population',
      'in_reach',
      'in_reach_share',
      'served_people',
      'served_share',
      'unserved_in_reach',
      'unserved_people',
      'sfca_physicians_per_1000',
      'sfca_beds_per_1000',
    ],
    rows: [
      {
        code: null,
        name: null,
        level: 'county',
        population: county.population,
        in_reach: county.within_reach,
        in_reach_share: county.population > 0 ? county.within_reach / county.population : null,
        served_people: county.served,
        served_share: county.served_share,
        unserved_in_reach: county.unserved_in_reach,
        unserved_people: county.unserved,
        sfca_physicians_per_1000: scope.sfca.physicians.county.per_1000,
        sfca_beds_per_1000: scope.sfca.beds.county.per_1000,
      },
      ...scope.capacity.zones.map((z) => ({
        code: z.code,
        name: z.name,
        level: 'township',
        population: z.population,
        in_reach: z.within_reach,
        in_reach_share: z.population > 0 ? z.within_reach / z.population : null,
        served_people: z.served,
        served_share: z.served_share,
        unserved_in_reach: z.unserved_in_reach,
        unserved_people: z.unserved,
        sfca_physicians_per_1000: sfca(scope.sfca.physicians, z.code),
        sfca_beds_per_1000: sfca(scope.sfca.beds, z.code),
      })),
    ],
  };
}
