import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPARATOR_WORDING, comparatorLegend, comparatorSymbol, comparatorWords, targetText } from '../../src/core/plans/comparator';
import { COMPARATORS, parsePlan } from '../../src/core/plans/plan';
import { command as ratiosCommand } from '../../src/cli/commands/ratios';

const SRC = resolve(__dirname, '../../src');

/** Every .ts and .svelte file under src/. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(resolve(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [resolve(dir, e.name)] : [],
  );
}

describe('the one comparator table', () => {
  it('gives every comparator the plan schema allows a symbol and words in both languages', () => {
    expect(Object.keys(COMPARATOR_WORDING).sort()).toEqual([...COMPARATORS].sort());
    for (const c of COMPARATORS) {
      const w = COMPARATOR_WORDING[c];
      expect(w.symbol.trim(), c).not.toBe('');
      expect(w.en.trim(), c).not.toBe('');
      expect(w.zh.trim(), c).not.toBe('');
      expect(w.zh, c).toMatch(/[\u4e00-\u9fff]/);
      expect(comparatorSymbol(c)).toBe(w.symbol);
      expect(comparatorWords(c, 'zh')).toBe(w.zh);
      expect(comparatorWords(c, 'en')).toBe(w.en);
      // A schema comparator is one the plan checker accepts.
      const plan = {
        county: { zh: '测试县' },
        indicators: [{ id: 'beds_per_1000', target_2025: 6, comparator: c }],
      };
      const parsed = parsePlan(plan);
      if (!parsed.ok) expect(parsed.errors.join('\n')).not.toMatch(/comparator/);
    }
    // Symbols tell comparators apart.
    expect(new Set(COMPARATORS.map((c) => COMPARATOR_WORDING[c].symbol)).size).toBe(COMPARATORS.length);
  });

  it('writes a target with its symbol, "—" without one, and nothing for an unknown comparator', () => {
    const fmt = (n: number) => n.toFixed(2);
    expect(targetText({ target: 9.66, comparator: '>=' }, fmt)).toBe('≥9.66');
    expect(targetText({ target: 0.5, comparator: '<=' }, fmt)).toBe('≤0.50');
    expect(targetText({ target: 3, comparator: '>' }, fmt)).toBe('>3.00');
    expect(targetText({ target: 3, comparator: 'about' }, fmt)).toBe('≈3.00');
    expect(targetText({ target: 3, comparator: '=' }, fmt)).toBe('=3.00');
    expect(targetText({ target: null, comparator: '>=' }, fmt)).toBe('—');
    expect(targetText({ target: 3, comparator: null }, fmt)).toBe('3.00');
    expect(targetText({ target: 3, comparator: 'between' }, fmt)).toBe('3.00');
  });

  it('is what the seed plans use, and what the command line help lists', () => {
    for (const file of readdirSync(resolve(__dirname, '../../data/plans'))) {
      const plan = JSON.parse(readFileSync(resolve(__dirname, '../../data/plans', file), 'utf8')) as {
        indicators?: { comparator?: string | null }[];
      };
      for (const i of plan.indicators ?? [])
        if (i.comparator) expect(comparatorSymbol(i.comparator), `${file} ${i.comparator}`).not.toBe('');
    }
    expect(ratiosCommand.help).toContain(comparatorLegend('  '));
    for (const c of COMPARATORS) expect(ratiosCommand.help).toContain(COMPARATOR_WORDING[c].zh);
  });

  it('is the only comparator-to-symbol table in src/', () => {
    const copies = sources().filter((file) => /['"]>=['"]\s*:\s*['"]≥['"]/.test(readFileSync(file, 'utf8')));
    expect(copies).toEqual([]);
    // The table itself is written with keys and objects, not as a flat '>=': '≥' map.
    expect(readFileSync(resolve(SRC, 'core/plans/comparator.ts'), 'utf8')).toContain("'>=': { symbol: '≥'");
  });
});
