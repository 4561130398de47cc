import { describe, expect, test } from 'vitest';
import { DEMO_CATEGORIES } from '../../../src/modules/categories/categories.seed';
import { classifyDemand } from '../../../src/modules/classification/classification.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';
import fixture from '../../fixtures/demands.labelled.json';

type Labelled = { text: string; category: string; urgent: boolean };
const demands = fixture as Labelled[];
const tokenize = createJiebaTokenizer();

const results = demands.map((d) => ({ ...d, got: classifyDemand({ text: d.text, categories: DEMO_CATEGORIES, tokenize }) }));

describe('classification on the labelled fixture', () => {
  test('the fixture covers every demo category and has enough urgent messages', () => {
    const codes = new Set(demands.map((d) => d.category));
    for (const c of DEMO_CATEGORIES) expect(codes.has(c.code), c.code).toBe(true);
    expect(demands.length).toBeGreaterThanOrEqual(220);
    expect(demands.filter((d) => d.urgent).length).toBeGreaterThanOrEqual(25);
  });

  test('at least 85% of the messages get their labelled category', () => {
    const correct = results.filter((r) => r.got.categoryCode === r.category).length;
    const accuracy = correct / results.length;

    const perCategory = DEMO_CATEGORIES.map(({ code }) => {
      const rows = results.filter((r) => r.category === code);
      const hits = rows.filter((r) => r.got.categoryCode === code).length;
      const confusedWith: Record<string, number> = {};
      for (const r of rows) if (r.got.categoryCode !== code) confusedWith[r.got.categoryCode] = (confusedWith[r.got.categoryCode] ?? 0) + 1;
      return { code, n: rows.length, accuracy: Number((hits / rows.length).toFixed(2)), confusedWith: JSON.stringify(confusedWith) };
    });
    console.log(`category accuracy: ${correct}/${results.length} = ${(accuracy * 100).toFixed(1)}%`);
    console.table(perCategory);
    for (const r of results.filter((x) => x.got.categoryCode !== x.category)) {
      console.log(`  miss: ${r.category} -> ${r.got.categoryCode} [${r.got.matched.join(',')}] ${r.text}`);
    }
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });

  test('every urgent message is marked urgent, and false alarms are counted', () => {
    const missed = results.filter((r) => r.urgent && !r.got.urgent);
    const falseUrgent = results.filter((r) => !r.urgent && r.got.urgent);
    console.log(`urgent: ${results.filter((r) => r.urgent).length} labelled, ${missed.length} missed, ${falseUrgent.length} false urgent of ${results.filter((r) => !r.urgent).length} normal`);
    for (const r of falseUrgent) console.log(`  false urgent [${r.got.urgentTerms.join(',')}] ${r.text}`);
    expect(missed.map((r) => r.text)).toEqual([]);
  });
});
