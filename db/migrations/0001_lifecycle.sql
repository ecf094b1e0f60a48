CREATE TABLE "annual_plan_items" (
	"year" integer NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"department" text NOT NULL,
	"ceiling_fen" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "annual_plan_items_year_code_pk" PRIMARY KEY("year","code"),
	CONSTRAINT "annual_plan_ceiling_check" CHECK ("annual_plan_items"."ceiling_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"project_id" text NOT NULL,
	"seq" integer NOT NULL,
	"event_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"actor_key_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_department" text,
	"actor_name" text NOT NULL,
	"detail" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_project_id_seq_pk" PRIMARY KEY("project_id","seq")
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"workday" boolean NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "fund_balances" (
	"project_id" text NOT NULL,
	"fund_type" text NOT NULL,
	"allocated_fen" bigint DEFAULT 0 NOT NULL,
	"held_fen" bigint DEFAULT 0 NOT NULL,
	"available_fen" bigint DEFAULT 0 NOT NULL,
	"frozen_fen" bigint DEFAULT 0 NOT NULL,
	"disbursed_fen" bigint DEFAULT 0 NOT NULL,
	"cancelled_fen" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_balances_project_id_fund_type_pk" PRIMARY KEY("project_id","fund_type"),
	CONSTRAINT "fund_balances_non_negative" CHECK ("fund_balances"."allocated_fen" >= 0 and "fund_balances"."held_fen" >= 0 and "fund_balances"."available_fen" >= 0 and "fund_balances"."frozen_fen" >= 0 and "fund_balances"."disbursed_fen" >= 0 and "fund_balances"."cancelled_fen" >= 0),
	CONSTRAINT "fund_balances_identity" CHECK ("fund_balances"."allocated_fen" = "fund_balances"."held_fen" + "fund_balances"."available_fen" + "fund_balances"."frozen_fen" + "fund_balances"."disbursed_fen" + "fund_balances"."cancelled_fen")
);
--> statement-breakpoint
CREATE TABLE "fund_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"project_id" text NOT NULL,
	"fund_type" text NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"from_bucket" text,
	"to_bucket" text NOT NULL,
	"city_share_fen" bigint,
	"county_share_fen" bigint,
	"year" integer,
	"reason" text DEFAULT '' NOT NULL,
	"article" text,
	"actor_key_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_department" text,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_movements_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "fund_movements_amount_positive" CHECK ("fund_movements"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_records" (
	"api_key_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_records_api_key_id_idempotency_key_pk" PRIMARY KEY("api_key_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"project_id" text NOT NULL,
	"recipient_role" text NOT NULL,
	"recipient_department" text,
	"kind" text NOT NULL,
	"detail" text NOT NULL,
	"due_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"jurisdiction" text NOT NULL,
	"version" integer NOT NULL,
	"deadlines" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	CONSTRAINT "policies_jurisdiction_version_pk" PRIMARY KEY("jurisdiction","version"),
	CONSTRAINT "policies_version_check" CHECK ("policies"."version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_event_idx" ON "audit_log" USING btree ("project_id","event_id");--> statement-breakpoint
CREATE INDEX "fund_movements_project_idx" ON "fund_movements" USING btree ("project_id","id");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_role","recipient_department","created_at");