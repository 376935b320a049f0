/**
 * The import/export strings are spread into one table with every other module's: a key used twice would silently
 * show another feature's text (as 'exportFormat' once did), so the import module's keys must be its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as importMessages from '../../src/app/messages/import';

const DIR = resolve(__dirname, '../../src/app/messages');

/** Keys written in a message module's source (`key:` or `'key':` at the start of a line). */
function keysIn(path: string): Set<string> {
  const text = readFileSync(path, 'utf8');
  return new Set([...text.matchAll(/^\s+'?([A-Za-z_][\w-]*)'?:/gm)].map((m) => m[1]!));
}

describe('import messages', () => {
  it('has the same keys in Chinese and English, none empty', () => {
    expect(Object.keys(importMessages.en).sort()).toEqual(Object.keys(importMessages.zh).sort());
    for (const text of [...Object.values(importMessages.zh), ...Object.values(importMessages.en)]) expect(text.trim()).not.toBe('');
  });

  it('shares no key with another message module or the base table', () => {
    const others = [
      resolve(DIR, '../messages.ts'),
      ...readdirSync(DIR)
        .filter((f) => f.endsWith('.ts') && f !== 'import.ts')
        .map((f) => resolve(DIR, f)),
    ];
    for (const path of others) {
      const clash = Object.keys(importMessages.zh).filter((k) => keysIn(path).has(k));
      expect(clash, path).toEqual([]);
    }
  });
});
