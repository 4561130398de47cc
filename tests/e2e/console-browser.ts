import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';
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

/**
 * Logs in on the console's log-in page: the one the page is on (where a console page redirected it, with its
 * `next`), else it is opened. The caller waits for where the log-in leads.
 */
export async function logIn(page: Page, base: string, { username, password }: { username: string; password: string }): Promise<void> {
  if (!page.url().startsWith(`${base}/login`)) await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

/**
 * A first log-in with a one-time password (the admin's `ctx.adminPassword`, or one given on the staff page): the
 * console asks for a new password before anything else; it is changed to `password`, which leaves the page on the
 * order list.
 */
export async function firstLogIn(
  page: Page,
  base: string,
  { username, oneTimePassword, password }: { username: string; oneTimePassword: string; password: string },
): Promise<void> {
  await logIn(page, base, { username, password: oneTimePassword });
  await page.waitForURL('**/console/password');
  expect(await page.textContent('.flash-info')).toContain('首次登录请先修改一次性密码');
  await page.fill('input[name=current]', oneTimePassword);
  await page.fill('input[name=password]', password);
  await page.fill('input[name=confirm]', password);
  await page.click('form[action="/console/password"] button[type=submit]');
  await page.waitForURL('**/console/orders');
}
