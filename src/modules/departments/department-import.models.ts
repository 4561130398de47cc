/**
 * The department CSV import, checked as a whole before anything is written (pure: no I/O). Columns:
 * 名称,编码,类型,服务区域编码[,日历,签收时限小时,办结天数,退回时限小时]. A department is known by its code, so the
 * same file can be imported again: a known code updates that department.
 */
import { departmentTexts } from '../../i18n/zh-CN.departments-console';
import { parseCsv } from '../../shared/text/csv';

const e = departmentTexts.importErrors;
const col = departmentTexts.columns;

export type DepartmentKindCode = 'department' | 'company' | 'property';
export type DepartmentCalendarCode = 'working' | 'every_day';

/** A department's editable fields, as the form and the import give them. */
export type DepartmentFields = {
  code: string;
  name: string;
  kind: DepartmentKindCode;
  unitId: number;
  calendar: DepartmentCalendarCode;
  signLimitHours: number;
  limitDays: number | null;
  returnLimitHours: number;
};

export type DepartmentCsvRow = DepartmentFields & { line: number };
export type DepartmentImportError = { line: number; message: string };

export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,30}$/u;
export const MAX_NAME_LENGTH = 40;
/** Bounds of the limits (hours, days), as the form and the import check them. */
export const LIMIT_BOUNDS = {
  signLimitHours: { min: 1, max: 72 },
  limitDays: { min: 1, max: 60 },
  returnLimitHours: { min: 1, max: 168 },
} as const;

const KIND_ALIASES = new Map<string, DepartmentKindCode>([
  ['department', 'department'], ['职能部门', 'department'], ['部门', 'department'],
  ['company', 'company'], ['公共服务企业', 'company'], ['企业', 'company'], ['公司', 'company'],
  ['property', 'property'], ['物业公司', 'property'], ['物业', 'property'],
]);

const CALENDAR_ALIASES = new Map<string, DepartmentCalendarCode>([
  ['working', 'working'], ['工作日', 'working'], ['', 'working'],
  ['every_day', 'every_day'], ['每天', 'every_day'], ['全年', 'every_day'], ['每日', 'every_day'],
]);

const HEADER_FIRST = new Set(['name', '名称']);

export function kindOf(text: string): DepartmentKindCode | undefined {
  return KIND_ALIASES.get(text.trim().toLowerCase());
}

export function calendarOf(text: string): DepartmentCalendarCode | undefined {
  return CALENDAR_ALIASES.get(text.trim().toLowerCase());
}

/** An integer within bounds, or undefined; '' is `empty`. */
export function boundedInt(text: string, bounds: { min: number; max: number }, empty: number | null): number | null | undefined {
  const v = text.trim();
  if (v === '') return empty;
  if (!/^\d{1,4}$/u.test(v)) return undefined;
  const n = Number(v);
  return n >= bounds.min && n <= bounds.max ? n : undefined;
}

export function planDepartmentImport({
  text,
  unitsByCode,
}: {
  text: string;
  unitsByCode: ReadonlyMap<string, number>;
}): { ok: true; rows: DepartmentCsvRow[] } | { ok: false; errors: DepartmentImportError[] } {
  const errors: DepartmentImportError[] = [];
  const rows: DepartmentCsvRow[] = [];
  const lineOfCode = new Map<string, number>();
  for (const [index, { line, fields }] of parseCsv(text).entries()) {
    if (fields.every((f) => f.trim() === '')) continue;
    if (index === 0 && HEADER_FIRST.has((fields[0] ?? '').trim().toLowerCase())) continue;
    if (fields.length < 4 || fields.length > 8) {
      errors.push({ line, message: e.columns(fields.length) });
      continue;
    }
    const [name = '', code = '', kindText = '', unitCode = '', calendarText = '', signText = '', daysText = '', returnText = ''] = fields.map((f) => f.trim());
    const before = errors.length;
    if (!name || [...name].length > MAX_NAME_LENGTH) errors.push({ line, message: e.name });
    if (!CODE_PATTERN.test(code)) errors.push({ line, message: e.code(code) });
    else if (lineOfCode.has(code)) errors.push({ line, message: e.duplicateCode(code, lineOfCode.get(code)!) });
    else lineOfCode.set(code, line);
    const kind = kindOf(kindText);
    if (!kind) errors.push({ line, message: e.kind(kindText) });
    const unitId = unitsByCode.get(unitCode);
    if (unitId === undefined) errors.push({ line, message: e.unit(unitCode) });
    const calendar = calendarOf(calendarText);
    if (!calendar) errors.push({ line, message: e.calendar(calendarText) });
    const number = (label: string, v: string, bounds: { min: number; max: number }, empty: number | null) => {
      const n = boundedInt(v, bounds, empty);
      if (n === undefined) errors.push({ line, message: e.number(label, v, bounds.min, bounds.max) });
      return n ?? null;
    };
    const signLimitHours = number(col.signLimitHours, signText, LIMIT_BOUNDS.signLimitHours, 2);
    const limitDays = number(col.limitDays, daysText, LIMIT_BOUNDS.limitDays, null);
    const returnLimitHours = number(col.returnLimitHours, returnText, LIMIT_BOUNDS.returnLimitHours, 24);
    if (errors.length > before) continue;
    rows.push({
      line,
      name,
      code,
      kind: kind!,
      unitId: unitId!,
      calendar: calendar!,
      signLimitHours: signLimitHours!,
      limitDays,
      returnLimitHours: returnLimitHours!,
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
