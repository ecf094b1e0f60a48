CREATE INDEX "projects_overdue_created_idx" ON "projects" USING btree ("created_at","id") WHERE "projects"."overdue";--> statement-breakpoint
CREATE INDEX "projects_suspended_created_idx" ON "projects" USING btree ("created_at","id") WHERE "projects"."funds_suspended";--> statement-breakpoint
CREATE INDEX "projects_title_trgm_idx" ON "projects" USING gin ("title" gin_trgm_ops);