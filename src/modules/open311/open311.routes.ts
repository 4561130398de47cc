import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ZodTypeProvider, hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context';
import type { HttpPlugin } from '../../http/app';
import { statusForCode } from '../../http/error-handler';
import { open311Texts } from '../../i18n/zh-CN.open311';
import { isDomainError } from '../../shared/errors/domain-error';
import { CONTENT_TYPES, type Format, type Item, type Open311Status, errorsXml, formatOfUrl, toXml } from './open311.models';
import { activeCategories } from './open311.repository';
import {
  commonQuery,
  createdList,
  errorResponses,
  formatParams,
  postRequestBody,
  requestList,
  requestParams,
  requestsQuery,
  serviceList,
} from './open311.schemas';
import { Open311Error, createServiceRequest, searchServiceRequests } from './open311.usecases';
import { requestItem, serviceItem } from './open311.views';

const e = open311Texts.errors;
const TAGS = ['Open311 GeoReport v2'];

function send(reply: FastifyReply, format: Format, status: number, root: string, itemName: string, items: Item[]) {
  reply.status(status).type(CONTENT_TYPES[format]);
  return format === 'json' ? reply.send(items) : reply.send(toXml(root, itemName, items));
}

function sendErrors(reply: FastifyReply, format: Format, status: number, description: string) {
  const errors = [{ code: status, description }];
  reply.status(status).type(CONTENT_TYPES[format]);
  return format === 'json' ? reply.send(errors) : reply.send(errorsXml(errors));
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether `key` is one of the configured keys; digests compared in constant time, so nothing leaks by timing. */
export function validApiKey(key: string | undefined, keys: readonly string[]): boolean {
  if (!key) return false;
  const given = digest(key);
  let ok = false;
  for (const k of keys) if (timingSafeEqual(given, digest(k))) ok = true;
  return ok;
}

function apiKeyOf(request: FastifyRequest, body?: { api_key?: string }): string | undefined {
  const header = request.headers['x-api-key'];
  return body?.api_key ?? (request.query as { api_key?: string } | undefined)?.api_key ?? (typeof header === 'string' ? header : undefined);
}

function checkJurisdiction(ctx: AppContext, jurisdiction: string | undefined) {
  if (jurisdiction && ctx.config.OPEN311_JURISDICTION_ID && jurisdiction !== ctx.config.OPEN311_JURISDICTION_ID) {
    throw new Open311Error(404, e.jurisdiction);
  }
}

const list = (s: string | undefined) => (s ? s.split(',').map((p) => p.trim()).filter(Boolean) : undefined);

/**
 * Open311 GeoReport v2 under /open311/v2, in both formats (`.xml`, the spec's required one, and `.json`), with
 * the spec's error list for every refusal. Other channels (a web form, a call centre) feed the same pipeline as
 * the chat through POST requests, with an API key.
 */
export const open311Routes: HttpPlugin = async (root, { ctx }) => {
  await root.register(
    async (plain) => {
      const app = plain.withTypeProvider<ZodTypeProvider>();

      app.setErrorHandler((error: FastifyError, request, reply) => {
        const format = formatOfUrl(request.url);
        if (error instanceof Open311Error) return sendErrors(reply, format, error.status, error.description);
        if (hasZodFastifySchemaValidationErrors(error)) {
          if (error.validationContext === 'params') return sendErrors(reply, format, 404, e.notFound);
          const detail = error.validation.map((v) => `${v.instancePath.replace(/^\//, '') || error.validationContext} ${v.message}`).join('; ');
          return sendErrors(reply, format, 400, e.invalid(detail));
        }
        if (isDomainError(error)) {
          const status = statusForCode(error.code);
          if (status < 500) return sendErrors(reply, format, status === 409 ? 400 : status, e.invalid(error.message));
        }
        if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
          return sendErrors(reply, format, error.statusCode, e.invalid(error.message));
        }
        request.log.error({ err: error }, 'open311 request failed');
        return sendErrors(reply, format, 500, e.internal);
      });
      app.setNotFoundHandler((request, reply) => sendErrors(reply, formatOfUrl(request.url), 404, e.notFound));

      app.get(
        '/services.:format',
        {
          schema: {
            tags: TAGS,
            summary: 'GET Service List: the categories a request can be filed under',
            params: formatParams,
            querystring: commonQuery,
            response: { 200: serviceList, ...errorResponses },
          },
        },
        async (request, reply) => {
          checkJurisdiction(ctx, request.query.jurisdiction_id);
          const items = (await activeCategories(ctx.db)).map(serviceItem);
          return send(reply, request.params.format, 200, 'services', 'service', items);
        },
      );

      app.get(
        '/requests.:format',
        {
          schema: {
            tags: TAGS,
            summary: 'GET Service Requests: newest first, at most 1000, within 90 days',
            params: formatParams,
            querystring: requestsQuery,
            response: { 200: requestList, ...errorResponses },
          },
        },
        async (request, reply) => {
          const q = request.query;
          checkJurisdiction(ctx, q.jurisdiction_id);
          const full = fullAccess(ctx, request);
          const rows = await searchServiceRequests({
            deps: ctx,
            rangeError: e.range,
            search: {
              serviceRequestIds: list(q.service_request_id)?.map(Number),
              serviceCodes: list(q.service_code),
              statuses: list(q.status) as Open311Status[] | undefined,
              start: q.start_date ? new Date(q.start_date) : undefined,
              end: q.end_date ? new Date(q.end_date) : undefined,
            },
          });
          return send(reply, request.params.format, 200, 'service_requests', 'request', rows.map((r) => requestItem(r, { full })));
        },
      );

      app.get(
        '/requests/:id.:format',
        {
          schema: {
            tags: TAGS,
            summary: 'GET Service Request: one request by its id (the order number)',
            params: requestParams,
            querystring: commonQuery,
            response: { 200: requestList, ...errorResponses },
          },
        },
        async (request, reply) => {
          checkJurisdiction(ctx, request.query.jurisdiction_id);
          const full = fullAccess(ctx, request);
          const rows = await searchServiceRequests({ deps: ctx, rangeError: e.range, search: { serviceRequestIds: [Number(request.params.id)] } });
          if (rows.length === 0) throw new Open311Error(404, e.requestNotFound);
          return send(reply, request.params.format, 200, 'service_requests', 'request', rows.map((r) => requestItem(r, { full })));
        },
      );

      app.post(
        '/requests.:format',
        {
          schema: {
            tags: TAGS,
            summary: 'POST Service Request: files a demand (application/x-www-form-urlencoded as the spec says, or JSON)',
            description:
              'Needs api_key (form field, query or X-Api-Key header). An Idempotency-Key header makes a retry return the first request.',
            params: formatParams,
            body: postRequestBody,
            response: { 200: createdList, 201: createdList, ...errorResponses },
          },
        },
        async (request, reply) => {
          const b = request.body;
          const apiKey = apiKeyOf(request, b);
          if (!validApiKey(apiKey, ctx.config.OPEN311_API_KEYS)) throw new Open311Error(403, e.apiKey);
          checkJurisdiction(ctx, b.jurisdiction_id);
          const idempotencyHeader = request.headers['idempotency-key'];
          const key = typeof idempotencyHeader === 'string' && /^[\w.:-]{1,128}$/.test(idempotencyHeader) ? idempotencyHeader : undefined;
          const outcome = await createServiceRequest({
            deps: ctx.orderDeps,
            config: ctx.config,
            idempotency: key ? { apiKey: apiKey!, key } : undefined,
            texts: { serviceCode: e.serviceCode, location: e.location, grid: e.grid, description: e.description, notice: open311Texts.receivedNotice },
            input: {
              serviceCode: b.service_code,
              description: b.description,
              addressString: b.address_string,
              addressId: b.address_id,
              lat: b.lat,
              long: b.long,
              firstName: b.first_name,
              lastName: b.last_name,
              phone: b.phone,
              mediaUrl: b.media_url,
            },
          });
          const item = { service_request_id: String(outcome.no), service_notice: outcome.serviceNotice, account_id: null };
          return send(reply, request.params.format, outcome.created ? 201 : 200, 'service_requests', 'request', [item]);
        },
      );
    },
    { prefix: '/open311/v2' },
  );
};

/** A GET with a valid API key sees what residents wrote; an invalid key is refused rather than ignored. */
function fullAccess(ctx: AppContext, request: FastifyRequest): boolean {
  const key = apiKeyOf(request);
  if (key === undefined) return false;
  if (!validApiKey(key, ctx.config.OPEN311_API_KEYS)) throw new Open311Error(403, e.apiKey);
  return true;
}
