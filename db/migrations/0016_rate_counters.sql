-- Counters of abuse limits (api/rate-limit.ts): UNLOGGED — no WAL for a counter a crash may forget.
CREATE UNLOGGED TABLE "rate_counters" (
	"bucket" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_counters_window_idx" ON "rate_counters" USING btree ("window_start");