import { describe, expect, it } from 'vitest';
import {
  LINK_DAYS_AFTER_CLOSE,
  type TimelineEvent,
  canRevokeLinks,
  linkExpiresAt,
  limitReached,
  uploadLimitReached,
  linkState,
  pointOf,
  publicTimeline,
  reportGrid,
  surnameOf,
} from '../../../src/modules/resident-web/resident-web.models';
import { ADMIN, COMMUNITY_OFFICER, INFORMANT, LEADER, OTHER_COMMUNITY_OFFICER, OWNER, SIBLING_LEADER, orderIn } from '../work-orders/builders';
import { gridOfToken, gridToken, linkIdOfToken, residentWebKey, trackingMacMatches, trackingToken } from '../../../src/modules/resident-web/resident-web.tokens';

const square = (x: number, y: number) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] });

describe('the resident page rules', () => {
  const key = residentWebKey('a-session-secret-of-at-least-32-characters!!');

  it('a grid token names its grid only with the right key; altered, re-keyed or malformed tokens name none', () => {
    const token = gridToken(key, 7);
    expect(gridOfToken(key, token)).toBe(7);
    expect(gridOfToken(residentWebKey('another-secret-of-at-least-32-characters!!!'), token)).toBeNull();
    expect(gridOfToken(key, token.replace(/^7-/, '8-'))).toBeNull();
    expect(gridOfToken(key, `${token}x`)).toBeNull();
    for (const bad of ['7', '', '0-AAAAAAAAAAAAAAAAAAAAAA', '99999999999-AAAAAAAAAAAAAAAAAAAAAA', '7-../../etc/passwd', '7-AAAAAAAAAAAAAAAAAAAAAA']) expect(gridOfToken(key, bad)).toBeNull();
  });

  it('a tracking token matches only its own link and nonce; a new nonce (revocation by rotation) voids it', () => {
    const token = trackingToken(key, { id: 12, nonce: 'n1' });
    const parsed = linkIdOfToken(token)!;
    expect(parsed.id).toBe(12);
    expect(trackingMacMatches(key, { id: 12, nonce: 'n1' }, parsed.mac)).toBe(true);
    expect(trackingMacMatches(key, { id: 12, nonce: 'n2' }, parsed.mac)).toBe(false);
    expect(trackingMacMatches(key, { id: 13, nonce: 'n1' }, parsed.mac)).toBe(false);
    // The grid and tracking MACs never stand in for each other.
    expect(linkIdOfToken(gridToken(key, 12))!.mac).not.toBe(parsed.mac);
  });

  it('limits: the fifth report in an hour is the last; the twentieth in a day is the last', () => {
    expect(limitReached({ lastHour: 4, lastDay: 4 })).toBeNull();
    expect(limitReached({ lastHour: 5, lastDay: 5 })).toBe('hour');
    expect(limitReached({ lastHour: 0, lastDay: 19 })).toBeNull();
    expect(limitReached({ lastHour: 0, lastDay: 20 })).toBe('day');
    expect(limitReached({ lastHour: 9, lastDay: 20 })).toBe('day');
  });

  it('a link expires 90 days after its order closed, and has no date while it is open', () => {
    expect(linkExpiresAt(null)).toBeNull();
    expect(linkExpiresAt(new Date('2030-01-01T00:00:00Z'))).toEqual(new Date('2030-04-01T00:00:00Z'));
  });

  it('staff on the order or above it, and admins, may revoke its links; an informant, a neighbour grid, another community, a resident may not', () => {
    const order = orderIn('closed');
    for (const actor of [LEADER, COMMUNITY_OFFICER, ADMIN]) expect(canRevokeLinks(actor, order)).toBe(true);
    for (const actor of [INFORMANT, SIBLING_LEADER, OTHER_COMMUNITY_OFFICER, OWNER, undefined]) expect(canRevokeLinks(actor, order)).toBe(false);
  });

  it('photo uploads from one address: 30 an hour and 100 a day; an upload counts at least one photo', () => {
    expect(uploadLimitReached({ lastHour: 26, lastDay: 26, adding: 4 })).toBeNull();
    expect(uploadLimitReached({ lastHour: 27, lastDay: 27, adding: 4 })).toBe('hour');
    expect(uploadLimitReached({ lastHour: 29, lastDay: 29, adding: 0 })).toBeNull();
    expect(uploadLimitReached({ lastHour: 30, lastDay: 30, adding: 0 })).toBe('hour');
    expect(uploadLimitReached({ lastHour: 0, lastDay: 99, adding: 1 })).toBeNull();
    expect(uploadLimitReached({ lastHour: 0, lastDay: 97, adding: 4 })).toBe('day');
    expect(uploadLimitReached({ lastHour: 30, lastDay: 100, adding: 1 })).toBe('day');
  });

  it('a point files in the grid holding it within the poster district; other districts, no grid or no point keep the poster grid', () => {
    const grids = [
      { id: 1, code: 'A-1', path: '/100/10/1/', boundary: square(0, 0) },
      { id: 2, code: 'A-2', path: '/100/10/2/', boundary: square(1, 0) },
      { id: 3, code: 'B-1', path: '/200/20/3/', boundary: square(2, 0) },
      { id: 4, code: 'A-3', path: '/100/11/4/', boundary: null },
    ];
    const poster = { id: 1, path: '/100/10/1/' };
    expect(reportGrid({ poster, point: { lat: 0.5, lng: 1.5 }, grids })).toEqual({ gridId: 2, byPoint: true });
    expect(reportGrid({ poster, point: { lat: 0.5, lng: 0.5 }, grids })).toEqual({ gridId: 1, byPoint: false });
    expect(reportGrid({ poster, point: { lat: 0.5, lng: 2.5 }, grids })).toEqual({ gridId: 1, byPoint: false });
    expect(reportGrid({ poster, point: { lat: 50, lng: 50 }, grids })).toEqual({ gridId: 1, byPoint: false });
    expect(reportGrid({ poster, point: null, grids })).toEqual({ gridId: 1, byPoint: false });
  });

  it('points: numbers on Earth only; (0, 0) is a browser that knows nothing', () => {
    expect(pointOf(30.1, 120.2)).toEqual({ lat: 30.1, lng: 120.2 });
    expect(pointOf(null, 120)).toBeNull();
    expect(pointOf(91, 0)).toBeNull();
    expect(pointOf(0, 181)).toBeNull();
    expect(pointOf(0, 0)).toBeNull();
    expect(pointOf(Number.NaN, 1)).toBeNull();
  });

  it(`a link works while the order is open and ${LINK_DAYS_AFTER_CLOSE} days after it closed; revoked is revoked`, () => {
    const closedAt = new Date('2026-01-01T00:00:00Z');
    expect(linkState({ revokedAt: null, closedAt: null, now: new Date('2030-01-01') })).toBe('ok');
    expect(linkState({ revokedAt: null, closedAt, now: new Date(closedAt.getTime() + 90 * 86_400_000) })).toBe('ok');
    expect(linkState({ revokedAt: null, closedAt, now: new Date(closedAt.getTime() + 90 * 86_400_000 + 1) })).toBe('expired');
    expect(linkState({ revokedAt: closedAt, closedAt: null, now: closedAt })).toBe('revoked');
  });

  it('the timeline a resident sees: no internal notes, staff by surname, conversation notes for the owner only', () => {
    const at = new Date('2026-11-23T02:00:00Z');
    const events: TimelineEvent[] = [
      { type: 'submit', at, note: null, staffName: null, staffRole: null, byResident: true },
      { type: 'note', at, note: '内部备注', staffName: '张伟', staffRole: '网格长', byResident: false },
      { type: 'supervise', at, note: '抓紧办', staffName: '周主任', staffRole: '干部', byResident: false },
      { type: 'progress', at, note: '电工明天来', staffName: '欧阳娜娜', staffRole: '网格长', byResident: false },
      { type: 'ask_resident', at, note: '是几号楼？', staffName: '张伟', staffRole: '网格长', byResident: false },
      { type: 'resident_reply', at, note: '3号楼，我电话13900000000', staffName: null, staffRole: null, byResident: true },
      { type: 'request_extension', at, note: '材料未到', staffName: '张伟', staffRole: '网格长', byResident: false },
    ];
    const owner = publicTimeline(events, { owner: true });
    expect(owner.map((e) => e.type)).toEqual(['submit', 'progress', 'ask_resident', 'resident_reply']);
    expect(owner[1]!.staff).toEqual({ surname: '欧阳', role: '网格长' });
    expect(owner[3]!.note).toContain('3号楼');
    const follower = publicTimeline(events, { owner: false });
    expect(follower.map((e) => e.type)).toEqual(['submit', 'progress', 'ask_resident']);
    expect(follower.find((e) => e.type === 'ask_resident')!.note).toBeNull();
    expect(JSON.stringify(follower)).not.toContain('13900000000');
    expect(JSON.stringify(owner)).not.toContain('张伟');
  });

  it('surnames: the first character, or a compound surname', () => {
    expect(surnameOf('张伟')).toBe('张');
    expect(surnameOf('欧阳娜娜')).toBe('欧阳');
    expect(surnameOf(' 李 ')).toBe('李');
    expect(surnameOf('')).toBe('');
  });
});
