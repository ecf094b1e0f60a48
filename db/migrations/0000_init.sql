CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"department" text,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('bdb', 'approval', 'finance', 'department', 'admin')),
	CONSTRAINT "api_keys_department_check" CHECK (("api_keys"."role" = 'department') = ("api_keys"."department" is not null))
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"department" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"stage" text NOT NULL,
	"awaiting_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"pending_actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_deadline" timestamp with time zone,
	"overdue" boolean DEFAULT false NOT NULL,
	"funds_suspended" boolean DEFAULT false NOT NULL,
	"view" jsonb NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "projects_department_idx" ON "projects" USING btree ("department","created_at");--> statement-breakpoint
CREATE INDEX "projects_stage_idx" ON "projects" USING btree ("stage","created_at");--> statement-breakpoint
CREATE INDEX "projects_jurisdiction_idx" ON "projects" USING btree ("jurisdiction","created_at");--> statement-breakpoint
CREATE INDEX "projects_next_deadline_idx" ON "projects" USING btree ("next_deadline");