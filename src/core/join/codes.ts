/**
 * Statistical codes (统计用区划代码) as a table gives them. A code is 12 digits (village), or its 9-digit
 * (township) or 6-digit (county) prefix; the 12-digit form of a township ends in 000. A spreadsheet that took
 * the column for numbers may have written a code as 3.60724E+11 (six significant digits: the village part gone),
 * dropped leading zeros, or kept a float: each is said per row rather than matched to the wrong place.
 */

export type CodeProblem =
  /** Written in exponent form (3.60724E+11): the digits after the sixth are lost. */
  | 'code-scientific'
  /** A number that is not an exact integer (a fraction, or beyond 2^53). */
  | 'code-not-exact'
  /** Not 6, 9 or 12 digits: leading zeros or digits lost, or not a code at all. */
  | 'code-length'
  /** Not digits. */
  | 'code-not-digits';

export interface ReadCode {
  /** The code as digits (or the text as given when the target's ids are not codes); null when the cell is empty. */
  code: string | null;
  /** The cell held a number rather than text: a 12-digit code ending in 000 may be a rounded one. */
  numeric: boolean;
  problem?: CodeProblem;
}

const SCIENTIFIC = /^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/;
const CODE_LENGTHS = [6, 9, 12] as const;

/** Reads one code cell (see the module comment). */
export function readCode(value: unknown): ReadCode {
  if (value === null || value === undefined) return { code: null, numeric: false };
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return { code: String(value), numeric: true, problem: 'code-not-exact' };
    return checked(String(value), true);
  }
  // Excel's text marker ('360724100001) and a trailing .0 from a float column are not part of the code.
  const text = String(value).normalize('NFKC').replace(/\s+/g, '').replace(/^'/, '').replace(/\.0+$/, '');
  if (text === '') return { code: null, numeric: false };
  if (SCIENTIFIC.test(text)) return { code: text, numeric: true, problem: 'code-scientific' };
  return checked(text, false);
}

function checked(text: string, numeric: boolean): ReadCode {
  if (!/^\d+$/.test(text)) return { code: text, numeric, problem: 'code-not-digits' };
  if (!(CODE_LENGTHS as readonly number[]).includes(text.length)) return { code: text, numeric, problem: 'code-length' };
  return { code: text, numeric };
}

/** A code of the township level: 9 digits, or the 12-digit form ending in 000 cut to its 9; else null. */
export function townshipCodeOf(code: string): string | null {
  if (code.length === 9) return code;
  if (code.length === 12 && code.endsWith('000') && !code.endsWith('000000')) return code.slice(0, 9);
  return null;
}

/** The level a well-formed code names. */
export function codeLevel(code: string): 'county' | 'township' | 'village' {
  if (code.length === 6 || (code.length === 12 && code.endsWith('000000'))) return 'county';
  if (code.length === 9 || (code.length === 12 && code.endsWith('000'))) return 'township';
  return 'village';
}

/** Whether every id is a 12-digit (or, for townships, 9-digit) statistical code, so codes are checked as codes. */
export function idsAreCodes(ids: readonly string[], length: 9 | 12): boolean {
  return ids.length > 0 && ids.every((id) => id.length === length && /^\d+$/.test(id));
}
