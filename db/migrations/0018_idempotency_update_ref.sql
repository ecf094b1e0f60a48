ALTER TABLE "idempotency_records" ADD COLUMN "workflow_id" text;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "update_id" text;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "sent_at" timestamp with time zone;