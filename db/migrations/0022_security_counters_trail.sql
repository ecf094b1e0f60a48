CREATE TABLE "admin_events" (
	"seq" integer PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"actor" text NOT NULL,
	"actor_name" text,
	"actor_role" text,
	"ip" text,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
-- Counters of abuse limits (api/rate-limit.ts): UNLOGGED — no WAL for a counter a crash may forget.
CREATE UNLOGGED TABLE "rate_counters" (
	"bucket" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"login_name" text NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE INDEX "admin_events_target_idx" ON "admin_events" USING btree ("action","target");--> statement-breakpoint
CREATE INDEX "rate_counters_window_idx" ON "rate_counters" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_login_idx" ON "sign_in_attempts" USING btree ("login_name","started_at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_started_idx" ON "sign_in_attempts" USING btree ("started_at");