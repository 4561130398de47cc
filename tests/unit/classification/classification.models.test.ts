import { describe, expect, test } from 'vitest';
import { DEMO_CATEGORIES } from '../../../src/modules/categories/categories.seed';
import { classifyDemand, findUrgentTerms } from '../../../src/modules/classification/classification.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

const tokenize = createJiebaTokenizer();
const classify = (text: string) => classifyDemand({ text, categories: DEMO_CATEGORIES, tokenize });

describe('the demo categories', () => {
  test('have unique codes, the fixed codes, 12345-style limits and 20 to 50 keywords each', () => {
    const codes = DEMO_CATEGORIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([
      'streetlight', 'sanitation', 'noise', 'water_leak', 'utility_outage', 'road_occupation', 'neighbour_dispute',
      'property_mgmt', 'dogs', 'illegal_building', 'safety_hazard', 'road_facility', 'greening', 'consultation', 'other',
    ]);
    for (const c of DEMO_CATEGORIES) {
      expect(c.urgentLimitHours, c.code).toBeGreaterThanOrEqual(2);
      expect(c.urgentLimitHours, c.code).toBeLessThanOrEqual(24);
      const [min, max] = { consultation: [2, 3], help: [3, 10], complaint: [13, 15], emergency: [0, 1] }[c.kind];
      expect(c.limitWorkingDays, c.code).toBeGreaterThanOrEqual(min!);
      expect(c.limitWorkingDays, c.code).toBeLessThanOrEqual(max!);
      if (c.code !== 'other') expect(c.keywords.length, c.code).toBeGreaterThanOrEqual(20);
      expect(c.keywords.length, c.code).toBeLessThanOrEqual(50);
    }
  });
});

describe('classifyDemand', () => {
  test('a plain report gets its category, the keywords it matched and a real confidence', () => {
    const result = classify('@小格 3号楼下面的路灯不亮了');
    expect(result.categoryCode).toBe('streetlight');
    expect(result.matched).toContain('路灯');
    expect(result.urgent).toBe(false);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  test('a keyword jieba cuts apart still matches as a substring ("路/灯不亮")', () => {
    expect(tokenize('路灯不亮')).not.toContain('路灯不亮');
    expect(classify('东门路灯不亮').categoryCode).toBe('streetlight');
  });

  test('full-width input is classified like half-width input', () => {
    expect(classify('＃投诉　楼上ＫＴＶ唱到凌晨')).toEqual(classify('#投诉 楼上KTV唱到凌晨'));
    expect(classify('＃投诉　楼上ＫＴＶ唱到凌晨').categoryCode).toBe('noise');
  });

  test('a message that matches nothing falls back to "other" with zero confidence', () => {
    const result = classify('大家好，今天天气不错');
    expect(result).toMatchObject({ categoryCode: 'other', confidence: 0, matched: [], urgent: false });
  });

  test('a keyword that is part of a longer matched keyword is not counted twice', () => {
    expect(classify('垃圾桶满了').matched).toEqual(['垃圾桶']);
    expect(classify('物业收了物业费不干活').matched).toEqual(expect.arrayContaining(['物业', '物业费']));
  });

  test('ties go to the category listed first, whatever the order of keywords', () => {
    const categories = [
      { code: 'b', keywords: ['井盖'], defaultUrgency: 'normal' as const },
      { code: 'a', keywords: ['井盖'], defaultUrgency: 'normal' as const },
    ];
    expect(classifyDemand({ text: '井盖响', categories, tokenize }).categoryCode).toBe('b');
    expect(classifyDemand({ text: '井盖响', categories: [...categories].reverse(), tokenize }).categoryCode).toBe('a');
  });

  test('a category that is urgent by default makes the demand urgent without an urgent word', () => {
    const categories = [{ code: 'flood', keywords: ['积水'], defaultUrgency: 'urgent' as const }];
    const result = classifyDemand({ text: '地下通道积水很深', categories, tokenize });
    expect(result).toMatchObject({ categoryCode: 'flood', urgent: true, urgentTerms: [] });
  });

  test('a gas smell is a safety hazard and urgent', () => {
    const result = classify('楼道里一股煤气味');
    expect(result.categoryCode).toBe('safety_hazard');
    expect(result.urgent).toBe(true);
    expect(result.urgentTerms).toContain('煤气味');
  });
});

describe('urgent terms', () => {
  test.each([
    '3号楼着火了',
    '楼下电箱冒火花',
    '电梯里困了人，按铃没人理',
    '困在2号楼电梯里出不来',
    '有人晕倒了',
    '楼道里一股燃气味',
    '老人摔倒了头在流血',
    '是不是着火了？好大的烟味',
    '有没有人受伤还不知道',
    '电话打不通，着火了',
    '不是着火，是燃气泄漏',
    '井盖没了，一个大洞',
    '有人要跳楼',
    '燃气管道有嘶嘶声，臭鸡蛋味',
  ])('"%s" is urgent', (text) => {
    expect(classify(text).urgent).toBe(true);
  });

  test.each([
    ['燃气没了，打不着火，是不是停气了', 'utility_outage'],
    ['车撞了护栏，没有人受伤，护栏歪了', 'road_facility'],
    ['路灯不亮，不是漏电，就是灯泡坏了', 'streetlight'],
  ])('"%s" is not urgent: the urgent word is negated', (text, category) => {
    const result = classify(text);
    expect(result.urgent).toBe(false);
    expect(result.categoryCode).toBe(category);
  });

  test('a negation only cancels the term right after it, not a later emergency', () => {
    expect(findUrgentTerms({ text: '不是着火，是燃气泄漏' })).toEqual(['燃气泄漏', '泄漏']);
    expect(findUrgentTerms({ text: '没着火' })).toEqual([]);
  });

  test('urgent words spoken in full-width or with spaces still count', () => {
    expect(findUrgentTerms({ text: '煤气 味好重 急！' })).toEqual(expect.arrayContaining(['煤气味', '急!']));
  });
});
