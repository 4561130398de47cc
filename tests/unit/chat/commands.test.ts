import { describe, expect, it } from 'vitest';
import { type ChatCommand, STAFF_COMMANDS, parseCommand, parseSurvey, takeOrderNo } from '../../../src/modules/chat/commands.models';

const cases: [string, ChatCommand][] = [
  // Residents
  ['帮助', { kind: 'help' }],
  ['菜单', { kind: 'help' }],
  ['？', { kind: 'help' }],
  ['？？？', { kind: 'help' }],
  ['？？？有人吗', { kind: 'text', text: '？？？有人吗' }],
  ['查询 1024', { kind: 'query', no: 1024 }],
  ['查询1024', { kind: 'query', no: 1024 }],
  ['查询 #1024', { kind: 'query', no: 1024 }],
  ['查询：＃１０２４', { kind: 'query', no: 1024 }],
  ['  查询   1024  ', { kind: 'query', no: 1024 }],
  ['查询　１０２４', { kind: 'query', no: 1024 }],
  ['查 1024', { kind: 'query', no: 1024 }],
  ['进度 1024', { kind: 'query', no: 1024 }],
  ['查询', { kind: 'query', no: null }],
  ['#1024', { kind: 'query', no: 1024 }],
  ['＃1024', { kind: 'query', no: 1024 }],
  ['我的工单', { kind: 'my_orders' }],
  ['我的报事', { kind: 'my_orders' }],
  ['撤回 1024', { kind: 'cancel', no: 1024, reason: null }],
  ['撤回1024 已经自己修好了', { kind: 'cancel', no: 1024, reason: '已经自己修好了' }],
  ['撤销：1024，不需要了', { kind: 'cancel', no: 1024, reason: '不需要了' }],
  ['撤回', { kind: 'cancel', no: null, reason: null }],
  ['积分', { kind: 'points' }],
  ['我的积分', { kind: 'points' }],
  // Survey answers
  ['1', { kind: 'survey', answer: 'satisfied', solved: true, no: null, comment: null }],
  ['２', { kind: 'survey', answer: 'basically_satisfied', solved: true, no: null, comment: null }],
  ['3', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: null }],
  ['3 灯还是不亮', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮' }],
  ['3，灯还是不亮', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮' }],
  ['3、灯还是不亮。', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮' }],
  ['1.', { kind: 'survey', answer: 'satisfied', solved: true, no: null, comment: null }],
  ['满意', { kind: 'survey', answer: 'satisfied', solved: null, no: null, comment: null }],
  ['非常满意！', { kind: 'survey', answer: 'satisfied', solved: null, no: null, comment: null }],
  ['基本满意', { kind: 'survey', answer: 'basically_satisfied', solved: null, no: null, comment: null }],
  ['比较满意 还可以更快', { kind: 'survey', answer: 'basically_satisfied', solved: null, no: null, comment: '还可以更快' }],
  ['不满意', { kind: 'survey', answer: 'unsatisfied', solved: null, no: null, comment: null }],
  ['不满意，灯还是不亮', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮' }],
  ['不满意 3天了还没修', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '3天了还没修' }],
  ['不满意 #1024 灯还是不亮', { kind: 'survey', answer: 'unsatisfied', solved: false, no: 1024, comment: '灯还是不亮' }],
  ['不满意 1024', { kind: 'survey', answer: 'unsatisfied', solved: null, no: 1024, comment: null }],
  ['1024 满意', { kind: 'survey', answer: 'satisfied', solved: null, no: 1024, comment: null }],
  ['#1024 3 灯还是不亮', { kind: 'survey', answer: 'unsatisfied', solved: false, no: 1024, comment: '灯还是不亮' }],
  ['评价 1024 满意', { kind: 'survey', answer: 'satisfied', solved: null, no: 1024, comment: null }],
  ['评价 2', { kind: 'survey', answer: 'basically_satisfied', solved: true, no: null, comment: null }],
  // Duplicates offer
  ['+1', { kind: 'support', no: null }],
  ['＋1', { kind: 'support', no: null }],
  ['+1 1024', { kind: 'support', no: 1024 }],
  ['+1 #1024', { kind: 'support', no: 1024 }],
  ['加一', { kind: 'support', no: null }],
  ['新建', { kind: 'new_order' }],
  ['新建工单', { kind: 'new_order' }],
  ['不是同一个', { kind: 'new_order' }],
  // Staff
  ['接单', { kind: 'accept', no: null }],
  ['接单 1024', { kind: 'accept', no: 1024 }],
  ['接单1024', { kind: 'accept', no: 1024 }],
  ['接单#1024', { kind: 'accept', no: 1024 }],
  ['签收 １０２４', { kind: 'accept', no: 1024 }],
  ['进展 1024 已联系物业', { kind: 'progress', no: 1024, note: '已联系物业' }],
  ['进展：1024：已联系物业', { kind: 'progress', no: 1024, note: '已联系物业' }],
  ['进展 #1024，已联系物业，明天来修', { kind: 'progress', no: 1024, note: '已联系物业，明天来修' }],
  ['进展：１０２４：已联系物业（ABC物业）！', { kind: 'progress', no: 1024, note: '已联系物业（ABC物业）' }],
  ['不满意，灯还是不亮，３号楼也是', { kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮，３号楼也是' }],
  ['进展：已联系物业', { kind: 'progress', no: null, note: '已联系物业' }],
  ['进展 3号楼已修好一半', { kind: 'progress', no: null, note: '3号楼已修好一半' }],
  ['进展1024已联系物业', { kind: 'progress', no: 1024, note: '已联系物业' }],
  ['办结 1024 已更换灯泡', { kind: 'resolve', no: 1024, note: '已更换灯泡' }],
  ['办结1024已更换灯泡', { kind: 'resolve', no: 1024, note: '已更换灯泡' }],
  ['办结 已更换灯泡', { kind: 'resolve', no: null, note: '已更换灯泡' }],
  ['办结 1502室漏水已修好', { kind: 'resolve', no: null, note: '1502室漏水已修好' }],
  ['上报 1024 需街道协调', { kind: 'escalate', no: 1024, reason: '需街道协调' }],
  ['上报：需街道协调', { kind: 'escalate', no: null, reason: '需街道协调' }],
  ['退回 1024 不属本网格', { kind: 'return', no: 1024, reason: '不属本网格' }],
  ['退单1024 不属本网格', { kind: 'return', no: 1024, reason: '不属本网格' }],
  ['延期 1024 3 等待配件', { kind: 'extend', no: 1024, days: 3, reason: '等待配件' }],
  ['延期 #1024 3天 等待配件', { kind: 'extend', no: 1024, days: 3, reason: '等待配件' }],
  ['延期1024，3个工作日，等待配件', { kind: 'extend', no: 1024, days: 3, reason: '等待配件' }],
  ['申请延期 1024 5 需要招标', { kind: 'extend', no: 1024, days: 5, reason: '需要招标' }],
  ['延期 3天 等待配件', { kind: 'extend', no: null, days: 3, reason: '等待配件' }],
  ['延期 3 等待配件', { kind: 'extend', no: null, days: 3, reason: '等待配件' }],
  ['延期 #12 5 等待配件', { kind: 'extend', no: 12, days: 5, reason: '等待配件' }],
  ['待办', { kind: 'todo' }],
  ['我的待办', { kind: 'todo' }],
  ['同意延期 1024', { kind: 'approve_extension', no: 1024, note: null }],
  ['批准延期1024', { kind: 'approve_extension', no: 1024, note: null }],
  ['同意延期', { kind: 'approve_extension', no: null, note: null }],
  ['驳回延期 1024 理由不充分', { kind: 'deny_extension', no: 1024, reason: '理由不充分' }],
  ['不同意延期 1024', { kind: 'deny_extension', no: 1024, reason: null }],
  ['绑定 483920', { kind: 'bind', code: '483920' }],
  ['绑定：４８３９２０', { kind: 'bind', code: '483920' }],
  ['绑定 483 920', { kind: 'bind', code: '483920' }],
  ['绑定网格 d01-t01-c01-g01', { kind: 'bind_group', code: 'D01-T01-C01-G01' }],
  // Malformed
  ['办结 1024', { kind: 'malformed', command: 'resolve', problem: 'missing_text' }],
  ['进展', { kind: 'malformed', command: 'progress', problem: 'missing_text' }],
  ['上报 1024', { kind: 'malformed', command: 'escalate', problem: 'missing_text' }],
  ['退回 #1024', { kind: 'malformed', command: 'return', problem: 'missing_text' }],
  ['延期 1024 等待配件', { kind: 'malformed', command: 'extend', problem: 'missing_days' }],
  ['延期 1024 0 等待配件', { kind: 'malformed', command: 'extend', problem: 'bad_days' }],
  ['延期 1024 31 等待配件', { kind: 'malformed', command: 'extend', problem: 'bad_days' }],
  ['延期#1001：2147483648#', { kind: 'malformed', command: 'extend', problem: 'bad_days' }],
  ['延期 1024 3', { kind: 'malformed', command: 'extend', problem: 'missing_text' }],
  ['延期', { kind: 'malformed', command: 'extend', problem: 'missing_days' }],
  ['绑定', { kind: 'malformed', command: 'bind', problem: 'missing_code' }],
  // Small talk
  ['谢谢', { kind: 'chitchat', what: 'thanks' }],
  ['谢谢！', { kind: 'chitchat', what: 'thanks' }],
  ['你好', { kind: 'chitchat', what: 'greeting' }],
  ['好的', { kind: 'chitchat', what: 'ack' }],
  ['OK', { kind: 'chitchat', what: 'ack' }],
];

/** Demands that start like a command word or a survey answer and must stay demands. */
const demands = [
  '3号楼路灯坏了',
  '2单元楼道灯不亮',
  '路灯坏了',
  '上报一个问题：路灯坏了',
  '取消了的公交站能恢复吗',
  '查水表的人冒充物业',
  '不满意物业的服务，电梯天天坏',
  '1号楼门口垃圾满了',
  '10086打不通',
  '好多垃圾没人收',
  '满地都是落叶没人扫',
];

describe('the chat command parser', () => {
  it.each(cases)('reads %j as the expected command', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(demands)('leaves %j as text (a demand)', (text) => {
    const parsed = parseCommand(text);
    if (parsed.kind === 'survey') {
      // "不满意…" and "满意…" parse as an answer with a comment; the handler treats them as a demand when no survey waits.
      expect(parsed.comment).not.toBeNull();
    } else {
      expect(parsed.kind).toBe('text');
    }
  });

  it('keeps notes, reasons and comments as the person wrote them, full-width punctuation and all', () => {
    expect(parseCommand('退回 1024 不属本网格，是第二网格的')).toEqual({ kind: 'return', no: 1024, reason: '不属本网格，是第二网格的' });
    expect(parseCommand('延期 1024 3 等待配件：ＬＥＤ灯')).toEqual({ kind: 'extend', no: 1024, days: 3, reason: '等待配件：ＬＥＤ灯' });
    expect(parseCommand('路灯坏了，ｏｋ？')).toEqual({ kind: 'text', text: '路灯坏了，ｏｋ？' });
  });

  it('keeps an empty message as empty text', () => {
    expect(parseCommand('   ')).toEqual({ kind: 'text', text: '' });
  });

  it('marks the order commands only staff may give', () => {
    for (const kind of ['accept', 'progress', 'resolve', 'escalate', 'return', 'extend', 'todo', 'approve_extension', 'deny_extension', 'bind_group'] as const) {
      expect(STAFF_COMMANDS.has(kind)).toBe(true);
    }
    for (const kind of ['query', 'my_orders', 'cancel', 'survey', 'points', 'help', 'bind', 'support', 'new_order'] as const) {
      expect(STAFF_COMMANDS.has(kind)).toBe(false);
    }
  });
});

describe('order numbers in a command', () => {
  it.each([
    [' 1024 text', 1024, ' text'],
    ['#1024text', 1024, 'text'],
    ['1024text', 1024, 'text'],
    ['3号楼', null, '3号楼'],
    ['1502室', null, '1502室'],
    ['5天', null, '5天'],
    ['12 text', 12, ' text'],
    ['12text', null, '12text'],
    ['3.5米', null, '3.5米'],
    ['', null, ''],
  ] as const)('%j gives %s', (input, no, rest) => {
    expect(takeOrderNo(input)).toEqual({ no, rest });
  });
});

describe('survey answers', () => {
  it('reads a digit only when it stands alone', () => {
    expect(parseSurvey('12')).toBeNull();
    expect(parseSurvey('3号楼')).toBeNull();
    expect(parseSurvey('1')).toEqual({ answer: 'satisfied', solved: true, no: null, comment: null });
  });

  it('takes an order number right after a digit answer, as after a word answer', () => {
    expect(parseCommand('3 #1001 灯还是不亮')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: 1001, comment: '灯还是不亮' });
    expect(parseCommand('1 #1001')).toEqual({ kind: 'survey', answer: 'satisfied', solved: true, no: 1001, comment: null });
    expect(parseCommand('２ ＃１００１')).toEqual({ kind: 'survey', answer: 'basically_satisfied', solved: true, no: 1001, comment: null });
    expect(parseCommand('3，1001，还是不亮')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: 1001, comment: '还是不亮' });
    expect(parseCommand('评价 3 #1001')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: 1001, comment: null });
    // A small number or an address after the answer stays in the comment.
    expect(parseCommand('3 5号楼也不亮')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '5号楼也不亮' });
    expect(parseCommand('3 3天了还没修')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '3天了还没修' });
    // A number already given before the answer is not replaced by one in the comment.
    expect(parseCommand('#1001 3 #1002')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: 1001, comment: '#1002' });
  });
});
