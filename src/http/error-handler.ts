import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, isDomainError } from '../shared/errors/domain-error';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  NOT_ALLOWED: 403,
  INVALID_ARGUMENT: 400,
  INVALID_TRANSITION: 409,
  EXTENSION_PENDING: 409,
  NO_EXTENSION_PENDING: 409,
  TOP_LEVEL: 409,
  NO_ASSIGNEE: 409,
  SURVEY_NOT_OPEN: 409,
  ALREADY_PAUSED: 409,
  NOT_PAUSED: 409,
  MERGE_INTO_SELF: 400,
  MERGE_TARGET_CLOSED: 409,
  GRID_UNKNOWN: 400,
  CONFLICT: 409,
  RETURN_CLOSED: 409,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** One error handler for the whole app: domain codes map to statuses, validation to 400, 5xx details stay hidden. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error)) {
      return reply.status(statusForCode(error.code)).send({ error: error.code, message: error.message });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.status(400).send({
        error: 'INVALID_ARGUMENT',
        message: 'request validation failed',
        issues: error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
      });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(status).send({ error: 'INTERNAL', message: 'internal error' });
    }
    return reply.status(status).send({ error: error.code ?? 'ERROR', message: error.message });
  });
}
