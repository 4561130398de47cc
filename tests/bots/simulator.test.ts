import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorPlugin } from '../../bots/simulator/simulator.routes';
import { buildHttpApp } from '../../src/http/app';
import { residents } from '../../src/modules/people/residents.table';
import { type BotHarness, GROUP, startBotHarness } from './helpers';

type Entry = { to: string | null; room: string | null; text: string; mentions: string[]; at: string };

describe('the simulator over HTTP', () => {
  let h: BotHarness;
  let app: FastifyInstance;

  beforeAll(async () => {
    // The real bot on the mock puppet, with its outbox sender: replies reach the transcript through the outbox.
    h = await startBotHarness();
    app = await buildHttpApp({ ctx: h.t, plugins: [simulatorPlugin(h.world)] });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('lists the groups with their grid and members, and the staff reachable 1:1', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/simulator/contacts' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      groups: { topic: string; grid: string | null; members: { name: string; role: string }[] }[];
      staff: { name: string; role: string; unit: string }[];
    };
    const group = body.groups.find((g) => g.topic === GROUP);
    expect(group?.grid).toBe('柳岸社区第一网格');
    expect(group?.members).toEqual(
      expect.arrayContaining([
        { name: '陈阿姨', role: 'resident' },
        { name: '张伟', role: 'leader' },
        { name: '李娜', role: 'assistant' },
      ]),
    );
    expect(body.groups).toHaveLength(12);
    expect(body.staff).toEqual(expect.arrayContaining([expect.objectContaining({ name: '周主任', role: 'officer' })]));
  });

  it('a resident reports in a group: the transcript shows the receipt with the mention, and the leader’s notice', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      payload: { from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true },
    });
    expect(res.statusCode).toBe(200);
    const posted = res.json() as { id: string; settled: boolean; replies: Entry[] };
    expect(posted.settled).toBe(true);
    const receipt = posted.replies.find((r) => r.room === GROUP);
    expect(receipt).toMatchObject({ to: null, room: GROUP, mentions: ['陈阿姨'] });
    expect(receipt!.text).toMatch(/^@陈阿姨 已受理 #1001 路灯照明，网格长张伟将于/);

    const transcript = (await app.inject({ method: 'GET', url: '/api/simulator/transcript' })).json() as Entry[];
    expect(transcript).toContainEqual(receipt);
    expect(transcript).toContainEqual(expect.objectContaining({ to: '张伟', room: null, text: expect.stringContaining('#1001') }));
    expect(transcript.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    // In order, each once.
    expect(transcript.filter((e) => e.text === receipt!.text)).toHaveLength(1);

    const tail = (await app.inject({ method: 'GET', url: `/api/simulator/transcript?since=${transcript.length - 1}` })).json() as Entry[];
    expect(tail).toEqual(transcript.slice(-1));
  });

  it('answers 1:1 when no room is given', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/simulator/messages', payload: { from: '陈阿姨', text: '帮助' } });
    expect(res.statusCode).toBe(200);
    const { replies } = res.json() as { replies: Entry[] };
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.to === '陈阿姨' && r.room === null)).toBe(true);
  });

  it('refuses an unknown contact or group with a clear message, and a message without text', async () => {
    const unknownPerson = await app.inject({ method: 'POST', url: '/api/simulator/messages', payload: { from: '路人甲', text: '你好' } });
    expect(unknownPerson.statusCode).toBe(400);
    expect(unknownPerson.json()).toMatchObject({ error: 'UNKNOWN_CONTACT', message: expect.stringContaining('路人甲') });

    const unknownRoom = await app.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      payload: { from: '陈阿姨', room: '不存在的群', text: '你好', mentionBot: true },
    });
    expect(unknownRoom.statusCode).toBe(400);
    expect(unknownRoom.json()).toMatchObject({ error: 'UNKNOWN_ROOM', message: expect.stringContaining('不存在的群') });

    const noText = await app.inject({ method: 'POST', url: '/api/simulator/messages', payload: { from: '陈阿姨', text: '' } });
    expect(noText.statusCode).toBe(400);
  });

  it('serves a Chinese page that escapes everything people typed and names', async () => {
    await h.t.db.insert(residents).values({ name: '<b>坏人</b>', chatName: '<b>坏人</b>', gridId: await h.t.gridId('D01-T01-C01-G01') });
    await h.world.sync();
    await app.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      payload: { from: '老王', room: GROUP, text: '报事 楼道灯坏了<script>alert(1)</script>', mentionBot: false },
    });

    const page = await app.inject({ method: 'GET', url: '/simulator' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('聊天模拟器');
    expect(page.body).toContain(GROUP);
    expect(page.body).toContain('&lt;b&gt;坏人&lt;/b&gt;');
    expect(page.body).not.toContain('<b>坏人');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toMatch(/<script>(?!<\/script>)[^<]/);

    const script = await app.inject({ method: 'GET', url: '/simulator/simulator.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).not.toContain('innerHTML');
    expect((await app.inject({ method: 'GET', url: '/simulator/simulator.css' })).statusCode).toBe(200);
  });

  it('lets the long-running simulator drop the mock’s message caches', async () => {
    const caches = h.world.mocker.cacheMessagePayload;
    expect(caches.size).toBeGreaterThan(0);
    h.world.clearCaches(0);
    expect(caches.size).toBe(0);
    // The transcript (what the page shows) is kept.
    const transcript = (await app.inject({ method: 'GET', url: '/api/simulator/transcript' })).json() as Entry[];
    expect(transcript.length).toBeGreaterThan(0);
  });
});
