CREATE TABLE "allocation_plan_items" (
	"plan_id" text NOT NULL,
	"position" integer NOT NULL,
	"project_id" text NOT NULL,
	"allocation_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"error_code" text,
	"error_detail" text,
	"published_at" timestamp with time zone,
	CONSTRAINT "allocation_plan_items_plan_id_position_pk" PRIMARY KEY("plan_id","position"),
	CONSTRAINT "allocation_plan_items_status_check" CHECK ("allocation_plan_items"."status" in ('pending', 'published', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "allocation_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'publishing' NOT NULL,
	"created_by_key_id" text NOT NULL,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "allocation_plans_status_check" CHECK ("allocation_plans"."status" in ('publishing', 'published'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "allocation_plan_items_listed_idx" ON "allocation_plan_items" USING btree ("plan_id","project_id","allocation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "allocation_plan_items_published_idx" ON "allocation_plan_items" USING btree ("project_id","allocation_id") WHERE "allocation_plan_items"."status" = 'published';--> statement-breakpoint
CREATE INDEX "allocation_plans_year_idx" ON "allocation_plans" USING btree ("year","created_at");