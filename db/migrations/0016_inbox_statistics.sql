CREATE TABLE "inbox_items" (
	"project_id" text NOT NULL,
	"ordinal" integer NOT NULL,
	"role" text NOT NULL,
	"department" text NOT NULL,
	"action" text NOT NULL,
	"ref" text,
	"due_at" timestamp with time zone,
	"due_sort" timestamp with time zone NOT NULL,
	"overdue" boolean NOT NULL,
	CONSTRAINT "inbox_items_project_id_ordinal_pk" PRIMARY KEY("project_id","ordinal")
);
--> statement-breakpoint
CREATE TABLE "notification_reads" (
	"reader" text NOT NULL,
	"notification_id" bigint NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_reads_reader_notification_id_pk" PRIMARY KEY("reader","notification_id")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "deadline_statuses" jsonb GENERATED ALWAYS AS (jsonb_path_query_array(view, '$.deadlines[*].status')) STORED;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "violation_articles" jsonb GENERATED ALWAYS AS (jsonb_path_query_array(view, '$.violations[*].article')) STORED;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "rectification_reasons" jsonb GENERATED ALWAYS AS (jsonb_path_query_array(view, '$.rectifications[*].reason')) STORED;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbox_items_role_due_idx" ON "inbox_items" USING btree ("role","due_sort","project_id","ordinal");--> statement-breakpoint
CREATE INDEX "inbox_items_role_department_due_idx" ON "inbox_items" USING btree ("role","department","due_sort","project_id","ordinal");