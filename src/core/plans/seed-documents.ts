/**
 * The document each seed plan quotes (data/plans/<county>.json `document.title_zh` / `title_en`), so a norm of
 * another county's plan can be named by its county and title without loading that plan. A unit test holds this
 * table to the plan files.
 */
import type { CountyId } from '../counties';

export interface SeedDocument {
  title_zh: string;
  title_en: string;
}

export const SEED_DOCUMENTS: Record<CountyId, SeedDocument> = {
  shandan: { title_zh: '山丹县“十四五”卫生健康事业发展规划', title_en: 'Shandan County 14th Five-Year Plan for Health Development' },
  yanhu: {
    title_zh: '运城市盐湖区卫生健康事业发展“十四五”规划',
    title_en: 'Yanhu District (Yuncheng) 14th Five-Year Plan for Health Development',
  },
  pingba: {
    title_zh: '安顺市平坝区 “十四五”卫生健康事业发展规划',
    title_en: 'Pingba District (Anshun) 14th Five-Year Plan for Health Development',
  },
  jingyu: {
    title_zh: '靖宇县“十四五”医疗卫生服务体系规划',
    title_en: 'Jingyu County 14th Five-Year Medical and Health Service System Plan',
  },
  shangyou: {
    title_zh: '上犹县“十四五”卫生健康发展规划（征求意见稿）',
    title_en: 'Shangyou County 14th Five-Year Health Development Plan (draft for comment)',
  },
};
