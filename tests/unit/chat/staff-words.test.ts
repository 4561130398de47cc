import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXTENSION_DAYS,
  MAX_STAFF_WORDS,
  type StaffWords,
  orderNumbersIn,
  pickChoice,
  readStaffWords,
  sortTodo,
} from '../../../src/modules/chat/staff-words.models';

type Expected = Partial<StaffWords> & { kind: StaffWords['kind'] };

/** What grid leaders really write instead of a command, and what it means. */
const cases: [string, Expected][] = [
  // Acknowledgements right after an assignment: signing for it.
  ['收到', { kind: 'ack', no: null, plan: null }],
  ['收到了', { kind: 'ack', no: null, plan: null }],
  ['收到！', { kind: 'ack', no: null, plan: null }],
  ['收到收到', { kind: 'ack', no: null, plan: null }],
  ['受到', { kind: 'ack', no: null, plan: null }],
  ['收倒', { kind: 'ack', no: null, plan: null }],
  ['好的', { kind: 'ack', no: null, plan: null }],
  ['好的好的', { kind: 'ack', no: null, plan: null }],
  ['好得', { kind: 'ack', no: null, plan: null }],
  ['好嘞', { kind: 'ack', no: null, plan: null }],
  ['好', { kind: 'ack', no: null, plan: null }],
  ['明白', { kind: 'ack', no: null, plan: null }],
  ['明白了', { kind: 'ack', no: null, plan: null }],
  ['OK', { kind: 'ack', no: null, plan: null }],
  ['ok的', { kind: 'ack', no: null, plan: null }],
  ['嗯嗯', { kind: 'ack', no: null, plan: null }],
  ['知道了', { kind: 'ack', no: null, plan: null }],
  ['没问题', { kind: 'ack', no: null, plan: null }],
  ['收到，谢谢', { kind: 'ack', no: null, plan: null }],
  ['👌', { kind: 'ack', no: null, plan: null }],
  ['收到1038', { kind: 'ack', no: 1038, plan: null }],
  ['#1038 收到', { kind: 'ack', no: 1038, plan: null }],
  ['1038收到了', { kind: 'ack', no: 1038, plan: null }],
  // With a plan: it becomes a progress note.
  ['马上去', { kind: 'ack', no: null, plan: '马上去' }],
  ['明天去看看', { kind: 'ack', no: null, plan: '明天去看看' }],
  ['我明天去看看', { kind: 'ack', no: null, plan: '我明天去看看' }],
  ['1038收到了，我明天去看看', { kind: 'ack', no: 1038, plan: '我明天去看看' }],
  ['1038收到了,我明天去看看', { kind: 'ack', no: 1038, plan: '我明天去看看' }],
  ['收到，我明天去看看', { kind: 'ack', no: null, plan: '我明天去看看' }],
  ['好的，下午过去看一下', { kind: 'ack', no: null, plan: '下午过去看一下' }],
  ['收到 马上过去', { kind: 'ack', no: null, plan: '马上过去' }],
  ['好的，明天上午联系物业', { kind: 'ack', no: null, plan: '明天上午联系物业' }],
  ['收到，这就去', { kind: 'ack', no: null, plan: '这就去' }],
  ['去看看', { kind: 'ack', no: null, plan: '去看看' }],
  ['下午过去看看', { kind: 'ack', no: null, plan: '下午过去看看' }],
  ['明天去1038那看看', { kind: 'ack', no: 1038 }],
  // Extension, in their own words.
  ['这个单子能不能宽限几天，物业要找施工队', { kind: 'extend', no: null, days: DEFAULT_EXTENSION_DAYS, daysGiven: false, reason: '能不能宽限几天，物业要找施工队' }],
  ['1007能不能宽限几天', { kind: 'extend', no: 1007, days: DEFAULT_EXTENSION_DAYS, daysGiven: false }],
  ['宽限3天吧，要等配件', { kind: 'extend', no: null, days: 3, daysGiven: true }],
  ['款限两天', { kind: 'extend', no: null, days: 2, daysGiven: true }],
  ['1007再给两天时间，施工队周末才来', { kind: 'extend', no: 1007, days: 2, daysGiven: true }],
  ['能延长一周吗，材料还没到', { kind: 'extend', no: null, days: 5, daysGiven: true }],
  ['时间不够，物业要找施工队', { kind: 'extend', no: null, days: DEFAULT_EXTENSION_DAYS, daysGiven: false }],
  ['来不及了，要等厂家配件', { kind: 'extend', no: null, days: DEFAULT_EXTENSION_DAYS }],
  ['#1012 推迟5天', { kind: 'extend', no: 1012, days: 5, daysGiven: true }],
  ['能不能多给几天', { kind: 'extend', no: null, days: DEFAULT_EXTENSION_DAYS, daysGiven: false }],
  ['宽限99天', { kind: 'extend', no: null, days: 30, daysGiven: true }],
  // Merge: the later into the earlier.
  ['1007和1001是同一个事，合并一下', { kind: 'merge', nos: [1007, 1001] }],
  ['1007跟1001重复了，并单', { kind: 'merge', nos: [1007, 1001] }],
  ['把1007并到1001', { kind: 'merge', nos: [1007, 1001] }],
  ['#1007 #1001 是一回事', { kind: 'merge', nos: [1007, 1001] }],
  ['1007和1001和并一下', { kind: 'merge', nos: [1007, 1001] }],
  ['这两个是同一个问题，合并吧', { kind: 'merge', nos: [] }],
  ['1001 1007 同一件事', { kind: 'merge', nos: [1001, 1007] }],
  // Who reported it, and the phone.
  ['这个是哪个居民报的，电话多少', { kind: 'who', no: null }],
  ['1007谁报的', { kind: 'who', no: 1007 }],
  ['1007是谁反映的？', { kind: 'who', no: 1007 }],
  ['报事人电话多少', { kind: 'who', no: null }],
  ['居民电话发我一下', { kind: 'who', no: null }],
  ['#1007 联系方式', { kind: 'who', no: 1007 }],
  ['怎么联系居民', { kind: 'who', no: null }],
  ['这个电化多少', { kind: 'who', no: null }],
  ['1007 手机号是多少', { kind: 'who', no: 1007 }],
  // Done: their words are the note (offered, not applied at once).
  ['修好了', { kind: 'done', no: null, note: '修好了' }],
  ['已经处理好了', { kind: 'done', no: null, note: '已经处理好了' }],
  ['1038修好了，灯泡换了', { kind: 'done', no: 1038, note: '修好了，灯泡换了' }],
  ['搞定', { kind: 'done', no: null }],
  ['下水道已疏通', { kind: 'done', no: null, note: '下水道已疏通' }],
  ['垃圾清理干净了', { kind: 'done', no: null }],
  ['以经修好了', { kind: 'done', no: null }],
  ['问题解决了', { kind: 'done', no: null }],
  // Not done: progress, or nothing.
  ['还没修好，明天师傅来', { kind: 'progress', no: null }],
  ['已联系物业，明天上午来修', { kind: 'progress', no: null, note: '已联系物业，明天上午来修' }],
  ['1038 正在处理', { kind: 'progress', no: 1038, note: '正在处理' }],
  ['物业说下周换', { kind: 'progress', no: null }],
  ['师傅在修了', { kind: 'progress', no: null }],
  ['好的，已经打电话给物业了，他们说周三来', { kind: 'ack', no: null, plan: '已经打电话给物业了，他们说周三来' }],
  // More of what leaders wrote in the simulator.
  ['好的，谢谢', { kind: 'ack', no: null, plan: null }],
  ['收到，辛苦了', { kind: 'ack', no: null, plan: null }],
  ['嗯，知道了', { kind: 'ack', no: null, plan: null }],
  ['收到，马上安排人去处理', { kind: 'ack', no: null, plan: '马上安排人去处理' }],
  ['1038 我下午过去', { kind: 'ack', no: 1038, plan: '我下午过去' }],
  ['这个事情物业在处理', { kind: 'progress', no: null }],
  ['1007 1001 合并', { kind: 'merge', nos: [1007, 1001] }],
  ['帮我把1012延期两天，等材料', { kind: 'extend', no: 1012, days: 2, daysGiven: true }],
  ['报事人是谁', { kind: 'who', no: null }],
  ['谁反映的这个', { kind: 'who', no: null }],
  ['已经修好了，请居民确认', { kind: 'done', no: null }],
  ['没修好', { kind: 'none' }],
  // 派单 as officers type it on a phone.
  ['派 1012 供水', { kind: 'dispatch', no: 1012, department: '供水' }],
  ['1012派给供水公司', { kind: 'dispatch', no: 1012, department: '供水公司' }],
  ['#１０１２ 转给自来水公司处理', { kind: 'dispatch', no: 1012, department: '自来水公司' }],
  ['派给燃气公司吧', { kind: 'dispatch', no: null, department: '燃气公司' }],
  ['派1012给物业', { kind: 'dispatch', no: 1012, department: '物业' }],
  ['派人去看看', { kind: 'progress' }],
  ['已派师傅上门', { kind: 'progress' }],
  ['派出所来了吗', { kind: 'none' }],
  // A utility's handler says it is back on.
  ['好了 恢复供电了', { kind: 'done', no: null, note: '好了 恢复供电了' }],
  ['1001 已经来水了', { kind: 'done', no: 1001 }],
  ['还没来电', { kind: 'none' }],
  ['还没恢复供水，等配件', { kind: 'progress' }],
  // Questions their 待办 answers.
  ['哪些超期了', { kind: 'todo' }],
  ['有超期的单子吗？', { kind: 'todo' }],
  ['我们还有几个单子没办', { kind: 'todo' }],
  ['超期了几个', { kind: 'todo' }],
  // Not for this reader.
  ['今天天气怎么样', { kind: 'none' }],
  ['', { kind: 'none' }],
  ['1038', { kind: 'none' }],
  ['3号楼的灯', { kind: 'none' }],
  ['哈哈', { kind: 'none' }],
  ['好像还没修好', { kind: 'none' }],
  ['可以帮我查一下吗', { kind: 'none' }],
  ['收到我明天去看看', { kind: 'ack', no: null, plan: '我明天去看看' }],
  ['好 明天去', { kind: 'ack', no: null, plan: '明天去' }],
  ['不是同一个事，不要合并', { kind: 'none' }],
  ['收'.repeat(MAX_STAFF_WORDS + 1), { kind: 'none' }],
];

