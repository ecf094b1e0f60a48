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
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;