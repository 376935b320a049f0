import { describe, expect, it } from 'vitest';
import { MAX_SHOWN_CHARS, plainText } from '../../src/app/format-attribute';

describe('text from a file, made safe to show', () => {
  it('shows control characters as their symbols, so nothing hides or breaks a line', () => {
    expect(plainText('甲\u0000乙\u0007丙\u001b\u007f')).toBe('甲␀乙␇丙␛␡');
  });

  it('shows direction controls by code point, so a name cannot read backwards', () => {
    // "Trojan Source": U+202E would show "卫生院.exe" reversed; the isolates and marks likewise.
    expect(plainText('卫生室\u202Eexe.txt')).toBe('卫生室[U+202E]exe.txt');
    expect(plainText('\u2066a\u2069\u200F\u061C')).toBe('[U+2066]a[U+2069][U+200F][U+061C]');
  });

  it('cuts a very long value and says how long it was, keeping ordinary text as it is', () => {
    const long = '长'.repeat(100_000);
    const shown = plainText(long);
    expect(shown.startsWith('长'.repeat(MAX_SHOWN_CHARS) + '…')).toBe(true);
    expect(shown).toContain('100,000');
    expect(plainText('上犹县人民医院 <img src=x>')).toBe('上犹县人民医院 <img src=x>');
  });
});
