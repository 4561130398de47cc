import type { UnitLevel } from '../grids/grids.models';

export type StaffRole = 'leader' | 'assistant' | 'informant' | 'officer' | 'admin';

/** A role as the rules need it: where it is held, with that unit's path and level. */
export type RoleAtUnit = { unitId: number; unitPath: string; level: UnitLevel; role: StaffRole };

/** A department (职能部门, company, 物业) the member of staff works for: they act on the orders dispatched to it. */
export type DepartmentMembership = { departmentId: number; role: 'handler' | 'head' };

/** Who is acting: a resident (on their own orders), a member of staff (with their roles), or the system (jobs). */
export type Actor =
  | { kind: 'resident'; residentId: number }
  | { kind: 'staff'; staffId: number; roles: RoleAtUnit[]; departments?: DepartmentMembership[] }
  | { kind: 'system' };

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'staff' && actor.roles.some((r) => r.role === 'admin');
}

/** Roles that may act on orders; informants (信息员) report and watch, they do not handle. */
export const HANDLING_ROLES: readonly StaffRole[] = ['leader', 'assistant', 'officer', 'admin'];
