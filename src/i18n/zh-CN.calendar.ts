/**
 * Chinese texts of the working-day calendar: the admin's schedule import and the coverage warning.
 * Kept apart from zh-CN.ts to avoid edit conflicts; meant to be re-exported from there.
 */

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export function weekdayName(dayOfWeek: number): string {
  return WEEKDAY_NAMES[dayOfWeek] ?? '';
}

export const calendarTexts = {
  import: {
    empty: '没有可导入的数据行。每行格式：日期,类型,名称，例如 2027-10-01,holiday,国庆节',
    wrongColumnCount: (count: number) =>
      `应为 2–3 列（日期,类型,名称），本行有 ${count} 列。例如 2027-10-01,holiday,国庆节`,
    badDate: (value: string) => `日期“${value}”无效，应为 YYYY-MM-DD 格式的真实日期，例如 2027-10-01`,
    badKind: (value: string) =>
      `类型“${value}”无效，应为 holiday（放假）或 workday（调休上班）`,
    holidayOnWeekend: (date: string, dayOfWeek: number) =>
      `${date} 是${weekdayName(dayOfWeek)}，本来就休息，不必登记为放假（holiday）`,
    workdayOnWeekday: (date: string, dayOfWeek: number) =>
      `${date} 是${weekdayName(dayOfWeek)}，本来就上班，调休上班（workday）只能登记在周六或周日`,
    duplicateDate: (date: string, firstLine: number) => `日期 ${date} 与第 ${firstLine} 行重复`,
    mixedYears: (year: number, firstYear: number, firstLine: number) =>
      `本行是 ${year} 年，而第 ${firstLine} 行是 ${firstYear} 年；一次只能导入一个年份的安排`,
  },
  coverageWarning: (firstUncoveredDate: string, horizonDays: number) =>
    `节假日安排即将用完：${firstUncoveredDate} 起（${horizonDays} 天内）尚未导入国务院公布的放假安排，` +
    `期限将按普通周末及元旦、劳动节、国庆节的法定日期计算（春节、清明、端午、中秋和调休无法推算）。` +
    `请在“工作日历”中导入该年份的安排。`,
} as const;
