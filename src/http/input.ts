import type { FastifyInstance } from 'fastify';
import { cleanInputDeep } from '../shared/text/normalize';

/**
 * Every string of every request (body, query string, path parameters) is cleaned once, before any route's
 * validation sees it: routes added later are covered without doing anything.
 */
export function installInputCleaning(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined && request.body !== null) request.body = cleanInputDeep(request.body);
    request.query = cleanInputDeep(request.query);
    request.params = cleanInputDeep(request.params);
  });
}
