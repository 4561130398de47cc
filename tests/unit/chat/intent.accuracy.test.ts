import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intentModel } from '../../../src/modules/chat/intent-model';
import { readIntentBlended } from '../../../src/modules/chat/intent-model.models';
import { INTENTS, type Intent, type IntentContext } from '../../../src/modules/chat/intent.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

type Labelled = { text: string; intent: Intent; context?: string };
type Fixture = { contexts: Record<string, IntentContext>; messages: Labelled[] };

function load(name: string): Fixture {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures', name), 'utf8')) as Fixture;
}
/** Used to tune the rules (its last 60 were held out until issue 11, then tuned on). */
const tuning = load('intents.labelled.json');
/** Written before the issue-11 tuning and never tuned on: the honest figure. */
const holdout2 = load('intents.holdout2.json');
const tokenize = createJiebaTokenizer();
/** The product's reading: the rules blended with the model trained on the shipped (tuning) messages. */
const model = intentModel(tokenize);

/** Accuracy overall and per intent, with the misses, printed so that a change in the rules shows what it cost. */
function measure(fixture: Fixture, title: string) {
  const perIntent = new Map<Intent, { n: number; ok: number }>();
  const misses: string[] = [];
  for (const m of fixture.messages) {
    const got = readIntentBlended({ text: m.text, context: fixture.contexts[m.context ?? 'none'] ?? {}, tokenize, model }).intent;
    const row = perIntent.get(m.intent) ?? { n: 0, ok: 0 };
    row.n++;
    if (got === m.intent) row.ok++;
    else misses.push(`  [${m.context ?? 'none'}] ${m.text} → ${got} (want ${m.intent})`);
    perIntent.set(m.intent, row);
  }
  const n = fixture.messages.length;
  const ok = n - misses.length;
  const lines = [`${title}: ${ok}/${n} = ${((100 * ok) / n).toFixed(1)}%`];
  for (const intent of INTENTS) {
    const row = perIntent.get(intent);
    if (row) lines.push(`  ${intent.padEnd(16)} ${row.ok}/${row.n} = ${((100 * row.ok) / row.n).toFixed(0)}%`);
  }
  console.log([...lines, misses.length ? 'misses:' : 'no misses', ...misses].join('\n'));
  return ok / n;
}

/** Each message is labelled with a known intent and a context its fixture defines. */
function expectWellFormed(fixture: Fixture) {
  for (const m of fixture.messages) {
    expect(INTENTS).toContain(m.intent);
    if (m.context) expect(fixture.contexts).toHaveProperty(m.context);
  }
}

describe('the intent reader on the labelled conversational messages', () => {
  it('has at least 300 tuning messages, each labelled with a known intent and context', () => {
    expect(tuning.messages.length).toBeGreaterThanOrEqual(300);
    expectWellFormed(tuning);
  });

  it('reads the tuning set at ≥ 97%', () => {
    expect(measure(tuning, 'tuning set')).toBeGreaterThanOrEqual(0.97);
  });

  it('has a held-out set of at least 80 messages with every intent at least 6 times', () => {
    expect(holdout2.messages.length).toBeGreaterThanOrEqual(80);
    expectWellFormed(holdout2);
    for (const intent of INTENTS) expect(holdout2.messages.filter((m) => m.intent === intent).length).toBeGreaterThanOrEqual(6);
  });

  it('reads the held-out set (written before tuning, never tuned on) at ≥ 70% (measured once with the blend: 59/80 = 73.8%, rounded down)', () => {
    // The floor is what the reading honestly reached on first reading (rules alone 53/80 = 66.3%; rules blended with
    // the intent model, its threshold chosen by cross-validation on the 308, 59/80), not a target: raise it only
    // with a new held-out set.
    expect(measure(holdout2, 'held-out set (holdout2)')).toBeGreaterThanOrEqual(0.7);
  });
});
