import { describe, expect, test } from 'vitest';
import {
  DUPLICATE_THRESHOLD,
  demandSimilarity,
  findDuplicateCandidates,
} from '../../../src/modules/classification/similarity.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

const tokenize = createJiebaTokenizer();
const similarity = (a: string, b: string) => demandSimilarity({ a, b, tokenize });

const SAME_PROBLEM: [string, string][] = [
  ['楼下路灯坏了', '3号楼下面的路灯不亮了'],
  ['5号楼门口垃圾堆了好几天没人清', '@小格 5号楼门口的垃圾好几天没人清理了，臭死了'],
  ['楼上装修太吵了', '投诉 楼上装修噪音太大'],
  ['2单元电梯坏了', '2单元的电梯又坏了，老人上不去'],
  ['东门那边路灯不亮', '东门的路灯坏了好几天了'],
  ['小区门口卖菜的摊子占道', '小区门口有人摆摊卖菜，把路都占了'],
  ['３号楼停水了', '3号楼怎么又停水了？'],
  ['楼道里一股煤气味', '楼道煤气味很大，是不是漏气了'],
  ['广场舞声音太大了', '每天晚上广场舞音响太吵'],
  ['8栋后面井盖没了', '8栋后面那个井盖不见了，很危险'],
];

const DIFFERENT_PROBLEMS: [string, string][] = [
  ['楼下路灯坏了', '垃圾没人清理'],
  ['楼下路灯坏了', '楼下垃圾没人清'],
  ['3号楼电梯坏了', '3号楼路灯坏了'],
  ['3号楼路灯坏了', '8号楼路灯坏了'],
  ['楼上装修太吵了', '楼上漏水了'],
  ['小区门口垃圾没人清', '小区门口有人摆摊'],
  ['停水了', '停电了'],
  ['楼道里堆满杂物', '楼道灯不亮'],
  ['狗屎没人管', '垃圾没人管'],
  ['7号楼垃圾桶满了', '7号楼门口有人乱扔装修垃圾'],
  ['楼上装修太吵', '楼下烧烤店太吵了'],
  ['楼下路灯坏了', '楼下路灯白天一直亮着'],
  ['电梯坏了', '电梯里有人抽烟'],
  ['我家停电了', '我家水管漏水了'],
];

describe('demandSimilarity', () => {
  test('is 1 for the same text, symmetric, and within [0, 1]', () => {
    expect(similarity('3号楼下面的路灯不亮了', '3号楼下面的路灯不亮了')).toBe(1);
    for (const [a, b] of [...SAME_PROBLEM, ...DIFFERENT_PROBLEMS]) {
      const s = similarity(a, b);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(similarity(b, a)).toBeCloseTo(s, 10);
    }
  });

  test.each(SAME_PROBLEM)('"%s" and "%s" reach the duplicate threshold', (a, b) => {
    expect(similarity(a, b)).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
  });

  test.each(DIFFERENT_PROBLEMS)('"%s" and "%s" stay below the duplicate threshold', (a, b) => {
    expect(similarity(a, b)).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  test('a place shared by two different problems is not similarity', () => {
    expect(similarity('楼下路灯坏了', '楼下垃圾没人清')).toBe(0);
  });

  test('full-width digits, punctuation, the mention and trigger words make no difference', () => {
    expect(similarity('＃报事 ３号楼路灯坏了！！', '@小格 3号楼路灯坏了')).toBe(1);
  });

  test('a message with nothing but places and fillers is like nothing', () => {
    expect(similarity('楼下', '楼下路灯坏了')).toBe(0);
    expect(similarity('', '楼下路灯坏了')).toBe(0);
  });
});

describe('findDuplicateCandidates', () => {
  const now = new Date('2025-06-10T10:00:00+08:00');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const candidates = [
    { id: 1, no: 1001, text: '3号楼下面的路灯不亮了', createdAt: daysAgo(2) },
    { id: 2, no: 1002, text: '垃圾没人清理', createdAt: daysAgo(1) },
    { id: 3, no: 1003, text: '楼下路灯坏了', createdAt: daysAgo(8) },
    { id: 4, no: 1004, text: '3号楼路灯一闪一闪的，晚上还不亮', createdAt: daysAgo(3) },
    { id: 5, no: 1005, text: '楼下路灯坏了好几天了', createdAt: daysAgo(6.9) },
  ];

  test('finds the same problem reported in the last 7 days, most alike first, and skips other problems', () => {
    const found = findDuplicateCandidates({ text: '楼下路灯坏了', candidates, now, tokenize });
    expect(found.map((f) => f.id)).toEqual([1, 5, 4]);
    expect(found[0]).toEqual({ id: 1, no: 1001, score: 1 });
    const scores = found.map((f) => f.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  test('equal scores put the more recent order first', () => {
    const found = findDuplicateCandidates({ text: '楼下路灯坏了', candidates, now, tokenize });
    expect(found[0]!.score).toBe(found[1]!.score);
    expect(found.slice(0, 2).map((f) => f.id)).toEqual([1, 5]);
  });

  test('orders older than the window are not compared', () => {
    const ids = (windowDays: number) =>
      findDuplicateCandidates({ text: '楼下路灯坏了', candidates, now, tokenize, windowDays }).map((f) => f.id);
    expect(ids(7)).not.toContain(3);
    expect(ids(10)).toContain(3);
    expect(ids(2.5)).toEqual([1]);
  });

  test('a higher threshold keeps only the closest reports, a threshold of 0 keeps everything in the window', () => {
    const strict = findDuplicateCandidates({ text: '楼下路灯坏了', candidates, now, tokenize, threshold: 0.99 });
    expect(strict.map((f) => f.id)).toEqual([1, 5]);
    const all = findDuplicateCandidates({ text: '楼下路灯坏了', candidates, now, tokenize, threshold: 0 });
    expect(all.map((f) => f.id).sort()).toEqual([1, 2, 4, 5]);
  });

  test('no candidates, no duplicates', () => {
    expect(findDuplicateCandidates({ text: '楼下路灯坏了', candidates: [], now, tokenize })).toEqual([]);
  });
});
