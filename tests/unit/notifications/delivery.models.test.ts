import { describe, expect, it } from 'vitest';
import { type ChatRoomRef, chooseRoute, withMentions } from '../../../src/modules/notifications/delivery.models';

const group: ChatRoomRef = { groupId: 3, roomId: 'g3@chatroom', topic: '柳岸社区第一网格居民群' };
const bound = { name: '张伟', chatKey: 'gl:s:9', chatContactId: 'wxid_9' };

describe('how a message reaches its recipient', () => {
  it('reaches a bound, active member of staff 1:1', () => {
    expect(chooseRoute({ recipientType: 'staff', staff: { ...bound, active: true } })).toEqual({ via: 'direct', contact: { ...bound, active: true } });
    expect(chooseRoute({ recipientType: 'staff', staff: { ...bound, chatKey: null, active: true } }).via).toBe('direct');
    expect(chooseRoute({ recipientType: 'staff', staff: { ...bound, chatContactId: null, active: true } }).via).toBe('direct');
  });

  it('does not send staff notices to a group, and says why a member of staff cannot be reached', () => {
    expect(chooseRoute({ recipientType: 'staff', staff: null })).toEqual({ via: 'none', reason: 'staff_unknown' });
    expect(chooseRoute({ recipientType: 'staff', staff: { ...bound, active: false } })).toEqual({ via: 'none', reason: 'staff_inactive' });
    expect(chooseRoute({ recipientType: 'staff', staff: { name: '张伟', chatKey: null, chatContactId: null, active: true } })).toEqual({
      via: 'none',
      reason: 'staff_unbound',
    });
  });

  it('reaches a resident who is the bot’s friend 1:1, and one who is not in their group with an @-mention', () => {
    const chen = { name: '陈阿姨', chatKey: 'gl:r:1', chatContactId: 'wxid_1' };
    expect(chooseRoute({ recipientType: 'resident', resident: { ...chen, isFriend: true }, group })).toEqual({
      via: 'direct',
      contact: { ...chen, isFriend: true },
    });
    expect(chooseRoute({ recipientType: 'resident', resident: { ...chen, isFriend: false }, group })).toEqual({
      via: 'room',
      room: group,
      mention: { ...chen, isFriend: false },
    });
  });

  it('falls back to the group for a friend whose chat identity is not known yet', () => {
    const route = chooseRoute({
      recipientType: 'resident',
      resident: { name: '陈阿姨', chatKey: null, chatContactId: null, isFriend: true },
      group,
    });
    expect(route.via).toBe('room');
  });

  it('mentions a resident known by chat name only (seen in the group, not yet keyed)', () => {
    const route = chooseRoute({
      recipientType: 'resident',
      resident: { name: '老王', chatKey: null, chatContactId: null, isFriend: false },
      group,
    });
    expect(route).toMatchObject({ via: 'room', mention: { name: '老王' } });
  });

  it('gives up on a resident with no friendship and no group, or one the chat never saw', () => {
    const chen = { name: '陈阿姨', chatKey: 'gl:r:1', chatContactId: null, isFriend: false };
    expect(chooseRoute({ recipientType: 'resident', resident: chen, group: null })).toEqual({ via: 'none', reason: 'resident_no_channel' });
    expect(
      chooseRoute({ recipientType: 'resident', resident: { name: ' ', chatKey: null, chatContactId: null, isFriend: false }, group }),
    ).toEqual({ via: 'none', reason: 'resident_no_channel' });
    expect(chooseRoute({ recipientType: 'resident', resident: null, group })).toEqual({ via: 'none', reason: 'resident_unknown' });
  });

  it('sends a group message to its group without a mention', () => {
    expect(chooseRoute({ recipientType: 'group', group })).toEqual({ via: 'room', room: group, mention: null });
    expect(chooseRoute({ recipientType: 'group', group: null })).toEqual({ via: 'none', reason: 'group_unknown' });
  });

  it('refuses a recipient type it does not know', () => {
    expect(chooseRoute({ recipientType: 'fax' })).toEqual({ via: 'none', reason: 'recipient_type_unknown' });
  });
});

describe('the text of a message with mentions', () => {
  it('writes each mentioned name as "@name " before the text, since web puppets have no real mention', () => {
    expect(withMentions('已受理 #1024', ['陈阿姨'])).toBe('@陈阿姨 已受理 #1024');
    expect(withMentions('请注意', ['陈阿姨', '老王'])).toBe('@陈阿姨 @老王 请注意');
  });

  it('leaves the text alone when nobody is mentioned or a name is blank', () => {
    expect(withMentions('通知', [])).toBe('通知');
    expect(withMentions('通知', ['', '  '])).toBe('通知');
    expect(withMentions('通知', [' 老王 '])).toBe('@老王 通知');
  });
});
