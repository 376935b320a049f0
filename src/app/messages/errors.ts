/**
 * The words of every error the county session (src/core/session/errors.ts) can answer with, by its code, in
 * both languages: the page stores the error as data and words it in the reader's language when shown. {name}
 * placeholders are filled from the error's params (numbers with thousands separators).
 */
import { asSessionError, type SessionErrorCode } from '../../core/session/errors';

type Table = Record<SessionErrorCode, string>;

export const zh = {
  cancelled: '计算已取消',
  access_stale: '机构已改动，请先重新计算可及性再导出。',
  no_county: '县的数据尚未载入。',
  no_coverage: '尚未计算服务圈覆盖，请稍候再试。',
  not_ready: '覆盖结果仍在计算中，请稍后再导出。',
  no_emergency_circles: '所用规划未设急救圈，没有可导出的急救圈（可在“修改急救圈”中添加）。',
  budget: '{text_zh}',
  coverage_too_large:
    '人口图层有 {points} 个点，超过服务圈计算可载入内存的上限 {limit}；请先汇总（如使用更粗的栅格，或以居民点代替栅格单元）',
  bad_settings: '出行设置无效：{problems}',
  edit_refused: '{text_zh}',
  io_failed: '{text_zh}',
  load_failed: '无法读取 {county} 的 {layer} 图层：{detail}',
  worker_stopped: '计算进程已停止，请刷新页面。',
  internal: '计算出错：{detail}',
} satisfies Table;

export const en: Table = {
  cancelled: 'The computation was cancelled',
  access_stale: 'The facilities changed: compute access again before exporting.',
  no_county: 'No county is loaded yet.',
  no_coverage: 'Coverage has not been computed yet; try again in a moment.',
  not_ready: 'Coverage is still being computed; export again in a moment.',
  no_emergency_circles: 'The plan in use sets no emergency circle, so there is none to export (add one under Edit emergency circles).',
  budget: '{text_en}',
  coverage_too_large:
    'the population layer has {points} points, more than the {limit} coverage can hold in memory; aggregate it first (e.g. a coarser raster, or settlements instead of cells)',
  bad_settings: 'The travel settings are not usable: {problems}',
  edit_refused: '{text_en}',
  io_failed: '{text_en}',
  load_failed: 'The {layer} layer of {county} cannot be read: {detail}',
  worker_stopped: 'The computing worker stopped; reload the page.',
  internal: 'The computation failed: {detail}',
};

const TABLES: Record<'zh' | 'en', Table> = { zh, en };

/** Any error a session call rejected with, in the reader's language. */
export function errorText(error: unknown, lang: 'zh' | 'en'): string {
  const { code, params } = asSessionError(error);
  return TABLES[lang][code].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return whole === '{detail}' ? '' : whole;
    return typeof value === 'number' ? value.toLocaleString('en') : value;
  });
}

/** Both languages of an error, for states that keep the text ({zh, en}). */
export function errorTexts(error: unknown): { zh: string; en: string } {
  return { zh: errorText(error, 'zh'), en: errorText(error, 'en') };
}
