import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type ConsoleTest, createConsoleTest } from './console-helpers';

const HUGE = ['2147483648', '99999999999', '9007199254740993', '99999999999999999999'];

describe('console routes given ids and numbers beyond any integer column', () => {
  let t: ConsoleTest;
  let admin: Browser;
  beforeAll(async () => {
    t = await createConsoleTest();
    admin = await t.as('系统管理员');
    await admin.follow('/console/orders');
  });
  afterAll(async () => t.ctx.close());

  it('answers "not found" for every page and action with such an id, never 500', async () => {
    for (const n of HUGE) {
      for (const url of [`/console/orders/${n}`, `/console/orders/1001/attachments/${n}`, `/console/grids/${n}`, `/console/staff/${n}`]) {
        expect((await admin.get(url)).statusCode, url).toBe(404);
      }
      for (const url of [`/console/orders/${n}/progress`, `/console/categories/${n}`, `/console/grids/${n}`, `/console/grids/${n}/move`, `/console/identities/${n}`, `/console/outbox/${n}/retry`, `/console/staff/${n}`, `/console/staff/${n}/bind-code`, `/console/staff/${n}/unbind`]) {
        expect((await admin.post(url, { note: '已联系', gridId: '', parentId: '' })).statusCode, url).toBe(404);
      }
    }
  });

  it('drops such numbers from list filters, and the CSV download is whole', async () => {
    for (const n of HUGE) {
      expect((await admin.get(`/console/orders?category=${n}&unit=${n}&assignee=${n}&after=${n}`)).statusCode).toBe(200);
      expect((await admin.get(`/console/audit?actor=${n}&before=${n}`)).statusCode).toBe(200);
      const csv = await admin.get(`/console/orders.csv?category=${n}&from=9999-01-01`);
      expect(csv.statusCode).toBe(200);
      expect(csv.body.split('\n').length).toBeGreaterThan(1);
    }
  });
});
