/**
 * 三员分立 (separation of duties of the administrators; policy, following GB/T 22239-2019 level 3,
 * 8.1.4.2 c and 8.1.10.1-8.1.10.3: 系统管理员, 审计管理员, 安全管理员). The measures ask for a secure,
 * controllable system (Art. 28, *measures*) and that every action be traceable to a person
 * (Art. 24-25, *measures*); splitting the administrator is how the level 3 baseline gets there.
 * One table for the API's role checks, the console's menus and the docs (docs/ACCOUNTS.md "三员分立").
 *
 * - `sysadmin` 系统管理员: configuration — deadline policies, the working-day calendar, webhooks, the
 *   departments and jurisdictions registries, the Temporal codec.
 * - `secadmin` 安全管理员: personal accounts and API keys (who holds which role, department and
 *   jurisdiction), revocations.
 * - `auditadmin` 审计管理员: reads every trail, changes nothing.
 * - `admin`: only the start-up key ADMIN_API_KEY (管理员密钥（启动配置）), the installation and
 *   break-glass credential, holds it; it has every administrator duty and is never assignable to an
 *   account or an issued key (the database's role checks refuse it, migration 0024).
 */
import { ROLES, type Role } from './vocabulary.ts';

/** The three administrator roles an account or key can hold; mutually exclusive like every role (one role per account). */
export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditadmin'] as const satisfies readonly Role[];
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** The start-up key's role: every administrator duty, never held by an account or an issued key. */
export const STARTUP_ROLE = 'admin' as const satisfies Role;

/** The roles an account or API key may be given (every role but the start-up key's). */
export const ASSIGNABLE_ROLES = ROLES.filter((r): r is Exclude<Role, typeof STARTUP_ROLE> => r !== STARTUP_ROLE) as [
  Exclude<Role, 'admin'>,
  ...Exclude<Role, 'admin'>[],
];
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

/** The roles of the lifecycle itself (Art. 4-5 *measures*): who acts on projects. */
export const BUSINESS_ROLES = ROLES.filter((r) => r !== STARTUP_ROLE && !(ADMIN_ROLES as readonly Role[]).includes(r));

export const isAdministrator = (role: Role): boolean =>
  role === STARTUP_ROLE || (ADMIN_ROLES as readonly Role[]).includes(role);

/**
 * (policy) Who carries out which administrator duty. The start-up key does all of them (installation,
 * break-glass); each of the three roles exactly one.
 */
export const ADMIN_DUTIES = {
  /** 系统管理员: policies, calendar, webhooks, departments and jurisdictions registries, the codec. */
  configuration: ['sysadmin', STARTUP_ROLE],
  /** 安全管理员: accounts and API keys. */
  accounts: ['secadmin', STARTUP_ROLE],
  /** 审计管理员: the administrators' trail. */
  trail: ['auditadmin', STARTUP_ROLE],
  /**
   * Reading the accounts and keys (who holds which role) and an account's security trail: the
   * security administrator (lockouts, sign-ins) and the auditor, who reviews both.
   */
  accountReads: ['secadmin', 'auditadmin', STARTUP_ROLE],
} as const satisfies Record<string, readonly Role[]>;
export type AdminDuty = keyof typeof ADMIN_DUTIES;

export const mayAdminister = (duty: AdminDuty, role: Role): boolean =>
  (ADMIN_DUTIES[duty] as readonly Role[]).includes(role);

/**
 * (policy) The roles an API key may not be issued for through the API: administrator keys carry no
 * second factor and belong to no person, so a security administrator who could issue one would hold
 * a second role (or a copy of their own) without anyone else taking part. They are issued by whoever
 * operates the server: the start-up key or `npm run keys`.
 */
export const RESERVED_KEY_ROLES: readonly Role[] = ADMIN_ROLES;

/**
 * (policy) The roles an account may not be created with by a security administrator: a security
 * administrator creates security administrators only through the operator of the server (the
 * start-up key or `npm run accounts`), so nobody multiplies the power to grant roles alone.
 */
export const RESERVED_ACCOUNT_ROLES: readonly Role[] = ['secadmin'];

/**
 * Why `actor` may not give `role` to a new account or key, or undefined when it may: the start-up key
 * (and the CLI, which does not go through here) may give any assignable role; a security
 * administrator every role but the reserved ones.
 */
export function assignmentRefusal(actorRole: Role, what: 'account' | 'key', role: Role): 'reserved_role' | undefined {
  if (actorRole === STARTUP_ROLE) return undefined;
  return (what === 'key' ? RESERVED_KEY_ROLES : RESERVED_ACCOUNT_ROLES).includes(role) ? 'reserved_role' : undefined;
}

/**
 * (policy) The auditor changes nothing (GB/T 22239-2019 8.1.10.2: the audit administrator reviews,
 * does not administer): every write but the person's own password and authenticator (/v1/auth/*).
 */
export const readOnlyRole = (role: Role): boolean => role === 'auditadmin';
