import { describe, expect, it } from 'vitest';
import {
  chooseOrder,
  gridForDirectDemand,
  isAddressedToBot,
  matchGridAnswer,
  safeFileName,
  startsWithTrigger,
  stripBotMention,
  withinWindow,
} from '../../../src/modules/chat/intake.models';

describe('what in a group is for the bot', () => {
  it.each(['报事 路灯坏了', '投诉：垃圾没人收', '求助，老人摔倒了', '反映一下 噪音', '咨询 社保卡怎么办', '#路灯坏了', '【报事】路灯坏了', '＃路灯', ' 报修 水管'])(
    '%j starts with a trigger',
    (text) => expect(startsWithTrigger(text)).toBe(true),
  );

  it.each(['今天天气不错', '谁家的快递', '我想投诉一下… 算了', '路灯坏了#'])('%j does not', (text) => {
    expect(startsWithTrigger(text)).toBe(false);
  });

  it('is a mention, a trigger, or an answer the bot is waiting for', () => {
    expect(isAddressedToBot({ mentionsBot: true, text: '路灯坏了', expecting: false })).toBe(true);
    expect(isAddressedToBot({ mentionsBot: false, text: '报事 路灯坏了', expecting: false })).toBe(true);
    expect(isAddressedToBot({ mentionsBot: false, text: '1', expecting: true })).toBe(true);
    expect(isAddressedToBot({ mentionsBot: false, text: '1', expecting: false })).toBe(false);
  });
});

describe('removing the bot\'s mention', () => {
  it('removes it wherever it is, with the four-per-em space WeChat puts after it', () => {
    expect(stripBotMention('@小格\u2005路灯坏了', ['小格'])).toBe('路灯坏了');
    expect(stripBotMention('路灯坏了 @小格', ['小格'])).toBe('路灯坏了');
    expect(stripBotMention('@小格 查询 1024', ['小格'])).toBe('查询 1024');
  });

  it('keeps other mentions and the resident\'s own punctuation', () => {
    expect(stripBotMention('@小格\u2005@老王 你看，路灯又坏了', ['小格'])).toBe('@老王 你看，路灯又坏了');
  });

  it('does not cut a longer name that starts with the bot\'s', () => {
    expect(stripBotMention('@小格格 你好', ['小格'])).toBe('@小格格 你好');
  });

  it('copes with names that are regular-expression syntax and with empty names', () => {
    expect(stripBotMention('@a.b* hi', ['a.b*', ''])).toBe('hi');
  });
});

describe('held items', () => {
  const at = new Date('2026-11-23T02:00:00Z');
  it('count within the window, inclusive, and not before they happened', () => {
    expect(withinWindow({ at, now: new Date(at.getTime() + 600_000), windowMs: 600_000 })).toBe(true);
    expect(withinWindow({ at, now: new Date(at.getTime() + 600_001), windowMs: 600_000 })).toBe(false);
    expect(withinWindow({ at, now: new Date(at.getTime() - 1), windowMs: 600_000 })).toBe(false);
  });
});

describe('which order a command means', () => {
  const orders = [{ no: 1001 }, { no: 1002 }];
  it('is the number given, among the candidates or not', () => {
    expect(chooseOrder({ given: 1002, candidates: orders })).toEqual({ kind: 'found', order: { no: 1002 } });
    expect(chooseOrder({ given: 999, candidates: orders })).toEqual({ kind: 'given', no: 999 });
  });
  it('without a number, is the only candidate; none or several need the person to say', () => {
    expect(chooseOrder({ given: null, candidates: [{ no: 1001 }] })).toEqual({ kind: 'found', order: { no: 1001 } });
    expect(chooseOrder({ given: null, candidates: [] })).toEqual({ kind: 'none' });
    expect(chooseOrder({ given: null, candidates: orders })).toEqual({ kind: 'ambiguous', orders });
  });
});

describe('the grid of a 1:1 demand', () => {
  const a = { id: 1, name: '柳岸社区第一网格', code: 'D01-T01-C01-G01' };
  const b = { id: 2, name: '柳岸社区第二网格', code: 'D01-T01-C01-G02' };
  it('is the grid of the groups the resident shares with the bot, when there is one', () => {
    expect(gridForDirectDemand({ sharedGrids: [a, a], knownGridId: 2 })).toEqual({ kind: 'grid', gridId: 1 });
  });
  it('is the grid on record when they share no group', () => {
    expect(gridForDirectDemand({ sharedGrids: [], knownGridId: 2 })).toEqual({ kind: 'grid', gridId: 2 });
  });
  it('is asked for when unknown or when several grids are possible', () => {
    expect(gridForDirectDemand({ sharedGrids: [], knownGridId: null })).toEqual({ kind: 'ask', options: [] });
    expect(gridForDirectDemand({ sharedGrids: [a, b], knownGridId: 1 })).toEqual({ kind: 'ask', options: [a, b] });
  });
  it('is read from the answer as a listed number, a name, a code or a unique part of a name', () => {
    expect(matchGridAnswer({ text: '2', options: [a, b] })).toBe(b);
    expect(matchGridAnswer({ text: '３', options: [a, b] })).toBeNull();
    expect(matchGridAnswer({ text: '我住柳岸社区第一网格', options: [a, b] })).toBe(a);
    expect(matchGridAnswer({ text: 'd01-t01-c01-g02', options: [a, b] })).toBe(b);
    expect(matchGridAnswer({ text: '第二网格', options: [a, b] })).toBe(b);
    expect(matchGridAnswer({ text: '柳岸社区', options: [a, b] })).toBeNull();
  });
});

describe('stored file names', () => {
  it('lose path separators and control characters and keep their end', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeFileName('照片 1.jpg', 'x')).toBe('照片 1.jpg');
    expect(safeFileName('a\u0000b', 'x')).toBe('a_b');
    expect(safeFileName('', 'fallback')).toBe('fallback');
    expect(safeFileName(null, 'fallback')).toBe('fallback');
    expect(safeFileName(`${'x'.repeat(100)}.png`, 'f')).toHaveLength(80);
  });
});
