import { describe, expect, test } from 'vitest';
import { DEMO_CATEGORIES } from '../../../src/modules/categories/categories.seed';
import { classifyDemand, findUrgentTerms } from '../../../src/modules/classification/classification.models';
import { shippedExamples } from '../../../src/modules/classification/classifier.repository';
import { adviceFor } from '../../../src/modules/classification/safety-advice.models';
import { placeOf, splitDemand } from '../../../src/modules/classification/split.models';
import { featuresOf, predict, train } from '../../../src/modules/classification/trained.models';
import { fixTypos } from '../../../src/modules/classification/typos.models';
import { assessDemand } from '../../../src/modules/classification/vagueness.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

const tokenize = createJiebaTokenizer();
const model = train({ examples: shippedExamples(), tokenize });
const classify = (text: string) => classifyDemand({ text, categories: DEMO_CATEGORIES, tokenize, model });

describe('fixTypos', () => {
  test.each([
    ['路等坏了', '路灯坏了'],
    ['垃级没人收', '垃圾没人收'],
    ['煤汽味好大', '煤气味好大'],
    ['电悌坏了', '电梯坏了'],
    ['家里天然气没了', '家里天然气没了'],
    ['3号楼路灯坏了', '3号楼路灯坏了'],
  ])('"%s" is read as "%s"', (typed, meant) => expect(fixTypos(typed)).toBe(meant));

  test('typos do not change the category', () => {
    expect(classify('报事 路等坏了，2栋门口').categoryCode).toBe('streetlight');
    expect(classify('楼下垃级堆成山 没人管').categoryCode).toBe('sanitation');
    expect(classify('煤汽味好大 三楼').urgent).toBe(true);
  });
});

describe('the trained model', () => {
  test('features are jieba tokens and character 1–3-grams, counted once, without the bot markers', () => {
    const features = featuresOf('@小格 报事 路灯坏了路灯坏了', tokenize);
    expect(features).toContain('w:路灯');
    expect(features).toContain('c:路灯坏');
    expect(features.filter((f) => f === 'c:路')).toHaveLength(1);
    expect(features.some((f) => f.includes('报事') || f.includes('小格'))).toBe(false);
  });

  test('ranks categories with probabilities summing to 1, limited to the allowed ones', () => {
    const ranked = predict({ model, text: '楼下的狗天天叫', tokenize });
    expect(ranked[0]!.code).toBe('dogs');
    expect(ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 6);
    const limited = predict({ model, text: '楼下的狗天天叫', tokenize, allowed: new Set(['noise', 'sanitation']) });
    expect(limited.map((r) => r.code).sort()).toEqual(['noise', 'sanitation']);
  });

  test('a later example of the same text replaces the earlier label (a correction wins)', () => {
    const examples = [
      { text: '售货机吞钱', category: 'other' },
      { text: '楼道灯不亮', category: 'streetlight' },
      { text: '售货机吞钱', category: 'property_mgmt' },
    ];
    const small = train({ examples, tokenize });
    expect(small.examples).toBe(2);
    expect(predict({ model: small, text: '售货机吞钱', tokenize })[0]!.code).toBe('property_mgmt');
  });

  test('with the keywords as its floor, a category the model never learnt is still reached', () => {
    const partial = train({ examples: shippedExamples().filter((e) => e.category !== 'dogs'), tokenize });
    expect(classifyDemand({ text: '遛狗不拴绳，狗屎到处都是', categories: DEMO_CATEGORIES, tokenize, model: partial }).categoryCode).toBe('dogs');
  });
});

describe('life-safety urgency', () => {
  test.each([
    '村口那个桥栏杆断了 小孩子上学走那里很危险',
    '后山那条路塌了一块，车子过不去',
    '电梯又坏了…老人上不去啊',
    '地下车库进水了 里面还有人',
    '家里有股煤气的味道',
    '我家老头摔倒了起不来',
    '有人拿刀在小区门口吵',
  ])('"%s" is urgent', (text) => expect(findUrgentTerms({ text })).not.toEqual([]));

  test.each(['5单元的感应灯坏了，老人晚上下楼差点摔倒', '电梯坏了两天了 2单元 物业说等配件', '小区门口垃圾没人收'])('"%s" is not', (text) =>
    expect(findUrgentTerms({ text })).toEqual([]),
  );
});

describe('adviceFor', () => {
  test('names the danger found, most specific first, at most two', () => {
    expect(adviceFor({ urgentTerms: findUrgentTerms({ text: '煤气泄漏了 有人晕倒了' }), categoryCode: 'safety_hazard' })).toEqual(['gas', 'injured']);
    expect(adviceFor({ urgentTerms: findUrgentTerms({ text: '电梯困人了 5号楼' }), categoryCode: 'safety_hazard' })).toEqual(['lift']);
    expect(adviceFor({ urgentTerms: findUrgentTerms({ text: '村口那个桥栏杆断了 小孩子上学走那里很危险' }), categoryCode: 'road_facility' })).toContain('children');
  });

  test('an urgent order with no danger named gets the category\'s or the general advice', () => {
    expect(adviceFor({ urgentTerms: [], categoryCode: 'water_leak' })).toEqual(['flood']);
    expect(adviceFor({ urgentTerms: [], categoryCode: 'consultation' })).toEqual(['general']);
  });
});

describe('splitDemand', () => {
  const split = (text: string) => splitDemand({ text, categories: DEMO_CATEGORIES, tokenize, model });

  test('one part per problem, the place lent to the parts that do not say where', () => {
    expect(split('小区门口垃圾没人收，还有路灯也不亮，晚上狗叫得睡不着')).toEqual([
      expect.objectContaining({ text: '小区门口垃圾没人收', categoryCode: 'sanitation' }),
      expect.objectContaining({ text: '小区门口 路灯也不亮', categoryCode: 'streetlight' }),
      expect.objectContaining({ text: '小区门口 晚上狗叫得睡不着', categoryCode: 'dogs' }),
    ]);
  });

  test.each([
    '3号楼的路灯坏了，晚上黑漆漆的，老人出门看不见',
    '楼上漏水，天花板都发霉了，302',
    '整栋楼停电，电梯里困了人，按铃没人应',
    '路灯坏了',
  ])('"%s" is one problem', (text) => expect(split(text)).toBeNull());

  test('few of the training demands are split', () => {
    const splitCount = shippedExamples().filter((e) => split(e.text) !== null).length;
    expect(splitCount).toBeLessThanOrEqual(5);
  });

  test('placeOf', () => {
    expect(placeOf('小区门口垃圾没人收')).toBe('小区门口');
    expect(placeOf('3号楼下面')).toBe('3号楼');
    expect(placeOf('路灯坏了')).toBeUndefined();
  });
});

describe('assessDemand with the classifier', () => {
  test('a short message naming the problem lacks the place, not the problem', () => {
    const assess = (text: string) => assessDemand({ text, tokenize, namesProblem: classify(text).matched.length > 0 });
    expect(assess('路灯坏了')).toEqual({ vague: true, reason: 'no_place' });
    expect(assess('@小格 报事 路灯坏了')).toEqual({ vague: true, reason: 'no_place' });
    expect(assess('有人吗啊啊啊')).toEqual({ vague: true, reason: 'too_short' });
    expect(assess('求助！！！😭😭')).toEqual({ vague: true, reason: 'too_short' });
    expect(assess('楼下灯坏')).toEqual({ vague: false });
  });
});
