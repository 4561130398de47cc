import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChatCommand, parseCommand } from '../../src/modules/chat/commands.models';
import { MAX_DB_INT } from '../../src/shared/ids';
import { cleanInput } from '../../src/shared/text/normalize';
import { InputCounter, hostileTextWithHuge } from './fuzz-inputs';

const RUNS = 100_000;
const MAX_MS = 1000;

/** Every number a command carries fits the database (or is null): nothing the parser returns can make a query fail. */
function numbersInRange(command: ChatCommand): boolean {
  for (const key of ['no', 'days'] as const) {
    const v = (command as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_DB_INT) return false;
  }
  return true;
}

describe('the chat command parser under hostile input', () => {
  it(`parses ${RUNS} generated messages without throwing, each in under a second, every number in range`, { timeout: 240_000 }, () => {
    const count = new InputCounter();
    fc.assert(
      fc.property(hostileTextWithHuge(2000), (raw) => {
        for (const text of [raw, cleanInput(raw)]) {
          const started = performance.now();
          const command = parseCommand(text);
          const ms = performance.now() - started;
          count.add(ms, text);
          expect(ms, `${text.length} characters`).toBeLessThan(MAX_MS);
          expect(typeof command.kind).toBe('string');
          expect(numbersInRange(command), JSON.stringify(command).slice(0, 300)).toBe(true);
        }
      }),
      { numRuns: RUNS / 2 },
    );
    console.log(`fuzz-parser: ${count.n} inputs, slowest ${count.slowest.ms.toFixed(1)} ms (${count.slowest.what.length} chars shown)`);
    expect(count.n).toBe(RUNS);
  });
});
