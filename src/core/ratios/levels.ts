/**
 * Hospital level (医院等级) as registries write it: 三级甲等, 二级乙等, 二甲, 二级, 一级, or 1/2/3, "level 2".
 * The rules only need the level (一/二/三级), not the grade (甲/乙/丙).
 */

export type HospitalLevel = 1 | 2 | 3;

const CHINESE_DIGITS: Record<string, HospitalLevel> = { 一: 1, 二: 2, 三: 3 };

/** The level of a `level` property, or null when it is absent or unreadable (e.g. 未定级, "unknown"). */
export function parseHospitalLevel(value: unknown): HospitalLevel | null {
  if (typeof value === 'number') return value === 1 || value === 2 || value === 3 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const digit = /^(?:level\s*)?([123])(?:\s*级)?$/i.exec(text);
  if (digit) return Number(digit[1]) as HospitalLevel;
  const chinese = /^([一二三])(?:级|[甲乙丙])/.exec(text);
  if (chinese) return CHINESE_DIGITS[chinese[1]!] ?? null;
  return null;
}
