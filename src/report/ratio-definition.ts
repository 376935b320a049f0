/**
 * How an indicator's definition (src/core/ratios/indicator-definition.ts) and a township's need read, in the
 * user's language, for the app's ratio panel and the report alike. Plain functions, tested in Node.
 */
import type { MessageKey } from '../app/messages';
import type { TownshipNeed } from '../core/ratios/gaps';
import type { CountedThing, IndicatorDefinition } from '../core/ratios/indicator-definition';
import type { Translate } from './verdict';

// Keyed by the counted thing itself, so a thing without its words fails typecheck.
const thing = (x: CountedThing, t: Translate) => t(`defThing_${x}`);

/** The definition as lines: what is counted, per what, what the data count, why approximate, other notes. */
export function definitionLines(d: IndicatorDefinition, t: Translate): string[] {
  const lines = [t('defNumerator', { x: thing(d.numerator, t) })];
  lines.push(
    'population' in d.denominator
      ? t('defPerPeople', { per: t(`defPer_${d.denominator.population}`), basis: t(`defBasis_${d.denominator.basis}`) })
      : t('defPerCount', { x: thing(d.denominator.count, t) }),
  );
  if (d.approximate) lines.push(t('defData', { x: d.data_numerator.map((a) => thing(a, t)).join(' + ') }));
  for (const reason of d.reasons) lines.push(`≈ ${t(`approx_${reason}`)}`);
  for (const note of d.notes) lines.push(t(`defNote_${note}`));
  return lines;
}

/** The definition on one line: "注册护士 ÷ 每千常住人口". */
export function definitionShort(d: IndicatorDefinition, t: Translate): string {
  const per =
    'population' in d.denominator
      ? t('defShortPeople', { per: t(`defPer_${d.denominator.population}`), basis: t(`defBasis_${d.denominator.basis}`) })
      : thing(d.denominator.count, t);
  return t('defShort', { x: thing(d.numerator, t), d: per });
}

/** "参考：按县目标需 N 张床位，现有 M": whole units, rounded up as a bureau plans posts. */
export function needText(need: TownshipNeed, t: Translate, format: (n: number) => string): string {
  const unit = t(`unit_${need.unit}` as MessageKey);
  return t('townshipNeed', { need: `${format(Math.ceil(need.at_target - 1e-9))} ${unit}`, has: format(need.current) });
}
