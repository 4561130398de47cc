/** Who may read which stored report, and where a chat message links to one. Pure. */
import { isAncestorOrSelf } from '../grids/grids.models';
import type { RoleAtUnit } from '../people/people.models';

/**
 * The units whose reports a user may read: every unit for an admin; otherwise the units of their area (their
 * subtree) and the units above them, since a district's weekly report and analysis go to its town officers too.
 * null means every unit.
 */
export function reportUnitsVisible(
  user: { roles: readonly RoleAtUnit[] },
  units: readonly { id: number; path: string }[],
): number[] | null {
  if (user.roles.some((r) => r.role === 'admin')) return null;
  return units
    .filter((u) => user.roles.some((r) => isAncestorOrSelf(r.unitPath, u.path) || isAncestorOrSelf(u.path, r.unitPath)))
    .map((u) => u.id);
}

/** The console page a report's chat message points to: the 报告 page filtered to the kind and period. */
export function reportLink({ publicUrl, kind, periodKey }: { publicUrl?: string; kind: string; periodKey: string }): string {
  const params = new URLSearchParams({ kind, period: periodKey });
  return `${(publicUrl ?? '').replace(/\/+$/, '')}/console/reports?${params.toString()}`;
}
