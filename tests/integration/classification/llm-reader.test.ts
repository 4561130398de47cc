import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CATEGORIES } from '../../../src/modules/categories/categories.seed';
import { categories } from '../../../src/modules/categories/categories.table';
import { createLlmReader, parseReading } from '../../../src/modules/classification/llm-reader';
import { orderEvents, workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { createTestContext, type TestContext } from '../../helpers/context';

/** A fake OpenAI-compatible server: answers what the current test sets, and records what it was asked. */
type Behaviour = { status?: number; content?: string; delayMs?: number };
let behaviour: Behaviour = {};
const asked: { path: string; auth: string | undefined; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      asked.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) });
      const reply = () => {
        res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: behaviour.content ?? '' } }] }));
      };
      if (behaviour.delayMs) setTimeout(reply, behaviour.delayMs).unref();
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const cats = DEMO_CATEGORIES.map(({ code, name }) => ({ code, name }));

describe('the language-model reader', () => {
  it('asks the chat-completions endpoint with the model, the key and the categories, and reads the JSON answer', async () => {
    behaviour = { content: '好的：\n```json\n{"category": "greening", "urgent": false, "summary": "树枝挡住窗户"}\n```' };
    const reader = createLlmReader({ url: `${url}/v1`, model: 'qwen-test', apiKey: 'k-1' });
    expect(await reader.read({ text: '树枝都伸到我家窗户里了', categories: cats })).toEqual({ categoryCode: 'greening', urgent: false, summary: '树枝挡住窗户' });
    const last = asked.at(-1)!;
    expect(last.path).toBe('/v1/chat/completions');
    expect(last.auth).toBe('Bearer k-1');
    expect(last.body.model).toBe('qwen-test');
    expect(last.body.messages[0]!.content).toContain('greening (绿化养护)');
    expect(last.body.messages[1]!.content).toBe('树枝都伸到我家窗户里了');
  });

  it('gives up after the timeout, on an HTTP error and on an answer that is not a known category', async () => {
    const errors: unknown[] = [];
    const reader = createLlmReader({ url, model: 'm', timeoutMs: 200, onError: (e) => errors.push(e) });
    behaviour = { content: '{"category": "greening", "urgent": false}', delayMs: 2000 };
    const started = Date.now();
    expect(await reader.read({ text: '树', categories: cats })).toBeNull();
    expect(Date.now() - started).toBeLessThan(1500);
    behaviour = { status: 500 };
    expect(await reader.read({ text: '树', categories: cats })).toBeNull();
    behaviour = { content: '{"category": "weather", "urgent": false}' };
    expect(await reader.read({ text: '树', categories: cats })).toBeNull();
    expect(errors).toHaveLength(3);
  });

  it('parseReading takes a category by code or name and nothing else', () => {
    expect(parseReading('{"category":"路灯照明","urgent":true}', cats)).toEqual({ categoryCode: 'streetlight', urgent: true, summary: null });
    expect(parseReading('no json here', cats)).toBeNull();
    expect(parseReading('{"category": 3}', cats)).toBeNull();
  });
});

describe('submitting a demand with the reader on', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const submit = async (id: string, text: string, timeoutMs = 3000, at = url) => {
    const result = await submitDemand({
      deps: { ...t.orderDeps, llm: createLlmReader({ url: at, model: 'm', timeoutMs }) },
      input: { sourceMessageId: id, channel: 'group', residentId: await t.residentId('陈阿姨'), gridId: await t.gridId('D01-T01-C01-G01'), text, checkDuplicates: false },
    });
    if (result.outcome !== 'created') throw new Error(result.outcome);
    const [order] = await t.db.select().from(workOrders).where(eq(workOrders.id, result.order.id));
    const [category] = await t.db.select().from(categories).where(eq(categories.id, order!.categoryId));
    const [submitted] = await t.db.select().from(orderEvents).where(eq(orderEvents.orderId, order!.id));
    return { code: category!.code, urgency: order!.urgency, data: submitted!.data as { classification: { llm?: unknown } } };
  };

  it('files the order under the reader\'s category and keeps its reading on the timeline', async () => {
    behaviour = { content: '{"category": "neighbour_dispute", "urgent": false, "summary": "邻居占用走廊"}' };
    const got = await submit('llm-1', '3号楼对门把鞋柜放在走廊里');
    expect(got).toMatchObject({ code: 'neighbour_dispute', urgency: 'normal' });
    expect(got.data.classification.llm).toEqual({ categoryCode: 'neighbour_dispute', urgent: false, summary: '邻居占用走廊' });
  });

  it('never lowers the urgency the rules found', async () => {
    behaviour = { content: '{"category": "safety_hazard", "urgent": false}' };
    expect(await submit('llm-2', '5号楼楼道里好大的煤气味')).toMatchObject({ code: 'safety_hazard', urgency: 'urgent' });
  });

  it('falls back to the offline classifier when the reader is slow or down', async () => {
    behaviour = { content: '{"category": "greening", "urgent": false}', delayMs: 2000 };
    expect(await submit('llm-3', '3号楼门口的路灯坏了', 200)).toMatchObject({ code: 'streetlight' });
    expect(await submit('llm-4', '5号楼门口的路灯坏了', 200, 'http://127.0.0.1:1')).toMatchObject({ code: 'streetlight' });
  });
});
