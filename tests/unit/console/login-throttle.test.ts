import { describe, expect, it } from 'vitest';
import {
  LOGIN_BACKOFF_PER_ACCOUNT,
  LOGIN_THROTTLE,
  LOGIN_THROTTLE_PER_IP,
  type ThrottleState,
  afterAccountFailure,
  afterFailure,
  loginGate,
  throttleKeys,
} from '../../../src/modules/auth/auth.models';

const t0 = new Date('2026-12-07T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function failures(n: number, step: (s: ThrottleState | undefined, now: Date) => ThrottleState, gapMs = 0) {
  let s: ThrottleState | undefined;
  for (let i = 0; i < n; i++) s = step(s, at(i * gapMs));
  return s!;
}

describe('the log-in throttle rules', () => {
  it('the account waits 0, 0, 0, then 1, 2, 4, 4 … seconds after each failure, and starts afresh after the window', () => {
    const waits: number[] = [];
    let s: ThrottleState | undefined;
    for (let i = 0; i < 8; i++) {
      s = afterAccountFailure(s, t0, LOGIN_BACKOFF_PER_ACCOUNT);
      waits.push(s.lockedUntil ? s.lockedUntil.getTime() - t0.getTime() : 0);
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 4000, 4000]);
    const later = afterAccountFailure(s, at(LOGIN_BACKOFF_PER_ACCOUNT.windowMs + 1), LOGIN_BACKOFF_PER_ACCOUNT);
    expect(later).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('the account’s back-off holds back only an address with failures of its own', () => {
    const account = failures(10, (s, now) => afterAccountFailure(s, now, LOGIN_BACKOFF_PER_ACCOUNT));
    const dirty = failures(1, (s, now) => afterFailure(s, now, LOGIN_THROTTLE_PER_IP));
    expect(loginGate({ account, now: t0 })).toEqual({ allowed: true });
    expect(loginGate({ account, address: dirty, now: t0 })).toMatchObject({ allowed: false, rule: 'account' });
    expect(loginGate({ account, address: dirty, now: at(4_001) })).toEqual({ allowed: true });
    // An address whose failures are older than the window is clean again.
    expect(loginGate({ account: afterAccountFailure(account, at(16 * 60_000), LOGIN_BACKOFF_PER_ACCOUNT), address: dirty, now: at(16 * 60_000) }).allowed).toBe(true);
  });

  it('the address and the account-at-address locks hold whatever the account’s state', () => {
    const address = failures(30, (s, now) => afterFailure(s, now, LOGIN_THROTTLE_PER_IP), 1000);
    expect(loginGate({ address, now: at(30_000) })).toMatchObject({ allowed: false, rule: 'address' });
    const pair = failures(5, (s, now) => afterFailure(s, now, LOGIN_THROTTLE), 1000);
    expect(loginGate({ accountAtAddress: pair, now: at(5_000) })).toMatchObject({ allowed: false, rule: 'account_address' });
    expect(loginGate({ accountAtAddress: pair, now: at(4_000 + LOGIN_THROTTLE.lockMs + 1) })).toEqual({ allowed: true });
  });

  it('keys ignore the case of the username', () => {
    expect(throttleKeys('Admin', '10.0.0.1')).toEqual(throttleKeys('admin', '10.0.0.1'));
    expect(throttleKeys('admin', '10.0.0.1').account).toBe('acct:admin');
  });
});
