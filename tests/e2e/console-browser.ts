import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { hashPassword } from '../../src/modules/auth/passwords';
import { type TestContext, createTestContext } from '../helpers/context';

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
/** A phone's page: its size, a mobile viewport and touch (add to `newPage` or `newContext`). */
export const ON_PHONE = { viewport: PHONE, isMobile: true, hasTouch: true } satisfies BrowserContextOptions;

/** An app listening on a free loopback port: its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The console over the test context, listening on a free loopback port: the app and its base URL. */
export async function serveConsole(ctx: TestContext): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildHttpApp({ ctx, plugins: consolePlugins });
  return { app, base: await listen(app) };
}

/** What a browser suite's tests use; set before the first test runs (by `setupBrowserSuite`'s `beforeAll`). */
export type BrowserSuite = {
  ctx: TestContext;
  /** The console, served over `ctx`, and its base URL. */
  app: FastifyInstance;
  base: string;
  browser: Browser;
  /** The suite's own temporary folder (with the `tempDir` option), removed after the suite. */
  dir: string;
  /** A page in zh-CN at desktop size unless the options say otherwise (`ON_PHONE`, a viewport, …). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A browser context (cookies of its own), with the same defaults as `newPage`. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Where the screenshot `name` goes: tests/artifacts/<shots>-<name>.png (no prefix without `shots`). */
  shot(name: string): string;
};

/**
 * The set-up and tear-down every browser suite shares, registered as the describe's `beforeAll`/`afterAll`: a
 * test context with the demo district (real password hashing, so staff can log in), anything the suite seeds
 * before the console is served, the console on a free port, chromium, and a temporary folder when asked for;
 * closed in the reverse order. Call it inside the suite's `describe` and read the handles in the tests.
 */
export function setupBrowserSuite({
  context = () => createTestContext({ hashPassword }),
  close = (ctx) => ctx.close(),
  seed,
  tempDir,
  shots,
}: {
  /** Another test context (the bot harness's, cheap password hashing, …). */
  context?: () => Promise<TestContext>;
  /** How the context ends, when it is more than `ctx.close()` (a harness stops its bot too). */
  close?: (ctx: TestContext) => Promise<void>;
  /** Data the suite needs, written before the console is served. */
  seed?: (ctx: TestContext) => Promise<void>;
  /** A prefix for a temporary folder (`suite.dir`). */
  tempDir?: string;
  /** The screenshots' file-name prefix (`console` → `console-<name>.png`). */
  shots?: string;
} = {}): BrowserSuite {
  const defaults = (options: BrowserContextOptions): BrowserContextOptions => ({ viewport: DESKTOP, locale: 'zh-CN', ...options });
  const suite: BrowserSuite = {
    ctx: undefined as never,
    app: undefined as never,
    base: '',
    browser: undefined as never,
    dir: '',
    newPage: (options = {}) => suite.browser.newPage(defaults(options)),
    newContext: (options = {}) => suite.browser.newContext(defaults(options)),
    shot: (name) => resolve(ARTIFACTS, `${shots ? `${shots}-` : ''}${name}.png`),
  };
  let ctx: TestContext | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (tempDir) suite.dir = mkdtempSync(join(tmpdir(), tempDir));
    suite.ctx = ctx = await context();
    await seed?.(ctx);
    ({ app: suite.app, base: suite.base } = await serveConsole(ctx));
    app = suite.app;
    suite.browser = browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (ctx) await close(ctx);
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true });
  });

  return suite;
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
