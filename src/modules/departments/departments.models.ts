import { type TimeLimitRule, type WorkCalendar, addWorkingHours, computeDeadline } from '../calendar/calendar.models';
import { type Assignment, type StaffAtUnit, type UnitLevel, type UnitNode, isAncestorOrSelf, levelRank, routeUp } from '../grids/grids.models';
import type { Actor } from '../people/people.models';
import { type CategoryLimits, SIGN_LIMITS } from '../work-orders/rules/order-limits.models';
import type { Urgency } from '../work-orders/work-orders.models';
import { compactText } from '../../shared/text/normalize';

/*
 * The rules of 分流交办 (dispatching an order from the grid tree to a department), as pure functions: which
 * department the 派单目录 names, the limits a dispatch puts in force on the department's calendar, whether a
 * department may still 退回, and where a 退回 goes (the dispatcher, or the district when it is a dispute).
 */

export type DepartmentKind = 'department' | 'company' | 'property';
export type DispatchRole = 'lead' | 'assist';
export type DepartmentCalendarKind = 'working' | 'every_day';
export type DepartmentMemberRole = 'handler' | 'head';

/** A department as the rules read it: the area it serves (with its path), its calendar and limits. */
export type Department = {
  id: number;
  code: string;
  name: string;
  kind: DepartmentKind;
  unitId: number;
  unitPath: string;
  calendar: DepartmentCalendarKind;
  signLimitHours: number;
  limitDays: number | null;
  returnLimitHours: number;
  active: boolean;
};

export type DepartmentMember = { departmentId: number; staffId: number; role: DepartmentMemberRole; active: boolean };

/** One line of the 派单目录: `unitPath` null = everywhere; `keywords` empty = the whole category. */
export type CatalogueEntry = {
  categoryId: number;
  unitPath: string | null;
  departmentId: number;
  role: DispatchRole;
  keywords: readonly string[];
  auto: boolean;
};

export type CatalogueMatch =
  | { kind: 'none' }
  /** Several leads equally specific: an officer decides among them. */
  | { kind: 'ambiguous'; departmentIds: number[] }
  /** `auto`: the entry lets the system dispatch at intake; otherwise it is the officer's suggestion. */
  | { kind: 'found'; leadId: number; assistIds: number[]; auto: boolean };

/** How deep an area is: 0 for "everywhere", then one per level of the path ("/1/" = 1, "/1/3/" = 2). */
function depthOf(unitPath: string | null): number {
  return unitPath === null ? 0 : unitPath.split('/').filter(Boolean).length;
}

/** How specific an entry is for a demand: a keyword match outranks any area, then the deeper area wins. */
function specificity(entry: CatalogueEntry): number {
  return (entry.keywords.length > 0 ? 100 : 0) + depthOf(entry.unitPath);
}

/** Whether the entry applies to the demand's text: a whole-category entry always, a keyword entry when one is in it. */
function textMatches(entry: CatalogueEntry, text: string): boolean {
  if (entry.keywords.length === 0) return true;
  const lowered = text.toLowerCase();
  return entry.keywords.some((k) => k.trim() !== '' && lowered.includes(k.trim().toLowerCase()));
}

/**
 * The department(s) the 派单目录 names for a demand of a category at a place (the order's grid path). Entries
 * whose area does not contain the place, whose keywords are not in the text, or whose department is inactive do
 * not count; the most specific wins (see `specificity`: 燃气 within 安全隐患 over the whole category, an estate's
 * 物业公司 over a district-wide entry). One lead there is found; several are ambiguous, and nothing is dispatched
 * automatically. Assists (协办) come from the most specific assist entries that apply.
 */
export function lookupCatalogue({
  entries,
  categoryId,
  placePath,
  text,
  isActive,
}: {
  entries: readonly CatalogueEntry[];
  categoryId: number;
  placePath: string;
  text: string;
  isActive: (departmentId: number) => boolean;
}): CatalogueMatch {
  const applying = entries.filter(
    (e) =>
      e.categoryId === categoryId &&
      isActive(e.departmentId) &&
      (e.unitPath === null || isAncestorOrSelf(e.unitPath, placePath)) &&
      textMatches(e, text),
  );
  const leads = applying.filter((e) => e.role === 'lead');
  if (leads.length === 0) return { kind: 'none' };
  const best = Math.max(...leads.map(specificity));
  const top = leads.filter((e) => specificity(e) === best);
  const leadIds = [...new Set(top.map((e) => e.departmentId))].sort((a, b) => a - b);
  if (leadIds.length > 1) return { kind: 'ambiguous', departmentIds: leadIds };
  const leadId = leadIds[0]!;
  const assists = applying.filter((e) => e.role === 'assist' && e.departmentId !== leadId);
  const assistBest = assists.length ? Math.max(...assists.map(specificity)) : 0;
  const assistIds = [...new Set(assists.filter((e) => specificity(e) === assistBest).map((e) => e.departmentId))].sort((a, b) => a - b);
  return { kind: 'found', leadId, assistIds, auto: top.every((e) => e.auto) };
}

