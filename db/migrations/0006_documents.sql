CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"sm3" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"file_name" text NOT NULL,
	"uploaded_by_key_id" text NOT NULL,
	"uploaded_by_role" text NOT NULL,
	"uploaded_by_department" text,
	"uploaded_by_name" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"project_id" text,
	CONSTRAINT "documents_sm3_check" CHECK ("documents"."sm3" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "documents_size_check" CHECK ("documents"."size" > 0)
);
--> statement-breakpoint
CREATE INDEX "documents_sm3_idx" ON "documents" USING btree ("sm3");--> statement-breakpoint
CREATE INDEX "documents_project_idx" ON "documents" USING btree ("project_id");