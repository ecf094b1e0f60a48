CREATE TABLE "annual_plan_versions" (
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"approved_on" date,
	"document_no" text,
	"approved_at" timestamp with time zone,
	"approved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	CONSTRAINT "annual_plan_versions_year_version_pk" PRIMARY KEY("year","version"),
	CONSTRAINT "annual_plan_versions_status_check" CHECK ("annual_plan_versions"."status" in ('draft', 'approved')),
	CONSTRAINT "annual_plan_versions_approval_check" CHECK (("annual_plan_versions"."status" = 'approved') = ("annual_plan_versions"."approved_on" is not null and "annual_plan_versions"."document_no" is not null))
);
--> statement-breakpoint
CREATE TABLE "jurisdictions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "plan_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"year" integer,
	"version" integer,
	"action" text NOT NULL,
	"actor_key_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_department" text,
	"actor_jurisdiction" text,
	"actor_name" text NOT NULL,
	"detail" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_filings" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"document_ref" text NOT NULL,
	"filed_on" date NOT NULL,
	"year" integer,
	"department" text,
	"jurisdiction" text NOT NULL,
	"filed_by_key_id" text NOT NULL,
	"filed_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "annual_plan_items" DROP CONSTRAINT "annual_plan_items_year_code_pk";--> statement-breakpoint
ALTER TABLE "annual_plan_items" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "annual_plan_items" ADD CONSTRAINT "annual_plan_items_year_version_code_pk" PRIMARY KEY("year","version","code");--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "jurisdiction" text DEFAULT 'city' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "annual_plan_versions_one_draft" ON "annual_plan_versions" USING btree ("year") WHERE "annual_plan_versions"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "plan_events_year_idx" ON "plan_events" USING btree ("year","id");--> statement-breakpoint
CREATE INDEX "plan_filings_created_idx" ON "plan_filings" USING btree ("created_at","id");