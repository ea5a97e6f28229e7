CREATE TABLE "backup_file_entries" (
	"backup_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"file_version_id" uuid NOT NULL,
	"file_uid" text NOT NULL,
	"version_uid" text NOT NULL,
	"version" integer NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"storage_key" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	CONSTRAINT "backup_file_entries_backup_id_seq_pk" PRIMARY KEY("backup_id","seq")
);
--> statement-breakpoint
CREATE TABLE "backup_segments" (
	"backup_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"storage_key" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"entries" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_segments_backup_id_seq_pk" PRIMARY KEY("backup_id","seq")
);
--> statement-breakpoint
CREATE TABLE "inline_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"function_id" text NOT NULL,
	"event" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"phase" text DEFAULT 'main' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"owner" text,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "backup_file_entries" ADD CONSTRAINT "backup_file_entries_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."backups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_segments" ADD CONSTRAINT "backup_segments_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."backups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inline_runs_status_idx" ON "inline_runs" USING btree ("status");