/**
 * Chinese texts of the survey (回访): the question residents get when their order is resolved, what the bot says
 * back, how a round is shown to staff, the console's phone 回访 form, and the definitions of 解决率 and 满意率
 * shown on the dashboard and the public page (docs/figures.md says the same in English; change both together).
 */
import { orderNo } from './format';

/** The one-digit menu: each digit gives both answers; the same in the question, the reminder and the help. */
export const SURVEY_MENU = '1 解决了，满意\n2 解决了，基本满意\n3 没解决，不满意\n4 解决了，但不满意';

export const SOLVED_LABELS = { true: '已解决', false: '未解决' } as const;
export const SATISFACTION_LABELS = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意', unanswered: '未评价' } as const;

/** One round as staff read it: "已解决·满意", "未解决·满意度未说", "解决情况未说·满意", "未评价". */
export function surveyRoundLabel(r: { answer: string | null; solved: boolean | null }): string {
  if (r.answer === 'unanswered') return SATISFACTION_LABELS.unanswered;
  const solved = r.solved === null ? '解决情况未说' : SOLVED_LABELS[`${r.solved}`];
  const satisfaction = r.answer === null ? '满意度未说' : (SATISFACTION_LABELS[r.answer as keyof typeof SATISFACTION_LABELS] ?? r.answer);
  return `${solved}·${satisfaction}`;
}

export const surveyTexts = {
  /** With the 办结 notice: short lines, one digit answers both, and plain words work too (elderly phone users). */
  question: (o: { no: number; note: string }) =>
    `工单 ${orderNo(o.no)} 已办结：${o.note}\n请问问题解决了吗？您满意吗？回复一个数字：\n${SURVEY_MENU}\n也可以直接说，如"修好了，很满意""还没修好"。`,
  reminder: (o: { no: number }) =>
    `工单 ${orderNo(o.no)} 已办结，还没收到您的回复。问题解决了吗？您满意吗？回复一个数字：\n${SURVEY_MENU}`,
  /** The resident's help line about the survey. */
  help: '· 办结后回复 1 解决了满意、2 解决了基本满意、3 没解决、4 解决了但不满意，也可以直接说"修好了，很满意"',
  /** The usage shown after a malformed or ambiguous survey answer. */
  usage: '1 解决了满意 / 2 解决了基本满意 / 3 没解决 / 4 解决了但不满意（可附意见，如"3 灯还是不亮"）',
  /** The resident said whether it was solved but not how satisfied: the one follow-up question. */
  askSatisfaction: '请问您对这次办理满意吗？回复"满意""基本满意"或"不满意"。',
  /** Solved, closed, satisfaction still to come. */
  recordedSolved: (no: number) => `好的，已记下工单 ${orderNo(no)} 问题已解决。`,
  /** Their answer to the follow-up. */
  satisfactionRecorded: (no: number) => `已记下您对工单 ${orderNo(no)} 的评价，谢谢！`,
  /** Solved but not satisfied: closed, not redone; the handler hears it. */
  solvedUnsatisfied: (no: number) => `已记下您的意见：工单 ${orderNo(no)} 问题已解决，但您不满意。我们会转告办理人改进，谢谢您！`,
  /** To the handler, 1:1: the satisfaction with the resident's words, then whether it was solved. */
  resultToAssignee: (o: { no: number; answer: string | null; solved: boolean | null; comment?: string | null; byPhone?: boolean }) =>
    `工单 ${orderNo(o.no)} ${o.byPhone ? '电话回访' : '居民评价'}：${o.answer === null ? '满意度未说' : (SATISFACTION_LABELS[o.answer as keyof typeof SATISFACTION_LABELS] ?? o.answer)}` +
    `${o.comment ? `（${o.comment}）` : ''}\n是否解决：${o.solved === null ? '未说' : SOLVED_LABELS[`${o.solved}`]}`,
  /** The follow-up answer, to the handler. */
  completedToAssignee: (o: { no: number; label: string }) => `工单 ${orderNo(o.no)} 居民补充评价：${o.label}`,
};

/** The console's form for a 回访 made by phone (网格长 calling a resident the bot cannot reach). */
export const phoneSurveyTexts = {
  label: '记录电话回访',
  submit: '记录回访',
  solved: '问题解决了吗',
  solvedOptions: { yes: '已解决', no: '未解决', unknown: '居民没说' },
  answer: '居民满意吗',
  answerOptions: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意', unknown: '居民没说' },
  comment: '居民原话（可不填）',
  needOne: '请至少记录一项：是否解决或是否满意。',
  byPhone: '（电话回访）',
  note: '未解决的工单将转上一级重新办理；已解决但不满意的工单归档，意见转告办理人。',
};

/** 解决率, 满意率 and the figures whose words depend on them: formula and full definition. */
export const SURVEY_FIGURE_FORMULAS = {
  solved: '回访中居民答“已解决”的 ÷ 回访中居民答了是否解决的（已解决 + 未解决）',
  satisfaction: '（满意 + 基本满意）÷（满意 + 基本满意 + 不满意）',
  reopen: '重办次数 ÷ 已结束的回访',
};

export const SURVEY_FIGURE_DEFINITIONS = {
  solved:
    '每次办结后回访居民一轮，重办后再办结再回访一轮。回访分别问两件事：问题是否解决、对办理是否满意。解决率只看“是否解决”：居民只说了满意度、没说是否解决的回访，以及回访超时未评价的，不计入分母，另行列示；本口径启用前的回访都没有问是否解决，均不计入。按回访答复日计入统计期。',
  satisfaction:
    '只看“是否满意”，与是否解决分开统计：问题已解决但居民不满意的计为不满意；居民只说了是否解决、没说满意度的回访，以及回访超时未评价的，不计入分母，另行列示。按回访答复日计入统计期。',
  reopen:
    '居民答“未解决”即重办，工单回到上一级重新办理；没说是否解决而评价“不满意”的，同样重办。已解决但不满意的不重办（意见转告办理人，计入满意率）。按重办发生日计入统计期。',
  firstTime:
    '归档指回访后工单关闭（居民答已解决，或没说是否解决而评价满意、基本满意），或回访超时。归档前从未上报、从未重办的，为一次办结。按归档日计入统计期。撤回、并单的工单不计入。',
};

/** Counts shown beside the figures. */
export const surveyCountLabels = {
  surveySolved: '已解决',
  surveyUnsolved: '未解决',
  solvedNotSaid: '未说是否解决',
  surveyUnrated: '未说满意度',
};
