import { LEVEL_LABELS, ROLE_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { parseCsv } from '../../shared/text/csv';
import type { UnitLevel } from '../grids/grids.models';
import type { StaffRole } from './people.models';

const e = consoleTexts.staff.importErrors;

export type StaffCsvRow = { line: number; name: string; phone: string | null; unitCode: string; role: StaffRole };
export type StaffImportError = { line: number; message: string };
export type UnitRef = { id: number; level: UnitLevel };
export type KnownStaff = { id: number; name: string };

/** What a street office's spreadsheet calls each role, besides the codes. */
const ROLE_ALIASES = new Map<string, StaffRole>([
  ['leader', 'leader'], ['网格长', 'leader'],
  ['assistant', 'assistant'], ['网格员', 'assistant'], ['专职网格员', 'assistant'], ['协理员', 'assistant'],
  ['informant', 'informant'], ['信息员', 'informant'], ['兼职网格员', 'informant'],
  ['officer', 'officer'], ['干部', 'officer'], ['社区干部', 'officer'], ['工作人员', 'officer'],
  ['admin', 'admin'], ['管理员', 'admin'],
]);

const HEADER_FIRST = new Set(['name', '姓名']);
const PHONE = /^[0-9+\-\s]{5,20}$/u;

/**
 * Checks a staff CSV (name, phone, unit code, role) against itself and what is on record, reporting every problem
 * with its line; nothing is imported unless every line is right. A person is known by phone: a row whose phone is
 * on record adds the role to that person (the name must agree), so the same file can be imported again, and one
 * person with two roles is two rows. A row without a phone is always someone new.
 */
export function planStaffImport({
  text,
  units,
  staffByPhone,
  roleLevels,
}: {
  text: string;
  units: ReadonlyMap<string, UnitRef>;
  staffByPhone: ReadonlyMap<string, KnownStaff>;
  roleLevels: Readonly<Record<StaffRole, readonly UnitLevel[]>>;
}): { ok: true; rows: StaffCsvRow[] } | { ok: false; errors: StaffImportError[] } {
  const errors: StaffImportError[] = [];
  const rows: StaffCsvRow[] = [];
  const nameOfPhone = new Map<string, { name: string; line: number }>();
  for (const [index, { line, fields }] of parseCsv(text).entries()) {
    if (index === 0 && HEADER_FIRST.has((fields[0] ?? '').trim().toLowerCase())) continue;
    if (fields.length !== 4) {
      errors.push({ line, message: e.columns(fields.length) });
      continue;
    }
    const [name = '', phoneText = '', unitCode = '', roleText = ''] = fields.map((f) => f.trim());
    const before = errors.length;
    if (!name || [...name].length > 30) errors.push({ line, message: e.name });
    const phone = phoneText.replace(/\s+/gu, '') || null;
    if (phone && !PHONE.test(phone)) errors.push({ line, message: e.phone(phoneText) });
    const unit = units.get(unitCode);
    if (!unit) errors.push({ line, message: e.unit(unitCode) });
    const role = ROLE_ALIASES.get(roleText.toLowerCase());
    if (!role) errors.push({ line, message: e.role(roleText) });
    if (unit && role && !roleLevels[role].includes(unit.level)) {
      errors.push({ line, message: e.roleLevel(ROLE_LABELS[role], roleLevels[role].map((l) => LEVEL_LABELS[l]).join('、')) });
    }
    if (phone && name) {
      const known = staffByPhone.get(phone);
      const inFile = nameOfPhone.get(phone);
      if (known && known.name !== name) errors.push({ line, message: e.phoneTaken(phone, known.name) });
      else if (inFile && inFile.name !== name) errors.push({ line, message: e.phoneTwice(phone, inFile.line) });
      else nameOfPhone.set(phone, { name, line });
    }
    if (errors.length === before && role) rows.push({ line, name, phone, unitCode, role });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (rows.length === 0) return { ok: false, errors: [{ line: 0, message: e.empty }] };
  return { ok: true, rows };
}
