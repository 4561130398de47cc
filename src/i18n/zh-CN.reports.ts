/**
 * Chinese texts of the console's 报告 page: the reports the scheduled jobs stored (每周一排, 民情沟通日 agendas,
 * 月度民情分析). Kept apart from zh-CN.ts to avoid edit conflicts; meant to be re-exported from there.
 */
export const reportTexts = {
  title: '报告',
  kinds: {
    weekly: '每周一排',
    monthly: '月度民情分析',
    agenda_town: '民情沟通日（镇街）',
    agenda_district: '民情沟通日（区）',
  } as Record<string, string>,
  allKinds: '全部类型',
  period: '期间',
  filter: '筛选',
  columns: { generatedAt: '生成时间', kind: '类型', unit: '单位', title: '标题' },
  none: '暂无报告。定时任务生成的每周一排、民情沟通日议程和月度民情分析会保存在这里。',
  older: '更早的报告',
  fullAgenda: '全部议题',
  /** Where a chat message sends its reader: the console's 报告 page, filtered to that report. */
  seeConsole: (link: string) => `详见后台“报告”：${link}`,
} as const;
