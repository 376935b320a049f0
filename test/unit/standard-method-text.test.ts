import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/app/format';
import { MESSAGES, type Lang, type MessageKey } from '../../src/app/messages';
import { methodText, standardMethodText } from '../../src/app/standard-text';
import { profileTravel } from '../../src/core/travel/profile-travel';
import { withProfile } from '../../src/core/travel/profiles';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const words = (lang: Lang) => ({
  t: (key: MessageKey, values?: Record<string, string | number>) =>
    MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`)),
  number: (value: number, digits = 0) => formatNumber(lang, value, digits),
});

/** The standard's method line where it stands alone (overview, report): it names the travel its parts were measured by. */
describe('standardMethodText', () => {
  const car = withProfile({ ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' }, 'car');
  const walk = profileTravel(car, 'walking');
  const ebike = profileTravel(car, 'ebike');
  for (const lang of ['zh', 'en'] as const) {
    const { t, number } = words(lang);
    it(`${lang}: the scenario's method when no part travels otherwise; each part's own methods, once each, when they do`, () => {
      expect(standardMethodText(car, [null, null], t, number)).toBe(methodText(car, t, number));
      const own = standardMethodText(car, [walk, ebike, walk], t, number);
      expect(own).toContain(methodText(walk, t, number));
      expect(own).toContain(methodText(ebike, t, number));
      expect(own).not.toContain(methodText(car, t, number));
      expect(own.split(methodText(walk, t, number))).toHaveLength(2);
      // A part on the scenario's travel is named with the scenario's method.
      expect(standardMethodText(car, [walk, null], t, number)).toContain(methodText(car, t, number));
    });
  }
});