describe('readStaffWords', () => {
  it('has a large table of real phrasings', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)('%s', (text, expected) => {
    expect(readStaffWords(text)).toMatchObject(expected);
  });

  it('keeps the reason of an extension as written, with the full-width punctuation', () => {
    const read = readStaffWords('1007能不能宽限几天，物业要找施工队');
    expect(read).toMatchObject({ kind: 'extend', no: 1007, reason: '能不能宽限几天，物业要找施工队' });
  });
});

describe('orderNumbersIn', () => {
  it.each([
    ['1007和1001', [1007, 1001]],
    ['#7 和 #8', [7, 8]],
    ['3号楼2单元', []],
    ['1038号单', [1038]],
    ['2024年', []],
    ['１０３８收到', [1038]],
    ['1007和1007', [1007]],
  ] as [string, number[]][])('%s → %j', (text, nos) => {
    expect(orderNumbersIn(text.normalize('NFKC'))).toEqual(nos);
  });
});

describe('pickChoice', () => {
  const choices = [
    { action: 'accept' as const, no: 1007, plan: null },
    { action: 'accept' as const, no: 1001, plan: null },
  ];
  it.each([
    ['1', 1007],
    ['2', 1001],
    ['２', 1001],
    ['1.', 1007],
    ['3', null],
    ['0', null],
    ['1 好的', null],
    ['好的', null],
  ] as [string, number | null][])('%s → %s', (text, no) => {
    expect(pickChoice(text, choices)?.no ?? null).toBe(no);
  });
});

