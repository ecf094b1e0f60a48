/**
 * The rules of personal accounts (issue 16; settings of the system, i.e. policy — the measures name
 * no password or session rule; Art. 28 asks for secure, controllable systems), with an injected
 * clock: session expiry (idle 30 min, absolute 8 h), lockout (5 failures → 15 min), password rules.
 */
import { describe, expect, it } from 'vitest';
import {
  brokenPasswordRule,
  characterClasses,
  LOCKOUT_MS,
  lockedUntil,
  organizationOf,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  sessionExpiry,
  totpRequired,
} from '../../domain/accounts.ts';

const T0 = new Date('2026-11-25T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

describe('(policy) session expiry: 30 minutes idle, 8 hours absolute', () => {
  it('is valid until 30 minutes pass without a request', () => {
    const s = { createdAt: T0, lastSeenAt: T0 };
    expect(sessionExpiry(s, at(SESSION_IDLE_MS - 1))).toBeUndefined();
    expect(sessionExpiry(s, at(SESSION_IDLE_MS))).toBe('idle');
  });
  it('a request moves the idle limit, never the absolute one', () => {
    const seen = { createdAt: T0, lastSeenAt: at(SESSION_ABSOLUTE_MS - 10 * MIN) };
    expect(sessionExpiry(seen, at(SESSION_ABSOLUTE_MS - 1))).toBeUndefined();
    expect(sessionExpiry(seen, at(SESSION_ABSOLUTE_MS))).toBe('absolute');
    expect(SESSION_IDLE_MS).toBe(30 * MIN);
    expect(SESSION_ABSOLUTE_MS).toBe(8 * 60 * MIN);
  });
});

describe('(policy) lockout: 5 failed sign-ins in a row lock the login name for 15 minutes', () => {
  const failures = (...minutes: number[]) => minutes.map((m) => at(m * MIN));
  it('four failures do not lock; the fifth locks for 15 minutes from it', () => {
    expect(lockedUntil(failures(0, 1, 2, 3), at(4 * MIN))).toBeUndefined();
    expect(lockedUntil(failures(0, 1, 2, 3, 4), at(4 * MIN))).toEqual(at(4 * MIN + LOCKOUT_MS));
    expect(lockedUntil(failures(0, 1, 2, 3, 4), at(4 * MIN + LOCKOUT_MS - 1))).toEqual(at(4 * MIN + LOCKOUT_MS));
    expect(lockedUntil(failures(0, 1, 2, 3, 4), at(4 * MIN + LOCKOUT_MS))).toBeUndefined();
    expect(LOCKOUT_MS).toBe(15 * MIN);
  });
  it('after a lock runs out the count starts again; failures during a lock do not count', () => {
    // Locked 4 → 19; failures at 10 (during the lock) ignored; 20..23 are four: not locked.
    expect(lockedUntil(failures(0, 1, 2, 3, 4, 10, 20, 21, 22, 23), at(24 * MIN))).toBeUndefined();
    // A fifth after the lock locks again.
    expect(lockedUntil(failures(0, 1, 2, 3, 4, 20, 21, 22, 23, 24), at(25 * MIN))).toEqual(at(24 * MIN + LOCKOUT_MS));
  });
});

describe('(policy) password rules: ≥ 12 characters, three of four classes, not one of the last 5', () => {
  it('names the first rule broken', () => {
    expect(brokenPasswordRule('Ab1-short', false)).toBe('length');
    expect(brokenPasswordRule('alllowercase1', false)).toBe('classes');
    expect(brokenPasswordRule('ALLUPPER-CASE', false)).toBe('classes');
    expect(brokenPasswordRule('Lower-and-upper', false)).toBeUndefined();
    expect(brokenPasswordRule('Jincheng-2026-secure', true)).toBe('reused');
    expect(brokenPasswordRule('Jincheng-2026-secure', false)).toBeUndefined();
  });
  it('counts characters, not bytes, and any non-alphanumeric character as the fourth class', () => {
    expect(characterClasses('abcABC123')).toBe(3);
    expect(characterClasses('晋城大数据abcABC')).toBe(3);
    expect(brokenPasswordRule('晋城大数据应用局项目管理A', false)).toBe('classes');
    expect(brokenPasswordRule('晋城大数据应用局项目a1', false)).toBeUndefined();
  });
});

describe('(policy) TOTP and organisation', () => {
  it('TOTP is required for the three administrators (三员分立, GB/T 22239-2019 8.1.4.1 d) and the start-up role only', () => {
    for (const role of ['sysadmin', 'secadmin', 'auditadmin', 'admin'] as const) expect(totpRequired(role)).toBe(true);
    for (const role of ['bdb', 'approval', 'finance', 'department'] as const) expect(totpRequired(role)).toBe(false);
  });
  it('the organisation is the role with the department or jurisdiction', () => {
    expect(organizationOf({ role: 'department', department: 'health' })).toBe('department/health');
    expect(organizationOf({ role: 'finance', jurisdiction: 'zezhou' })).toBe('finance@zezhou');
    expect(organizationOf({ role: 'bdb', department: null, jurisdiction: null })).toBe('bdb');
  });
});
