/**
 * How a plan is cited wherever its words are quoted (the report's notes, the ratio panel's tooltips, the CLI): by
 * its document title, never by the seed file it was extracted to (`004_2ec91ca39f6c96f4.txt` means nothing to a
 * reader). English readers get the English title with the Chinese document name beside it, since the Chinese
 * title is what finds the document.
 */
import type { Plan } from './plan';

/** A seed text's file name (NNN_<16 hex>.txt): an extraction artefact, not a name to show. */
const SEED_FILE = /^\d{3}_[0-9a-f]{16}\.txt$/i;

type Citable = Pick<Plan, 'source'> & { document?: Record<string, unknown> | null };

function title(plan: Citable, key: 'title_zh' | 'title_en'): string | null {
  const t = plan.document?.[key];
  return typeof t === 'string' && t.trim() !== '' ? t.trim() : null;
}

/**
 * The plan as cited: 《上犹县“十四五”卫生健康发展规划（征求意见稿）》 in Chinese; "Shangyou County 14th Five-Year
 * Health Development Plan (draft for comment), 《上犹县…》" in English. A plan with no title is cited by the file
 * it was loaded from (a custom plan's own file), or not at all (null) when that file is a seed extraction.
 */
export function citePlan(plan: Citable, lang: 'zh' | 'en'): string | null {
  const zh = title(plan, 'title_zh');
  const en = title(plan, 'title_en');
  if (lang === 'zh' && zh) return `《${zh}》`;
  if (lang === 'en' && (zh || en)) return en && zh ? `${en}, 《${zh}》` : en ? en : `《${zh}》`;
  const file = plan.source?.trim();
  return file && !SEED_FILE.test(file) ? file : null;
}
