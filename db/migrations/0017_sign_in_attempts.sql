CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"login_name" text NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE INDEX "sign_in_attempts_login_idx" ON "sign_in_attempts" USING btree ("login_name","started_at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_started_idx" ON "sign_in_attempts" USING btree ("started_at");