ALTER TABLE "calendar_days" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- shared/DOMAIN.md "Working days": the days seeded from the chinese-days package are the State Council's notices.
UPDATE "calendar_days" SET "source" = 'notice', "reference" = 'chinese-days' WHERE "source" = 'chinese-days';--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_source_check" CHECK ("calendar_days"."source" in ('law', 'notice', 'admin'));