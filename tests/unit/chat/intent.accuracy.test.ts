import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENTS, type Intent, type IntentContext, readIntent } from '../../../src/modules/chat/intent.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

type Labelled = { text: string; intent: Intent; context?: string; heldOut?: boolean };
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/intents.labelled.json'), 'utf8')) as {
  contexts: Record<string, IntentContext>;
  messages: Labelled[];
};
const tokenize = createJiebaTokenizer();

/** Accuracy overall and per intent, with the misses, printed so that a change in the rules shows what it cost. */
function measure(messages: Labelled[], title: string) {
  const perIntent = new Map<Intent, { n: number; ok: number }>();
  const misses: string[] = [];
  for (const m of messages) {
    const got = readIntent({ text: m.text, context: fixture.contexts[m.context ?? 'none'] ?? {}, tokenize }).intent;
    const row = perIntent.get(m.intent) ?? { n: 0, ok: 0 };
    row.n++;
    if (got === m.intent) row.ok++;
    else misses.push(`  [${m.context ?? 'none'}] ${m.text} → ${got} (want ${m.intent})`);
    perIntent.set(m.intent, row);
  }
  const ok = messages.length - misses.length;
  const lines = [`${title}: ${ok}/${messages.length} = ${((100 * ok) / messages.length).toFixed(1)}%`];
  for (const intent of INTENTS) {
    const row = perIntent.get(intent);
    if (row) lines.push(`  ${intent.padEnd(16)} ${row.ok}/${row.n} = ${((100 * row.ok) / row.n).toFixed(0)}%`);
  }
  console.log([...lines, misses.length ? 'misses:' : 'no misses', ...misses].join('\n'));
  return ok / messages.length;
}

describe('the intent reader on the labelled conversational messages', () => {
  it('has at least 300 messages, each labelled with a known intent and context', () => {
    expect(fixture.messages.length).toBeGreaterThanOrEqual(300);
    for (const m of fixture.messages) {
      expect(INTENTS).toContain(m.intent);
      if (m.context) expect(fixture.contexts).toHaveProperty(m.context);
    }
  });

  it('reads the tuning part at ≥ 90%', () => {
    expect(measure(fixture.messages.filter((m) => !m.heldOut), 'tuning part')).toBeGreaterThanOrEqual(0.9);
  });

  it('reads the held-out part (written after tuning) at ≥ 80%', () => {
    const heldOut = fixture.messages.filter((m) => m.heldOut);
    expect(heldOut.length).toBeGreaterThanOrEqual(60);
    expect(measure(heldOut, 'held-out part')).toBeGreaterThanOrEqual(0.8);
  });

  it('reads all of it at ≥ 90%', () => {
    expect(measure(fixture.messages, 'all')).toBeGreaterThanOrEqual(0.9);
  });
});
