import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type ConsoleTest, createConsoleTest } from './console-helpers';

/**
 * The console's file route on its own: what it serves inline and what only as a download, and that nothing but
 * an attachment of an order the user may view ever leaves DATA_DIR.
 */
describe('serving an order attachment', () => {
  let t: ConsoleTest;
  let dataDir: string;
  const orders: Record<'mine' | 'other', { id: number; no: number }> = {} as never;
  const files: Record<string, number> = {};

  async function order(key: 'mine' | 'other', grid: string, text: string) {
    const result = await submitDemand({
      deps: t.ctx.orderDeps,
      input: { sourceMessageId: `att-${key}`, channel: 'group', residentId: await t.ctx.residentId('陈阿姨'), gridId: await t.ctx.gridId(grid), text },
    });
    if (result.outcome !== 'created') throw new Error('no order');
    orders[key] = { id: result.order.id, no: result.order.no };
  }

  async function file(name: string, orderKey: 'mine' | 'other', row: { storagePath: string | null; mime: string | null; originalName: string | null; kind?: string }, content?: string) {
    if (content !== undefined && row.storagePath) {
      await mkdir(join(dataDir, 'attachments', '2026-11'), { recursive: true });
      await writeFile(join(dataDir, row.storagePath), content);
    }
    const [inserted] = await t.ctx.db
      .insert(attachments)
      .values({ orderId: orders[orderKey].id, kind: row.kind ?? 'image', storagePath: row.storagePath, mime: row.mime, originalName: row.originalName, createdAt: t.ctx.clock.now() })
      .returning({ id: attachments.id });
    files[name] = inserted!.id;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gridline-att-'));
    // Something outside DATA_DIR a bad row could name.
    await writeFile(join(dataDir, '..', `${dataDir.split('/').pop()}-secret.txt`), 'secret');
    t = await createConsoleTest({ env: { DATA_DIR: dataDir } });
    await order('mine', 'D01-T01-C01-G01', '3号楼路灯坏了');
    await order('other', 'D01-T01-C01-G02', '8号楼垃圾没人收');
    await file('png', 'mine', { storagePath: 'attachments/2026-11/a-lamp.png', mime: 'image/png', originalName: '路灯 "1".png' }, 'png-bytes');
    await file('svg', 'mine', { storagePath: 'attachments/2026-11/b-x.svg', mime: 'image/svg+xml', originalName: 'x.svg' }, '<svg onload="alert(1)"/>');
    await file('html', 'mine', { storagePath: 'attachments/2026-11/c-x.html', mime: 'text/html', originalName: 'x.html', kind: 'file' }, '<script>alert(1)</script>');
    await file('escape', 'mine', { storagePath: `../${dataDir.split('/').pop()}-secret.txt`, mime: 'text/plain', originalName: 's.txt', kind: 'file' });
    await file('gone', 'mine', { storagePath: 'attachments/2026-11/never-written.png', mime: 'image/png', originalName: 'g.png' });
    await file('place', 'mine', { storagePath: null, mime: null, originalName: null, kind: 'location' });
    await file('otherOrder', 'other', { storagePath: 'attachments/2026-11/d-other.png', mime: 'image/png', originalName: 'o.png' }, 'other-bytes');
  });
  afterAll(async () => {
    await t?.close();
    await rm(join(dataDir, '..', `${dataDir.split('/').pop()}-secret.txt`), { force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  const url = (no: number, id: number | string) => `/console/orders/${no}/attachments/${id}`;

  it('serves a photo inline to the grid leader, with its type, a safe file name, nosniff and a sandbox', async () => {
    const leader = await t.as('张伟');
    const res = await leader.get(url(orders.mine.no, files.png!));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('png-bytes');
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    // The quote in the resident's file name can not break out of the header.
    expect(res.headers['content-disposition']).toBe(`inline; filename="attachment-${files.png}.png"; filename*=UTF-8''${encodeURIComponent('路灯 "1".png')}`);
  });

  it('never renders an SVG or an HTML file as a page: a download of unknown type', async () => {
    const leader = await t.as('张伟');
    for (const name of ['svg', 'html']) {
      const res = await leader.get(url(orders.mine.no, files[name]!));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
    }
  });

  it('answers 404 for a path outside DATA_DIR, a missing file, a place, another order\'s file, and bad ids', async () => {
    const admin = await t.as('系统管理员');
    for (const id of [files.escape!, files.gone!, files.place!, files.otherOrder!, 2147483648, '1e3', '-1', '..%2F..%2Fsecret']) {
      const res = await admin.get(url(orders.mine.no, id));
      expect(res.statusCode, String(id)).toBe(404);
      expect(res.body).not.toContain('secret');
    }
    // The other order's file under its own number is served to the admin.
    expect((await admin.get(url(orders.other.no, files.otherOrder!))).body).toBe('other-bytes');
  });

  it('answers a leader of another grid as if the order did not exist, and sends the logged-out to log in', async () => {
    const otherLeader = await t.as('刘洋');
    expect((await otherLeader.get(url(orders.mine.no, files.png!))).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: url(orders.mine.no, files.png!) });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.body).not.toContain('png-bytes');
  });
});
