-- Policy switches (domain/types.ts PolicySwitches): versions stored before read as every switch off.
-- The basis of a notification: the text's own rule (measures) or a policy setting (policy).
ALTER TABLE "notifications" ADD COLUMN "basis" text DEFAULT 'measures' NOT NULL;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "switches" jsonb DEFAULT '{}'::jsonb NOT NULL;
