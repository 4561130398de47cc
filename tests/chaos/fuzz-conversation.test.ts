import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../src/modules/chat/chat.table';
import type { TranscriptEntry } from '../../bots/testing/mock-world';
import { type BotHarness, GROUP, startBotHarness } from '../bots/helpers';
import { InputCounter, hostileTextWithHuge } from './fuzz-inputs';

const MESSAGES = Number(process.env.GRIDLINE_FUZZ_MESSAGES ?? 120);
const MAX_MS = 1000;

const message = fc.record({
  from: fc.constantFrom('陈阿姨', '老王', '张伟'),
  text: hostileTextWithHuge(50),
  where: fc.constantFrom('direct', 'group-mention', 'group-trigger', 'group-chatter'),
});

/**
 * The whole conversation (the real bot on the mock puppet, on the real database) under hostile messages from
 * residents and staff, 1:1 and in a group: every message is answered or deliberately ignored, none fails.
 */
describe('the conversation under hostile messages', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
    // Warm-up outside the measurement: the first message loads the tokenizer's dictionary and fills the caches.
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
  });
  afterAll(async () => h?.close());

  it(`answers or deliberately ignores ${MESSAGES} generated messages, each within a second`, { timeout: 300_000 }, async () => {
    const count = new InputCounter();
    const problems: string[] = [];
    const samples = fc.sample(message, { numRuns: MESSAGES, seed: Number(process.env.GRIDLINE_FUZZ_SEED ?? 7) });
    for (const m of samples) {
      const text = m.where === 'group-trigger' ? `报事 ${m.text}` : m.text;
      if (!text) continue;
      const stored = (await h.t.db.select({ id: inboundMessages.id }).from(inboundMessages)).length;
      // Measured: from the message's arrival to the bot's first answer to its sender (what the person waits for).
      // Settling afterwards also waits for the outbox's notices and a quiet spell, which is not the bot's work.
      const seen = h.world.transcript().length;
      const toSender = (e: TranscriptEntry) => e.to === m.from || e.mentions.includes(m.from);
      const started = performance.now();
      await h.world.say(m.where === 'direct' ? { from: m.from, text } : { from: m.from, room: GROUP, text, mentionBot: m.where === 'group-mention' });
      let ms = 0;
      while (performance.now() - started < 5000) {
        if (h.world.transcript().slice(seen).some(toSender)) {
          ms = performance.now() - started;
          break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await h.world.settle();
      const sent = h.world.transcript().slice(seen);
      count.add(ms, text);
      const rows = (await h.inbound()).slice(stored);
      const what = `${m.where} ${m.from} ${JSON.stringify(text.slice(0, 80))} (${text.length} chars)`;
      if (ms > MAX_MS) problems.push(`${ms.toFixed(0)} ms: ${what}`);
      if (rows.some((r) => r.outcome === null || r.outcome === 'error')) problems.push(`outcome ${rows.map((r) => r.outcome).join(',')}: ${what}`);
      // 1:1 and addressed messages are stored and answered; group chatter may be ignored, but then it is not stored.
      if (m.where !== 'group-chatter' && rows.length !== 1) problems.push(`${rows.length} rows: ${what}`);
      const answered = sent.some(toSender);
      if (rows.length === 1 && !answered && rows[0]!.outcome !== 'attachment') problems.push(`no answer (${rows[0]!.outcome}): ${what}`);
    }
    console.log(`fuzz-conversation: ${count.n} messages, slowest ${count.slowest.ms.toFixed(0)} ms (${count.slowest.what.length} chars)`, problems);
    expect(problems).toEqual([]);
  });
});
