/**
 * How a plan's target is read: which values meet it. The comparators are those of the plans README §1; two
 * readings need words beyond the comparator and are made from the plan's own data, not from the county's name:
 *
 * - `=` is a plain number in the indicator table with no sign. A resource target is something to reach, so it is
 *   read as "at least", and the reading says so.
 * - A floor (`>=`, `>`, `=`) whose quotes also say the value is *held at* the target (控制在 / 保持在 / 稳定在
 *   followed by the target number, and not by 以下/以内/以上) is also a soft cap: above it is over the cap.
 *   Shandan's beds are the case in the seed plans: table "≥9.66", text "控制在 9.66 张".
 */
import { COMPARATORS, type Comparator, type PlanIndicator } from '../plans/plan';

/** `about` (左右) is met within this share of the target either way. */
const ABOUT_TOLERANCE = 0.05;

/** Words that, before the target number, say the value is to be held there rather than only reached. */
const HELD_AT_MARKERS = ['控制在', '保持在', '稳定在'] as const;

/** Words that, after the number, turn "held at N" into a plain cap or floor (以下 = at most, 以上 = at least). */
const BOUND_WORDS = ['以下', '以内', '之内', '以上', '以外'];

export type ReadingNote =
  | { code: 'plain_number_read_as_at_least' }
  | { code: 'about_band'; tolerance: number; lower: number; upper: number }
  | { code: 'held_at_soft_cap'; marker: string; quote: string };

export interface TargetReading {
  target: number;
  comparator: Comparator;
  /** The least value that meets the target, or null when only a cap is set. */
  floor: number | null;
  /** True for `>`: the floor itself does not meet it. */
  floor_strict: boolean;
  /** The greatest value that meets the target, or null when there is no cap. */
  cap: number | null;
  /**
   * `hard` (≤), `about` (the +5 % edge), or `held_at`: a soft cap at the target, allowing the part of a whole
   * unit (bed, nurse) that reaching the floor may need.
   */
  cap_kind: 'hard' | 'about' | 'held_at' | null;
  notes: ReadingNote[];
}

/** All the quotes that back an indicator's target. */
function targetQuotes(indicator: PlanIndicator): string[] {
  const quotes = [indicator.quote, ...(indicator.other_quotes ?? [])];
  return quotes.filter((q): q is string => typeof q === 'string');
}

/**
 * The quote (and marker) saying the target is held at its value, if any: a marker, optional spaces, a number
 * equal to the target, then no bound word before the next punctuation within ten characters (the unit, e.g.
 * 张 or /10 万, may sit between).
 */
export function findHeldAtQuote(indicator: PlanIndicator): { marker: string; quote: string } | null {
  const target = indicator.target_2025;
  if (typeof target !== 'number') return null;
  for (const quote of targetQuotes(indicator)) {
    for (const marker of HELD_AT_MARKERS) {
      const pattern = new RegExp(`${marker}\\s*(\\d+(?:\\.\\d+)?)`, 'g');
      for (const match of quote.matchAll(pattern)) {
        if (Number(match[1]) !== target) continue;
        const start = match.index + match[0].length;
        const after = quote.slice(start, start + 10).split(/[，。；、,;]/)[0]!;
        if (BOUND_WORDS.some((word) => after.includes(word))) continue;
        return { marker, quote };
      }
    }
  }
  return null;
}

/** The reading of an indicator's 2025 target, or null when it has no numeric target or no comparator. */
export function readTarget(indicator: PlanIndicator): TargetReading | null {
  const target = indicator.target_2025;
  const comparator = indicator.comparator;
  if (typeof target !== 'number' || !Number.isFinite(target) || comparator === null) return null;
  const notes: ReadingNote[] = [];
  const reading: TargetReading = { target, comparator, floor: null, floor_strict: false, cap: null, cap_kind: null, notes };
  switch (comparator) {
    case '<=':
      reading.cap = target;
      reading.cap_kind = 'hard';
      return reading;
    case 'about': {
      const lower = target * (1 - ABOUT_TOLERANCE);
      const upper = target * (1 + ABOUT_TOLERANCE);
      reading.floor = lower;
      reading.cap = upper;
      reading.cap_kind = 'about';
      notes.push({ code: 'about_band', tolerance: ABOUT_TOLERANCE, lower, upper });
      return reading;
    }
    case '=':
      notes.push({ code: 'plain_number_read_as_at_least' });
      reading.floor = target;
      break;
    case '>':
      reading.floor = target;
      reading.floor_strict = true;
      break;
    case '>=':
      reading.floor = target;
      break;
  }
  const heldAt = findHeldAtQuote(indicator);
  if (heldAt) {
    reading.cap = target;
    reading.cap_kind = 'held_at';
    notes.push({ code: 'held_at_soft_cap', ...heldAt });
  }
  return reading;
}

/**
 * A target the plan sets for each township, if it states one: `township_target_2025` with a
 * `township_comparator` (and its own `township_quote`) on the indicator. None of the seed plans does: their
 * resource targets are county-wide, so a township is then shown its need as context, never a verdict.
 */
export function readTownshipTarget(indicator: PlanIndicator): TargetReading | null {
  const target = indicator.township_target_2025;
  const comparator = indicator.township_comparator;
  if (typeof target !== 'number' || !Number.isFinite(target)) return null;
  if (typeof comparator !== 'string' || !(COMPARATORS as readonly string[]).includes(comparator)) return null;
  const quote = typeof indicator.township_quote === 'string' ? indicator.township_quote : null;
  return readTarget({ id: indicator.id, target_2025: target, comparator: comparator as Comparator, kind: indicator.kind, quote });
}
