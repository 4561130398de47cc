import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { createTestContext, type TestContext } from '../helpers/context';

/** A browser's cookie jar over app.inject(): keeps what Set-Cookie says, sends it back. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance, readonly ip = '10.0.0.1') {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers }, remoteAddress: this.ip });
    this.remember(res);
    return res;
  }

  /** Posts a form (a list value: the field repeated, as ticked boxes); `_csrf` is taken from the last page with a form unless given. */
  async post(
    url: string,
    form: Record<string, string | number | readonly (string | number)[] | undefined>,
    { csrf = true, headers = {} }: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    const fields = { ...form };
    if (csrf && fields._csrf === undefined && this.csrf) fields._csrf = this.csrf;
    const body = new URLSearchParams(
      Object.entries(fields).flatMap(([k, v]) =>
        v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((one) => [k, String(one)] as [string, string]),
      ),
    ).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      remoteAddress: this.ip,
    });
    this.remember(res);
    return res;
  }

  csrf: string | undefined;

  /** Reads the CSRF token of a page (the hidden _csrf field). */
  takeCsrf(page: string): string | undefined {
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (m) this.csrf = m[1];
    return this.csrf;
  }

  async login(username: string, password: string) {
    const page = await this.get('/login');
    this.takeCsrf(page.body);
    const res = await this.post('/login', { username, password });
    if (res.statusCode === 303) await this.follow(res.headers.location as string);
    return res;
  }

  /** GETs a URL and follows redirects, keeping the CSRF token of the page it lands on. */
  async follow(url: string) {
    let res = await this.get(url);
    for (let i = 0; i < 5 && res.statusCode >= 300 && res.statusCode < 400; i++) res = await this.get(res.headers.location as string);
    this.takeCsrf(res.body);
    return res;
  }
}

export type ConsoleTest = {
  ctx: TestContext;
  app: FastifyInstance;
  /** Gives a member of staff a console account with this password (no forced change). */
  account(name: string, username: string, password?: string): Promise<void>;
  /** A browser logged in as that member of staff (an account is made if needed). */
  as(name: string): Promise<Browser>;
  close(): Promise<void>;
};

export const TEST_PASSWORD = 'Test-passw0rd-ok';

export async function createConsoleTest(opts: Parameters<typeof createTestContext>[0] = {}): Promise<ConsoleTest> {
  const ctx = await createTestContext({ hashPassword, ...opts });
  const app = await buildHttpApp({ ctx, plugins: consolePlugins });
  const accounts = new Map<string, string>();
  let hashed: string | undefined;
  const account = async (name: string, username: string, password = TEST_PASSWORD) => {
    const hash = password === TEST_PASSWORD ? (hashed ??= await hashPassword(TEST_PASSWORD)) : await hashPassword(password);
    await ctx.db
      .update(staff)
      .set({ username, passwordHash: hash, mustChangePassword: false })
      .where(eq(staff.id, await ctx.staffId(name)));
    accounts.set(name, username);
  };
  let n = 0;
  return {
    ctx,
    app,
    account,
    async as(name) {
      if (!accounts.has(name)) await account(name, `u${++n}_${Date.now() % 100000}`);
      const browser = new Browser(app, `10.1.0.${++n}`);
      const res = await browser.login(accounts.get(name)!, TEST_PASSWORD);
      if (res.statusCode !== 303) throw new Error(`log-in as ${name} failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return browser;
    },
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
