import { describe, expect, it } from 'vitest';
import { parseCalendarImport } from '../../../src/modules/calendar/calendar.import';

function errorsOf(text: string) {
  const result = parseCalendarImport(text);
  if (result.ok) throw new Error(`expected the import to be refused, got ${JSON.stringify(result)}`);
  return result.errors;
}

describe('parsing an admin\'s pasted schedule', () => {
  it('accepts a year with a header, comments, blank lines and Windows line ends, sorted by date', () => {
    const text = [
      'date,kind,name',
      '# 2027 国庆节 (imagined for the test)',
      '',
      '2027-10-01,holiday,国庆节',
      '2027-09-26,workday,国庆节调休',
      '   ',
      '2027-10-04,holiday,国庆节',
    ].join('\r\n');
    expect(parseCalendarImport(text)).toEqual({
      ok: true,
      year: 2027,
      days: [
        { date: '2027-09-26', kind: 'workday', name: '国庆节调休' },
        { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2027-10-04', kind: 'holiday', name: '国庆节' },
      ],
    });
  });

  it('accepts lines without a header and without a name', () => {
    expect(parseCalendarImport('2027-10-01,holiday\n2027-10-09,workday,')).toEqual({
      ok: true,
      year: 2027,
      days: [
        { date: '2027-10-01', kind: 'holiday', name: null },
        { date: '2027-10-09', kind: 'workday', name: null },
      ],
    });
  });

  it('accepts a Chinese header, full-width commas, tabs from a spreadsheet, 放假/上班, upper case and a BOM', () => {
    const text = '\uFEFF日期，类型，名称\n2027-10-01，放假，国庆节\n2027-10-09\t上班\t国庆节调休\n2027-10-05, HOLIDAY , 国庆节 ';
    expect(parseCalendarImport(text)).toEqual({
      ok: true,
      year: 2027,
      days: [
        { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2027-10-05', kind: 'holiday', name: '国庆节' },
        { date: '2027-10-09', kind: 'workday', name: '国庆节调休' },
      ],
    });
  });

  it('refuses a date that is not in YYYY-MM-DD form', () => {
    expect(errorsOf('2027/10/01,holiday,国庆节')).toEqual([
      { line: 1, message: '日期“2027/10/01”无效，应为 YYYY-MM-DD 格式的真实日期，例如 2027-10-01' },
    ]);
    expect(errorsOf('2027-10-1,holiday,国庆节')[0]?.line).toBe(1);
  });

  it('refuses a date that does not exist', () => {
    expect(errorsOf('2027-02-29,holiday,春节')).toEqual([
      { line: 1, message: '日期“2027-02-29”无效，应为 YYYY-MM-DD 格式的真实日期，例如 2027-10-01' },
    ]);
  });

  it('refuses a kind other than holiday or workday, including names of object properties', () => {
    expect(errorsOf('2027-10-01,vacation,国庆节')).toEqual([
      { line: 1, message: '类型“vacation”无效，应为 holiday（放假）或 workday（调休上班）' },
    ]);
    expect(errorsOf('2027-10-01,constructor,国庆节')).toHaveLength(1);
    expect(errorsOf('2027-10-01,,国庆节')).toEqual([{ line: 1, message: '类型“”无效，应为 holiday（放假）或 workday（调休上班）' }]);
  });

  it('reports a bad date and a bad kind on the same line together', () => {
    expect(errorsOf('2027-13-01,vacation').map((error) => error.line)).toEqual([1, 1]);
  });

  it('refuses a holiday on a weekend, which is off anyway', () => {
    expect(errorsOf('2027-10-02,holiday,国庆节')).toEqual([
      { line: 1, message: '2027-10-02 是星期六，本来就休息，不必登记为放假（holiday）' },
    ]);
    expect(errorsOf('2027-10-03,holiday,国庆节')[0]?.message).toContain('星期日');
  });

  it('refuses a workday on a weekday, which is worked anyway', () => {
    expect(errorsOf('2027-09-29,workday,国庆节调休')).toEqual([
      { line: 1, message: '2027-09-29 是星期三，本来就上班，调休上班（workday）只能登记在周六或周日' },
    ]);
  });

  it('refuses a date listed twice and names the line where it first appeared', () => {
    expect(errorsOf('2027-10-01,holiday,国庆节\n2027-10-04,holiday,国庆节\n2027-10-01,holiday,国庆节')).toEqual([
      { line: 3, message: '日期 2027-10-01 与第 1 行重复' },
    ]);
  });

  it('refuses dates from more than one year, naming the line that set the year', () => {
    expect(errorsOf('# 元旦\n2027-01-01,holiday,元旦\n2028-01-03,holiday,元旦\n2026-12-31,holiday,元旦')).toEqual([
      { line: 3, message: '本行是 2028 年，而第 2 行是 2027 年；一次只能导入一个年份的安排' },
      { line: 4, message: '本行是 2026 年，而第 2 行是 2027 年；一次只能导入一个年份的安排' },
    ]);
  });

  it('refuses a line with too few or too many columns', () => {
    expect(errorsOf('2027-10-01')).toEqual([
      { line: 1, message: '应为 2–3 列（日期,类型,名称），本行有 1 列。例如 2027-10-01,holiday,国庆节' },
    ]);
    expect(errorsOf('2027-10-01,holiday,国庆节,多余')).toEqual([
      { line: 1, message: '应为 2–3 列（日期,类型,名称），本行有 4 列。例如 2027-10-01,holiday,国庆节' },
    ]);
  });

  it('refuses a paste with no data lines, reporting it against the whole text as line 0', () => {
    const empty = [{ line: 0, message: '没有可导入的数据行。每行格式：日期,类型,名称，例如 2027-10-01,holiday,国庆节' }];
    expect(errorsOf('')).toEqual(empty);
    expect(errorsOf('\n  \n# nothing yet\n')).toEqual(empty);
    expect(errorsOf('date,kind,name\n')).toEqual(empty);
  });

  it('recognises a header only on the first data line', () => {
    expect(errorsOf('2027-10-01,holiday,国庆节\ndate,kind,name')).toEqual([
      { line: 2, message: '日期“date”无效，应为 YYYY-MM-DD 格式的真实日期，例如 2027-10-01' },
      { line: 2, message: '类型“kind”无效，应为 holiday（放假）或 workday（调休上班）' },
    ]);
  });

  it('reports every bad line with its number, counting blank and comment lines, and accepts nothing', () => {
    const text = [
      'date,kind,name', // 1
      '# 2027', // 2
      '2027-10-01,holiday,国庆节', // 3
      '', // 4
      '2027-10-02,holiday,国庆节', // 5: Saturday
      '2027-10-0x,holiday,国庆节', // 6
      '2027-09-29,workday,国庆节调休', // 7: Wednesday
      '2027-10-01,holiday,国庆节', // 8: duplicate of 3
      '2028-01-03,holiday,元旦', // 9: other year
      '2027-10-07,off,国庆节', // 10
    ].join('\n');
    const result = parseCalendarImport(text);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('days');
    expect(errorsOf(text).map((error) => error.line)).toEqual([5, 6, 7, 8, 9, 10]);
  });
});
