import { isAncestorOrSelf } from '../grids/grids.models';
import type { RoleAtUnit, StaffRole } from '../people/people.models';

/**
 * Who is logged in to the console: a member of staff with every role they hold and where. Pages read the
 * roles; they never trust anything the browser sends about who the user is.
 */
export type ConsoleUser = {
  staffId: number;
  name: string;
  username: string;
  roles: RoleAtUnit[];
  mustChangePassword: boolean;
  sessionId: string;
  csrfToken: string;
};

/**
 * What part of the grid tree a user may see: everything (admins), or the subtrees under the paths of the units
 * where they hold a role (an officer's town or community, a leader's grid). Orders assigned to the user
 * personally are visible too (see `canSeeOrder`), as the order rules allow.
 */
export type Scope = { all: true } | { all: false; paths: string[] };

export function scopeOf(actor: { roles: readonly RoleAtUnit[] }): Scope {
  if (actor.roles.some((r) => r.role === 'admin')) return { all: true };
  // Nested paths are redundant: keep only the topmost of each chain, so SQL filters stay short.
  const paths = [...new Set(actor.roles.map((r) => r.unitPath))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of paths) if (!kept.some((k) => isAncestorOrSelf(k, p))) kept.push(p);
  return { all: false, paths: kept };
}

/** True when a unit (by its path) is inside the scope. */
export function inScope(scope: Scope, path: string): boolean {
  return scope.all || scope.paths.some((p) => isAncestorOrSelf(p, path));
}

/** An order is visible when its grid is in scope or it is assigned to the user. */
export function canSeeOrder(
  user: { staffId: number; roles: readonly RoleAtUnit[] },
  order: { gridPath: string; assigneeId: number | null },
): boolean {
  return order.assigneeId === user.staffId || inScope(scopeOf(user), order.gridPath);
}

export function hasRole(user: { roles: readonly RoleAtUnit[] }, roles: readonly StaffRole[]): boolean {
  return user.roles.some((r) => roles.includes(r.role));
}

export function isAdminUser(user: { roles: readonly RoleAtUnit[] }): boolean {
  return hasRole(user, ['admin']);
}

/** The roles that may use the console at all; informants (信息员) report through the chat and may look. */
export const CONSOLE_ROLES: readonly StaffRole[] = ['admin', 'officer', 'leader', 'assistant', 'informant'];

// --- log-in throttling -------------------------------------------------------------------------------------

/** Failures allowed per username and address within the window before log-in is refused for `lockMs`. */
export const LOGIN_THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

/** An address trying many usernames (password spraying) is slowed too, with a larger allowance. */
export const LOGIN_THROTTLE_PER_IP = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

export type ThrottleRule = { maxFailures: number; windowMs: number; lockMs: number };
export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null };

/** Whether a log-in may be tried now; when not, until when it is refused. */
export function throttleCheck(state: ThrottleState | undefined, now: Date): { allowed: true } | { allowed: false; until: Date } {
  if (state?.lockedUntil && state.lockedUntil > now) return { allowed: false, until: state.lockedUntil };
  return { allowed: true };
}

/** The counter after one more failure: a fresh window when the old one ran out, a lock at the limit. */
export function afterFailure(state: ThrottleState | undefined, now: Date, rule: ThrottleRule): ThrottleState {
  const expired = !state || now.getTime() - state.windowStartedAt.getTime() > rule.windowMs;
  const failures = expired ? 1 : state.failures + 1;
  const windowStartedAt = expired ? now : state.windowStartedAt;
  const lockedUntil = failures >= rule.maxFailures ? new Date(now.getTime() + rule.lockMs) : null;
  return { failures, windowStartedAt, lockedUntil };
}

// --- passwords ---------------------------------------------------------------------------------------------

export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password is refused, or null. Length matters most; a few classes keep "aaaaaaaaaa" out. */
export function passwordProblem({ password, username, current }: { password: string; username: string; current?: string }):
  | 'too_short'
  | 'too_simple'
  | 'same_as_username'
  | 'same_as_current'
  | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.toLowerCase().includes(username.toLowerCase()) && username.length >= 3) return 'same_as_username';
  if (current !== undefined && password === current) return 'same_as_current';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 2 || new Set(password).size < 5) return 'too_simple';
  return null;
}

// --- sessions ----------------------------------------------------------------------------------------------

/** A session ends after this long without use, and in any case after `absoluteMs`. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3_600_000;
/** lastSeenAt is written at most this often, so reading a page is not a write per request. */
export const SESSION_TOUCH_MS = 5 * 60_000;

export function sessionExpired(s: { createdAt: Date; lastSeenAt: Date }, now: Date): boolean {
  return now.getTime() - s.lastSeenAt.getTime() > SESSION_IDLE_MS || now.getTime() - s.createdAt.getTime() > SESSION_ABSOLUTE_MS;
}

/** A 6-digit code for `绑定 483920` in the chat, valid 24 hours. */
export const BIND_CODE_TTL_MS = 24 * 3_600_000;
