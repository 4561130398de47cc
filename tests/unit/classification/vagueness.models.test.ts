import { describe, expect, test } from 'vitest';
import { mentionsPlace, stripDemandMarkers, unitNumbers } from '../../../src/modules/classification/demand-text.models';
import { assessDemand } from '../../../src/modules/classification/vagueness.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

const tokenize = createJiebaTokenizer();
const assess = (text: string, categoryKind?: 'consultation' | 'help' | 'complaint' | 'emergency') =>
  assessDemand({ text, tokenize, categoryKind });

describe('stripDemandMarkers', () => {
  test('drops the mention, "#" and trigger words but keeps the demand', () => {
    expect(stripDemandMarkers('@小格\u2005＃报事 3号楼路灯坏了')).toBe('3号楼路灯坏了');
    expect(stripDemandMarkers('反映一下 南门停车场太黑')).toBe('南门停车场太黑');
    expect(stripDemandMarkers('投诉物业 保安睡觉')).toBe('物业 保安睡觉');
  });
});

describe('assessDemand', () => {
  test.each(['路灯坏了', '@小格 报事 路灯坏了', '#投诉', '@小格 ', '有人吗啊啊啊', '求助！！！😭😭', '123456'])(
    '"%s" is too short',
    (text) => {
      expect(assess(text)).toEqual({ vague: true, reason: 'too_short' });
    },
  );

  test.each(['路灯坏了好几天了没人修', '垃圾好几天没人清理了臭死了', '又停电了这个月第三次了', '狗不牵绳太吓人了'])(
    '"%s" says what but not where',
    (text) => {
      expect(assess(text)).toEqual({ vague: true, reason: 'no_place' });
    },
  );

  test.each([
    '楼下路灯坏了',
    '@小格 3号楼下面的路灯不亮了',
    '＃报事 ８栋２单元楼道灯坏了',
    '小区东门那边垃圾堆成山了',
    '菜市场旁边的公厕太脏了',
    '建设路和幸福路路口红绿灯坏了',
    '502家门口一直漏水',
    '电梯困人了快来',
    '地下车库照明灯坏了一大片',
  ])('"%s" is clear enough', (text) => {
    expect(assess(text)).toEqual({ vague: false });
  });

  test('a consultation needs no place, but it still needs enough words', () => {
    expect(assess('请问社保卡丢了在哪里补办', 'consultation')).toEqual({ vague: false });
    expect(assess('请问社保卡丢了在哪里补办')).toEqual({ vague: true, reason: 'no_place' });
    expect(assess('社保', 'consultation')).toEqual({ vague: true, reason: 'too_short' });
  });
});

describe('mentionsPlace', () => {
  test('a lamp is not a road and walking is not a place', () => {
    expect(mentionsPlace('路灯不亮了好几天')).toBe(false);
    expect(mentionsPlace('晚上走路看不见')).toBe(false);
    expect(mentionsPlace('快递弄丢了找不到')).toBe(false);
    expect(mentionsPlace('人民路上井盖没了')).toBe(true);
  });
});

describe('unitNumbers', () => {
  test('reads buildings, units and rooms, full-width or not', () => {
    expect([...unitNumbers('３号楼2单元502')].sort()).toEqual(['b3', 'r502', 'u2']);
    expect([...unitNumbers('8栋后面')]).toEqual(['b8']);
    expect([...unitNumbers('停电两天了，交了120块')]).toEqual([]);
  });
});
