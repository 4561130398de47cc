import { readFile } from 'node:fs/promises';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { type ZodTypeProvider, hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../src/app-context';
import { isLoopbackHost } from '../../src/config/config';
import { UNSAFE_METHODS, refuseCrossSite, requestIsCrossSite } from '../../src/http/same-origin';
import { simulatorTexts } from '../../src/i18n/zh-CN.simulator';
import { mediaTexts } from '../../src/i18n/zh-CN.media';
import type { MockWorld, SayInput, TranscriptEntry } from '../testing/mock-world';
import { SIMULATOR_MAX_BASE64_CHARS, SIMULATOR_MAX_FILE_BYTES, checkSimulatorMedia } from './simulator.media';
import { renderSimulatorPage } from './simulator.page';

/** What the simulator needs of the mock world (the tests may hand in the same world the bot runs on). */
export type SimulatorWorld = Pick<MockWorld, 'say' | 'transcript' | 'contacts' | 'settle' | 'stored'>;

const messageBody = z.object({
  from: z.string().trim().min(1).max(64),
  /** The group's topic; omitted (or null) for a 1:1 message to the bot. */
  room: z.string().trim().min(1).max(128).nullish(),
  /** What the person sends: text (the default), a photo, a voice note or a location, as the mock puppet delivers them. */
  type: z.enum(['text', 'image', 'voice', 'location']).default('text'),
  /** The text of a text message. */
  text: z.string().min(1).max(2_000).optional(),
  mentionBot: z.boolean().default(false),
  /** A photo or voice note: its file name (the extension tells silk/amr apart), the browser's type, the content. */
  file: z
    .object({
      name: z.string().trim().min(1).max(128),
      type: z.string().max(128).nullish(),
      base64: z.string().max(SIMULATOR_MAX_BASE64_CHARS + 4_096),
    })
    .optional(),
  location: z
    .object({
      name: z.string().trim().max(100).nullish(),
      address: z.string().trim().max(200).nullish(),
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
    })
    .optional(),
  /**
   * Wait until the bot has answered (and the outbox is sent) before replying; false: reply once the message is
   * stored (nothing acknowledged is lost after that). The page says false and polls.
   */
  wait: z.boolean().default(true),
});

type MessageBody = z.infer<typeof messageBody>;

/** The mock world's input for the body's message, or why it can not be sent (in Chinese, for the page). */
function toSayInput(body: MessageBody, room: string | undefined): { input: SayInput } | { error: string; message: string } {
  const { from, type } = body;
  if (type === 'text') {
    if (!body.text?.trim()) return { error: 'TEXT_REQUIRED', message: mediaTexts.simulator.errors.textNeeded };
    return { input: { from, room, text: body.text, mentionBot: Boolean(room) && body.mentionBot } };
  }
  if (type === 'location') {
    const l = body.location;
    if (!l || !(l.name || l.address)) return { error: 'LOCATION_REQUIRED', message: mediaTexts.simulator.errors.missingLocation };
    return { input: { from, room, type, location: { lat: l.lat, lng: l.lng, name: l.name || undefined, address: l.address || undefined } } };
  }
  if (!body.file) return { error: 'FILE_REQUIRED', message: mediaTexts.simulator.errors.missingFile };
  const checked = checkSimulatorMedia(type, body.file);
  if (!checked.ok) return { error: checked.error, message: checked.message };
  return { input: { from, room, type, file: { name: checked.name, base64: checked.base64 } } };
}

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

    // The page shows the server's message as it is: say too large and malformed in Chinese too. (Scoped to the
    // simulator's routes: the app's own handler answers everything else.)
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.status(413).send({ error: 'FILE_TOO_LARGE', message: mediaTexts.simulator.errors.tooLarge(SIMULATOR_MAX_FILE_BYTES / 1024 / 1024) });
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validation.map((v) => v.instancePath.replace(/^\/body\/?/, '') || 'body').join('、');
        return reply.status(400).send({ error: 'INVALID_ARGUMENT', message: mediaTexts.simulator.errors.invalid(where) });
      }
      throw error;
    });

    app.post(
      '/api/simulator/messages',
      {
        // A photo or voice note travels as base64 inside the JSON: room for the largest the simulator accepts.
        bodyLimit: SIMULATOR_MAX_BASE64_CHARS + 64 * 1024,
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
        const { from, room, wait } = request.body;
        const contacts = world.contacts();
        const known = contacts.residents.some((r) => r.name === from) || contacts.staff.some((s) => s.name === from);
        if (!known) return reply.status(400).send({ error: 'UNKNOWN_CONTACT', message: simulatorTexts.errors.unknownContact(from) });
        if (room && !contacts.groups.some((g) => g.topic === room)) {
          return reply.status(400).send({ error: 'UNKNOWN_ROOM', message: simulatorTexts.errors.unknownRoom(room) });
        }
        const prepared = toSayInput(request.body, room ?? undefined);
        if ('error' in prepared) return reply.status(400).send(prepared);
        const before = world.transcript().length;
        const { id } = await world.say(prepared.input);
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
