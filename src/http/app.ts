import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { type ZodTypeProvider, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context';
import { ping } from '../db/client';
import { logSerializers, redactUrl } from '../shared/log-redaction';
import { installErrorHandler } from './error-handler';
import { UNSAFE_METHODS, refuseCrossSite, requestIsCrossSite } from './same-origin';
import { installInputCleaning } from './input';

export type HttpPlugin = FastifyPluginAsync<{ ctx: AppContext }>;

/**
 * The one Fastify app: zod validation at the edge, one error handler, /healthz, and the feature routes passed in
 * as plugins (each receives the context as an option, never through decorators).
 */
export async function buildHttpApp({
  ctx,
  plugins = [],
  logger = false,
}: {
  ctx: AppContext;
  plugins?: HttpPlugin[];
  logger?: boolean | object;
}): Promise<FastifyInstance> {
  const hops = ctx.config.TRUST_PROXY;
  // A hop count as fastify does it at run time (the first `hops` addresses from the socket are proxies).
  const trustProxy = typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : hops;
  // Every logged URL and error goes through the redacting serializers, whatever logger options were passed.
  const loggerOptions = logger === false ? false : { ...(logger === true ? {} : logger), serializers: logSerializers } as object;
  const app = Fastify({ logger: loggerOptions, trustProxy, bodyLimit: 2 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // Fastify's own 404 logs and echoes the raw URL, api_key and all.
  app.setNotFoundHandler(async (request, reply) => {
    const route = `${request.method}:${redactUrl(request.url)}`;
    request.log.info(`Route ${route} not found`);
    return reply.status(404).send({ error: 'Not Found', message: `Route ${route} not found`, statusCode: 404 });
  });

  // No page of another site may change anything here (the console's CSRF token and SameSite cookies already
  // stop it; this says so before any work). Open311 is an API for other sites' servers, keyed, without cookies.
  app.addHook('onRequest', async (request, reply) => {
    if (!UNSAFE_METHODS.has(request.method) || request.url.startsWith('/open311/')) return;
    if (requestIsCrossSite(request, ctx.config.PUBLIC_URL)) return refuseCrossSite(reply);
  });
  installInputCleaning(app);

  app.get(
    '/healthz',
    { schema: { response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }) } } },
    async () => {
      await ping(ctx.db);
      return { status: 'ok' as const, db: ctx.dbKind };
    },
  );

  for (const plugin of plugins) await app.register(plugin, { ctx });
  return app;
}