/** Whether a department may take orders at a place: it is active and the place is inside the area it serves. */
export function servesPlace(department: Pick<Department, 'active' | 'unitPath'>, placePath: string): boolean {
  return department.active && isAncestorOrSelf(department.unitPath, placePath);
}

/**
 * Who in a department takes a dispatched order: an active handler (else an active head), the one with fewest open
 * orders first (when `load` is given), then the lowest id. Null when nobody is active: the dispatch is refused
 * rather than left with no one to sign for it.
 */
export function departmentHandler({
  members,
  departmentId,
  load,
}: {
  members: readonly DepartmentMember[];
  departmentId: number;
  load?: ReadonlyMap<number, number>;
}): number | null {
  for (const role of ['handler', 'head'] as const) {
    const candidates = members
      .filter((m) => m.departmentId === departmentId && m.active && m.role === role)
      .sort((a, b) => (load?.get(a.staffId) ?? 0) - (load?.get(b.staffId) ?? 0) || a.staffId - b.staffId);
    if (candidates[0]) return candidates[0].staffId;
  }
  return null;
}

/** Utilities work every day: every date is a working day on their calendar. */
export const EVERY_DAY_CALENDAR: WorkCalendar = {
  coveredYears: [],
  isWorkingDay: () => true,
  covers: () => true,
};

/** The calendar a department's limits are counted on. */
export function calendarOf(department: Pick<Department, 'calendar'>, working: WorkCalendar): WorkCalendar {
  return department.calendar === 'every_day' ? EVERY_DAY_CALENDAR : working;
}

export type DispatchLimits = { signDeadlineAt: Date; deadlineAt: Date; returnDeadlineAt: Date | null };

/**
 * The limits a dispatch puts in force, counted from the dispatch on the department's calendar:
 * - 签收: urgent orders within SIGN_LIMITS.urgentMinutes around the clock; others within the department's
 *   `signLimitHours` (working hours on a working calendar, clock hours for a company that works every day);
 * - 办结: urgent orders the category's hours; others the department's `limitDays` when it sets them, else the
 *   category's working days, counted as days of the department's calendar;
 * - 退回: allowed for `returnLimitHours` clock hours, not at all when the dispatch is a final 争议 decision.
 */
export function dispatchLimits({
  now,
  urgency,
  category,
  department,
  calendar,
  final,
}: {
  now: Date;
  urgency: Urgency;
  category: CategoryLimits;
  department: Pick<Department, 'calendar' | 'signLimitHours' | 'limitDays' | 'returnLimitHours'>;
  /** The holiday calendar (working days); a company working every day ignores it. */
  calendar: WorkCalendar;
  final: boolean;
}): DispatchLimits {
  const own = calendarOf(department, calendar);
  const signDeadlineAt =
    urgency === 'urgent'
      ? new Date(now.getTime() + SIGN_LIMITS.urgentMinutes * 60_000)
      : department.calendar === 'every_day'
        ? new Date(now.getTime() + department.signLimitHours * 3_600_000)
        : addWorkingHours({ start: now, hours: department.signLimitHours, calendar: own });
  const rule: TimeLimitRule =
    urgency === 'urgent'
      ? { unit: 'hours', value: category.urgentLimitHours }
      : { unit: 'working_days', value: department.limitDays ?? category.limitWorkingDays };
  return {
    signDeadlineAt,
    deadlineAt: computeDeadline({ start: now, rule, calendar: own }),
    returnDeadlineAt: final ? null : new Date(now.getTime() + department.returnLimitHours * 3_600_000),
  };
}

/** A dispatch as the 退回 rule reads it. */
export type DispatchForReturn = {
  status: 'dispatched' | 'signed' | 'returned' | 'resolved' | 'withdrawn';
  role: DispatchRole;
  disputed: boolean;
  returnDeadlineAt: Date | null;
};

export type ReturnRefusal = 'not_open' | 'not_lead' | 'final' | 'too_late';

