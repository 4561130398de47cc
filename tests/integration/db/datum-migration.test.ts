import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../../src/modules/chat/chat.table';
import { storedPoint } from '../../../src/modules/grids/places.models';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { attachments, workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { createTestContext, type TestContext } from '../../helpers/context';

const MIGRATION = resolve(import.meta.dirname, '../../../src/db/migrations/0016_datum_wgs84.sql');
/** A WeChat (GCJ-02) point in Hangzhou and one outside China, where the datums agree. */
const GCJ = { lat: 30.274102, lng: 120.155031 };
const PARIS = { lat: 48.8566, lng: 2.3522 };

/**
 * Migration 0016 brings the points stored before it (chat ones in GCJ-02) into WGS-84. The test databases are
 * migrated already, so the rows are written as the old code wrote them and the migration's statements are run
 * again over them: the SQL port of gcoord must agree with gcoord.
 */
describe('migration 0016: old chat points become WGS-84, others are left alone', () => {
  let t: TestContext;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestContext();
    const order = async (key: string, channel: 'group' | 'open311', point: { lat: number; lng: number }) => {
      const r = await submitDemand({
        deps: t.orderDeps,
        input: { sourceMessageId: key, channel, residentId: await t.residentId('陈阿姨'), gridId: await t.gridId('D01-T01-C01-G01'), text: `${key} 路灯坏了`, ...point, checkDuplicates: false },
      });
      if (r.outcome !== 'created') throw new Error(r.outcome);
      return r.order.id;
    };
    ids.chat = await order('m-chat', 'group', GCJ);
    ids.abroad = await order('m-abroad', 'group', PARIS);
    ids.open311 = await order('m-open311', 'open311', GCJ);
    const [att] = await t.db.insert(attachments).values({ orderId: ids.chat, kind: 'location', ...GCJ, address: '柳岸路88号' }).returning();
    ids.attachment = att!.id;
    const inbound = async (messageId: string, outcome: string) =>
      (
        await t.db
          .insert(inboundMessages)
          .values({ messageId, channel: 'group', type: 'text', text: '路灯坏了', outcome, payload: { text: '路灯坏了', ...GCJ }, receivedAt: t.clock.now() })
          .returning()
      )[0]!.id;
    ids.held = await inbound('m-held', 'pending_duplicate');
    ids.done = await inbound('m-done', 'order');

    const statements = readFileSync(MIGRATION, 'utf8').split('--> statement-breakpoint');
    for (const statement of statements) await t.db.execute(sql.raw(statement));
  });
  afterAll(async () => t?.close());

  const point = async (id: number) => (await t.db.select({ lat: workOrders.lat, lng: workOrders.lng }).from(workOrders).where(eq(workOrders.id, id)))[0]!;

  it('a chat order\'s point is converted as gcoord converts it, to 1e-7°', async () => {
    expect(await point(ids.chat!)).toEqual(storedPoint({ ...GCJ, datum: 'gcj02' }));
  });

  it('a chat point outside China and an Open311 point (always WGS-84) are left as they were', async () => {
    expect(await point(ids.abroad!)).toEqual(PARIS);
    expect(await point(ids.open311!)).toEqual(GCJ);
  });

  it('location attachments and the points of demands still held are converted; a processed message keeps what WeChat sent', async () => {
    const [att] = await t.db.select({ lat: attachments.lat, lng: attachments.lng }).from(attachments).where(eq(attachments.id, ids.attachment!));
    expect(att).toEqual(storedPoint({ ...GCJ, datum: 'gcj02' }));
    const payload = async (id: number) => (await t.db.select({ p: inboundMessages.payload }).from(inboundMessages).where(eq(inboundMessages.id, id)))[0]!.p as Record<string, unknown>;
    expect(await payload(ids.held!)).toMatchObject({ text: '路灯坏了', ...storedPoint({ ...GCJ, datum: 'gcj02' }) });
    expect(await payload(ids.done!)).toMatchObject(GCJ);
  });

  it('leaves no function behind', async () => {
    const rows = await t.db.execute(sql`select count(*)::int as n from pg_proc where proname = 'gl_gcj02_to_wgs84'`);
    const n = Array.isArray(rows) ? (rows[0] as { n: number }).n : (rows as unknown as { rows: { n: number }[] }).rows[0]!.n;
    expect(n).toBe(0);
  });
});
