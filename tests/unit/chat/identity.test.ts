import { describe, expect, it } from 'vitest';
import {
  type KnownGroup,
  type KnownPerson,
  matchGroup,
  matchResident,
  matchStaff,
  parseStableKey,
  stableKey,
} from '../../../src/modules/chat/identity.models';

const resident = (id: number, over: Partial<KnownPerson> = {}): KnownPerson => ({
  kind: 'resident',
  id,
  chatKey: stableKey('resident', id),
  chatContactId: `old-${id}`,
  name: '陈阿姨',
  gridId: 1,
  contactIdLive: false,
  ...over,
});
const staffMember = (id: number, over: Partial<KnownPerson> = {}): KnownPerson => ({
  kind: 'staff',
  id,
  chatKey: stableKey('staff', id),
  chatContactId: `old-s${id}`,
  name: '张伟',
  gridId: null,
  contactIdLive: false,
  ...over,
});
const contact = (over: Partial<{ id: string; name: string; alias: string | null }> = {}) => ({ id: 'new-1', name: '陈阿姨', alias: null, ...over });

describe('stable keys', () => {
  it('are written and read back for residents and staff', () => {
    expect(stableKey('resident', 12)).toBe('GL-R12');
    expect(stableKey('staff', 3)).toBe('GL-S3');
    expect(parseStableKey('GL-R12')).toEqual({ kind: 'resident', id: 12 });
    expect(parseStableKey('GL-S3')).toEqual({ kind: 'staff', id: 3 });
  });

  it('survive a person adding to the remark, but not a different prefix or a longer number', () => {
    expect(parseStableKey(' GL-R12 陈阿姨')).toEqual({ kind: 'resident', id: 12 });
    expect(parseStableKey('GL-R12x')).toEqual({ kind: 'resident', id: 12 });
    expect(parseStableKey('XGL-R12')).toBeNull();
    expect(parseStableKey('GL-X12')).toBeNull();
    expect(parseStableKey('陈阿姨')).toBeNull();
    expect(parseStableKey(null)).toBeNull();
    expect(parseStableKey('')).toBeNull();
  });
});

describe('which resident a contact is', () => {
  it('is the one named by the stable key in the remark, re-attached to the new contact id', () => {
    const m = matchResident({ contact: contact({ alias: 'GL-R2', name: '改了名字' }), known: [resident(1), resident(2, { name: '王大妈' })] });
    expect(m).toMatchObject({ kind: 'matched', by: 'key', rebind: true, person: { id: 2 } });
  });

  it('is the one holding the current contact id, with nothing to re-attach', () => {
    const m = matchResident({ contact: contact({ id: 'old-1' }), known: [resident(1, { contactIdLive: true }), resident(2)] });
    expect(m).toMatchObject({ kind: 'matched', by: 'contact_id', rebind: false, person: { id: 1 } });
  });

  it('ignores a key naming a resident not on record and goes on by id and name', () => {
    const m = matchResident({ contact: contact({ alias: 'GL-R99' }), known: [resident(1)], roomGridId: 1 });
    expect(m).toMatchObject({ kind: 'unconfirmed', candidate: { id: 1 } });
  });

  it('ignores a staff key when looking for a resident', () => {
    const m = matchResident({ contact: contact({ alias: 'GL-S1' }), known: [staffMember(1)] });
    expect(m).toEqual({ kind: 'new' });
  });

  it('after a re-login, a name only points at the one resident of the group\'s grid with it whose old contact is gone: never a match', () => {
    const m = matchResident({
      contact: contact(),
      known: [resident(1, { gridId: 1 }), resident(2, { gridId: 2 })],
      roomGridId: 1,
      roomMembersWithName: 1,
    });
    expect(m).toEqual({ kind: 'unconfirmed', candidate: expect.objectContaining({ id: 1 }) });
  });

  it('is for an admin to decide when two members of the room carry the name, even with one namesake on record', () => {
    const m = matchResident({ contact: contact(), known: [resident(1)], roomGridId: 1, roomMembersWithName: 2 });
    expect(m).toMatchObject({ kind: 'ambiguous', candidates: [{ id: 1 }] });
  });

  it('is a new resident when the namesake in the grid is still another live contact', () => {
    const m = matchResident({ contact: contact(), known: [resident(1, { contactIdLive: true })], roomGridId: 1 });
    expect(m).toEqual({ kind: 'new' });
  });

  it('is for an admin to decide when two residents of the grid share the name', () => {
    const m = matchResident({ contact: contact(), known: [resident(1), resident(2)], roomGridId: 1 });
    expect(m).toMatchObject({ kind: 'ambiguous' });
    expect(m.kind === 'ambiguous' && m.candidates.map((c) => c.id)).toEqual([1, 2]);
  });

  it('is for an admin to decide when the only namesake lives in another grid', () => {
    const m = matchResident({ contact: contact(), known: [resident(1, { gridId: 2 })], roomGridId: 1 });
    expect(m).toMatchObject({ kind: 'ambiguous', candidates: [{ id: 1 }] });
  });

  it('in a 1:1 chat, is the one free namesake anywhere, and ambiguous among several', () => {
    expect(matchResident({ contact: contact(), known: [resident(1, { gridId: 5 })] })).toMatchObject({ kind: 'unconfirmed', candidate: { id: 1 } });
    expect(matchResident({ contact: contact(), known: [resident(1), resident(2, { gridId: 2 })] })).toMatchObject({ kind: 'ambiguous' });
  });

  it('does not bind a resident seeded without any chat identity by name either: it waits for confirmation', () => {
    const m = matchResident({ contact: contact(), known: [resident(1, { chatKey: null, chatContactId: null })], roomGridId: 1 });
    expect(m).toMatchObject({ kind: 'unconfirmed', candidate: { id: 1 } });
  });

  it('is new when nobody has the name', () => {
    expect(matchResident({ contact: contact({ name: '新来的' }), known: [resident(1)], roomGridId: 1 })).toEqual({ kind: 'new' });
    expect(matchResident({ contact: contact(), known: [] })).toEqual({ kind: 'new' });
  });
});

