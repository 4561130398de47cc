/**
 * Every rule the product refuses carries a code. HTTP maps code → status (src/http), the bot maps code → a
 * friendly Chinese reply (src/i18n), so neither needs to parse messages.
 */
export const errorCodes = [
  'NOT_FOUND',
  'NOT_ALLOWED',
  'INVALID_TRANSITION',
  'INVALID_ARGUMENT',
  'EXTENSION_PENDING',
  'NO_EXTENSION_PENDING',
  'TOP_LEVEL',
  'NO_ASSIGNEE',
  'SURVEY_NOT_OPEN',
  'ALREADY_PAUSED',
  'NOT_PAUSED',
  'MERGE_INTO_SELF',
  'MERGE_TARGET_CLOSED',
  'GRID_UNKNOWN',
  'CONFLICT',
  /** A department's 退回 after its return limit, or of a final 争议 dispatch. */
  'RETURN_CLOSED',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
