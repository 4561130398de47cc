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
  /**
   * Which proxies may set X-Forwarded-For/-Proto/-Host: unset or off = none (the socket's address is the
   * client's); a number = that many proxy hops in front of the console; else a comma list of proxy addresses
   * or CIDRs. Trusting every sender would let any client pick its own address (and dodge the log-in throttle).
   */
  TRUST_PROXY: z
    .string()
    .default('off')
    .transform((s, zctx): false | number | string[] => {
      const v = s.trim().toLowerCase();
      if (v === 'off' || v === 'false' || v === 'no' || v === '0') return false;
      if (/^\d+$/.test(v)) return Number(v);
      const list = v.split(',').map((x) => x.trim()).filter(Boolean);
      if (list.length === 0 || list.some((x) => !/^[0-9a-f.:]+(\/\d{1,3})?$/.test(x))) {
        zctx.addIssue({ code: 'custom', message: 'off, a hop count, or a comma list of proxy addresses/CIDRs (not "true")' });
        return z.NEVER;
      }
      return list;
    }),
  /**
   * The offline chat simulator (/simulator, /api/simulator/*; mock puppet only). It speaks as anyone without a
   * log-in, so `auto` serves it only when HOST is a loopback address; `on` serves it on any HOST; `off` never.
   */
  SIMULATOR: z.enum(['auto', 'on', 'off']).default('auto'),

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

  // --- map tiles for the console's maps (docs/places.md); none set: the maps draw grids and points on a plain ground ---
  /**
   * A tile URL template for Leaflet: {z} {x} {y}, {s} for a subdomain (MAP_TILE_SUBDOMAINS) and {key} for
   * MAP_TILE_KEY, e.g. 天地图's https://t{s}.tianditu.gov.cn/vec_w/wmts?…&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}.
   * Only https (or http on a loopback host); its origins, and nothing else outside, are allowed by the map pages' CSP.
   */
  MAP_TILE_URL: z.string().url().optional(),
  /** The key put into {key}; sent to browsers with the tile URLs, so use a browser (domain-bound) key. */
  MAP_TILE_KEY: z.string().min(1).max(200).optional(),
  /** The letters or digits {s} takes (天地图: 01234567). */
  MAP_TILE_SUBDOMAINS: z.string().regex(/^[a-z0-9]{1,16}$/i).default('abc'),
  /** The datum the tiles are drawn in: wgs84 (天地图 is CGCS2000, within centimetres) or gcj02 (高德/腾讯: points are shifted to match). */
  MAP_TILE_DATUM: z.enum(['wgs84', 'gcj02']).default('wgs84'),
  /** A line of attribution the tile source asks for (e.g. 天地图 / 国家地理信息公共服务平台). */
  MAP_TILE_ATTRIBUTION: z.string().max(200).optional(),
  /** An offline tile folder {z}/{x}/{y}.png (or .jpg, .webp) served by the app at /map-tiles/; used instead of MAP_TILE_URL. */
  MAP_TILE_DIR: z.string().min(1).optional(),
  MAP_TILE_MAX_ZOOM: z.coerce.number().int().min(1).max(22).default(18),

  // --- the figures (issue 5, figures) ---
  /** How often the figures' rollups are brought up to date (cron, in China time). */
  STATS_REFRESH_CRON: z.string().default('* * * * *'),

  // --- the optional large-language-model reader of demands (issue 11); off unless LLM_URL is set ---
  /** An OpenAI-compatible server's base URL (…/v1/chat/completions is called), e.g. a local Qwen or DeepSeek. */
  LLM_URL: z.string().url().optional(),
  LLM_MODEL: z.string().min(1).default('qwen2.5'),
  LLM_API_KEY: z.string().min(1).optional(),
  /** The reader's answer is waited for this long; then the offline classifier decides alone. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
});

export type Config = z.infer<typeof configSchema>;

/** True for 127.0.0.0/8, ::1 and localhost: a listener only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/** Whether this process serves the simulator's routes (when the bot runs on the mock puppet). */
export function simulatorServed(config: Pick<Config, 'SIMULATOR' | 'HOST'>): boolean {
  return config.SIMULATOR === 'on' || (config.SIMULATOR === 'auto' && isLoopbackHost(config.HOST));
}

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
