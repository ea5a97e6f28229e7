DROP INDEX "comments_org_idx";--> statement-breakpoint
CREATE INDEX "comments_org_task_idx" ON "comments" USING btree ("organization_id","task_id");--> statement-breakpoint
CREATE INDEX "comments_org_folder_idx" ON "comments" USING btree ("organization_id","folder_id");