/**
 * Whether the department may still 退回 (不属于本部门职责): only the open 主办 dispatch, within its return limit, and
 * never a dispatch the district decided as a 争议派单 (that decision is final: the department handles it).
 */
export function mayReturn({ dispatch, now }: { dispatch: DispatchForReturn; now: Date }): { ok: true } | { ok: false; why: ReturnRefusal } {
  if (dispatch.status !== 'dispatched' && dispatch.status !== 'signed') return { ok: false, why: 'not_open' };
  if (dispatch.role !== 'lead') return { ok: false, why: 'not_lead' };
  if (dispatch.disputed || dispatch.returnDeadlineAt === null) return { ok: false, why: 'final' };
  if (now.getTime() > dispatch.returnDeadlineAt.getTime()) return { ok: false, why: 'too_late' };
  return { ok: true };
}

/**
 * Where a department's 退回 goes (the 12345 争议派单 rule): the first one back to the unit that dispatched, to
 * re-dispatch; a second 退回 of the same order is a dispute, and goes up to the district dispatcher, whose
 * dispatch is final. `earlierReturns` counts the order's earlier department returns.
 */
export function returnTarget({
  earlierReturns,
  dispatcherUnitId,
  districtUnitId,
}: {
  earlierReturns: number;
  dispatcherUnitId: number;
  districtUnitId: number;
}): { unitId: number; dispute: boolean } {
  if (earlierReturns >= 1) return { unitId: districtUnitId, dispute: true };
  return { unitId: dispatcherUnitId, dispute: false };
}

/**
 * Whether a dispatch is a final 争议 decision: made at the district after the order was returned at least once
 * (a second 退回 sent it there, or the dispatcher disagreed with a 退回 and 上报'd it).
 */
export function isFinalDecision({ dispatcherLevel, earlierReturns }: { dispatcherLevel: UnitLevel; earlierReturns: number }): boolean {
  return dispatcherLevel === 'district' && earlierReturns >= 1;
}

/**
 * Who dispatches for the system when the catalogue decides at intake, and so takes the department's 退回: the
 * officer of the order's town (街道), or the first unit above it with someone responsible. Null when the chain has
 * no town level or nobody there or above. `chain` is the grid's chain, bottom first.
 */
export function systemDispatcher({ chain, staff }: { chain: UnitNode[]; staff: StaffAtUnit[] }): (Assignment & { unitPath: string }) | null {
  const from = chain.findIndex((u) => levelRank(u.level) >= levelRank('town'));
  if (from < 0) return null;
  const found = routeUp({ chain: chain.slice(from), staff });
  return found ? { ...found, unitPath: chain.find((u) => u.id === found.unitId)!.path } : null;
}

/**
 * The unit an officer dispatches for (where a 退回 comes back to): the lowest unit on the order's chain at which
 * they are an officer or an admin; an admin elsewhere dispatches for the top of the chain. Null when they are
 * neither: grid staff and department members do not dispatch. `chain` is the order's unit and those above it.
 */
export function dispatcherUnitFor(actor: Actor, chain: readonly UnitNode[]): UnitNode | null {
  if (actor.kind === 'system') return chain[chain.length - 1] ?? null;
  const dispatching = dispatchingRoles(actor);
  for (const unit of chain) {
    if (dispatching.some((r) => r.unitId === unit.id)) return unit;
  }
  return dispatching.some((r) => r.role === 'admin') ? (chain[chain.length - 1] ?? null) : null;
}

/** The roles someone dispatches by: officer and admin roles (none for residents, grid staff, department members). */
export function dispatchingRoles(actor: Actor): Extract<Actor, { kind: 'staff' }>['roles'] {
  return actor.kind === 'staff' ? actor.roles.filter((r) => r.role === 'officer' || r.role === 'admin') : [];
}

/** A department's name as people type it: width, case, spaces and punctuation do not count. */
function nameKey(name: string): string {
  return compactText(name);
}

/** The name without the level it belongs to ("区燃气公司" → "燃气公司"), for "燃气公司那边" or "给燃气公司". */
function coreName(name: string): string {
  return nameKey(name).replace(/^(区|市|县|镇|街道)/u, '');
}

/** Everyday names of the utilities, as officers type them, to the words their departments are named with. */
const COMMON_NAMES: readonly [RegExp, string][] = [
  [/自来水|水务|水厂/gu, '供水'],
  [/电力|电业|供电局|电网/gu, '供电'],
  [/煤气|天然气/gu, '燃气'],
];

