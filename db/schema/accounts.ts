/**
 * Who may act (docs/API.md "Auth"; Art. 24-25): API keys, personal accounts, their sessions, password
 * history, account events and sign-in attempts.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { ACCOUNT_EVENT_OUTCOMES, ACCOUNT_EVENTS } from '../../domain/accounts.ts';
import { ROLES } from '../../domain/vocabulary.ts';

/**
 * API keys (docs/API.md "Auth"). Only an SM3 digest of the secret is stored; the plaintext key is
 * shown once, at creation. A key reads `bdp_<id>_<secret>` so the row is found by id and the
 * digests are compared in constant time.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    department: text('department'),
    /** Art. 5, 12, 30 (measures): the jurisdiction (jurisdictions.code) the key acts for. */
    jurisdiction: text('jurisdiction').notNull().default('city'),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    // 三员分立 (policy, domain/admin-roles.ts): `admin` is the start-up key's alone, never a row's.
    check(
      'api_keys_role_check',
      sql`${t.role} in ('bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin')`,
    ),
    // A department key always names its department; no other role carries one.
    check('api_keys_department_check', sql`(${t.role} = 'department') = (${t.department} is not null)`),
  ],
);

/**
 * Personal accounts (Art. 22, 24-25: persons are held to account) beside API keys, which
 * stay for systems. The password hash carries its algorithm and parameters (lib/passwords.ts); the
 * TOTP secret is the confirmed one, `totp_pending_secret` one being enrolled (lib/totp.ts);
 * `totp_last_step` is the time step of the last code accepted, so no code is accepted twice.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    loginName: text('login_name').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    department: text('department'),
    jurisdiction: text('jurisdiction'),
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    // 三员分立 (policy, domain/admin-roles.ts): `admin` is the start-up key's alone, never a row's.
    check(
      'accounts_role_check',
      sql`${t.role} in ('bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin')`,
    ),
    // As for keys: a department account names its department; no other role carries one.
    check('accounts_department_check', sql`(${t.role} = 'department') = (${t.department} is not null)`),
  ],
);

/**
 * Sign-in sessions of accounts. Only SM3(token) is stored (the id); the CSRF token is not a
 * credential on its own and is handed back by GET /v1/auth/me. Idle and absolute expiry are
 * decided from `created_at` and `last_seen_at` (domain/accounts.ts sessionExpiry); `ended_at` is
 * set by sign-out, revocation or expiry.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** logout | logout-everywhere | revoked | idle | absolute | password-changed */
    endReason: text('end_reason'),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

/** The hashes of an account's passwords, newest last, for "not one of the last 5" (domain/accounts.ts). */
export const passwordHistory = pgTable(
  'password_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('password_history_account_idx').on(t.accountId, t.id)],
);

/**
 * The accounts' security trail (Art. 24-25: every action traced to a person; Art. 28; GB/T 39786 logs): every sign-in
 * and its failures (known login name or not), lockouts, sign-outs, expired sessions, password and
 * TOTP changes and the admins' actions on accounts, append-only, each row chained to the one before
 * by SM3 (db/audit-chain.ts chainLink) — one chain for the whole table, `seq` 1, 2, 3… The lockout
 * counts `sign_in_attempts` instead, which also holds the attempts still being checked.
 */
export const accountEvents = pgTable(
  'account_events',
  {
    seq: integer('seq').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** domain/accounts.ts ACCOUNT_EVENTS */
    event: text('event', { enum: ACCOUNT_EVENTS }).notNull(),
    /** domain/accounts.ts ACCOUNT_EVENT_OUTCOMES */
    outcome: text('outcome', { enum: ACCOUNT_EVENT_OUTCOMES }).notNull(),
    /** null for a sign-in attempt with a login name no active account has */
    accountId: text('account_id'),
    loginName: text('login_name').notNull(),
    /** Who acted: `account:<id>` (the person), an API key id (an admin system), `cli:<user>`; null for an anonymous sign-in attempt. */
    actor: text('actor'),
    actorName: text('actor_name'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: jsonb('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('account_events_account_idx').on(t.accountId, t.seq),
    index('account_events_login_idx').on(t.loginName, t.event, t.at),
  ],
);

/**
 * The lockout's counter (GB/T 22239-2019 8.1.4.1 b): one row per sign-in attempt of a login
 * name, reserved before its password is checked — in a transaction serialised per login name — and
 * finished with its outcome. A reservation still open counts against the limit, so parallel attempts
 * cannot all be checked before the first failure is recorded (domain/accounts.ts signInDecision).
 * `source` is the client address (api/client-address.ts). Rows older than a day are swept.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    loginName: text('login_name').notNull(),
    source: text('source').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** null while being checked; `failure`, `success`, or `incomplete` (a missing TOTP code: not a failure) */
    outcome: text('outcome', { enum: ['failure', 'success', 'incomplete'] }),
  },
  (t) => [
    index('sign_in_attempts_login_idx').on(t.loginName, t.startedAt),
    index('sign_in_attempts_started_idx').on(t.startedAt),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type AccountEventRow = typeof accountEvents.$inferSelect;

export type ApiKeyRow = typeof apiKeys.$inferSelect;
