import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import type { TestContext } from '../helpers/context';

/** Debian's chromium (apt-get install chromium fonts-noto-cjk); a browser is never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The console over the test context, listening on a free loopback port: the app and its base URL. */
export async function serveConsole(ctx: TestContext): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildHttpApp({ ctx, plugins: consolePlugins });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}
