CREATE TABLE "document_store_markers" (
	"kind" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"location" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
