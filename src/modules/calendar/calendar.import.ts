/**
 * Parser for a year's official holiday schedule pasted by an admin, one day per line:
 *
 *     date,kind,name
 *     2027-10-01,holiday,国庆节
 *     2027-09-26,workday,国庆节调休
 *
 * The header is optional, blank lines and `#` comments are ignored, the name may be left out. Fields may be
 * separated by `,`, a full-width `，` or a tab, because admins paste from Word and Excel as often as they type.
 * `放假` / `上班` are accepted for `holiday` / `workday`. Only deviations from the ordinary week are rows, so a
 * holiday must be a weekday and a workday a weekend day. Every problem is reported with its line number, and
 * one bad line rejects the whole paste: a half-imported schedule would silently miscount deadlines.
 */
import { calendarTexts } from '../../i18n/zh-CN.calendar';
import { dayOfWeek, isValidIsoDate, isWeekend, yearOf } from './calendar.dates';
import type { CalendarDay, CalendarDayKind } from './calendar.models';

export type CalendarImportError = {
  /** 1-based line number in the pasted text; 0 for a problem with the text as a whole. */
  line: number;
  message: string;
};

export type CalendarImportResult =
  | { ok: true; year: number; days: CalendarDay[] }
  | { ok: false; errors: CalendarImportError[] };

const texts = calendarTexts.import;

// A Map, not an object literal: a pasted "constructor" must not find Object.prototype's.
const KIND_ALIASES = new Map<string, CalendarDayKind>([
  ['holiday', 'holiday'],
  ['放假', 'holiday'],
  ['workday', 'workday'],
  ['上班', 'workday'],
]);

const HEADER_FIRST_FIELDS = new Set(['date', '日期']);

function splitFields(line: string): string[] {
  return line.split(/[,，\t]/).map((field) => field.trim());
}

export function parseCalendarImport(text: string): CalendarImportResult {
  const errors: CalendarImportError[] = [];
  const days: CalendarDay[] = [];
  const lineByDate = new Map<string, number>();
  let firstYear: { year: number; line: number } | null = null;
  let seenContent = false;

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;

    const fields = splitFields(content);
    const isFirstContent = !seenContent;
    seenContent = true;
    if (isFirstContent && HEADER_FIRST_FIELDS.has((fields[0] ?? '').toLowerCase())) continue;

    if (fields.length < 2 || fields.length > 3) {
      errors.push({ line, message: texts.wrongColumnCount(fields.length) });
      continue;
    }
    const [date = '', kindText = '', name = ''] = fields;

    const dateOk = isValidIsoDate(date);
    if (!dateOk) errors.push({ line, message: texts.badDate(date) });
    const kind = KIND_ALIASES.get(kindText.toLowerCase());
    if (!kind) errors.push({ line, message: texts.badKind(kindText) });
    if (!dateOk) continue;

    const previousLine = lineByDate.get(date);
    if (previousLine !== undefined) {
      errors.push({ line, message: texts.duplicateDate(date, previousLine) });
    } else {
      lineByDate.set(date, line);
    }

    const year = yearOf(date);
    if (!firstYear) firstYear = { year, line };
    else if (year !== firstYear.year) errors.push({ line, message: texts.mixedYears(year, firstYear.year, firstYear.line) });

    if (!kind) continue;
    if (kind === 'holiday' && isWeekend(date)) errors.push({ line, message: texts.holidayOnWeekend(date, dayOfWeek(date)) });
    if (kind === 'workday' && !isWeekend(date)) errors.push({ line, message: texts.workdayOnWeekday(date, dayOfWeek(date)) });

    days.push({ date, kind, name: name === '' ? null : name });
  }

  if (errors.length > 0) return { ok: false, errors };
  if (!firstYear || days.length === 0) return { ok: false, errors: [{ line: 0, message: texts.empty }] };

  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { ok: true, year: firstYear.year, days };
}
