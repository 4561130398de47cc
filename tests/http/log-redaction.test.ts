import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, type HttpPlugin } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { residents } from '../../src/modules/people/residents.table';
import { createTestContext, type TestContext } from '../helpers/context';

/** Every line the app logged, as written. */
class Capture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text() {
    return this.lines.join('\n');
  }
}

describe('what reaches the log', () => {
  let t: TestContext;
  let app: FastifyInstance;
  const capture = new Capture();

  beforeAll(async () => {
    t = await createTestContext({ env: { OPEN311_API_KEYS: 'k-very-secret-1234' } });
    // A route that fails the way a bad write does: a database error whose statement carries a resident's data.
    const failing: HttpPlugin = async (a, { ctx }) => {
      a.post('/test/failing-write', async () => {
        const [first] = await ctx.db.select({ id: residents.id }).from(residents).limit(1);
        await ctx.db.insert(residents).values({ id: first!.id, name: '王秘密', phone: '13912345678', chatName: '3号楼漏水了' });
        return { ok: true };
      });
    };
    app = await buildHttpApp({ ctx: t, plugins: [...consolePlugins, failing], logger: { level: 'info', stream: capture } });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('a logged URL never shows an api_key (query string, any case, encoded), the rest of it stays', async () => {
    await app.inject({ method: 'GET', url: '/open311/v2/services.json?api_key=k-very-secret-1234&jurisdiction_id=x' });
    await app.inject({ method: 'GET', url: '/open311/v2/requests.json?API_KEY=k-very-secret-1234' });
    await app.inject({ method: 'GET', url: '/open311/v2/requests.json?api%5Fkey=k-very-secret-1234' });
    const missing = await app.inject({ method: 'GET', url: '/no-such-page?api_key=k-very-secret-1234' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('k-very-secret-1234');
    expect(capture.text).toContain('/open311/v2/services.json?api_key=[redacted]&jurisdiction_id=x');
    expect(capture.text).not.toContain('k-very-secret-1234');
  });

  it('a failed query is logged by SQL state, constraint and statement, never by the values bound to it', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/failing-write', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(500);
    const line = capture.lines.find((l) => l.includes('request failed'));
    expect(line, capture.text).toBeDefined();
    const logged = JSON.parse(line!) as { err: { code?: string; constraint?: string; sql?: string } };
    expect(logged.err.code).toBe('23505');
    expect(logged.err.constraint).toBe('residents_pkey');
    expect(logged.err.sql).toMatch(/insert into "residents"/i);
    for (const value of ['王秘密', '13912345678', '3号楼漏水了']) expect(capture.text).not.toContain(value);
  });
});
