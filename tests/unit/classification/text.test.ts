import { describe, expect, test } from 'vitest';
import { compactText, normalizeText } from '../../../src/shared/text/normalize';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

describe('normalizeText', () => {
  test('full-width digits, letters and signs typed on a phone become half-width', () => {
    expect(normalizeText('＃报事 ３号楼２单元ＫＴＶ太吵')).toBe('#报事 3号楼2单元KTV太吵');
  });

  test('full-width and ideographic spaces collapse with other whitespace and the ends are trimmed', () => {
    expect(normalizeText('　@小格\u2005 路灯\n\n坏了　 ')).toBe('@小格 路灯 坏了');
  });

  test('Chinese characters and emoji are left alone', () => {
    expect(normalizeText('太黑了😓')).toBe('太黑了😓');
  });
});

describe('compactText', () => {
  test('drops punctuation, emoji and spaces and lower-cases latin letters', () => {
    expect(compactText('楼下ＫＴＶ， 吵死了！！😡 ')).toBe('楼下ktv吵死了');
  });
});

describe('the jieba tokenizer', () => {
  const tokenize = createJiebaTokenizer();

  test('keeps meaningful words and drops particles, pronouns and punctuation', () => {
    const tokens = tokenize('我家楼下的路灯不亮了啊！！');
    expect(tokens).toContain('路灯');
    expect(tokens).not.toContain('了');
    expect(tokens).not.toContain('的');
    expect(tokens).not.toContain('啊');
    expect(tokens).not.toContain('!');
  });

  test('knows grid-governance words the general dictionary splits', () => {
    expect(tokenize('小区门口有人占道经营')).toContain('占道经营');
    expect(tokenize('楼道里有燃气泄漏的味道')).toContain('燃气泄漏');
    expect(tokenize('楼上高空抛物')).toContain('高空抛物');
  });

  test('normalizes first, so full-width input gives the same tokens as half-width input', () => {
    expect(tokenize('３号楼ＫＴＶ太吵')).toEqual(tokenize('3号楼ktv太吵'));
    expect(tokenize('３号楼ＫＴＶ太吵')).toContain('ktv');
  });

  test('an empty or blank message has no tokens', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('　 ！！')).toEqual([]);
  });
});
