CREATE TABLE "document_store_markers" (
	"kind" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"location" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_heartbeats" (
	"task_queue" text NOT NULL,
	"identity" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_heartbeats_task_queue_identity_pk" PRIMARY KEY("task_queue","identity")
);
--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "workflow_id" text;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "update_id" text;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "sent_at" timestamp with time zone;