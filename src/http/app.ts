import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { type ZodTypeProvider, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context';
import { ping } from '../db/client';
import { installErrorHandler } from './error-handler';
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
  const app = Fastify({ logger, trustProxy: true, bodyLimit: 2 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
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
