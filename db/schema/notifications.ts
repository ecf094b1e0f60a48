/**
 * What people are told: the notifications outbox, the inbox's rows of pending actions, who read
 * which notice, and webhook subscriptions with their deliveries and attempts.
 */
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { projects } from './projects.ts';

/** Notifications outbox: reminders and violations for the inbox (recipient role and department). */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique(),
    projectId: text('project_id').notNull(),
    recipientRole: text('recipient_role').notNull(),
    recipientDepartment: text('recipient_department'),
    kind: text('kind').notNull(),
    /** What the texts of `kind` are rendered from (domain/labels/notifications.ts), so either language can be shown later. */
    params: jsonb('params').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    /** The zh-CN text (domain/labels/notifications.ts renders English from kind + params). */
    detail: text('detail').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** `measures` (the text's own rule) or `policy` (a policy setting produced it). */
    basis: text('basis').notNull().default('measures'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When the row was written (its transaction's start): webhook delivery's cursor settles on it (lib/webhooks.ts). */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_recipient_idx').on(t.recipientRole, t.recipientDepartment, t.createdAt)],
);

/**
 * 待办's rows: one per pending action of a project (`projects.pending_actions`), kept by a trigger on
 * `projects` (migration 0017: written in the same statement as the read model, so never behind it),
 * so the inbox pages a role's actions by index — due first (`due_sort`: the due instant, `infinity`
 * for none), then project and place — and counts them without expanding every project's JSON.
 */
export const inboxItems = pgTable(
  'inbox_items',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The action's place in the project's `pending_actions` (1-based). */
    ordinal: integer('ordinal').notNull(),
    role: text('role').notNull(),
    department: text('department').notNull(),
    action: text('action').notNull(),
    ref: text('ref'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    dueSort: timestamp('due_sort', { withTimezone: true }).notNull(),
    overdue: boolean('overdue').notNull(),
    /** 'policy' when a local policy setting, not the text, asks for the action now (docs/MEASURES.md "Two kinds of rule"). */
    basis: text('basis'),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.ordinal] }),
    index('inbox_items_role_due_idx').on(t.role, t.dueSort, t.projectId, t.ordinal),
    index('inbox_items_role_department_due_idx').on(t.role, t.department, t.dueSort, t.projectId, t.ordinal),
  ],
);

/**
 * Who has read which notice: a notice is addressed to a role (and department), and each person
 * (`reader`: the actor's key id, `account:<id>` for a personal account) marks it read for
 * themselves — opening it, or 全部已读 — without clearing it for their colleagues.
 */
export const notificationReads = pgTable(
  'notification_reads',
  {
    reader: text('reader').notNull(),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reader, t.notificationId] })],
);

/**
 * Webhook subscriptions (docs/API.md "Webhooks"): notifications matching `role`, `department` and
 * `kinds` (each null: any) are POSTed to `url`, signed with `secret` (HMAC-SM3). The secret is kept
 * to sign with and never shown again. `cursor`: the highest notifications.id enqueued for delivery
 * whose insertion is settled (lib/webhooks.ts); newer rows are re-scanned until then.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  role: text('role'),
  department: text('department'),
  kinds: jsonb('kinds').$type<string[]>(),
  cursor: bigint('cursor', { mode: 'number' }).notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/** One notification to deliver to one subscription: pending until delivered or given up (24 h). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    notificationId: bigint('notification_id', { mode: 'number' }).notNull(),
    eventId: text('event_id').notNull(),
    projectId: text('project_id').notNull(),
    /** pending | delivered | failed (gave up after 24 h of attempts). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_once').on(t.subscriptionId, t.notificationId),
    index('webhook_deliveries_pending_idx').on(t.status, t.subscriptionId, t.projectId, t.notificationId),
  ],
);

/** Every delivery attempt: HTTP status (null when no answer), latency, error, when. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    subscriptionId: text('subscription_id').notNull(),
    eventId: text('event_id').notNull(),
    attempt: integer('attempt').notNull(),
    ok: boolean('ok').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_attempts_subscription_idx').on(t.subscriptionId, t.id)],
);