describe('which member of staff a contact is', () => {
  it('is found by the key in the remark, and re-attached when the id changed', () => {
    expect(matchStaff({ contact: contact({ alias: 'GL-S1', name: '张伟' }), known: [staffMember(1)] })).toMatchObject({
      kind: 'matched',
      by: 'key',
      rebind: true,
    });
  });

  it('is not found by a remark once an admin removed the binding', () => {
    const m = matchStaff({ contact: contact({ alias: 'GL-S1', name: '张伟' }), known: [staffMember(1, { chatKey: null, chatContactId: null })] });
    expect(m).toEqual({ kind: 'none', namesake: null });
  });

  it('is found by the bound contact id', () => {
    expect(matchStaff({ contact: contact({ id: 'old-s1', name: '张伟' }), known: [staffMember(1, { contactIdLive: true })] })).toMatchObject({
      kind: 'matched',
      by: 'contact_id',
      rebind: false,
    });
  });

  it('is never found by name alone, since anyone can call themselves 张伟', () => {
    const m = matchStaff({ contact: contact({ name: '张伟' }), known: [staffMember(1)] });
    expect(m.kind).toBe('none');
    // …but the bound 张伟 whose contact is gone is named, so the bot can ask them to bind again.
    expect(m.kind === 'none' && m.namesake?.id).toBe(1);
  });

  it('names no namesake while the bound 张伟 is still a live contact, or was never bound', () => {
    expect(matchStaff({ contact: contact({ name: '张伟' }), known: [staffMember(1, { contactIdLive: true })] })).toEqual({ kind: 'none', namesake: null });
    expect(matchStaff({ contact: contact({ name: '张伟' }), known: [staffMember(1, { chatKey: null, chatContactId: null })] })).toEqual({
      kind: 'none',
      namesake: null,
    });
  });

  it('is not found by a contact id of someone never bound (a stale id left on an unbound record)', () => {
    expect(matchStaff({ contact: contact({ id: 'x' }), known: [staffMember(1, { chatKey: null, chatContactId: 'x' })] }).kind).toBe('none');
  });
});

const group = (id: number, over: Partial<KnownGroup> = {}): KnownGroup => ({
  id,
  topic: '柳岸社区第一网格居民群',
  roomId: `old-room-${id}@chatroom`,
  roomIdLive: false,
  gridId: id,
  knownNames: [],
  ...over,
});
const room = (over: Partial<{ id: string; topic: string; memberNames: string[] }> = {}) => ({
  id: 'new-room@chatroom',
  topic: '柳岸社区第一网格居民群',
  memberNames: [],
  ...over,
});

describe('which group a room is', () => {
  it('is the one with its current room id', () => {
    expect(matchGroup({ room: room({ id: 'old-room-1@chatroom' }), known: [group(1, { roomIdLive: true })] })).toMatchObject({
      kind: 'matched',
      by: 'room_id',
      rebind: false,
    });
  });

  it('after a re-login, is the one group with its topic whose old room is gone', () => {
    expect(matchGroup({ room: room(), known: [group(1), group(2, { topic: '别的群' })] })).toMatchObject({
      kind: 'matched',
      by: 'topic',
      rebind: true,
      group: { id: 1 },
    });
  });

  it('is a new group when the only group with the topic is another live room', () => {
    expect(matchGroup({ room: room(), known: [group(1, { roomIdLive: true })] })).toEqual({ kind: 'new' });
  });

  it('among groups sharing a topic, is the one sharing clearly the most members', () => {
    const m = matchGroup({
      room: room({ memberNames: ['陈阿姨', '老王', '小林'] }),
      known: [group(1, { knownNames: ['陈阿姨', '老王'] }), group(2, { knownNames: ['小林'] })],
    });
    expect(m).toMatchObject({ kind: 'matched', by: 'topic_members', group: { id: 1 } });
  });

  it('among groups sharing a topic and as many members, is for an admin to decide', () => {
    const m = matchGroup({
      room: room({ memberNames: ['陈阿姨', '小林'] }),
      known: [group(1, { knownNames: ['陈阿姨'] }), group(2, { knownNames: ['小林'] })],
    });
    expect(m).toMatchObject({ kind: 'ambiguous' });
    expect(matchGroup({ room: room(), known: [group(1), group(2)] })).toMatchObject({ kind: 'ambiguous' });
  });

  it('with a new topic, is new — unless several members match a group whose room is gone (renamed while away)', () => {
    expect(matchGroup({ room: room({ topic: '新群', memberNames: ['陈阿姨'] }), known: [group(1, { knownNames: ['陈阿姨'] })] })).toEqual({ kind: 'new' });
    const renamed = matchGroup({
      room: room({ topic: '柳岸一网格', memberNames: ['陈阿姨', '老王', '小林', '路人'] }),
      known: [group(1, { knownNames: ['陈阿姨', '老王', '小林'] })],
    });
    expect(renamed).toMatchObject({ kind: 'ambiguous', candidates: [{ id: 1 }] });
  });

  it('binds a group on record that never had a room by its topic', () => {
    expect(matchGroup({ room: room(), known: [group(1, { roomId: null })] })).toMatchObject({ kind: 'matched', by: 'topic' });
  });
});
