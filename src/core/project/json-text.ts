/**
 * JSON.parse with a reason a person can act on. When parsing fails, the text is scanned once more against the
 * JSON grammar: if it is a valid beginning of a JSON document that simply stops, the file was cut off (download
 * or copy interrupted); if the grammar breaks somewhere, it is damaged or not JSON. The check reads the text's
 * structure, not the engine's error wording, which differs between browsers and Node versions.
 */

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; code: 'truncated' | 'not_json'; detail: string };

const OK = 0;
const END = 1;
const BAD = 2;
type Scan = typeof OK | typeof END | typeof BAD;

/** Beyond this nesting the scan gives up and calls the text not JSON (no real project nests this deep). */
const MAX_DEPTH = 1000;

/**
 * 'prefix' when the text is the start of some JSON document (it ends early), 'invalid' when the grammar breaks,
 * 'complete' when it is a whole JSON value.
 */
function jsonPrefixState(text: string): 'prefix' | 'invalid' | 'complete' {
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const literal = (word: string): Scan => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= n) return END;
      if (text[i] !== word[k]) return BAD;
    }
    return OK;
  };
  const digits = (): Scan => {
    if (i >= n) return END;
    if (!/[0-9]/.test(text[i]!)) return BAD;
    while (i < n && /[0-9]/.test(text[i]!)) i++;
    return OK;
  };
  const number = (): Scan => {
    if (text[i] === '-') i++;
    if (i >= n) return END;
    if (text[i] === '0') i++;
    else if (digits() !== OK) return i >= n ? END : BAD;
    if (text[i] === '.') {
      i++;
      const r = digits();
      if (r !== OK) return r;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      const r = digits();
      if (r !== OK) return r;
    }
    return OK;
  };
  const string = (): Scan => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return OK;
      }
      if (c < 0x20) return BAD;
      if (c === 0x5c) {
        i++;
        if (i >= n) return END;
        const e = text[i]!;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) return END;
            if (!/[0-9a-fA-F]/.test(text[i]!)) return BAD;
          }
        } else if (!'"\\/bfnrt'.includes(e)) return BAD;
      }
      i++;
    }
    return END;
  };
  const value = (depth: number): Scan => {
    ws();
    if (i >= n) return END;
    const c = text[i]!;
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c !== '{' && c !== '[') return BAD;
    if (depth >= MAX_DEPTH) return BAD;
    const close = c === '{' ? '}' : ']';
    i++;
    ws();
    if (i >= n) return END;
    if (text[i] === close) {
      i++;
      return OK;
    }
    for (;;) {
      if (close === '}') {
        ws();
        if (i >= n) return END;
        if (text[i] !== '"') return BAD;
        const key = string();
        if (key !== OK) return key;
        ws();
        if (i >= n) return END;
        if (text[i] !== ':') return BAD;
        i++;
      }
      const item = value(depth + 1);
      if (item !== OK) return item;
      ws();
      if (i >= n) return END;
      if (text[i] === close) {
        i++;
        return OK;
      }
      if (text[i] !== ',') return BAD;
      i++;
    }
  };
  const result = value(0);
  if (result === END) return 'prefix';
  if (result === BAD) return 'invalid';
  ws();
  return i < n ? 'invalid' : 'complete';
}

/** The value of a JSON text, or whether it was cut off or is not JSON, with the parser's own words as detail. */
export function parseJsonText(text: string): JsonTextResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
    return { ok: false, code: jsonPrefixState(text) === 'prefix' ? 'truncated' : 'not_json', detail };
  }
}
