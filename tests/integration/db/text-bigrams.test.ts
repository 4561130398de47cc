import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/sql';
import { createTestDb, type TestDb } from '../../helpers/db';

/** The first, quadratic definition, kept here only as the reference the linear one must match. */
const QUADRATIC = sql.raw(`CREATE OR REPLACE FUNCTION text_bigrams_quadratic(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT AS
$$ SELECT ARRAY(SELECT DISTINCT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i) $$`);

/** Characters that stress lowering and splitting: case pairs whose lower form differs in length, combining marks, astral emoji, full-width forms. */
const TRICKY = ['A', 'a', 'İ', 'ẞ', 'Σ', 'ς', 'Ǆ', 'ﬀ', 'e\u0301', '👩‍👧', '🇨🇳', 'Ｑ', '＃', '１', ' ', '\n', '\t', '报', '修', '号', '楼', '%', '_', "'", '\\'];
const text = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 40 })
  .map((parts) => parts.join('').replaceAll('\u0000', ''));

describe('text_bigrams, the key of the substring search index', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    await t.db.execute(QUADRATIC);
  });
  afterAll(async () => t.close());

  /** How many of the texts give a different set of pieces under the two definitions (and one of them, to show). */
  async function mismatches(texts: string[]): Promise<{ n: number; example: string | null }> {
    const [r] = await rows<{ n: number; example: string | null }>(
      t.db,
      sql`select count(*)::int as n, min(x) as example from jsonb_array_elements_text(${JSON.stringify(texts)}::jsonb) as x
          where (select array_agg(p order by p collate "C") from unnest(text_bigrams(x)) p)
                is distinct from (select array_agg(p order by p collate "C") from unnest(text_bigrams_quadratic(x)) p)
             or cardinality(text_bigrams(x)) <> cardinality(text_bigrams_quadratic(x))`,
    );
    return r!;
  }

  it('gives exactly the pieces the quadratic definition gave, on edge cases and generated texts', async () => {
    const fixed = ['', 'a', 'ab', 'AB', 'aAa', 'İİ', 'ẞx', '报修报修', '  ', '3号楼 漏水 Water', 'x'.repeat(300)];
    expect(await mismatches(fixed)).toEqual({ n: 0, example: null });
    const generated = fc.sample(text, { numRuns: 3000, seed: 20261207 });
    expect(await mismatches(generated)).toEqual({ n: 0, example: null });
  });

  it('agrees with the quadratic definition on every property-based sample', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 50 }), async (texts) => {
        expect((await mismatches(texts)).n).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps NULL for NULL', async () => {
    const [r] = await rows<{ b: string[] | null }>(t.db, sql`select text_bigrams(null) as b`);
    expect(r!.b).toBeNull();
  });

  it('takes well under a second for 80,000 characters', async () => {
    const long = Array.from({ length: 80_000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000))).join('');
    const started = performance.now();
    const [r] = await rows<{ n: number }>(t.db, sql`select cardinality(text_bigrams(${long}))::int as n`);
    const ms = performance.now() - started;
    expect(r!.n).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(900);
  });
});
