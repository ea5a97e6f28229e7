import { relations, sql, type InferInsertModel, type InferSelectModel } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  inet,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const deletedAt = () => timestamp("deleted_at", { withTimezone: true });

export const planEnum = pgEnum("plan", ["free", "team", "enterprise"]);
export const roleEnum = pgEnum("role", ["owner", "admin", "member"]);
export const visibilityEnum = pgEnum("visibility", ["organization", "private"]);
export const taskStatusEnum = pgEnum("task_status", ["active", "completed", "deferred", "cancelled"]);
export const importanceEnum = pgEnum("importance", ["low", "normal", "high"]);
export const recipientRoleEnum = pgEnum("recipient_role", ["reviewer", "approver", "reviewer_approver"]);
export const decisionEnum = pgEnum("decision", ["pending", "approved", "changes_requested", "rejected"]);
export const backupStatusEnum = pgEnum("backup_status", [
  "in_progress",
  "ready",
  "failed",
  "cancelled",
  "expired",
  "deleted",
]);

export type OrganizationSettings = { restrictBackupsToOwners: boolean };

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  accountNumber: integer("account_number").notNull().unique(),
  sid: text("sid").notNull().unique(),
  name: text("name").notNull(),
  plan: planEnum("plan").notNull().default("team"),
  settings: jsonb("settings").$type<OrganizationSettings>().notNull().default({ restrictBackupsToOwners: false }),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  "memberships",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("teams_org_idx").on(t.organizationId)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    company: text("company"),
    createdAt: createdAt(),
  },
  (t) => [index("contacts_org_idx").on(t.organizationId)],
);

export const folders = pgTable(
  "folders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id").references((): AnyPgColumn => folders.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    visibility: visibilityEnum("visibility").notNull().default("organization"),
    isProject: boolean("is_project").notNull().default(false),
    projectStatus: text("project_status"),
    startDate: date("start_date"),
    endDate: date("end_date"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: deletedAt(),
  },
  (t) => [index("folders_org_parent_idx").on(t.organizationId, t.parentId), index("folders_deleted_idx").on(t.deletedAt)],
);

export const folderShares = pgTable(
  "folder_shares",
  {
    folderId: uuid("folder_id")
      .notNull()
      .references(() => folders.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.folderId, t.userId] }), index("folder_shares_user_idx").on(t.userId)],
);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    parentTaskId: uuid("parent_task_id").references((): AnyPgColumn => tasks.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    descriptionHtml: text("description_html").notNull().default(""),
    status: taskStatusEnum("status").notNull().default("active"),
    importance: importanceEnum("importance").notNull().default("normal"),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: deletedAt(),
  },
  (t) => [index("tasks_org_idx").on(t.organizationId), index("tasks_parent_idx").on(t.parentTaskId)],
);

export const taskFolders = pgTable(
  "task_folders",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    folderId: uuid("folder_id")
      .notNull()
      .references(() => folders.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.folderId] }), index("task_folders_folder_idx").on(t.folderId)],
);

export const taskAssignees = pgTable(
  "task_assignees",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] })],
);

export const timeLogs = pgTable(
  "time_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    loggedOn: date("logged_on").notNull(),
    hours: numeric("hours", { precision: 6, scale: 2 }).notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("time_logs_task_idx").on(t.taskId)],
);

export const files = pgTable(
  "files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    folderId: uuid("folder_id").references(() => folders.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    currentVersion: integer("current_version").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index("files_folder_idx").on(t.folderId),
    index("files_task_idx").on(t.taskId),
    index("files_org_idx").on(t.organizationId),
    check("files_one_parent", sql`(${t.folderId} is null) <> (${t.taskId} is null)`),
  ],
);

export const fileVersions = pgTable(
  "file_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    fileId: uuid("file_id")
      .notNull()
      .references(() => files.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("file_versions_file_version_idx").on(t.fileId, t.version)],
);

