import { eq, inArray, sql } from 'drizzle-orm';
import { FileBox } from 'file-box';
import { type Wechaty, types } from 'wechaty';
import type { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { AppContext } from '../../src/app-context';
import { chatGroups } from '../../src/modules/chat/chat.table';
import { stableKey } from '../../src/modules/chat/identity.models';
import { gridUnits } from '../../src/modules/grids/grids.table';
import type { StaffRole } from '../../src/modules/people/people.models';
import type { MemberRole, MockWorld, TranscriptEntry } from './mock-world.types';
import { residents } from '../../src/modules/people/residents.table';
import { staff, staffRoles } from '../../src/modules/people/staff.table';
import { departmentMembers, departments } from '../../src/modules/departments/departments.table';
import type { ConversationTracker } from '../conversation/tracker';

export type { MemberRole, MockWorld, SayInput, TranscriptEntry, WorldContacts } from './mock-world.types';

/**
 * Everyone the world knows, one compact record each (a district holds 100k residents). `mock` is the contact's
 * mock, made on first use; `alias` and `friend` wait for it.
 */
type Person = {
  contactId: string;
  name: string;
  dbId: number | null;
  kind: 'resident' | 'staff';
  /** A resident's grid, by name. */
  grid?: string | null;
  alias?: string;
  friend: boolean;
  made: boolean;
};

const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const MEDIA_TYPES = {
  image: types.Message.Image,
  voice: types.Message.Audio,
  video: types.Message.Video,
  file: types.Message.Attachment,
} as const;
const CACHE_SWEEP_MS = 5 * 60_000;
const CACHE_MAX_AGE_MS = 30 * 60_000;
const TRANSCRIPT_MAX = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The offline simulator's chat network, built from the database on wechaty-puppet-mock: every chat group is a
 * room (topic = chat_groups.topic) with its grid's residents and grid staff, every resident and member of staff
 * a contact. With `bindIdentities` the database is pointed at this world's ids (as after a fresh login);
 * without, it keeps the old ones and the bot must re-attach people by remark, name and topic (as after a
 * re-login on a web puppet). Used by the tests and by the long-running simulator alike.
 */
export async function createMockWorld({
  ctx,
  bot,
  mocker,
  tracker,
  idPrefix = '',
  bindIdentities = true,
}: {
  ctx: AppContext;
  bot: Wechaty;
  mocker: mock.Mocker;
  tracker: ConversationTracker;
  idPrefix?: string;
  bindIdentities?: boolean;
}): Promise<MockWorld> {
  const puppet = mocker.puppet as PuppetMock;
  const db = ctx.db;
  const people = new Map<string, Person>(); // contact id → person
  const rooms = new Map<number, { roomId: string; topic: string; grid: string | null; mock: ReturnType<mock.Mocker['RoomMock']['create']> }>();
  const roomsById = new Map<string, { topic: string }>();
  // Staff roles per room; every other member of a room is a resident.
  const staffRolesIn = new Map<string, Map<string, MemberRole>>(); // room id → contact id → role
  const staffInfo = new Map<string, { role: MemberRole; unit: string }>();
  const transcript: TranscriptEntry[] = [];
  const pendingMentions = new Map<string, string[]>();
  const locations = new Map<string, { latitude: number; longitude: number; address: string; name: string; accuracy: number }>();
  const said = new Set<string>();
  const idleProbes: (() => boolean | Promise<boolean>)[] = [];
  let failPredicate: ((send: { conversationId: string; text: string }) => boolean) | null = null;
  let seq = 0;

  const botUser = mocker.createContact({ id: `${idPrefix}bot`, name: ctx.config.BOT_NAME, friend: true, alias: undefined });

  // The mock's remarks are read-only; a real account keeps the remark the bot sets, across logins.
  const originalAlias = puppet.contactAlias.bind(puppet);
  puppet.contactAlias = (async (contactId: string, alias?: string | null) => {
    materialize(contactId);
    const payload = mocker.cacheContactPayload.get(contactId);
    if (alias === undefined) return payload?.alias ?? (await originalAlias(contactId));
    if (payload) payload.alias = alias ?? undefined;
    await puppet.contactPayloadDirty(contactId);
  }) as typeof puppet.contactAlias;

  // The mock answers every location with the same place; the world remembers what each message said.
  const originalLocation = puppet.messageLocation.bind(puppet);
  puppet.messageLocation = (async (messageId: string) => locations.get(messageId) ?? originalLocation(messageId)) as typeof puppet.messageLocation;

  // The mock drops mentions on sends; record them (and let tests make the network fail).
  const originalSendText = puppet.messageSendText.bind(puppet);
  puppet.messageSendText = (async (conversationId: string, text: string, mentionIdList?: string[]) => {
    if (failPredicate?.({ conversationId, text })) throw new Error('mock network: send failed');
    pendingMentions.set(conversationId, mentionIdList ?? []);
    try {
      return await originalSendText(conversationId, text);
    } finally {
      pendingMentions.delete(conversationId);
    }
  }) as typeof puppet.messageSendText;

  const nameOf = (contactId: string) => people.get(contactId)?.name ?? (contactId === botUser.id ? ctx.config.BOT_NAME : contactId);
  const record = (entry: Omit<TranscriptEntry, 'at'>) => {
    transcript.push({ ...entry, at: ctx.clock.now() });
    if (transcript.length > TRANSCRIPT_MAX) transcript.splice(0, transcript.length - TRANSCRIPT_MAX);
  };
  const textOf = (payload: { text?: string; type: number; id: string }) =>
    payload.text ?? `[${types.Message[payload.type] ?? 'message'}]`;

  // Each resident becomes a mock contact only when something first needs it (they speak, the bot looks them up,
  // writes to them or searches the contacts), so a district of 100k residents stays small in memory.
  function materialize(contactId: string) {
    const person = people.get(contactId);
    if (!person || person.made) return;
    person.made = true;
    const contact = mocker.createContact({ id: person.contactId, name: person.name, alias: person.alias, friend: person.friend });
    contact.on('message', (m) => {
      const p = m.payload;
      if (p.talkerId === botUser.id && p.listenerId === contact.id && !p.roomId) record({ to: person.name, text: textOf(p), mentions: [] });
    });
  }

  function addContact(person: Omit<Person, 'made'>, { lazy = false } = {}) {
    if (people.has(person.contactId)) return;
    // Spelled out, not spread: a spread copy is a dictionary-mode object, twice the memory a district can spare.
    people.set(person.contactId, {
      contactId: person.contactId,
      name: person.name,
      dbId: person.dbId,
      kind: person.kind,
      grid: person.grid,
      alias: person.alias,
      friend: person.friend,
      made: false,
    });
    if (!lazy) materialize(person.contactId);
  }

  const originalContactList = puppet.contactList.bind(puppet);
  puppet.contactList = (async () => [...new Set([...(await originalContactList()), ...people.keys()])]) as typeof puppet.contactList;
  const originalContactRawPayload = puppet.contactRawPayload.bind(puppet);
  puppet.contactRawPayload = (async (contactId: string) => {
    materialize(contactId);
    return originalContactRawPayload(contactId);
  }) as typeof puppet.contactRawPayload;

  const roomIdOf = (groupId: number) => `${idPrefix}g${groupId}@chatroom`;

  function addRoom(group: { id: number; topic: string; grid: string | null }, memberIds: string[]) {
    if (rooms.has(group.id)) return;
    const roomId = roomIdOf(group.id);
    roomsById.set(roomId, { topic: group.topic });
    // Not mocker.createRoom: it spreads every known contact id into a call to build a default payload, which
    // overflows the stack once the world holds ~100k residents (the 1M-order benchmark's district).
    const room = mocker.RoomMock.create({ id: roomId, topic: group.topic, avatar: '', memberIdList: [botUser.id, ...memberIds], adminIdList: [], ownerId: botUser.id });
    rooms.set(group.id, { roomId, topic: group.topic, grid: group.grid, mock: room });
    room.on('message', (m) => {
      const p = m.payload;
      if (p.talkerId !== botUser.id) return;
      const ids = pendingMentions.get(roomId) ?? [];
      record({ room: roomsById.get(roomId)?.topic ?? group.topic, text: textOf(p), mentions: ids.map(nameOf) });
    });
  }

  /**
   * A database some other chat account has bound staff on (a contact id this world would not have given them:
   * it names staff #12 `s12`) belongs to real people: binding them here would let whoever reaches the
   * simulator speak as a real grid leader. Such a world binds nobody and has no staff contacts.
   */
  async function heldRealBindings(): Promise<boolean> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(staff)
      .where(sql`${staff.chatContactId} is not null and ${staff.chatContactId} <> ${idPrefix} || 's' || ${staff.id}::text`);
    return (row?.n ?? 0) > 0;
  }
  const realPeople = bindIdentities && (await heldRealBindings());
  if (realPeople) {
    ctx.log.warn('this database holds chat bindings made by another account: the mock world binds nobody and leaves staff out');
  }

  async function build() {
    const residentRows = await db
      .select({ id: residents.id, gridId: residents.gridId, name: residents.name, chatName: residents.chatName, isFriend: residents.isFriend, chatKey: residents.chatKey })
      .from(residents);
    const staffRows = await db
      .select({ id: staff.id, name: staff.name, chatKey: staff.chatKey, role: staffRoles.role, unitId: staffRoles.unitId, unit: gridUnits.name })
      .from(staff)
      .innerJoin(staffRoles, eq(staffRoles.staffId, staff.id))
      .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
      .where(eq(staff.active, true));
    // Departments' members (燃气公司, 市政所 …) reach the bot 1:1 like any member of staff, without a unit role.
    const memberRows = await db
      .select({ id: staff.id, name: staff.name, chatKey: staff.chatKey, department: departments.name })
      .from(departmentMembers)
      .innerJoin(staff, eq(staff.id, departmentMembers.staffId))
      .innerJoin(departments, eq(departments.id, departmentMembers.departmentId))
      .where(eq(staff.active, true));
    const groupRows = await db
      .select({ id: chatGroups.id, topic: chatGroups.topic, gridId: chatGroups.gridId, grid: gridUnits.name })
      .from(chatGroups)
      .leftJoin(gridUnits, eq(gridUnits.id, chatGroups.gridId))
      .where(eq(chatGroups.botAccount, ctx.config.BOT_ACCOUNT));
    const gridNames = new Map(groupRows.map((g) => [g.gridId, g.grid]));

    const residentsByGrid = new Map<number, string[]>();
    for (const r of residentRows) {
      const contactId = `${idPrefix}r${r.id}`;
      if (r.gridId !== null) {
        const inGrid = residentsByGrid.get(r.gridId);
        if (inGrid) inGrid.push(contactId);
        else residentsByGrid.set(r.gridId, [contactId]);
      }
      addContact(
        {
          contactId,
          name: r.chatName ?? r.name ?? `居民${r.id}`,
          dbId: r.id,
          kind: 'resident',
          grid: r.gridId === null ? null : (gridNames.get(r.gridId) ?? null),
          // Only friends carry a remark: WeChat has none for a mere group member.
          alias: r.isFriend && r.chatKey && !realPeople ? r.chatKey : undefined,
          friend: r.isFriend,
        },
        { lazy: true },
      );
    }
    const staffById = new Map<number, { name: string; chatKey: string | null; roles: { role: StaffRole; unitId: number; unit: string }[] }>();
    for (const s of staffRows) {
      const entry = staffById.get(s.id) ?? { name: s.name, chatKey: s.chatKey, roles: [] };
      entry.roles.push({ role: s.role, unitId: s.unitId, unit: s.unit });
      staffById.set(s.id, entry);
    }
    if (realPeople) staffById.clear();
    for (const [id, s] of staffById) {
      const contactId = `${idPrefix}s${id}`;
      const alias = bindIdentities ? stableKey('staff', id) : (s.chatKey ?? undefined);
      addContact({ contactId, name: s.name, dbId: id, kind: 'staff', alias, friend: true }, { lazy: true });
      staffInfo.set(contactId, { role: s.roles[0]!.role, unit: s.roles[0]!.unit });
    }
    for (const m of realPeople ? [] : memberRows) {
      const contactId = `${idPrefix}s${m.id}`;
      if (staffInfo.has(contactId)) continue;
      const alias = bindIdentities ? stableKey('staff', m.id) : (m.chatKey ?? undefined);
      addContact({ contactId, name: m.name, dbId: m.id, kind: 'staff', alias, friend: true }, { lazy: true });
      staffInfo.set(contactId, { role: 'department', unit: m.department });
    }
    // The database learns the world's ids before any contact or room exists: the bot's sender, already running,
    // can not meet a room (and re-attach it by topic) while its rows are being rewritten.
    if (bindIdentities && !realPeople) await bindDatabase(groupRows.map((g) => g.id));
    for (const p of people.values()) if (p.kind === 'staff') materialize(p.contactId);
    for (const g of groupRows) {
      const staffHere = new Map<string, MemberRole>();
      if (g.gridId !== null) {
        for (const [id, s] of staffById) {
          const here = s.roles.find((x) => x.unitId === g.gridId);
          if (here) staffHere.set(`${idPrefix}s${id}`, here.role);
        }
      }
      addRoom({ id: g.id, topic: g.topic, grid: g.grid }, [...(g.gridId === null ? [] : (residentsByGrid.get(g.gridId) ?? [])), ...staffHere.keys()]);
      staffRolesIn.set(rooms.get(g.id)!.roomId, staffHere);
    }

  }

  async function bindDatabase(groupIds: number[]) {
    await db.transaction(async (tx) => {
      // Set-based, a few thousand people a statement: a district's 100k residents bind in seconds.
      const bound = [...people.values()].filter((p) => p.dbId !== null);
      for (const [table, kind] of [[residents, 'resident'], [staff, 'staff']] as const) {
        const rows = bound.filter((p) => p.kind === kind).map((p) => ({ id: p.dbId!, contact_id: p.contactId, key: stableKey(p.kind, p.dbId!) }));
        for (let i = 0; i < rows.length; i += 5_000) {
          await tx.execute(sql`
            update ${table} set chat_contact_id = v.contact_id, chat_key = v.key
            from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5_000))}::jsonb) as v(id int, contact_id text, key text)
            where ${table}.id = v.id`);
        }
      }
      if (groupIds.length === 0) return;
      await tx.update(chatGroups).set({ roomId: null }).where(inArray(chatGroups.id, groupIds));
      await tx.execute(sql`
        update ${chatGroups} set room_id = v.room_id
        from jsonb_to_recordset(${JSON.stringify(groupIds.map((id) => ({ id, room_id: roomIdOf(id) })))}::jsonb) as v(id int, room_id text)
        where ${chatGroups}.id = v.id`);
    });
  }

  await build();
  if (!bot.isLoggedIn) {
    mocker.login(botUser);
    // The mock never says it is ready; bot.ready() would wait for ever.
    puppet.emit('ready', { data: 'mock' });
  }
  await bot.ready();

  // By contact id (a stranger sharing someone's name), else the first contact with the name.
  const findPerson = (who: string) => people.get(who) ?? [...people.values()].find((p) => p.name === who);
  const findRoom = (topic: string) => [...rooms.values()].find((r) => r.topic === topic);

  const sweeper = setInterval(() => world.clearCaches(CACHE_MAX_AGE_MS), CACHE_SWEEP_MS);
  sweeper.unref();

  const world: MockWorld = {
    mocker,
    puppet,
    async say(input) {
      const person = findPerson(input.from);
      if (!person) throw new Error(`no contact named ${input.from} in the simulator`);
      materialize(person.contactId);
      const room = input.room === undefined ? undefined : findRoom(input.room);
      if (input.room !== undefined && !room) throw new Error(`no group with topic ${input.room}`);
      const id = `${idPrefix}m${Date.now().toString(36)}${(++seq).toString(36)}`;
      const type = input.type ?? 'text';
      const base = {
        id,
        talkerId: person.contactId,
        timestamp: Date.now(),
        ...(room ? { roomId: room.roomId, mentionIdList: input.mentionBot ? [botUser.id] : [] } : { listenerId: botUser.id }),
      };
      if (type === 'text') {
        const text = input.mentionBot && room ? `@${ctx.config.BOT_NAME}\u2005${input.text ?? ''}` : (input.text ?? '');
        mocker.MessageMock.create({ ...base, type: types.Message.Text, text } as never);
      } else if (type === 'location') {
        const l = input.location ?? { lat: 30.27, lng: 120.15 };
        locations.set(id, { latitude: l.lat, longitude: l.lng, address: l.address ?? '', name: l.name ?? l.address ?? '', accuracy: 15 });
        mocker.MessageMock.create({ ...base, type: types.Message.Location } as never);
      } else {
        const name = input.file?.name ?? { image: 'photo.png', voice: 'voice.silk', video: 'video.mp4', file: 'file.pdf' }[type];
        // FileBox.fromBuffer crashes the mock; base64 boxes serialize.
        mocker.cacheFileBoxPayload.set(id, FileBox.fromBase64(input.file?.base64 ?? TINY_PNG, name).toJSON());
        mocker.MessageMock.create({ ...base, type: MEDIA_TYPES[type] } as never);
      }
      said.add(id);
      puppet.emit('message', { messageId: id });
      return { id };
    },
    repeat(messageId) {
      said.add(messageId);
      puppet.emit('message', { messageId });
    },
    transcript: () => [...transcript],
    contacts() {
      return {
        groups: [...rooms.values()].map((r) => ({
          topic: r.topic,
          grid: r.grid,
          members: r.mock.payload.memberIdList
            .filter((contactId) => contactId !== botUser.id)
            .map((contactId) => ({ name: nameOf(contactId), role: staffRolesIn.get(r.roomId)?.get(contactId) ?? ('resident' as const) })),
        })),
        staff: [...staffInfo.entries()].map(([contactId, s]) => ({ name: nameOf(contactId), role: s.role, unit: s.unit })),
        residents: [...people.values()].filter((p) => p.kind === 'resident').map((p) => ({ name: p.name, grid: p.grid ?? null })),
      };
    },
    sync: build,
    addStranger(name, { rooms: topics = [], friend = false } = {}) {
      const contactId = `${idPrefix}x${++seq}`;
      addContact({ contactId, name, dbId: null, kind: 'resident', grid: null, friend });
      for (const topic of topics) {
        const room = findRoom(topic);
        if (!room) throw new Error(`no group with topic ${topic}`);
        room.mock.payload.memberIdList.push(contactId);
      }
      return contactId;
    },
    async waitForIdle({ timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await tracker.waitFor([...said], Math.max(1, deadline - Date.now()));
        let busy = false;
        for (const probe of idleProbes) if (!(await probe())) busy = true;
        if (!busy && tracker.inFlight() === 0) break;
        if (Date.now() > deadline) throw new Error('the simulator did not become idle in time');
        await sleep(5);
      }
      for (const id of said) if (tracker.wasHandled(id)) said.delete(id);
    },
    stored(id, { timeoutMs } = {}) {
      return tracker.whenStored(id, timeoutMs);
    },
    async settle({ timeoutMs = 15_000 } = {}) {
      let seen = -1;
      let stable = 0;
      while (stable < 3) {
        await world.waitForIdle({ timeoutMs });
        await sleep(5);
        if (transcript.length === seen) stable++;
        else {
          seen = transcript.length;
          stable = 0;
        }
      }
    },
    addIdleProbe(probe) {
      idleProbes.push(probe);
    },
    failSends(predicate) {
      failPredicate = predicate;
    },
    clearCaches(olderThanMs = CACHE_MAX_AGE_MS) {
      const cutoff = Date.now() - olderThanMs;
      const pool = (mocker.MessageMock as unknown as { pool: Map<string, unknown> }).pool;
      let dropped = 0;
      for (const [id, payload] of mocker.cacheMessagePayload) {
        if ((payload.timestamp ?? 0) >= cutoff) continue;
        mocker.cacheMessagePayload.delete(id);
        mocker.cacheFileBoxPayload.delete(id);
        pool.delete(id);
        locations.delete(id);
        dropped++;
      }
      return dropped;
    },
    stop() {
      clearInterval(sweeper);
    },
  };
  return world;
}
