import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatGroups } from '../../src/modules/chat/chat.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { insertOutbox } from '../../src/modules/work-orders/work-orders.repository';
import { type BotHarness, GROUP, startBotHarness } from './helpers';

/** Delivery through the real Wechaty transport on the mock puppet, when the stored chat ids are out of date. */
describe('reaching people whose chat ids changed (a re-login on a web puppet)', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await startBotHarness();
  });
  afterEach(async () => h.close());

  async function deliver(draft: Parameters<typeof insertOutbox>[1][number]) {
    const before = h.world.transcript().length;
    await insertOutbox(h.t.db, [draft]);
    await h.started.sender.drain();
    const [row] = await h.t.db.select().from(outbox).where(eq(outbox.text, draft.text));
    return { row: row!, sent: h.world.transcript().slice(before) };
  }

  it('finds a member of staff by the remark the bot set when the stored contact id is gone', async () => {
    const zhang = await h.t.staffId('张伟');
    await h.t.db.update(staff).set({ chatContactId: 'gone-after-relogin' }).where(eq(staff.id, zhang));
    const { row, sent } = await deliver({ kind: 'assignment', orderId: null, recipientType: 'staff', staffId: zhang, text: '新工单 #1' });
    expect(row).toMatchObject({ status: 'sent', deliveredVia: 'direct' });
    expect(sent).toEqual([expect.objectContaining({ to: '张伟', text: '新工单 #1' })]);
    expect(h.started.status.lastError).toBeUndefined();
  });

  it('does not trust a stored contact id that now belongs to someone with another key', async () => {
    const zhang = await h.t.staffId('张伟');
    const [li] = await h.t.db.select().from(staff).where(eq(staff.name, '李娜'));
    await h.t.db.update(staff).set({ chatContactId: li!.chatContactId }).where(eq(staff.id, zhang));
    const { sent } = await deliver({ kind: 'assignment', orderId: null, recipientType: 'staff', staffId: zhang, text: '只给张伟' });
    expect(sent).toEqual([expect.objectContaining({ to: '张伟', text: '只给张伟' })]);
  });

  it('finds a group by its topic when the stored room id is gone', async () => {
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
    await h.t.db.update(chatGroups).set({ roomId: 'gone@chatroom' }).where(eq(chatGroups.id, group!.id));
    const { row, sent } = await deliver({ kind: 'notice', orderId: null, recipientType: 'group', chatGroupId: group!.id, text: '停水通知' });
    expect(row).toMatchObject({ status: 'sent', deliveredVia: 'room' });
    expect(sent).toEqual([expect.objectContaining({ room: GROUP, text: '停水通知', mentions: [] })]);
  });

  it('mentions a resident the bot knows only by name, found among the group members', async () => {
    const wang = await h.t.residentId('老王');
    await h.t.db.update(residents).set({ chatContactId: null, chatKey: null, isFriend: false }).where(eq(residents.id, wang));
    const { sent } = await deliver({ kind: 'status', orderId: null, recipientType: 'resident', residentId: wang, text: '您的工单已办结' });
    expect(sent).toEqual([expect.objectContaining({ room: GROUP, text: '@老王 您的工单已办结', mentions: ['老王'] })]);
  });

  it('sends 1:1 to a resident who is the bot’s friend', async () => {
    const chen = await h.t.residentId('陈阿姨');
    await h.t.db.update(residents).set({ isFriend: true }).where(eq(residents.id, chen));
    const { sent } = await deliver({ kind: 'status', orderId: null, recipientType: 'resident', residentId: chen, text: '私信通知' });
    expect(sent).toEqual([expect.objectContaining({ to: '陈阿姨', text: '私信通知' })]);
  });

  it('retries a send the chat network refused and delivers it once', async () => {
    const zhang = await h.t.staffId('张伟');
    let refuse = true;
    h.world.failSends(() => refuse);
    const { row } = await deliver({ kind: 'assignment', orderId: null, recipientType: 'staff', staffId: zhang, text: '重试的消息' });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toContain('mock network: send failed');
    refuse = false;
    h.t.clock.advance(60_000);
    await h.started.sender.drain();
    expect(h.world.transcript().filter((e) => e.text === '重试的消息')).toHaveLength(1);
  });
});
