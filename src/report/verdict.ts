/**
 * How a verdict reads on screen and in the report: pass, fail, or "cannot be judged" with its reason. A share
 * over zero people is null (shown as "—"), never 0 % and never a pass. Plain functions, tested in Node.
 */
import type { StandardCheck } from '../core/coverage/aggregate';
import type { MessageKey } from '../app/messages';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;
export type Verdict = 'pass' | 'fail' | 'cannot_judge';

/** The check's verdict; a check without one is judged only when some part has people. */
export function verdictOf(check: Pick<StandardCheck, 'pass' | 'parts'> & { verdict?: Verdict }): Verdict {
  if (check.verdict) return check.verdict;
  const people = check.parts.reduce((sum, p) => sum + p.population, 0);
  if (!Number.isFinite(people) || people <= 0) return 'cannot_judge';
  return check.pass ? 'pass' : 'fail';
}

/** "达标" / "未达标" / "无法判定" (met / not met / cannot be judged). */
export function verdictLabel(verdict: Verdict, t: Translate): string {
  return verdict === 'pass' ? t('pass') : verdict === 'fail' ? t('fail') : t('verdictCannotJudge');
}

/** The mark before a verdict: ✓, ✗, or none for one that cannot be judged. */
export const verdictMark = (verdict: Verdict): string => (verdict === 'pass' ? '✓ ' : verdict === 'fail' ? '✗ ' : '');

/** Why the verdict is what it is, in words (null: nothing to say). */
export function verdictReason(check: { reason?: string | null; parts: { population: number }[] }, t: Translate): string | null {
  const reason = check.reason === undefined ? (check.parts.some((p) => p.population > 0) ? null : 'no_people') : check.reason;
  if (reason === null) return null;
  const key = `verdictReason_${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

const REASONS = ['no_people', 'people_not_finite', 'no_urban_people', 'no_rural_people', 'no_roads'];
const isMessageKey = (key: string): key is MessageKey => REASONS.some((r) => key === `verdictReason_${r}`);

/** covered / population, or null when nobody lives there (or the numbers are not finite). */
export function shareOrNull(part: { covered: number; population: number }): number | null {
  return Number.isFinite(part.population) && Number.isFinite(part.covered) && part.population > 0 ? part.covered / part.population : null;
}

/**
 * Why a ratio indicator cannot be judged: per-people ratios over zero people, or ratios over a zero count.
 * null when it can be (met, short, over the cap) or simply has no data or no target.
 */
export function ratioCannotJudge(e: { status: string; value_reason?: string | null }): 'no_people' | 'zero_denominator' | null {
  if (e.status !== 'no_data' && e.status !== 'cannot_judge') return null;
  if (e.value_reason === 'zero_population') return 'no_people';
  if (e.value_reason === 'zero_denominator') return 'zero_denominator';
  return null;
}

/** The words for an indicator that cannot be judged. */
export const ratioCannotJudgeText = (why: 'no_people' | 'zero_denominator', t: Translate): string =>
  why === 'no_people' ? t('ratioCannotJudge') : t('ratioCannotJudgeDenominator');