describe('sortTodo', () => {
  const now = new Date('2026-03-10T02:00:00Z');
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
  it('puts overdue first, then urgent, then by time left, with marks', () => {
    const sorted = sortTodo(
      [
        { no: 1001, urgent: false, deadlineAt: at(48) },
        { no: 1002, urgent: true, deadlineAt: at(3) },
        { no: 1003, urgent: false, deadlineAt: at(-5) },
        { no: 1004, urgent: false, deadlineAt: at(10) },
        { no: 1005, urgent: false, deadlineAt: null },
        { no: 1006, urgent: true, deadlineAt: at(-1) },
      ],
      now,
    );
    expect(sorted.map((o) => o.no)).toEqual([1003, 1006, 1002, 1004, 1001, 1005]);
    expect(sorted[0]!.mark).toMatchObject({ overdue: true, urgent: false });
    expect(sorted[1]!.mark).toMatchObject({ overdue: true, urgent: true });
    expect(sorted[2]!.mark).toMatchObject({ overdue: false, urgent: true, msLeft: 3 * 3_600_000 });
  });

  it('does not mark a paused order overdue (the clock stopped while the resident was asked)', () => {
    const [o] = sortTodo([{ no: 1, urgent: false, deadlineAt: at(-1), pausedAt: at(-2) }], now);
    expect(o!.mark.overdue).toBe(false);
  });
});
