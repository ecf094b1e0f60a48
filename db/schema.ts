/**
 * Database schema (drizzle). Migrations are generated from it by `npm run db:generate` into
 * db/migrations and committed; a shipped migration is never edited, only followed by a new one.
 *
 * The Temporal workflow is the source of truth for a project's state; the tables here are what
 * activities write so bureaus can list, filter and audit without asking every workflow.
 *
 * This file is the schema's index (drizzle.config.ts, db/client.ts and the queries import it); the
 * tables are defined by group in db/schema/.
 */
export * from './schema/accounts.ts';
export * from './schema/audit.ts';
export * from './schema/documents.ts';
export * from './schema/money.ts';
export * from './schema/notifications.ts';
export * from './schema/operations.ts';
export * from './schema/plans.ts';
export * from './schema/projects.ts';
export * from './schema/registries.ts';
