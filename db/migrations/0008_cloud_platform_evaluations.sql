CREATE TABLE "cloud_platform_evaluations" (
	"year" integer PRIMARY KEY NOT NULL,
	"score" integer NOT NULL,
	"result" text NOT NULL,
	"opinion" text NOT NULL,
	"document_ref" text NOT NULL,
	"document_id" text,
	"evaluated_by_key_id" text NOT NULL,
	"evaluated_by_name" text NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cloud_platform_evaluations_score_check" CHECK ("cloud_platform_evaluations"."score" between 0 and 100)
);
