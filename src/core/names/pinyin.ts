/**
 * Pinyin of Chinese place and facility names, for English readers and for search. pinyin-pro reads polyphonic
 * characters in context (长乐 → Changle, 重庆 → Chongqing), which a per-character table cannot.
 */
import { pinyin } from 'pinyin-pro';

const CHINESE = /[\u3400-\u9fff]/;

/** A name in pinyin as a place name is written (GB/T 16159): "东山镇" → "Dongshan Zhen", "长乐村" → "Changle Cun". */
export function pinyinName(name: string): string {
  if (!CHINESE.test(name)) return name;
  // A trailing number ("新建村卫生室 2") is not part of the name's words: the name before it is read as a name.
  const numbered = /^(.*[\u3400-\u9fff])(\s*\d+)$/.exec(name);
  if (numbered) return `${pinyinName(numbered[1]!)}${numbered[2]}`;
  // Full-width brackets read as Latin ones beside pinyin: 非公立医院（合计） → … (Heji).
  if (/[（）]/.test(name))
    return name
      .split(/[（）]/)
      .map((part, k) => (part === '' ? '' : k % 2 ? `(${pinyinName(part)})` : pinyinName(part)))
      .filter(Boolean)
      .join(' ');
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  // Proper name and generic ending as two words, each capitalised: 东山 + 镇 → Dongshan Zhen.
  const ending = GENERIC.find((g) => name.endsWith(g) && name.length > g.length);
  const cut = ending ? syllables.length - [...ending].length : syllables.length;
  const word = (parts: string[]) => {
    const joined = parts.join('').trim();
    return joined.charAt(0).toUpperCase() + joined.slice(1);
  };
  return ending ? `${word(syllables.slice(0, cut))} ${word(syllables.slice(cut))}` : word(syllables);
}

/** The first letters of each character's pinyin ("东山镇" → "dsz"), how planners type a name quickly. */
export function pinyinInitials(name: string): string {
  return pinyin(name, { toneType: 'none', pattern: 'first', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
}

/** The full pinyin without spaces or tones ("东山镇" → "dongshanzhen"), for matching what was typed. */
export function pinyinPlain(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join('').toLowerCase();
}

/** Generic endings of administrative and facility names, written as a word of their own after the proper name. */
const GENERIC = [
  '社区居民委员会',
  '村民委员会',
  '居民委员会',
  '社区居委会',
  '居委会',
  '村委会',
  '社区卫生服务中心',
  '中心卫生院',
  '卫生院',
  '卫生室',
  '人民医院',
  '中医院',
  '医院',
  '街道',
  '社区',
  '县',
  '区',
  '乡',
  '镇',
  '村',
];
