CREATE TABLE "account_events" (
	"seq" integer PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"event" text NOT NULL,
	"outcome" text NOT NULL,
	"account_id" text,
	"login_name" text NOT NULL,
	"actor" text,
	"actor_name" text,
	"ip" text,
	"user_agent" text,
	"detail" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
DROP TABLE "login_failures" CASCADE;--> statement-breakpoint
CREATE INDEX "account_events_account_idx" ON "account_events" USING btree ("account_id","seq");--> statement-breakpoint
CREATE INDEX "account_events_login_idx" ON "account_events" USING btree ("login_name","event","at");