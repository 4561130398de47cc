import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { HttpPlugin } from '../../http/app';

/** Only the machine interfaces are documented; console pages and the public page are HTML for people. */
export function documented(url: string): boolean {
  return url.startsWith('/open311/') || url === '/healthz';
}

/**
 * OpenAPI at /docs (Swagger UI, served from the installed package) and /docs/json, generated from the routes'
 * zod schemas. Registered at the root and before the routes it describes, so its onRoute hook sees them.
 */
const openApiDocs: HttpPlugin = async (app) => {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Gridline 民情直通车 — Open311 GeoReport v2',
        description:
          'Residents’ demands from other channels (a web form, a call centre) into the same pipeline as the chat bot. ' +
          'Every path exists as .json and .xml (XML is the format the spec requires); errors are the spec’s ' +
          '`[{code, description}]` list, as `<errors><error>…` in XML. See docs/open311.md.',
        version: '2',
      },
      tags: [{ name: 'Open311 GeoReport v2' }],
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'or the api_key form field' } },
      },
    },
    transform: (args) => (documented(args.url) ? jsonSchemaTransform(args) : { schema: { ...args.schema, hide: true }, url: args.url }),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // No call to the public validator (the machine may be offline), and no forced https on an office LAN.
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    // Swagger UI sets a few inline styles; scripts stay 'self' only.
    transformStaticCSP: (header) =>
      header
        .replace(/upgrade-insecure-requests;?\s*/, '')
        .replace(/ validator\.swagger\.io/, '')
        .replace(/style-src 'self'/, "style-src 'self' 'unsafe-inline'"),
  });
};

(openApiDocs as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export { openApiDocs };
