import { readFile, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { loadUser } from '../modules/auth/auth.guard';
import { resolveSessionSecret } from '../modules/auth/session-secret';
import type { HttpPlugin } from './app';
import { sendNotFound } from './views/page';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * What every console page relies on, registered first and at the root (not encapsulated): signed cookies,
 * form bodies, the files of src/http/static under /static/ (no build step, no CDN), and the entry redirects.
 */
const consoleBase: HttpPlugin = async (app, { ctx }) => {
  await app.register(fastifyCookie, { secret: resolveSessionSecret(ctx.config) });
  await app.register(fastifyFormbody, { bodyLimit: 2 * 1024 * 1024 });

  // Files are read once; the directory is listed at start so only known names are ever served.
  const names = new Set((await readdir(STATIC_DIR)).filter((n) => TYPES[extname(n)]));
  const cache = new Map<string, Buffer>();
  app.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const { name } = request.params;
    if (!names.has(name)) return reply.status(404).send({ error: 'NOT_FOUND', message: 'no such file' });
    let body = cache.get(name);
    if (!body) {
      body = await readFile(join(STATIC_DIR, name));
      cache.set(name, body);
    }
    return reply
      .type(TYPES[extname(name)]!)
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });

  app.get('/', async (_request, reply) => reply.redirect('/console'));
  app.get('/console', async (_request, reply) => reply.redirect('/console/orders'));

  // A Chinese 404 page under /console (other paths keep the JSON 404 for APIs).
  await app.register(
    async (scoped) => {
      scoped.setNotFoundHandler(async (request, reply) => {
        await loadUser(ctx, request);
        return sendNotFound(request, reply);
      });
    },
    { prefix: '/console' },
  );

  // Console pages carry resident text: forbid framing and inline script, whatever a page forgets.
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('x-frame-options', 'DENY');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
      if (!reply.getHeader('content-security-policy')) {
        reply.header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        );
      }
    }
    return payload;
  });
};

// Like fastify-plugin: registered at the root, so cookies and form bodies work for every later plugin's routes.
(consoleBase as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export { consoleBase };
