import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../src/app-context';
import { isLoopbackHost } from '../../src/config/config';
import { UNSAFE_METHODS, refuseCrossSite, requestIsCrossSite } from '../../src/http/same-origin';
import { simulatorTexts } from '../../src/i18n/zh-CN.simulator';
import type { MockWorld, TranscriptEntry } from '../testing/mock-world';
import { renderSimulatorPage } from './simulator.page';

/** What the simulator needs of the mock world (the tests may hand in the same world the bot runs on). */
export type SimulatorWorld = Pick<MockWorld, 'say' | 'transcript' | 'contacts' | 'settle' | 'stored'>;

const messageBody = z.object({
  from: z.string().trim().min(1).max(64),
  /** The group's topic; omitted (or null) for a 1:1 message to the bot. */
  room: z.string().trim().min(1).max(128).nullish(),
  text: z.string().min(1).max(2_000),
  mentionBot: z.boolean().default(false),
  /**
   * Wait until the bot has answered (and the outbox is sent) before replying; false: reply once the message is
   * stored (nothing acknowledged is lost after that). The page says false and polls.
   */
  wait: z.boolean().default(true),
});

const transcriptEntry = z.object({
  to: z.string().nullable(),
  room: z.string().nullable(),
  text: z.string(),
  mentions: z.array(z.string()),
  at: z.string(),
});

const errorBody = z.object({ error: z.string(), message: z.string() });

const transcriptQuery = z.object({
  /** Skip the first `since` messages (the page asks only for what it has not shown yet). */
  since: z.coerce.number().int().min(0).default(0),
});

const contactsBody = z.object({
  groups: z.array(
    z.object({
      topic: z.string(),
      grid: z.string().nullable(),
      members: z.array(z.object({ name: z.string(), role: z.string() })),
    }),
  ),
  staff: z.array(z.object({ name: z.string(), role: z.string(), unit: z.string() })),
  residents: z.array(z.object({ name: z.string(), grid: z.string().nullable() })),
});

function entryJson(e: TranscriptEntry) {
  return { to: e.to ?? null, room: e.room ?? null, text: e.text, mentions: e.mentions, at: e.at.toISOString() };
}

/** How long a waiting POST waits for the bot (the outbox sender included) before answering anyway. */
const SETTLE_TIMEOUT_MS = 10_000;
/** How long any POST waits for the bot to store the message (it retries while the database is away). */
const STORE_TIMEOUT_MS = 70_000;

const ASSETS = {
  'simulator.js': { file: new URL('./static/simulator.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  'simulator.css': { file: new URL('./static/simulator.css', import.meta.url), type: 'text/css; charset=utf-8' },
} as const;

/**
 * The offline simulator over HTTP: speak as any contact of the mock world, read everything the bot sent, list
 * who is where; and a page doing the same in a browser. Register it only when the bot runs on the mock puppet
 * in this process (the world lives in memory).
 */
export function simulatorPlugin(world: SimulatorWorld): FastifyPluginAsync<{ ctx: AppContext }> {
  return async (plain, { ctx }) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const botName = ctx.config.BOT_NAME;
    const loopback = isLoopbackHost(ctx.config.HOST);

    // Anyone who reaches these routes speaks as anyone, so only this site's own page may call them: no other
    // site's page (Sec-Fetch-Site/Origin), no form post (JSON only: a cross-site JSON post needs a CORS
    // preflight that is never granted), and on a loopback listener no other host name (DNS rebinding).
    app.addHook('onRequest', async (request, reply) => {
      if (loopback && !isLoopbackHost(request.hostname)) {
        return reply.status(403).send({ error: 'FORBIDDEN_HOST', message: 'the simulator answers only on this machine' });
      }
      if (request.url.startsWith('/api/simulator/') && requestIsCrossSite(request)) return refuseCrossSite(reply);
      if (UNSAFE_METHODS.has(request.method) && !/^application\/json\s*(;|$)/i.test(String(request.headers['content-type'] ?? ''))) {
        return reply.status(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'application/json only' });
      }
    });

    app.post(
      '/api/simulator/messages',
      {
        schema: {
          body: messageBody,
          response: {
            200: z.object({ id: z.string(), settled: z.boolean(), replies: z.array(transcriptEntry) }),
            400: errorBody,
            503: errorBody,
          },
        },
      },
      async (request, reply) => {
        const { from, room, text, mentionBot, wait } = request.body;
        const contacts = world.contacts();
        const known = contacts.residents.some((r) => r.name === from) || contacts.staff.some((s) => s.name === from);
        if (!known) return reply.status(400).send({ error: 'UNKNOWN_CONTACT', message: simulatorTexts.errors.unknownContact(from) });
        if (room && !contacts.groups.some((g) => g.topic === room)) {
          return reply.status(400).send({ error: 'UNKNOWN_ROOM', message: simulatorTexts.errors.unknownRoom(room) });
        }
        const before = world.transcript().length;
        const { id } = await world.say({ from, room: room ?? undefined, text, mentionBot: Boolean(room) && mentionBot });
        if (!(await world.stored(id, { timeoutMs: STORE_TIMEOUT_MS }))) {
          return reply.status(503).send({ error: 'NOT_STORED', message: simulatorTexts.errors.notStored });
        }
        let settled = false;
        if (wait) {
          try {
            await world.settle({ timeoutMs: SETTLE_TIMEOUT_MS });
            settled = true;
          } catch {
            // The bot is still busy (or the network is failing on purpose): answer with what went out so far.
          }
        }
        return { id, settled, replies: world.transcript().slice(before).map(entryJson) };
      },
    );

    app.get(
      '/api/simulator/transcript',
      { schema: { querystring: transcriptQuery, response: { 200: z.array(transcriptEntry) } } },
      async (request) => world.transcript().slice(request.query.since).map(entryJson),
    );

    app.get('/api/simulator/contacts', { schema: { response: { 200: contactsBody } } }, async () => world.contacts());

    app.get('/simulator', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        // The page carries what people typed: no inline script, nothing from elsewhere.
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        )
        .send(renderSimulatorPage({ botName, contacts: world.contacts(), transcript: world.transcript() }).value),
    );

    const cache = new Map<string, Buffer>();
    for (const [name, asset] of Object.entries(ASSETS)) {
      app.get(`/simulator/${name}`, async (_request, reply) => {
        let body = cache.get(name);
        if (!body) {
          body = await readFile(asset.file);
          cache.set(name, body);
        }
        return reply.type(asset.type).header('cache-control', 'no-cache').send(body);
      });
    }
  };
}
