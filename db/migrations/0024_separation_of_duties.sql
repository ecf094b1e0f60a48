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
