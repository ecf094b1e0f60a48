/**
 * The trails (Art. 24-25, 28): the projects' SM3 hash-chained audit log and the administrators' trail.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Audit trail (Art. 24-25): every accepted action, append-only, hash-chained per project with SM3
 * (GB/T 32905; Art. 28): hash = SM3(prev_hash ‖ canonical entry). `event_id` makes appends idempotent.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    projectId: text('project_id').notNull(),
    seq: integer('seq').notNull(),
    eventId: text('event_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    action: text('action').notNull(),
    actorKeyId: text('actor_key_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorDepartment: text('actor_department'),
    actorName: text('actor_name').notNull(),
    /** Art. 22, 24-25: the person (personal account) who acted; null for API keys and older entries. */
    actorAccountId: text('actor_account_id'),
    actorOrganization: text('actor_organization'),
    detail: jsonb('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.seq] }), uniqueIndex('audit_log_event_idx').on(t.projectId, t.eventId)],
);

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * The administrators' trail (GB/T 22239-2019 8.1.4.3 security audit; Art. 24-25 every
 * action traceable): every change an administrator makes to API keys, jurisdictions, policies,
 * the working-day calendar and webhook subscriptions — who, when, from where, the record before
 * and after — appended in the transaction of the change, each row chained to the one before by SM3
 * (db/audit-chain.ts chainLink), `seq` 1, 2, 3…; checked by `npm run audit:verify`. Personal
 * accounts' creation, revocation and reset are on `account_events`, chained the same way. Never a
 * secret: keys and webhook secrets appear only as "set".
 */
export const adminEvents = pgTable(
  'admin_events',
  {
    seq: integer('seq').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** e.g. `api-key.create`, `policy.version`, `calendar.override`, `webhook.delete` */
    action: text('action').notNull(),
    /** What was changed: a key id, a jurisdiction code, a year, a webhook id. */
    target: text('target').notNull(),
    /** Who: an API key id, `account:<id>`, `env-admin`, `cli:<user>`. */
    actor: text('actor').notNull(),
    actorName: text('actor_name'),
    actorRole: text('actor_role'),
    ip: text('ip'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('admin_events_target_idx').on(t.action, t.target)],
);
export type AdminEventRow = typeof adminEvents.$inferSelect;
