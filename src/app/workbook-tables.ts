/**
 * The 导出 Excel buttons' tables of answers the page holds from the session: the uncovered settlements of the last
 * coverage answer, the siting suggestions, the ratios and gaps. Each is laid out by src/core/io/answer-tables.ts
 * from the very answer on screen; what was measured and how comes from the answer too.
 */
import type { AccessScope } from '../core/access/index';
import { accessTownshipTable, comparisonTables, ratiosTable, sitingTable, uncoveredTable } from '../core/io/answer-tables';
import type { AccessResponse } from '../core/session/types';
import type { MeasuredComparison } from './workspace.svelte';
import type { RatiosReport } from '../core/ratios/report';
import type { CoverageResponse, SitingAnswer } from '../core/session/types';
import type { WorkbookTable } from './export-state.svelte';
import { i18n } from './i18n.svelte';
import type { MessageKey } from './messages';
import { partText } from './standard-text';

/** The settlements that miss a part of the standard (the list under 服务圈覆盖), with the parts they miss in words. */
export function uncoveredWorkbook(result: CoverageResponse): WorkbookTable {
  const zones = new Map(result.report.summary.zones.map((z) => [z.code, z.name]));
  const parts = new Map(result.standard.parts.map((p) => [p.id, p]));
  return {
    build: (lang) =>
      uncoveredTable(result.report.uncovered, lang, {
        part: (id) => {
          const p = parts.get(id);
          return p ? partText(p, i18n.t, i18n.number) : id;
        },
        township: (code) => zones.get(code) ?? null,
      }),
    measured: (lang) =>
      lang === 'zh'
        ? `未达到服务圈标准某一部分的居民点（按人口从多到少，最多 ${result.report.uncovered.length} 个）`
        : `Settlements that miss a part of the service-circle standard, largest first (up to ${result.report.uncovered.length})`,
    settings: result.report.settings,
    ground: result.report.ground,
  };
}

/** The siting suggestions in rank order, with the question asked. */
export function sitingWorkbook(answer: SitingAnswer): WorkbookTable {
  return {
    build: (lang) => sitingTable(answer.suggestions, lang),
    measured: (lang) => {
      const tier = i18n.t(`tier_${answer.tier}` as MessageKey);
      const objective = i18n.t(`objective_${answer.objective.kind}` as MessageKey, { m: i18n.minutes(answer.minutes) });
      return lang === 'zh'
        ? `${tier} ${answer.minutes} 分钟内的人口；新增 ${answer.k} 处；选址目标：${objective}（${answer.method}）`
        : `People within ${answer.minutes} minutes of a ${tier}; ${answer.k} new sites; objective: ${objective} (${answer.method})`;
    },
    settings: answer.settings,
    ground: answer.ground,
    modelled: answer.modelled,
  };
}

/** The county's ratios against the plan and the gaps, over the population the panel names. */
export function ratiosWorkbook(report: RatiosReport): WorkbookTable {
  return {
    build: (lang) => ratiosTable(report, lang),
    measured: (lang) =>
      lang === 'zh'
        ? `全县床位与人员配置对照规划 2025 年目标（人口：${report.population.year} 年，${Math.round(report.population.county).toLocaleString('en')} 人）`
        : `The county's beds and staff against the plan's 2025 targets (people: ${report.population.year}, ${Math.round(report.population.county).toLocaleString('en')})`,
  };
}

/** A comparison of two scenarios: coverage, ratios and facility changes, a sheet each; A and B named. */
export function comparisonWorkbook(comparison: MeasuredComparison, labelA: string, labelB: string): WorkbookTable {
  return {
    build: (lang) => comparisonTables(comparison, lang),
    title: (lang) => (lang === 'zh' ? '方案比较' : 'Scenario comparison'),
    measured: (lang) =>
      lang === 'zh'
        ? '两个方案各层级机构服务圈内的人口及方案B新增覆盖人口、全县床位与人员配置、机构变化'
        : 'People within reach of each tier in both scenarios and those B newly covers; the county ratios; the facilities changed',
    notes: (lang) => (lang === 'zh' ? [`方案A：${labelA}；方案B：${labelB}`] : [`A: ${labelA}; B: ${labelB}`]),
    settings: comparison.settings,
    ground: comparison.ground,
  };
}

/** The access panel's township table of the scope on screen, with the catchment and capacity it was computed with. */
export function accessWorkbook(answer: AccessResponse, scope: AccessScope): WorkbookTable {
  const json = answer.json;
  return {
    build: (lang) => accessTownshipTable(json.scopes[scope]!, lang),
    measured: (lang) => {
      const what = i18n.t(`tier_${scope}` as MessageKey);
      return lang === 'zh'
        ? `${what} ${json.minutes} 分钟内可达、在容量内获得服务的人口，及每千人可及医师数与床位数（2SFCA）`
        : `People within ${json.minutes} minutes of ${what}, served within capacity, and physicians and beds per 1,000 in reach (2SFCA)`;
    },
    settings: answer.settings,
    ground: answer.ground,
  };
}
