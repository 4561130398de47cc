import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * The whole environment of the product, parsed once at start. Only this module reads process.env;
 * everything else receives the parsed Config as an argument.
 */
export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL (leave unset for embedded PGlite)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TZ: z.string().default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  /** Public base URL of the console, used in links sent to staff. */
  PUBLIC_URL: z.string().url().optional(),
  /** Seed the demo district when the database is empty. */
  SEED_DEMO: booleanish.default(true),
  /** Which parts this process runs; `npm run bot` / `npm run console` narrow it. */
  RUN: z
    .string()
    .default('console,jobs,bot')
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['console', 'jobs', 'bot'])).min(1)),

  // --- the bot ---
  /** Wechaty puppet; unset = wechaty-puppet-mock, the offline simulator. */
  WECHATY_PUPPET: z.string().optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().optional(),
  WECHATY_PUPPET_SERVICE_ENDPOINT: z.string().optional(),
  /** The bot's name in groups (what residents @-mention). */
  BOT_NAME: z.string().min(1).default('小格'),
  /** Identifies this bot account in the outbox, so several bots can share one Postgres. */
  BOT_ACCOUNT: z.string().min(1).default('default'),
  /** Sustained sending pace: one message every MIN..MAX ms, with a burst allowance. */
  OUTBOX_MIN_GAP_MS: z.coerce.number().int().min(0).default(2000),
  OUTBOX_MAX_GAP_MS: z.coerce.number().int().min(0).default(5000),
  OUTBOX_BURST: z.coerce.number().int().min(1).default(5),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  /** Largest attachment kept, in bytes. */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024),

  // --- the console ---
  /** Secret for signing session cookies; generated and kept under DATA_DIR when unset. */
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Comma-separated API keys accepted by POST /open311/v2/requests.json. */
  OPEN311_API_KEYS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean)),
  COOKIE_SECURE: booleanish.optional(),

  // --- the jobs (cron expressions, evaluated in TZ) ---
  JOB_SWEEP_CRON: z.string().default('*/5 * * * *'),
  JOB_DIGEST_CRON: z.string().default('30 8 * * *'),
  JOB_WEEKLY_CRON: z.string().default('0 9 * * 1'),
  JOB_MONTHLY_CRON: z.string().default('0 7 1 * *'),
  JOB_AGENDA_CRON: z.string().default('0 8 10,20 * *'),
  /** Overdue orders still open after this many working days are escalated. */
  OVERDUE_ESCALATE_AFTER_WORKING_DAYS: z.coerce.number().int().min(1).default(5),

  // --- the outbox sender's retries (delivery) ---
  /** First retry of a failed send after about this long, doubling each time (with jitter) up to the max. */
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(1).default(10_000),
  OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(1).default(30 * 60_000),

  // --- Open311 GeoReport v2 (issue 5, figures/Open311) ---
  /** When set, requests naming another jurisdiction_id are refused (404); unset accepts any or none. */
  OPEN311_JURISDICTION_ID: z.string().min(1).optional(),
  /**
   * Grid code for Open311 requests whose grid cannot be told from address_id (a grid code) or a grid's name in
   * address_string; unset = such requests are refused with 400.
   */
  OPEN311_DEFAULT_GRID: z.string().min(1).optional(),

  // --- the figures (issue 5, figures) ---
  /** How often the figures' rollups are brought up to date (cron, in China time). */
  STATS_REFRESH_CRON: z.string().default('* * * * *'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; expected: string }[]) {
    super(
      'Invalid configuration:\n' +
        issues.map((i) => `  ${i.variable}: ${i.expected}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default); throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (a blank line in a .env file must not become an invalid value).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(root)'),
        expected: `${issue.message}${'received' in issue && issue.received ? ` (got ${String(issue.received)})` : ''}`,
      })),
    );
  }
  return result.data;
}
