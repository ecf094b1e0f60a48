/**
 * What the administrators keep: the working-day calendar, the deadline policies per jurisdiction
 * (Art. 30), the jurisdictions (Art. 5, 12, 30) and the departments (Art. 4).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Working-day calendar (docs/MEASURES.md "Working days"): only the dates that differ from
 * "Monday–Friday work, weekends off" are stored — statutory holidays, bridges and adjusted working
 * weekends (调休). Every day carries its source:
 * - `law`: computed from the holiday law (domain/calendar/holidays.ts) for a year without a notice yet,
 *   `provisional` until the State Council's notice of that year is entered;
 * - `notice`: the State Council's notice of the year, `reference` e.g. 国办发明电〔2026〕N号 (or
 *   `chinese-days` for the years the package's data covers);
 * - `admin`: a per-date override, never overwritten by a seed or a later notice.
 */
export const CALENDAR_SOURCES = ['law', 'notice', 'admin'] as const;
export type CalendarSource = (typeof CALENDAR_SOURCES)[number];

export const calendarDays = pgTable(
  'calendar_days',
  {
    date: date('date', { mode: 'string' }).primaryKey(),
    workday: boolean('workday').notNull(),
    name: text('name').notNull().default(''),
    source: text('source', { enum: CALENDAR_SOURCES }).notNull(),
    /** The notice's reference (source `notice`). */
    reference: text('reference'),
    /** True for law-derived days of a year whose notice is not entered yet. */
    provisional: boolean('provisional').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [check('calendar_days_source_check', sql`${t.source} in ('law', 'notice', 'admin')`)],
);

/**
 * Deadline policies per jurisdiction (Art. 30: a county may issue its own measures), versioned:
 * a PUT adds a version, a project pins the version it started under.
 */
export const policies = pgTable(
  'policies',
  {
    jurisdiction: text('jurisdiction').notNull(),
    version: integer('version').notNull(),
    deadlines: jsonb('deadlines').notNull(),
    /** Policy switches (domain/policy.ts PolicySwitches); `{}` in versions stored before: every switch off. */
    switches: jsonb('switches').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [
    primaryKey({ columns: [t.jurisdiction, t.version] }),
    check('policies_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * Art. 5, 12, 30 (measures): the city and its county-level divisions. A key (and a person's account)
 * belongs to one; a project's jurisdiction is its key's; its pinned policy is that jurisdiction's.
 */
export const jurisdictions = pgTable('jurisdictions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** `city` for a county; null for the city itself. */
  parent: text('parent'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

export type JurisdictionRow = typeof jurisdictions.$inferSelect;

/**
 * The departments registry (项目实施单位, Art. 4; Art. 5, 12, 30: a department belongs to one
 * jurisdiction): the code keys, accounts, plan items and projects carry, the Chinese name people
 * read. Managed by the admin; a code in use before the registry existed is registered with the code
 * as its name until the admin names it.
 */
export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  jurisdiction: text('jurisdiction')
    .notNull()
    .default('city')
    .references(() => jurisdictions.code),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

export type DepartmentRow = typeof departments.$inferSelect;
