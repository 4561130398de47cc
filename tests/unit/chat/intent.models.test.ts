import { describe, expect, it } from 'vitest';
import { findOrderNo, hasDemandContent, readIntent, readSurveyWords } from '../../../src/modules/chat/intent.models';
import { URGE_INTERVAL_MS, urgeDue } from '../../../src/modules/work-orders/work-orders.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

const tokenize = createJiebaTokenizer();
const lamp = { no: 1001, text: '3号楼门口的路灯坏了，晚上很黑' };
const gas = { no: 1006, text: '我家厨房有煤气味，很浓，6栋302' };

describe('readIntent', () => {
  it('takes the order number a resident names, but not a building, a year or a phone number', () => {
    expect(findOrderNo('1006 啥时候来修啊')).toBe(1006);
    expect(findOrderNo('#1024怎么样了')).toBe(1024);
    expect(findOrderNo('1006号单子')).toBe(1006);
    expect(findOrderNo('3号楼的路灯')).toBeNull();
    expect(findOrderNo('2024年装的电梯')).toBeNull();
    expect(findOrderNo('我电话13912345678')).toBeNull();
  });

  it('reads a place sent right after a report as where it is, unless it names another kind of problem', () => {
    const pipe = { no: 1001, text: '我家水管爆了' };
    expect(readIntent({ text: '5栋3O1 厨房 水到处都是😭', context: { openOrders: [pipe], recentDemand: pipe.text }, tokenize }).intent).toBe('added_detail');
    expect(readIntent({ text: '3号楼2单元 水管那里', context: { openOrders: [pipe] }, tokenize }).intent).toBe('added_detail');
    expect(readIntent({ text: '3号楼门口的路灯坏了，晚上很黑', context: { openOrders: [pipe] }, tokenize }).intent).toBe('new_demand');
    // Without anything reported, a place and a problem is a report.
    expect(readIntent({ text: '5栋301 厨房水管爆了', tokenize }).intent).toBe('new_demand');
  });

  it('reads "？？？有人吗" as chasing an open order, and as a greeting without one', () => {
    const pipe = { no: 1001, text: '我家水管爆了' };
    expect(readIntent({ text: '？？？有人吗', context: { openOrders: [pipe] }, tokenize })).toMatchObject({ intent: 'follow_up', target: 1001 });
    expect(readIntent({ text: '人呢', context: { openOrders: [pipe] }, tokenize }).intent).toBe('follow_up');
    expect(readIntent({ text: '？？？有人吗', tokenize }).intent).toBe('chatter');
  });

  it('reads the same words as a follow-up with an open order and as a report without one', () => {
    const text = '路灯怎么还没修好啊？3号楼的';
    expect(readIntent({ text, context: { openOrders: [lamp] }, tokenize })).toMatchObject({ intent: 'follow_up', target: 1001, aboutOrder: true });
    expect(readIntent({ text, tokenize }).intent).toBe('new_demand');
  });

  it('finds which of two open orders a follow-up is about by what it names', () => {
    const reading = readIntent({ text: '我刚才说的煤气那个事情有人来了吗', context: { openOrders: [lamp, gas] }, tokenize });
    expect(reading).toMatchObject({ intent: 'follow_up', target: 1006 });
    expect(readIntent({ text: '怎么还没人来', context: { openOrders: [lamp, gas] }, tokenize }).target).toBeNull();
  });

  it('reads a natural survey answer only while a survey is awaited, keeping an unhappy resident\'s words', () => {
    expect(readIntent({ text: '好的好的，谢谢你们，辛苦了👍', context: { awaitingSurvey: true }, tokenize })).toMatchObject({
      intent: 'survey_answer',
      survey: { answer: 'satisfied', comment: null },
    });
    expect(readIntent({ text: '好的好的，谢谢你们，辛苦了👍', tokenize }).intent).toBe('thanks_ack');
    expect(readSurveyWords('还是有味道，根本没人来看过')).toEqual({ answer: 'unsatisfied', solved: false, comment: '还是有味道，根本没人来看过' });
    expect(readSurveyWords('还行吧')?.answer).toBe('basically_satisfied');
  });

  it('tells a plain withdrawal from a bare "不用了", and a repeat of the resident\'s own demand', () => {
    expect(readIntent({ text: '刚才那个单子不要了，我点错了', tokenize })).toMatchObject({ intent: 'cancellation', explicit: true });
    expect(readIntent({ text: '不用了谢谢', tokenize })).toMatchObject({ intent: 'cancellation', explicit: false });
    const recent = { openOrders: [lamp], recentDemand: lamp.text };
    expect(readIntent({ text: '3号楼门口的路灯坏了，晚上很黑！', context: recent, tokenize })).toMatchObject({ intent: 'follow_up', repeat: true });
  });

  it('takes a numbered or "可以撤了" withdrawal as plain, and a further matter announced with 另外想反映 as a new demand', () => {
    expect(readIntent({ text: '1006取消 是邻居家的味道 不是我家', context: { openOrders: [gas] }, tokenize })).toMatchObject({ intent: 'cancellation', explicit: true, target: 1006 });
    expect(readIntent({ text: '这个单子可以撤了', context: { openOrders: [lamp] }, tokenize })).toMatchObject({ intent: 'cancellation', explicit: true });
    expect(readIntent({ text: '另外想反映一下 小区东门有人乱摆摊 路都堵了', context: { openOrders: [lamp] }, tokenize }).intent).toBe('new_demand');
    expect(readIntent({ text: '另外 灯杆也歪了', context: { openOrders: [lamp] }, tokenize }).intent).toBe('added_detail');
  });

  it('reads a laughing face alone as a laugh, a thumbs-up as thanks', () => {
    expect(readIntent({ text: '😄', tokenize }).intent).toBe('chatter');
    expect(readIntent({ text: '👍', tokenize }).intent).toBe('thanks_ack');
    expect(readIntent({ text: '😄', context: { awaitingSurvey: true }, tokenize })).toMatchObject({ intent: 'survey_answer', survey: { answer: 'satisfied' } });
  });

  it('says a held message has content only when it names a problem', () => {
    for (const text of ['👍', '不用了谢谢', '我想反映一个问题', '你好，有人吗？？']) expect(hasDemandContent(text, tokenize)).toBe(false);
    for (const text of ['灯坏了', '垃圾堆了好几天没人清理']) expect(hasDemandContent(text, tokenize)).toBe(true);
  });
});

describe('urgeDue', () => {
  it('lets one 催办 through per interval per order', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(urgeDue({ lastUrgeAt: null, now })).toBe(true);
    expect(urgeDue({ lastUrgeAt: new Date(now.getTime() - URGE_INTERVAL_MS + 1), now })).toBe(false);
    expect(urgeDue({ lastUrgeAt: new Date(now.getTime() - URGE_INTERVAL_MS), now })).toBe(true);
  });
});

describe('readIntent on hostile input', () => {
  it('answers quickly whatever is sent (no rule backtracks on repeated words)', () => {
    const hostile = ['算了'.repeat(200) + 'x', '嗯'.repeat(400) + 'x', '好'.repeat(400) + '?', '不用了'.repeat(130) + 'x', '怎么还没'.repeat(100), '👍'.repeat(1000), 'a'.repeat(2000)];
    for (const text of hostile) {
      const start = performance.now();
      readIntent({ text, context: { openOrders: [lamp, gas], awaitingSurvey: true, recentDemand: lamp.text }, tokenize });
      expect(performance.now() - start).toBeLessThan(500);
    }
  });
});
