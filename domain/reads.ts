/**
 * Who may read what besides the projects themselves (docs/API.md "Endpoints"): one table for the
 * API's role checks and the console's menus and tabs, so a page never offers what its API refuses.
 */
import type { Role } from './vocabulary.ts';

export const READ_ROLES = {
  /** A project's fund ledger (GET /v1/projects/:id/ledger): finance, the BDB, the project's own department. */
  ledger: ['finance', 'bdb', 'department'],
  /** The funds overview of all projects (GET /v1/funds and its export). */
  funds: ['finance', 'bdb'],
} as const satisfies Record<string, readonly Role[]>;

export const mayRead = (what: keyof typeof READ_ROLES, role: Role): boolean =>
  (READ_ROLES[what] as readonly Role[]).includes(role);
