import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../config/config';

const cache = new Map<string, string>();

/**
 * The secret that signs console cookies: SESSION_SECRET when set (required when several console instances do not
 * share DATA_DIR), else one generated at first start and kept in DATA_DIR/session-secret (mode 600), so
 * sessions survive a restart.
 */
export function resolveSessionSecret(config: Pick<Config, 'SESSION_SECRET' | 'DATA_DIR'>): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  const dir = resolve(config.DATA_DIR);
  const cached = cache.get(dir);
  if (cached) return cached;
  const file = join(dir, 'session-secret');
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch {
    secret = '';
  }
  if (secret.length < 32) {
    mkdirSync(dir, { recursive: true });
    secret = randomBytes(32).toString('base64url');
    try {
      // 'wx': when two processes start together, the first one's secret wins and the other reads it.
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      secret = readFileSync(file, 'utf8').trim();
    }
  }
  cache.set(dir, secret);
  return secret;
}
