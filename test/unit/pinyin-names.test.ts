import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { pinyinInitials, pinyinName, pinyinPlain } from '../../src/core/names/pinyin';

/** pinyin-pro's own syllables, joined and capitalised: what a word of a place name must read. */
const word = (zh: string) => {
  const joined = pinyin(zh, { toneType: 'none', type: 'array', v: true }).join('');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
};

describe('place names in pinyin', () => {
  it('writes the proper name and its generic ending as two words (GB/T 16159)', () => {
    for (const [proper, ending] of [
      ['东山', '镇'],
      ['长乐', '村'],
      ['城南', '社区居委会'],
      ['黄埠', '中心卫生院'],
      ['上犹', '县'],
    ] as const)
      expect(pinyinName(proper + ending)).toBe(`${word(proper)} ${word(ending)}`);
    // 长 in 长乐 is cháng, read in context.
    expect(pinyinName('长乐村')).toMatch(/^Changle /);
  });

  it('reads full-width brackets as Latin ones and leaves Latin names alone', () => {
    expect(pinyinName('非公立医院（合计）')).toBe(`${word('非公立')} ${word('医院')} (${word('合计')})`);
    expect(pinyinName('Clinic 7')).toBe('Clinic 7');
  });

  it('gives the initials and the plain pinyin a planner types', () => {
    expect(pinyinInitials('东山镇')).toBe('dsz');
    expect(pinyinPlain('东山镇')).toBe('dongshanzhen');
  });
});
