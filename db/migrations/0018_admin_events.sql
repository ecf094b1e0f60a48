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
CREATE INDEX "admin_events_target_idx" ON "admin_events" USING btree ("action","target");