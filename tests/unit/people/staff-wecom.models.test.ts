import { describe, expect, it } from 'vitest';
import { preferredChannelOf, readWecomUserId } from '../../../src/modules/people/staff-wecom.models';

describe('a WeCom userid typed on the staff page', () => {
  it.each([
    ['zhangwei', 'zhangwei'],
    ['  Zhang.Wei@corp-1_a  ', 'Zhang.Wei@corp-1_a'],
    ['ｚｈａｎｇ＿ｗｅｉ１２３', 'zhang_wei123'],
    ['ＺＨＡＮＧ．ｗｅｉ＠ｘｑ－１', 'ZHANG.wei@xq-1'],
    ['a', 'a'],
    ['9'.repeat(64), '9'.repeat(64)],
  ])('%j is read as %j', (raw, userId) => {
    expect(readWecomUserId(raw)).toEqual({ ok: true, userId });
  });

  it.each(['', '   ', '　'])('%j means no userid (unbind)', (raw) => {
    expect(readWecomUserId(raw)).toEqual({ ok: true, userId: null });
  });

  it.each(['张伟', 'zhang wei', 'zhang/wei', 'zhang+wei', 'zhang#1', 'a'.repeat(65), 'a'.repeat(5000), 'zhang\nwei', '<b>x</b>'])('%j is refused', (raw) => {
    expect(readWecomUserId(raw)).toEqual({ ok: false });
  });
});

describe('which channel a member’s notices go to first', () => {
  it('no userid: WeChat, whatever was asked', () => {
    for (const wanted of ['wecom', 'wechat'] as const) {
      for (const wechatBound of [true, false]) expect(preferredChannelOf({ wecomUserId: null, wechatBound, wanted })).toBe('wechat');
    }
  });
  it('a userid and no WeChat binding: WeCom, whatever was asked', () => {
    for (const wanted of ['wecom', 'wechat'] as const) expect(preferredChannelOf({ wecomUserId: 'zw', wechatBound: false, wanted })).toBe('wecom');
  });
  it('both bound: what the admin chose', () => {
    expect(preferredChannelOf({ wecomUserId: 'zw', wechatBound: true, wanted: 'wecom' })).toBe('wecom');
    expect(preferredChannelOf({ wecomUserId: 'zw', wechatBound: true, wanted: 'wechat' })).toBe('wechat');
  });
});