export const recipients = pgTable(
  "recipients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    fileId: uuid("file_id")
      .notNull()
      .references(() => files.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    role: recipientRoleEnum("role").notNull().default("reviewer"),
    decision: decisionEnum("decision").notNull().default("pending"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("recipients_file_idx").on(t.fileId),
    check("recipients_one_person", sql`(${t.userId} is null) <> (${t.contactId} is null)`),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uid: text("uid").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    taskId: uuid("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    folderId: uuid("folder_id").references(() => folders.id, { onDelete: "cascade" }),
    fileVersionId: uuid("file_version_id").references(() => fileVersions.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id").references((): AnyPgColumn => comments.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index("comments_task_idx").on(t.taskId),
    index("comments_folder_idx").on(t.folderId),
    index("comments_file_version_idx").on(t.fileVersionId),
    index("comments_parent_idx").on(t.parentId),
    // An organization's comments by task or by folder: its backup reads the inline comments of its
    // tasks and folders through these without touching other organizations' comments.
    index("comments_org_task_idx").on(t.organizationId, t.taskId),
    index("comments_org_folder_idx").on(t.organizationId, t.folderId),
    check(
      "comments_one_target",
      sql`(case when ${t.taskId} is null then 0 else 1 end + case when ${t.folderId} is null then 0 else 1 end + case when ${t.fileVersionId} is null then 0 else 1 end) = 1`,
    ),
  ],
);

export type BackupOptions = {
  includeFiles: boolean;
  formats: ("json" | "csv")[];
  csvEncoding: "utf-8" | "utf-8-bom" | "utf-16le";
  includeBi: boolean;
};

export const backups = pgTable(
  "backups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: backupStatusEnum("status").notNull().default("in_progress"),
    options: jsonb("options").$type<BackupOptions>().notNull(),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    snapshotAt: timestamp("snapshot_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    deletedAt: deletedAt(),
    failureReason: text("failure_reason"),
    progressDone: bigint("progress_done", { mode: "number" }).notNull().default(0),
    progressTotal: bigint("progress_total", { mode: "number" }).notNull().default(0),
    versionsCount: integer("versions_count"),
    filesCount: integer("files_count"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    storageKey: text("storage_key"),
    downloadName: text("download_name"),
  },
  (t) => [
    index("backups_org_created_idx").on(t.organizationId, t.createdAt),
    uniqueIndex("backups_one_in_progress_idx").on(t.organizationId).where(sql`${t.status} = 'in_progress'`),
  ],
);

/**
 * The file versions a backup packs, frozen when its snapshot is taken, in archive order. Batches are
 * ranges of `seq`, so a retried or resumed batch packs exactly the same entries.
 */
export const backupFileEntries = pgTable(
  "backup_file_entries",
  {
    backupId: uuid("backup_id")
      .notNull()
      .references(() => backups.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    fileVersionId: uuid("file_version_id").notNull(),
    fileUid: text("file_uid").notNull(),
    versionUid: text("version_uid").notNull(),
    version: integer("version").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    storageKey: text("storage_key").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
  },
  (t) => [primaryKey({ columns: [t.backupId, t.seq] })],
);

export type ArchiveEntryRecord = {
  path: string;
  /** The local header carries ZIP64 sizes, so the central directory must too. */
  zip64?: true;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header inside its segment. */
  offset: number;
  method: 0 | 8;
  sha256: string;
};

/**
 * An immutable, finished piece of a backup's archive: zip entries (local headers and data) written
 * by one step. The final step concatenates the segments and writes the central directory.
 */
export const backupSegments = pgTable(
  "backup_segments",
  {
    backupId: uuid("backup_id")
      .notNull()
      .references(() => backups.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    storageKey: text("storage_key").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    entries: jsonb("entries").$type<ArchiveEntryRecord[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.backupId, t.seq] })],
);

/**
 * Runs of Inngest functions executed in-process when no Inngest server is configured: the event,
 * the memoized step results and the attempt, so a run survives the process that started it.
 */
export const inlineRuns = pgTable(
  "inline_runs",
  {
    id: text("id").primaryKey(),
    functionId: text("function_id").notNull(),
    event: jsonb("event").$type<{ name: string; data: Record<string, unknown>; id?: string; ts?: number }>().notNull(),
    status: text("status", { enum: ["running", "completed", "failed", "cancelled"] }).notNull().default("running"),
    phase: text("phase", { enum: ["main", "failure"] }).notNull().default("main"),
    attempt: integer("attempt").notNull().default(0),
    steps: jsonb("steps").$type<{ id: string; data?: unknown; error?: unknown }[]>().notNull().default([]),
    error: text("error"),
    owner: text("owner"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("inline_runs_status_idx").on(t.status)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_org_user_idx").on(t.organizationId, t.userId)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ipAddress: inet("ip_address"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_org_created_idx").on(t.organizationId, t.createdAt)],
);

export const organizationsRelations = relations(organizations, ({ many }) => ({
  memberships: many(memberships),
  teams: many(teams),
  contacts: many(contacts),
  folders: many(folders),
  backups: many(backups),
}));

export const usersRelations = relations(users, ({ many }) => ({
  memberships: many(memberships),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  organization: one(organizations, { fields: [memberships.organizationId], references: [organizations.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export const teamsRelations = relations(teams, ({ one, many }) => ({
  organization: one(organizations, { fields: [teams.organizationId], references: [organizations.id] }),
  members: many(teamMembers),
}));

export const teamMembersRelations = relations(teamMembers, ({ one }) => ({
  team: one(teams, { fields: [teamMembers.teamId], references: [teams.id] }),
  user: one(users, { fields: [teamMembers.userId], references: [users.id] }),
}));

export const contactsRelations = relations(contacts, ({ one }) => ({
  organization: one(organizations, { fields: [contacts.organizationId], references: [organizations.id] }),
}));

export const foldersRelations = relations(folders, ({ one, many }) => ({
  organization: one(organizations, { fields: [folders.organizationId], references: [organizations.id] }),
  parent: one(folders, { fields: [folders.parentId], references: [folders.id], relationName: "folder_parent" }),
  children: many(folders, { relationName: "folder_parent" }),
  author: one(users, { fields: [folders.authorId], references: [users.id] }),
  shares: many(folderShares),
  taskLinks: many(taskFolders),
  files: many(files),
  comments: many(comments),
}));

export const folderSharesRelations = relations(folderShares, ({ one }) => ({
  folder: one(folders, { fields: [folderShares.folderId], references: [folders.id] }),
  user: one(users, { fields: [folderShares.userId], references: [users.id] }),
}));

export const tasksRelations = relations(tasks, ({ one, many }) => ({
  organization: one(organizations, { fields: [tasks.organizationId], references: [organizations.id] }),
  parentTask: one(tasks, { fields: [tasks.parentTaskId], references: [tasks.id], relationName: "task_parent" }),
  subtasks: many(tasks, { relationName: "task_parent" }),
  author: one(users, { fields: [tasks.authorId], references: [users.id] }),
  folderLinks: many(taskFolders),
  assignees: many(taskAssignees),
  timeLogs: many(timeLogs),
  files: many(files),
  comments: many(comments),
}));

export const taskFoldersRelations = relations(taskFolders, ({ one }) => ({
  task: one(tasks, { fields: [taskFolders.taskId], references: [tasks.id] }),
  folder: one(folders, { fields: [taskFolders.folderId], references: [folders.id] }),
}));

export const taskAssigneesRelations = relations(taskAssignees, ({ one }) => ({
  task: one(tasks, { fields: [taskAssignees.taskId], references: [tasks.id] }),
  user: one(users, { fields: [taskAssignees.userId], references: [users.id] }),
}));

export const timeLogsRelations = relations(timeLogs, ({ one }) => ({
  task: one(tasks, { fields: [timeLogs.taskId], references: [tasks.id] }),
  user: one(users, { fields: [timeLogs.userId], references: [users.id] }),
}));

export const filesRelations = relations(files, ({ one, many }) => ({
  organization: one(organizations, { fields: [files.organizationId], references: [organizations.id] }),
  folder: one(folders, { fields: [files.folderId], references: [folders.id] }),
  task: one(tasks, { fields: [files.taskId], references: [tasks.id] }),
  creator: one(users, { fields: [files.createdBy], references: [users.id] }),
  versions: many(fileVersions),
  recipients: many(recipients),
}));

export const fileVersionsRelations = relations(fileVersions, ({ one, many }) => ({
  file: one(files, { fields: [fileVersions.fileId], references: [files.id] }),
  uploader: one(users, { fields: [fileVersions.uploadedBy], references: [users.id] }),
  comments: many(comments),
}));

export const recipientsRelations = relations(recipients, ({ one }) => ({
  file: one(files, { fields: [recipients.fileId], references: [files.id] }),
  user: one(users, { fields: [recipients.userId], references: [users.id] }),
  contact: one(contacts, { fields: [recipients.contactId], references: [contacts.id] }),
}));

export const commentsRelations = relations(comments, ({ one, many }) => ({
  author: one(users, { fields: [comments.authorId], references: [users.id] }),
  task: one(tasks, { fields: [comments.taskId], references: [tasks.id] }),
  folder: one(folders, { fields: [comments.folderId], references: [folders.id] }),
  fileVersion: one(fileVersions, { fields: [comments.fileVersionId], references: [fileVersions.id] }),
  parent: one(comments, { fields: [comments.parentId], references: [comments.id], relationName: "comment_replies" }),
  replies: many(comments, { relationName: "comment_replies" }),
}));

export const backupsRelations = relations(backups, ({ one, many }) => ({
  organization: one(organizations, { fields: [backups.organizationId], references: [organizations.id] }),
  requester: one(users, { fields: [backups.requestedBy], references: [users.id] }),
  fileEntries: many(backupFileEntries),
  segments: many(backupSegments),
}));

export const backupFileEntriesRelations = relations(backupFileEntries, ({ one }) => ({
  backup: one(backups, { fields: [backupFileEntries.backupId], references: [backups.id] }),
}));

export const backupSegmentsRelations = relations(backupSegments, ({ one }) => ({
  backup: one(backups, { fields: [backupSegments.backupId], references: [backups.id] }),
}));

export const apiTokensRelations = relations(apiTokens, ({ one }) => ({
  organization: one(organizations, { fields: [apiTokens.organizationId], references: [organizations.id] }),
  user: one(users, { fields: [apiTokens.userId], references: [users.id] }),
}));

export type Organization = InferSelectModel<typeof organizations>;
export type User = InferSelectModel<typeof users>;
export type Membership = InferSelectModel<typeof memberships>;
export type Role = Membership["role"];
export type Plan = Organization["plan"];
export type Team = InferSelectModel<typeof teams>;
export type Contact = InferSelectModel<typeof contacts>;
export type Folder = InferSelectModel<typeof folders>;
export type NewFolder = InferInsertModel<typeof folders>;
export type Task = InferSelectModel<typeof tasks>;
export type NewTask = InferInsertModel<typeof tasks>;
export type TimeLog = InferSelectModel<typeof timeLogs>;
export type FileRecord = InferSelectModel<typeof files>;
export type FileVersion = InferSelectModel<typeof fileVersions>;
export type Recipient = InferSelectModel<typeof recipients>;
export type Comment = InferSelectModel<typeof comments>;
export type Backup = InferSelectModel<typeof backups>;
export type BackupStatus = Backup["status"];
export type BackupFileEntry = InferSelectModel<typeof backupFileEntries>;
export type BackupSegment = InferSelectModel<typeof backupSegments>;
export type InlineRun = InferSelectModel<typeof inlineRuns>;
export type ApiToken = InferSelectModel<typeof apiTokens>;
export type AuditEvent = InferSelectModel<typeof auditEvents>;
