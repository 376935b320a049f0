/**
 * The UI strings live in one module per feature (src/app/messages/*.ts), spread into one table by messages.ts.
 * Every module must have each key in both languages, none empty; a key used in two modules would silently show
 * another feature's text (as 'exportFormat' once did); and the table must include every module.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGS, MESSAGES } from '../../src/app/messages';

const DIR = resolve(__dirname, '../../src/app/messages');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

/** Nothing to say while idle; English counts need no word ("12", where Chinese says "12 个"). */
const MAY_BE_EMPTY = new Set(['saved_idle', 'count']);

type Table = Record<string, unknown>;
const isTable = (x: unknown): x is Table => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The message modules: those exporting a Chinese and an English table. */
async function modules(): Promise<{ file: string; zh: Table; en: Table }[]> {
  const found = [];
  for (const file of FILES) {
    const mod = (await import(resolve(DIR, file))) as { zh?: unknown; en?: unknown };
    if (isTable(mod.zh) && isTable(mod.en)) found.push({ file, zh: mod.zh, en: mod.en });
  }
  return found;
}

describe('messages', () => {
  it('splits into feature modules', async () => {
    expect((await modules()).length).toBeGreaterThanOrEqual(10);
  });

  it('has the same keys in Chinese and English in every module, none empty', async () => {
    for (const { file, zh, en } of await modules()) {
      expect(Object.keys(en).sort(), file).toEqual(Object.keys(zh).sort());
      for (const [key, text] of [...Object.entries(zh), ...Object.entries(en)]) {
        expect(typeof text, `${file}: ${key}`).toBe('string');
        if (!MAY_BE_EMPTY.has(key)) expect((text as string).trim(), `${file}: ${key}`).not.toBe('');
      }
    }
  });

  it('shares no key between two modules', async () => {
    const owner = new Map<string, string>();
    for (const { file, zh } of await modules())
      for (const key of Object.keys(zh)) {
        expect(owner.get(key), `${key} in ${file}`).toBeUndefined();
        owner.set(key, file);
      }
  });

  it('composes every module into the table, in both languages', async () => {
    for (const { file, zh, en } of await modules())
      for (const lang of LANGS) {
        const table = { zh, en }[lang];
        const missing = Object.keys(table).filter((k) => (MESSAGES[lang] as Table)[k] !== table[k]);
        expect(missing, `${file} (${lang})`).toEqual([]);
      }
  });
});