function commonName(key: string): string {
  let out = key;
  for (const [from, to] of COMMON_NAMES) out = out.replace(from, to);
  return out;
}

export type DepartmentMatch =
  | { kind: 'found'; department: Department }
  | { kind: 'ambiguous'; choices: Department[] }
  | { kind: 'unknown'; serving: Department[] };

/**
 * The department someone names in the chat ("区燃气公司", "燃气公司", "燃气", "ＲＱ", "给燃气公司"), among the active
 * ones: an exact name or code; else the names containing the words (or contained in them). Several fit: the one of
 * them that serves the order's place (`placePath`), else ambiguous. None: unknown, with those that serve the place.
 * A department that does not serve the place is still found, so the dispatch can say why it is refused.
 */
export function matchDepartment({
  departments,
  query,
  placePath,
}: {
  departments: readonly Department[];
  query: string;
  placePath: string;
}): DepartmentMatch {
  const active = departments.filter((d) => d.active);
  const serving = active.filter((d) => servesPlace(d, placePath));
  const typed = nameKey(query);
  if (!typed) return { kind: 'unknown', serving };
  const fits = (q: string) => {
    const exact = active.filter((d) => nameKey(d.name) === q || nameKey(d.code) === q);
    return exact.length ? exact : active.filter((d) => nameKey(d.name).includes(q) || (coreName(d.name).length >= 2 && q.includes(coreName(d.name))));
  };
  let fitting = fits(typed);
  // What people call a utility ("自来水公司", "电力局", "煤气公司") when no department is named so.
  const everyday = commonName(typed);
  if (fitting.length === 0 && everyday !== typed) fitting = fits(everyday);
  if (fitting.length === 0) return { kind: 'unknown', serving };
  if (fitting.length === 1) return { kind: 'found', department: fitting[0]! };
  const here = fitting.filter((d) => servesPlace(d, placePath));
  if (here.length === 1) return { kind: 'found', department: here[0]! };
  return { kind: 'ambiguous', choices: here.length ? here : fitting };
}

/** Whether the department member may act on an order the department holds. */
export function isDepartmentMember(
  memberships: readonly { departmentId: number }[] | undefined,
  departmentId: number | null | undefined,
): boolean {
  return departmentId != null && (memberships ?? []).some((m) => m.departmentId === departmentId);
}

/** What the catalogue decided for a new demand: the department, who there takes it, its limits, who dispatched. */
export type IntakeDispatch = {
  department: Department;
  handlerStaffId: number;
  assists: Department[];
  /** The unit the system dispatches for (its 退回 goes there). */
  dispatcherUnitId: number;
  limits: DispatchLimits;
};

/**
 * 分流交办 at intake: when the 派单目录 names exactly one lead for the demand and lets the system dispatch it
 * (`auto`), the order goes straight to that department's handler instead of the grid's leader; null otherwise
 * (no entry, an ambiguous one, a suggestion only, nobody active in the department, or no dispatcher above).
 */
export function planIntakeDispatch({
  directory,
  categoryId,
  category,
  urgency,
  text,
  chain,
  staff,
  now,
  calendar,
}: {
  directory: { departments: readonly Department[]; members: readonly DepartmentMember[]; catalogue: readonly CatalogueEntry[] };
  categoryId: number;
  category: CategoryLimits;
  urgency: Urgency;
  text: string;
  /** The grid's chain, bottom first. */
  chain: UnitNode[];
  staff: StaffAtUnit[];
  now: Date;
  calendar: WorkCalendar;
}): IntakeDispatch | null {
  const grid = chain[0];
  if (!grid) return null;
  const byId = new Map(directory.departments.map((d) => [d.id, d]));
  const match = lookupCatalogue({
    entries: directory.catalogue,
    categoryId,
    placePath: grid.path,
    text,
    isActive: (id) => {
      const d = byId.get(id);
      return d !== undefined && servesPlace(d, grid.path);
    },
  });
  if (match.kind !== 'found' || !match.auto) return null;
  const department = byId.get(match.leadId)!;
  const handlerStaffId = departmentHandler({ members: directory.members, departmentId: department.id });
  if (handlerStaffId === null) return null;
  const dispatcher = systemDispatcher({ chain, staff });
  if (!dispatcher) return null;
  return {
    department,
    handlerStaffId,
    assists: match.assistIds.map((id) => byId.get(id)!),
    dispatcherUnitId: dispatcher.unitId,
    limits: dispatchLimits({ now, urgency, category, department, calendar, final: false }),
  };
}
