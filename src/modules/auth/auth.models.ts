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
  /** The departments the user works for (none for most staff). */
  departments?: DepartmentMembershipOfUser[];
  mustChangePassword: boolean;
  sessionId: string;
  csrfToken: string;
};

/**
 * What part of the grid tree a user may see: everything (admins), or the subtrees under the paths of the units
 * where they hold a role (an officer's town or community, a leader's grid). Orders assigned to the user
 * personally are visible too (see `canSeeOrder`), as the order rules allow.
 */
export type Scope = { all: true } | { all: false; paths: string[]; departmentIds?: number[] };

/** The departments (分流交办) a member of staff works for: they see the orders their department holds. */
export type DepartmentMembershipOfUser = { departmentId: number; role: 'handler' | 'head' };

export function scopeOf(actor: { roles: readonly RoleAtUnit[]; departments?: readonly DepartmentMembershipOfUser[] }): Scope {
  if (actor.roles.some((r) => r.role === 'admin')) return { all: true };
  const departmentIds = [...new Set((actor.departments ?? []).map((d) => d.departmentId))].sort((a, b) => a - b);
  // Nested paths are redundant: keep only the topmost of each chain, so SQL filters stay short.
  const paths = [...new Set(actor.roles.map((r) => r.unitPath))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of paths) if (!kept.some((k) => isAncestorOrSelf(k, p))) kept.push(p);
  return departmentIds.length ? { all: false, paths: kept, departmentIds } : { all: false, paths: kept };
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
//
// Three counters, so that a stranger can slow down guessing at an account without locking its owner out:
// - per address ("ip:<addr>"): 30 failures in 15 minutes lock that address for 15 minutes (spraying many
//   accounts from one place); it only ever locks the address that failed;
// - per account and address ("user:<name>|ip:<addr>"): 5 failures lock that pair for 15 minutes;
// - per account across addresses ("acct:<name>"): from the 4th failure in 15 minutes on, each failure makes
//   the account wait 1, 2, then 4 s (the cap) before the next try, but only for addresses with failures of their
//   own in the window. An address with no recent failure (the owner's, usually) is never held back by the
//   account's back-off, so guessing from many addresses costs the attacker one fresh address per extra guess
//   and costs the owner nothing; guessing from a few addresses is held to one guess per 4 s per account.
// The request's address is the socket's unless TRUST_PROXY names the proxies in front (config.ts).

/** Failures allowed per username and address within the window before log-in is refused for `lockMs`. */
export const LOGIN_THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

/** An address trying many usernames (password spraying) is slowed too, with a larger allowance. */
export const LOGIN_THROTTLE_PER_IP = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

/** The per-account back-off: free failures in the window, then a doubling wait from `baseMs` up to `maxMs`. */
export const LOGIN_BACKOFF_PER_ACCOUNT = { freeFailures: 3, windowMs: 15 * 60_000, baseMs: 1_000, maxMs: 4_000 } as const;

/** Nothing any rule remembers is older than this: rows past it (and not locked) may be deleted. */
export const LOGIN_THROTTLE_RETENTION_MS = 15 * 60_000;

export type ThrottleRule = { maxFailures: number; windowMs: number; lockMs: number };
export type BackoffRule = { freeFailures: number; windowMs: number; baseMs: number; maxMs: number };
export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null };

/** Whether a log-in may be tried now; when not, until when it is refused. */
export function throttleCheck(state: ThrottleState | undefined, now: Date): { allowed: true } | { allowed: false; until: Date } {
  if (state?.lockedUntil && state.lockedUntil > now) return { allowed: false, until: state.lockedUntil };
  return { allowed: true };
}

const windowExpired = (state: ThrottleState | undefined, now: Date, windowMs: number) =>
  !state || now.getTime() - state.windowStartedAt.getTime() > windowMs;

