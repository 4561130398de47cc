import { LEVEL_LABELS, ROLE_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { parseCsv } from '../../shared/text/csv';
import type { UnitLevel } from '../grids/grids.models';
import type { StaffRole } from './people.models';
import { readWecomUserId } from './staff-wecom.models';

const e = consoleTexts.staff.importErrors;

export type StaffCsvRow = { line: number; name: string; phone: string | null; unitCode: string; role: StaffRole; wecomUserId: string | null };
export type StaffImportError = { line: number; message: string };
export type UnitRef = { id: number; level: UnitLevel };
export type KnownStaff = { id: number; name: string; wecomUserId?: string | null };

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
 * Checks a staff CSV (name, phone, unit code, role, and optionally the 企业微信 userid) against itself and what is
 * on record, reporting every problem with its line; nothing is imported unless every line is right. A person is
 * known by phone: a row whose phone is on record adds the role to that person (the name must agree), so the same
 * file can be imported again, and one person with two roles is two rows. A row without a phone is always someone
 * new. A userid binds a person who has none; it may not be another person's (on record or earlier in the file,
 * ignoring case, as WeCom compares userids), nor replace a person's own different one (that is changed on their
 * page, one at a time).
 */
export function planStaffImport({
  text,
  units,
  staffByPhone,
  wecomHolders = new Map(),
  roleLevels,
}: {
  text: string;
  units: ReadonlyMap<string, UnitRef>;
  staffByPhone: ReadonlyMap<string, KnownStaff>;
  /** Who holds each bound userid, by the userid in lower case. */
  wecomHolders?: ReadonlyMap<string, KnownStaff>;
  roleLevels: Readonly<Record<StaffRole, readonly UnitLevel[]>>;
}): { ok: true; rows: StaffCsvRow[] } | { ok: false; errors: StaffImportError[] } {
  const errors: StaffImportError[] = [];
  const rows: StaffCsvRow[] = [];
  const nameOfPhone = new Map<string, { name: string; line: number }>();
  const wecomInFile = new Map<string, { phone: string | null; line: number }>();
  const wecomOfPhone = new Map<string, string>();
  for (const [index, { line, fields }] of parseCsv(text).entries()) {
    if (index === 0 && HEADER_FIRST.has((fields[0] ?? '').trim().toLowerCase())) continue;
    if (fields.length !== 4 && fields.length !== 5) {
      errors.push({ line, message: e.columns(fields.length) });
      continue;
    }
    const [name = '', phoneText = '', unitCode = '', roleText = '', wecomText = ''] = fields.map((f) => f.trim());
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
    const wecom = readWecomUserId(wecomText);
    if (!wecom.ok) errors.push({ line, message: e.wecomUserId(wecomText) });
    const wecomUserId = wecom.ok ? wecom.userId : null;
    if (wecomUserId) {
      const key = wecomUserId.toLowerCase();
      const known = phone ? staffByPhone.get(phone) : undefined;
      const holder = wecomHolders.get(key);
      const inFile = wecomInFile.get(key);
      const samePhone = phone ? wecomOfPhone.get(phone) : undefined;
      if (holder && holder.id !== known?.id) errors.push({ line, message: e.wecomTaken(wecomUserId, holder.name) });
      else if (known?.wecomUserId && known.wecomUserId.toLowerCase() !== key) errors.push({ line, message: e.wecomOwn(known.name, known.wecomUserId) });
      else if (inFile && (phone === null || inFile.phone !== phone)) errors.push({ line, message: e.wecomTwice(wecomUserId, inFile.line) });
      else if (samePhone !== undefined && samePhone !== key) errors.push({ line, message: e.wecomTwoForOne(phone!) });
      else {
        wecomInFile.set(key, { phone, line });
        if (phone) wecomOfPhone.set(phone, key);
      }
    }
    if (errors.length === before && role) rows.push({ line, name, phone, unitCode, role, wecomUserId });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (rows.length === 0) return { ok: false, errors: [{ line: 0, message: e.empty }] };
  return { ok: true, rows };
}
