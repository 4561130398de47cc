import { describe, expect, it } from 'vitest';
import { type ChatCommand, STAFF_COMMANDS, parseCommand, readAsResident } from '../../../src/modules/chat/commands.models';

/** 派单 and 回访 as officers and grid leaders type them on a phone. */
const cases: [string, ChatCommand][] = [
  ['派单 1007 燃气公司', { kind: 'dispatch', no: 1007, department: '燃气公司', assists: [], note: null }],
  ['派单1007 燃气', { kind: 'dispatch', no: 1007, department: '燃气', assists: [], note: null }],
  ['派单 #1007 区燃气公司', { kind: 'dispatch', no: 1007, department: '区燃气公司', assists: [], note: null }],
  ['派单：１００７　区燃气公司', { kind: 'dispatch', no: 1007, department: '区燃气公司', assists: [], note: null }],
  ['派单   1007    燃气公司   ', { kind: 'dispatch', no: 1007, department: '燃气公司', assists: [], note: null }],
  ['派单 1007 燃气公司，复核为燃气异味 请尽快处置', { kind: 'dispatch', no: 1007, department: '燃气公司', assists: [], note: '复核为燃气异味 请尽快处置' }],
  ['派单 1007 区住建局 协办 城管、市政 现场需联合执法', { kind: 'dispatch', no: 1007, department: '区住建局', assists: ['城管', '市政'], note: '现场需联合执法' }],
  ['派单 1007 区住建局协办城管', { kind: 'dispatch', no: 1007, department: '区住建局', assists: ['城管'], note: null }],
  ['改派 1007 供水公司', { kind: 'dispatch', no: 1007, department: '供水公司', assists: [], note: null }],
  ['派单 燃气', { kind: 'dispatch', no: null, department: '燃气', assists: [], note: null }],
  ['派单 RQ', { kind: 'dispatch', no: null, department: 'RQ', assists: [], note: null }],
  ['派单 1007', { kind: 'malformed', command: 'dispatch', problem: 'missing_department' }],
  ['派单', { kind: 'malformed', command: 'dispatch', problem: 'missing_department' }],
  ['派单 1007 区住建局 协办', { kind: 'malformed', command: 'dispatch', problem: 'missing_department' }],

  ['回访 1007 满意', { kind: 'visit', no: 1007, answer: 'satisfied', solved: null, comment: null }],
  ['回访1007 解决了 基本满意', { kind: 'visit', no: 1007, answer: 'basically_satisfied', solved: true, comment: '解决了 基本满意' }],
  ['回访 1007 没解决 居民说还是有味道', { kind: 'visit', no: 1007, answer: null, solved: false, comment: '没解决 居民说还是有味道' }],
  ['回访 #1007 3', { kind: 'visit', no: 1007, answer: 'unsatisfied', solved: false, comment: null }],
  ['回访 ＃１００７ １', { kind: 'visit', no: 1007, answer: 'satisfied', solved: true, comment: null }],
  ['回访 1007 4 师傅来得太晚', { kind: 'visit', no: 1007, answer: 'unsatisfied', solved: true, comment: '师傅来得太晚' }],
  ['回访 1007 修好了很满意', { kind: 'visit', no: 1007, answer: 'satisfied', solved: true, comment: '修好了很满意' }],
  ['回访 1007 修好了', { kind: 'visit', no: 1007, answer: null, solved: true, comment: '修好了' }],
  ['回访 1007 不满意', { kind: 'visit', no: 1007, answer: 'unsatisfied', solved: null, comment: null }],
  ['回访 1007 不太满意，来得太慢', { kind: 'visit', no: 1007, answer: 'unsatisfied', solved: null, comment: '不太满意，来得太慢' }],
  ['回访 满意', { kind: 'visit', no: null, answer: 'satisfied', solved: null, comment: null }],
  ['回访 1007', { kind: 'malformed', command: 'visit', problem: 'missing_answer' }],
  ['回访 1007 居民不在家', { kind: 'malformed', command: 'visit', problem: 'missing_answer' }],
];

/** What residents write that begins like 派单 or 回访 and must stay their words. */
const residents = ['派出所门口的路灯坏了', '派人来看看吧 3号楼漏水', '派单员态度很差', '派单的人一直没来', '回访电话一直没人接', '回访的时候没人说话'];

describe('派单 and 回访 in the chat', () => {
  it.each(cases)('reads %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(residents)('leaves %j as the resident wrote it', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'text', text });
  });

  it('are staff commands: a resident or a group gets the polite refusal', () => {
    expect(STAFF_COMMANDS.has('dispatch')).toBe(true);
    expect(STAFF_COMMANDS.has('visit')).toBe(true);
  });

  it('a resident who writes 回访 is answering their own 回访', () => {
    const read = (text: string) => readAsResident(parseCommand(text), text);
    expect(read('回访 1007 满意')).toEqual({ kind: 'survey', answer: 'satisfied', solved: null, no: 1007, comment: null });
    expect(read('回访 3 灯还是不亮')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮' });
    expect(read('回访 修好了谢谢')).toEqual({ kind: 'text', text: '修好了谢谢' });
    expect(read('回访')).toEqual({ kind: 'malformed', command: 'survey', problem: 'missing_text' });
    // Anything else is left as it was.
    expect(read('派单 1007 燃气')).toEqual(parseCommand('派单 1007 燃气'));
  });

  it('a resident\'s "不太满意" is not read as 满意', () => {
    expect(parseCommand('不太满意，灯还是不亮')).toEqual({ kind: 'survey', answer: 'unsatisfied', solved: false, no: null, comment: '灯还是不亮' });
  });
});