/** The counter after one more failure: a fresh window when the old one ran out, a lock at the limit. */
export function afterFailure(state: ThrottleState | undefined, now: Date, rule: ThrottleRule): ThrottleState {
  const expired = windowExpired(state, now, rule.windowMs);
  const failures = expired || !state ? 1 : state.failures + 1;
  const windowStartedAt = expired || !state ? now : state.windowStartedAt;
  const lockedUntil = failures >= rule.maxFailures ? new Date(now.getTime() + rule.lockMs) : null;
  return { failures, windowStartedAt, lockedUntil };
}

/** The account's counter after one more failure: `lockedUntil` is when the next try is allowed (the back-off). */
export function afterAccountFailure(state: ThrottleState | undefined, now: Date, rule: BackoffRule): ThrottleState {
  const expired = windowExpired(state, now, rule.windowMs);
  const failures = expired || !state ? 1 : state.failures + 1;
  const windowStartedAt = expired || !state ? now : state.windowStartedAt;
  const over = failures - rule.freeFailures;
  const waitMs = over <= 0 ? 0 : Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(over - 1, 20));
  return { failures, windowStartedAt, lockedUntil: waitMs ? new Date(now.getTime() + waitMs) : null };
}

/** An address with no failure within the window: the account's back-off does not hold it back. */
export function addressIsClean(ipState: ThrottleState | undefined, now: Date, windowMs = LOGIN_THROTTLE_PER_IP.windowMs): boolean {
  return !ipState || ipState.failures === 0 || windowExpired(ipState, now, windowMs);
}

export type LoginGate = { allowed: true } | { allowed: false; until: Date; rule: 'address' | 'account_address' | 'account' };

/** Whether a log-in attempt is weighed at all, given the three counters (see above). */
export function loginGate({
  address,
  accountAtAddress,
  account,
  now,
}: {
  address?: ThrottleState;
  accountAtAddress?: ThrottleState;
  account?: ThrottleState;
  now: Date;
}): LoginGate {
  const a = throttleCheck(address, now);
  if (!a.allowed) return { allowed: false, until: a.until, rule: 'address' };
  const p = throttleCheck(accountAtAddress, now);
  if (!p.allowed) return { allowed: false, until: p.until, rule: 'account_address' };
  const c = throttleCheck(account, now);
  if (!c.allowed && !addressIsClean(address, now)) return { allowed: false, until: c.until, rule: 'account' };
  return { allowed: true };
}

/** The keys of the three counters for a username (trimmed, any case) and an address. */
export function throttleKeys(username: string, ip: string) {
  const user = username.toLowerCase();
  return { address: `ip:${ip}`, accountAtAddress: `user:${user}|ip:${ip}`, account: `acct:${user}` };
}

// --- passwords ---------------------------------------------------------------------------------------------

export const MIN_PASSWORD_LENGTH = 10;
/** One limit for setting and for checking a password: longer is refused at a change and never weighed at log-in. */
export const MAX_PASSWORD_LENGTH = 1000;
/** zxcvbn's score a new password needs: 3 = "safely unguessable" (about 10^8 guesses and more). */
export const MIN_PASSWORD_SCORE = 3;

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_username' | 'same_as_current' | 'too_weak';

/**
 * Why a new password is refused, or null. Length first; then the strength estimate (zxcvbn, computed by the
 * caller with the user's name, username and units as inputs), which refuses common, guessable and patterned
 * passwords whatever their character classes.
 */
export function passwordProblem({
  password,
  username,
  current,
  strength,
}: {
  password: string;
  username: string;
  current?: string;
  strength: { score: number };
}): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (password.toLowerCase().includes(username.toLowerCase()) && username.length >= 3) return 'same_as_username';
  if (current !== undefined && password === current) return 'same_as_current';
  if (strength.score < MIN_PASSWORD_SCORE) return 'too_weak';
  return null;
}

/** What a user's password must not be built from: who they are, where they work, and this product. */
export function passwordUserInputs(user: { username: string; name: string; units: readonly string[] }): string[] {
  return [user.username, user.name, ...user.units, 'gridline', '网格', '小格'].filter((x) => x.length > 0);
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
