-- 三员分立 (policy; GB/T 22239-2019 level 3, docs/ACCOUNTS.md "三员分立"): the one administrator role
-- `admin` is split into sysadmin, secadmin and auditadmin; `admin` stays the start-up key's alone
-- (ADMIN_API_KEY, no row), so no account or key may hold it any more.
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_role_check";--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_role_check";--> statement-breakpoint
-- Existing administrators' accounts become security administrators: people with TOTP who can then
-- create the system and audit administrators' accounts (a secadmin cannot create another secadmin).
UPDATE "accounts" SET "role" = 'secadmin' WHERE "role" = 'admin';--> statement-breakpoint
-- Existing admin keys become system administrators' keys: a key carries no second factor and belongs
-- to no person, so it keeps the configuration duties scripts and the Temporal codec use, never the
-- power over accounts and keys or the review of the trail.
UPDATE "api_keys" SET "role" = 'sysadmin' WHERE "role" = 'admin';--> statement-breakpoint
-- The system notices addressed to the administrators (the calendar) go to the system administrator.
UPDATE "notifications" SET "recipient_role" = 'sysadmin' WHERE "recipient_role" = 'admin';--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_role_check" CHECK ("accounts"."role" in ('bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin'));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin'));
--> statement-breakpoint
-- The trails only grow (三员分立: the auditor reads them, nobody changes them): an UPDATE, DELETE or
-- TRUNCATE of the project and cloud platform trail, the accounts' security trail or the
-- administrators' trail is refused by the database itself, whoever asks. Only the tables' owner
-- can disable this (ALTER TABLE … DISABLE TRIGGER) — and the SM3 chains name what was changed then
-- (`npm run audit:verify`).
CREATE FUNCTION trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the trail % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION trail_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION trail_append_only();
--> statement-breakpoint
CREATE TRIGGER account_events_append_only BEFORE UPDATE OR DELETE ON account_events FOR EACH ROW EXECUTE FUNCTION trail_append_only();
--> statement-breakpoint
CREATE TRIGGER account_events_append_only_truncate BEFORE TRUNCATE ON account_events FOR EACH STATEMENT EXECUTE FUNCTION trail_append_only();
--> statement-breakpoint
CREATE TRIGGER admin_events_append_only BEFORE UPDATE OR DELETE ON admin_events FOR EACH ROW EXECUTE FUNCTION trail_append_only();
--> statement-breakpoint
CREATE TRIGGER admin_events_append_only_truncate BEFORE TRUNCATE ON admin_events FOR EACH STATEMENT EXECUTE FUNCTION trail_append_only();
