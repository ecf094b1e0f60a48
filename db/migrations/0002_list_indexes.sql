DROP INDEX "projects_department_idx";--> statement-breakpoint
DROP INDEX "projects_stage_idx";--> statement-breakpoint
DROP INDEX "projects_jurisdiction_idx";--> statement-breakpoint
CREATE INDEX "projects_created_idx" ON "projects" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "projects_department_created_idx" ON "projects" USING btree ("department","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_stage_created_idx" ON "projects" USING btree ("stage","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_jurisdiction_created_idx" ON "projects" USING btree ("jurisdiction","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_awaiting_roles_idx" ON "projects" USING gin ("awaiting_roles");