import "server-only";
import { and, asc, eq, gt, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { databaseKind, db, type Executor } from "@/db/connection";
import {
  backupFileEntries,
  contacts,
  fileVersions,
  files,
  folders,
  memberships,
  organizations,
  recipients,
  tasks,
  teams,
  timeLogs,
  users,
} from "@/db/schema";
import { commentVisibleSql, parentCommentJoin, visibleFileIdsSql, visibleFolderIdsSql, visibleTaskIdsSql, type Viewer } from "@/lib/workspace/visibility";

/**
 * What a backup exports, read inside the snapshot transaction (REPEATABLE READ, so every page sees
 * the same instant): everything of the organization the requester can see, nothing in the trash, no
 * secrets. The visible folders, tasks and files are worked out once into temporary tables (comments,
 * by far the most rows, are tested against them as they are read); every data set is then read
 * through a cursor (the comments through COPY) in a fixed order, by uid (the comments oldest first),
 * a batch at a time, so no data set is ever held in memory whole.
 */

type Field = SQL | AnyPgColumn | SQL.Aliased;
type FieldType<F> = F extends SQL<infer T> ? T : F extends SQL.Aliased<infer T> ? T : F extends AnyPgColumn ? F["_"]["data"] | (F["_"]["notNull"] extends true ? never : null) : never;
export type ExportRow<Fields extends Record<string, Field>> = { [K in keyof Fields]: FieldType<Fields[K]> };

/**
 * Every field under its own name (a raw cursor row has no other way to tell `users.uid` from
 * `folders.uid`), with types a raw row keeps: 64-bit integers as float8, dates as text.
 */
function aliased<Fields extends Record<string, Field>>(fields: Fields) {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, sql`${field}`.as(name)])) as unknown as Fields;
}

let cursorCount = 0;

/** At most this many rows per batch; two batches are alive at once (one being written, the next arriving). */
const BATCH_ROWS = 1_000;
/** With `rowBytes`, about this many bytes per batch. */
const BATCH_BYTES = 1024 * 1024;

/**
 * Streams a query's rows through a server-side cursor, a batch at a time: one query (so joins run as
 * hash joins over the whole set, not lookups per page) and never the whole result in memory. Batches
 * are small because two are alive at once: with 5,000 rows, the heap they kept grew the build's peak
 * resident memory by about 50 MiB, for no speed. Where rows can be large (a task carries all its
 * comments), `rowBytes` sizes the batches by bytes instead: the first is one row, each next one as
 * many rows as the last batch's average size fits in BATCH_BYTES. With the benchmark's 12 tasks
 * (50,000 comments between them) in one batch, 31–45 MB were live when the snapshot step's garbage
 * collection ran, against 19–24 MB by bytes; the heap limit that collection sets kept the whole
 * build's memory that much higher.
 */
export async function* streamRows<Row>(executor: Executor, query: SQLWrapper, { rowBytes }: { rowBytes?: (row: Row) => number } = {}): AsyncGenerator<Row[]> {
  const cursor = `export_rows_${(cursorCount += 1)}`;
  await executor.execute(sql`declare ${sql.raw(cursor)} no scroll cursor for ${query}`);
  const fetchBatch = async (rows: number) => {
    const result = await executor.execute(sql.raw(`fetch forward ${rows} from ${cursor}`));
    // postgres.js answers with the rows themselves, PGlite with { rows }.
    return (Array.isArray(result) ? result : (result as unknown as { rows: Row[] }).rows) as Row[];
  };
  let batchRows = rowBytes ? 1 : BATCH_ROWS;
  // The next batch is fetched while the caller works on this one, so the database and this
  // process work at the same time.
  let next: Promise<Row[]> | undefined = fetchBatch(batchRows);
  try {
    while (next) {
      const rows: Row[] = await next;
      const complete = rows.length === batchRows;
      if (rowBytes && rows.length > 0) {
        const averageBytes = rows.reduce((total, row) => total + rowBytes(row), 0) / rows.length;
        batchRows = Math.max(1, Math.min(BATCH_ROWS, Math.floor(BATCH_BYTES / Math.max(averageBytes, 1))));
      }
      next = complete ? fetchBatch(batchRows) : undefined;
      if (rows.length > 0) yield rows;
    }
  } finally {
    await next?.catch(() => undefined);
    // Closing fails only when the transaction already failed; that original error is the one to report.
    await executor.execute(sql.raw(`close ${cursor}`)).catch(() => undefined);
  }
}

/**
 * Sorts by uid comparing bytes: uids are 16 digits and capital letters (lib/ids.ts), which every
 * collation puts in byte order, so rows come in the same order as under the database's collation,
 * but sorting hundreds of thousands of them skips the locale's comparison.
 */
const byUid = (column: AnyPgColumn) => sql`${column} collate "C"`;

const inScope = (column: SQL | AnyPgColumn, table: "export_folders" | "export_tasks" | "export_files") =>
  sql`${column} in (select id from ${sql.raw(table)})`;
const uidArray = (query: SQL) => sql<string[]>`coalesce((${query}), '{}')`;
/** The visible targets of comments, as the snapshot saved them (comments are tested on the rows read, see commentVisibleSql). */
const exportTargets = { taskIds: sql`(select id from export_tasks)`, folderIds: sql`(select id from export_folders)`, fileIds: sql`(select id from export_files)` };

/** Works out, once per snapshot, which folders, tasks and files the requester may see. */
export async function createExportScope({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  const scopes: [string, SQL][] = [
    ["export_folders", visibleFolderIdsSql(viewer)],
    ["export_tasks", visibleTaskIdsSql(viewer)],
    ["export_files", visibleFileIdsSql(viewer)],
  ];
  // Every cursor is read to its end: plan for all rows (hash joins), not for the first few.
  await executor.execute(sql`set local cursor_tuple_fraction = 1`);
  // Sorts and hashes of the large data sets (all comments, in date order) fit in memory instead of
  // going through temporary files; for this transaction only.
  await executor.execute(sql`set local work_mem = '64MB'`);
  for (const [table, ids] of scopes) {
    await executor.execute(sql`create temp table ${sql.raw(table)} on commit drop as select id from ${ids} as visible`);
    await executor.execute(sql`alter table ${sql.raw(table)} add primary key (id)`);
    await executor.execute(sql`analyze ${sql.raw(table)}`);
  }
}

/** What pg_export_snapshot returns, e.g. 00000003-0000001B-1 (written into SET TRANSACTION SNAPSHOT, which takes no parameters). */
const SNAPSHOT_ID = /^[0-9A-F]+(-[0-9A-F]+)+$/;

/**
 * Runs `run` with a reader: on PostgreSQL, a transaction on a second connection that sees exactly
 * the snapshot of `executor`'s transaction (an exported snapshot) and has the same export scope, so
 * a long query there (the comments, sorted before their first row) runs beside the snapshot
 * transaction's own queries. The embedded database has a single connection: there, the reader is
 * `executor` itself.
 */
export async function withExportReader<T>({ viewer, executor }: { viewer: Viewer; executor: Executor }, run: (reader: Executor) => Promise<T>): Promise<T> {
  if (databaseKind() !== "postgres") return run(executor);
  const [exported] = await executor.execute<{ snapshot: string }>(sql`select pg_export_snapshot() as snapshot`);
  const snapshot = exported?.snapshot ?? "";
  if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`Unexpected snapshot id from pg_export_snapshot: ${JSON.stringify(snapshot)}`);
  return db.transaction(
    async (reader) => {
      await reader.execute(sql.raw(`set transaction snapshot '${snapshot}'`));
      await createExportScope({ viewer, executor: reader });
      return run(reader);
    },
    { isolationLevel: "repeatable read" },
  );
}

export async function countExportFiles({ executor }: { executor: Executor }) {
  const [row] = await executor.select({ count: sql<number>`count(*)::int` }).from(sql`export_files`);
  return row?.count ?? 0;
}

export async function findExportOrganization({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  const [organization] = await executor
    .select({
      id: organizations.id,
      accountNumber: organizations.accountNumber,
      sid: organizations.sid,
      name: organizations.name,
      plan: organizations.plan,
      createdAt: organizations.createdAt,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return organization;
}

export async function findExportRequesterRole({ organizationId, userId, executor }: { organizationId: string; userId: string; executor: Executor }) {
  const [membership] = await executor
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return membership?.role;
}

export function exportUsersQuery({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select(aliased({ uid: users.uid, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt }))
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId)))
    .orderBy(byUid(users.uid));
}

export function exportTeamsQuery({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select(aliased({
      uid: teams.uid,
      name: teams.name,
      createdAt: teams.createdAt,
      memberUids: uidArray(sql`select array_agg(u.uid order by u.uid collate "C") from team_members tm join users u on u.id = tm.user_id where tm.team_id = ${teams.id}`),
    }))
    .from(teams)
    .where(and(eq(teams.organizationId, organizationId)))
    .orderBy(byUid(teams.uid));
}

export function exportContactsQuery({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select(aliased({ uid: contacts.uid, name: contacts.name, email: contacts.email, company: contacts.company, createdAt: contacts.createdAt }))
    .from(contacts)
    .where(and(eq(contacts.organizationId, organizationId)))
    .orderBy(byUid(contacts.uid));
}

/** A file with its versions (oldest first), as folders.json, tasks.json and files.json list it. */
const attachmentColumns = {
  uid: files.uid,
  name: files.name,
  contentType: files.contentType,
  currentVersion: files.currentVersion,
  createdAt: files.createdAt,
  // Spelled out: in a select from `files` alone, drizzle writes ${files.id} as a bare "id", which
  // inside this subquery would name file_versions.id.
  versions: sql<ExportAttachmentVersion[]>`coalesce((
    select json_agg(json_build_object('version', v.version, 'uid', v.uid, 'size', v.size_bytes, 'sha256', v.sha256, 'uploadedAt', v.uploaded_at) order by v.version)
    from file_versions v where v.file_id = "files"."id"), '[]'::json)`,
};
type ExportAttachmentVersion = { version: number; uid: string; size: number; sha256: string; uploadedAt: string };
export type ExportAttachment = { uid: string; name: string; contentType: string; currentVersion: number; createdAt: Date; versions: ExportAttachmentVersion[] };

/**
 * A timestamp in ISO 8601 UTC with milliseconds, as `Date#toISOString` writes it, by the database
 * while it reads the rows (`to_char` cuts the fraction to milliseconds, as parsing into a Date would).
 */
const isoText = (timestamp: SQL) => sql`to_char(${timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A uid (hex digits, lib/ids.ts) as JSON text, or null: no escaping needed. */
const jsonUidText = (uid: SQL) => sql`coalesce('"' || ${uid} || '"', 'null')`;

/**
 * Every visible folder's or task's comments, replies included, as Wrike's folders.json and tasks.json
 * list them: per folder or task (`targetId`), the JSON text of
 * `[{"id","parentId","body","author","dateCreated"}]`, written compact as JSON.stringify writes it
 * (to_json escapes as it does). One grouped query for all of them: a subquery per row would join
 * every comment's parent again for each task. The export writes the text as it is, so a task with
 * thousands of comments is neither parsed nor written again here. The organization is named so the
 * comments are found through (organization, task) or (organization, folder), not by walking the
 * index of every organization's task comments.
 */
const inlineCommentsByTarget = (target: "folder" | "task", organizationId: string) => sql`(
  select c.${sql.raw(`${target}_id`)} as "targetId", '[' || string_agg(
    '{"id":"' || c.uid || '","parentId":' || ${jsonUidText(sql`p.uid`)} || ',"body":' || to_json(c.body)::text ||
      ',"author":' || ${jsonUidText(sql`cu.uid`)} || ',"dateCreated":"' || ${isoText(sql`c.created_at`)} || '"}',
    ',' order by c.created_at, c.uid collate "C") || ']' as "json"
  from comments c ${parentCommentJoin(organizationId)} left join users cu on cu.id = c.author_id left join file_versions fv on fv.id = c.file_version_id
  where c.organization_id = ${organizationId} and c.${sql.raw(`${target}_id`)} in (select id from ${sql.raw(`export_${target}s`)}) and ${commentVisibleSql(exportTargets)}
  group by c.${sql.raw(`${target}_id`)}
) as ${sql.raw(`${target}_comments`)}`;
const inlineComments = (target: "folder" | "task") => sql<string>`coalesce(${sql.raw(`${target}_comments`)}."json", '[]')`;
const inlineCommentsOf = (target: "folder" | "task", id: AnyPgColumn) => sql`${sql.raw(`${target}_comments`)}."targetId" = ${id}`;

/** The visible files attached to the given folders or tasks, grouped by their parent's id. */
export async function listExportAttachments({ parent, parentIds, executor }: { parent: "folder" | "task"; parentIds: string[]; executor: Executor }) {
  if (parentIds.length === 0) return new Map<string, ExportAttachment[]>();
  const parentColumn = parent === "folder" ? files.folderId : files.taskId;
  const rows = await executor
    .select({ parentId: parentColumn, ...attachmentColumns })
    .from(files)
    .where(and(inScope(files.id, "export_files"), sql`${parentColumn} in ${parentIds}`))
    .orderBy(byUid(files.uid));
  const grouped = new Map<string, ExportAttachment[]>();
  for (const { parentId, ...attachment } of rows) {
    const list = grouped.get(parentId!) ?? [];
    list.push({ ...attachment, createdAt: new Date(attachment.createdAt) });
    grouped.set(parentId!, list);
  }
  return grouped;
}

export function exportFoldersQuery({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  const parent = alias(folders, "parent_folders");
  return executor
    .select(aliased({
      id: folders.id,
      uid: folders.uid,
      parentUid: sql<string | null>`case when ${inScope(sql`${folders.parentId}`, "export_folders")} then ${parent.uid} end`,
      title: folders.title,
      description: folders.description,
      authorUid: users.uid,
      visibility: folders.visibility,
      isProject: folders.isProject,
      projectStatus: folders.projectStatus,
      startDate: sql<string | null>`${folders.startDate}::text`,
      endDate: sql<string | null>`${folders.endDate}::text`,
      createdAt: folders.createdAt,
      updatedAt: folders.updatedAt,
      sharedUids: uidArray(sql`select array_agg(su.uid order by su.uid collate "C") from folder_shares fs join users su on su.id = fs.user_id where fs.folder_id = ${folders.id}`),
      childUids: uidArray(sql`select array_agg(c.uid order by c.uid collate "C") from folders c where c.parent_id = ${folders.id} and exists (select 1 from export_folders e where e.id = c.id)`),
      comments: inlineComments("folder"),
    }))
    .from(folders)
    .leftJoin(parent, eq(parent.id, folders.parentId))
    .leftJoin(users, eq(users.id, folders.authorId))
    .leftJoin(inlineCommentsByTarget("folder", organizationId), inlineCommentsOf("folder", folders.id))
    .where(and(inScope(folders.id, "export_folders")))
    .orderBy(byUid(folders.uid));
}

export function exportTasksQuery({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  const parent = alias(tasks, "parent_tasks");
  return executor
    .select(aliased({
      id: tasks.id,
      uid: tasks.uid,
      parentUid: parent.uid,
      parentTitle: parent.title,
      title: tasks.title,
      descriptionHtml: tasks.descriptionHtml,
      status: tasks.status,
      importance: tasks.importance,
      authorUid: users.uid,
      authorName: users.name,
      createdAt: tasks.createdAt,
      updatedAt: tasks.updatedAt,
      folderTitles: uidArray(sql`select array_agg(f.title order by f.uid collate "C") from task_folders tf join folders f on f.id = tf.folder_id where tf.task_id = ${tasks.id} and exists (select 1 from export_folders e where e.id = f.id)`),
      assigneeNames: uidArray(sql`select array_agg(au.name order by au.uid collate "C") from task_assignees ta join users au on au.id = ta.user_id where ta.task_id = ${tasks.id}`),
      folderUids: uidArray(sql`select array_agg(f.uid order by f.uid collate "C") from task_folders tf join folders f on f.id = tf.folder_id where tf.task_id = ${tasks.id} and exists (select 1 from export_folders e where e.id = f.id)`),
      assigneeUids: uidArray(sql`select array_agg(au.uid order by au.uid collate "C") from task_assignees ta join users au on au.id = ta.user_id where ta.task_id = ${tasks.id}`),
      // Who the task is shared with: the users its private folders are shared with (empty when every folder is the whole organization's).
      sharedUids: uidArray(sql`select array_agg(shared.uid order by shared.uid collate "C") from (select distinct su.uid from task_folders tf join folder_shares fs on fs.folder_id = tf.folder_id join users su on su.id = fs.user_id where tf.task_id = ${tasks.id} and exists (select 1 from export_folders e where e.id = tf.folder_id)) shared`),
      comments: inlineComments("task"),
      timeLogs: sql<{ uid: string; userUid: string | null; date: string; hours: string; comment: string }[]>`coalesce((
        select json_agg(json_build_object('uid', l.uid, 'userUid', lu.uid, 'date', l.logged_on, 'hours', l.hours, 'comment', l.comment) order by l.uid collate "C")
        from time_logs l left join users lu on lu.id = l.user_id where l.task_id = ${tasks.id}), '[]'::json)`,
    }))
    .from(tasks)
    .leftJoin(parent, eq(parent.id, tasks.parentTaskId))
    .leftJoin(users, eq(users.id, tasks.authorId))
    .leftJoin(inlineCommentsByTarget("task", organizationId), inlineCommentsOf("task", tasks.id))
    .where(and(inScope(tasks.id, "export_tasks")))
    .orderBy(byUid(tasks.uid));
}

export function exportTimeLogsQuery({ executor }: { executor: Executor }) {
  return executor
    .select(aliased({
      uid: timeLogs.uid,
      taskUid: tasks.uid,
      taskTitle: tasks.title,
      folderTitles: uidArray(sql`select array_agg(f.title order by f.uid collate "C") from task_folders tf join folders f on f.id = tf.folder_id where tf.task_id = ${tasks.id} and exists (select 1 from export_folders e where e.id = f.id)`),
      userUid: users.uid,
      userName: users.name,
      loggedOn: sql<string>`${timeLogs.loggedOn}::text`,
      hours: timeLogs.hours,
      comment: timeLogs.comment,
      createdAt: timeLogs.createdAt,
    }))
    .from(timeLogs)
    .innerJoin(tasks, eq(tasks.id, timeLogs.taskId))
    .leftJoin(users, eq(users.id, timeLogs.userId))
    .where(and(inScope(sql`${timeLogs.taskId}`, "export_tasks")))
    .orderBy(byUid(timeLogs.uid));
}

export function exportFilesQuery({ executor }: { executor: Executor }) {
  return executor
    .select(aliased({
      ...attachmentColumns,
      folderUid: folders.uid,
      folderTitle: folders.title,
      taskUid: tasks.uid,
      taskTitle: tasks.title,
      creatorUid: users.uid,
      creatorName: users.name,
      recipients: sql<{ uid: string; userUid: string | null; contactUid: string | null; role: string; decision: string; decidedAt: string | null }[]>`coalesce((
        select json_agg(json_build_object('uid', r.uid, 'userUid', ru.uid, 'contactUid', rc.uid, 'role', r.role, 'decision', r.decision, 'decidedAt', r.decided_at) order by r.uid collate "C")
        from recipients r left join users ru on ru.id = r.user_id left join contacts rc on rc.id = r.contact_id where r.file_id = ${files.id}), '[]'::json)`,
    }))
    .from(files)
    .leftJoin(folders, eq(folders.id, files.folderId))
    .leftJoin(tasks, eq(tasks.id, files.taskId))
    .leftJoin(users, eq(users.id, files.createdBy))
    .where(and(inScope(files.id, "export_files")))
    .orderBy(byUid(files.uid));
}

export function exportFileVersionsQuery({ executor }: { executor: Executor }) {
  return executor
    .select(aliased({
      uid: fileVersions.uid,
      fileUid: files.uid,
      fileName: files.name,
      contentType: files.contentType,
      location: sql<string | null>`coalesce(${folders.title}, ${tasks.title})`,
      version: fileVersions.version,
      sizeBytes: sql<number>`${fileVersions.sizeBytes}::float8`,
      sha256: fileVersions.sha256,
      uploaderUid: users.uid,
      uploaderName: users.name,
      uploadedAt: fileVersions.uploadedAt,
    }))
    .from(fileVersions)
    .innerJoin(files, eq(files.id, fileVersions.fileId))
    .leftJoin(folders, eq(folders.id, files.folderId))
    .leftJoin(tasks, eq(tasks.id, files.taskId))
    .leftJoin(users, eq(users.id, fileVersions.uploadedBy))
    .where(and(inScope(sql`${fileVersions.fileId}`, "export_files")))
    .orderBy(byUid(fileVersions.uid));
}

export function exportRecipientsQuery({ executor }: { executor: Executor }) {
  return executor
    .select(aliased({
      uid: recipients.uid,
      fileUid: files.uid,
      fileName: files.name,
      userUid: users.uid,
      userName: users.name,
      userEmail: users.email,
      contactUid: contacts.uid,
      contactName: contacts.name,
      contactEmail: contacts.email,
      role: recipients.role,
      decision: recipients.decision,
      decidedAt: recipients.decidedAt,
      createdAt: recipients.createdAt,
    }))
    .from(recipients)
    .innerJoin(files, eq(files.id, recipients.fileId))
    .leftJoin(users, eq(users.id, recipients.userId))
    .leftJoin(contacts, eq(contacts.id, recipients.contactId))
    .where(and(inScope(sql`${recipients.fileId}`, "export_files")))
    .orderBy(byUid(recipients.uid));
}

/**
 * The columns of exportCommentsQuery, in order. Comments are read through COPY (db/copy-out.ts) as
 * bytes: the export writes JSON and CSV from the fields' UTF-8 text without making strings of them.
 * - targetType: "folder", "task" or "file_version"; targetUid: the folder's, task's or file version's uid;
 * - targetName: the folder's or task's title, or the file's name and version ("report.pdf v2");
 * - fileUid and version: for a comment on a file version, its file's uid and the version's number;
 * - createdAt: ISO 8601 UTC with milliseconds, as `Date#toISOString` writes it.
 */
export const COMMENT_FIELD = {
  uid: 0,
  parentUid: 1,
  authorUid: 2,
  authorName: 3,
  body: 4,
  createdAt: 5,
  targetType: 6,
  targetUid: 7,
  targetName: 8,
  fileUid: 9,
  version: 10,
} as const;
export const COMMENT_FIELD_COUNT = Object.keys(COMMENT_FIELD).length;

/**
 * Every visible comment, replies included (parentUid is set on a reply), with its target resolved
 * and its date written in ISO 8601 by the query, every column as text; oldest first, then by uid,
 * as the folders' and tasks' inline comments are. The rows are sorted with their raw columns and
 * the text columns are made from them after the sort (a subquery's order carries through to the
 * query's own): the sort, which gives no row until it is done, then leaves out the dates' and
 * targets' formatting, which PostgreSQL does while sending rows. Its first row comes about 130 ms
 * sooner, at 200,000 comments, and sorting by date first compares less than by uid.
 */
export function exportCommentsQuery({ organizationId }: { organizationId: string }): SQL {
  return sql`
    select sorted.uid as "uid", sorted.parent_uid as "parentUid", sorted.author_uid as "authorUid", sorted.author_name as "authorName", sorted.body as "body",
      ${isoText(sql`sorted.created_at`)} as "createdAt",
      case when sorted.folder_id is not null then 'folder' when sorted.task_id is not null then 'task' else 'file_version' end as "targetType",
      coalesce(sorted.folder_uid, sorted.task_uid, sorted.version_uid) as "targetUid",
      coalesce(sorted.folder_title, sorted.task_title, sorted.file_name || ' v' || sorted.version) as "targetName",
      sorted.file_uid as "fileUid", sorted.version::text as "version"
    from (
      select c.uid, p.uid as parent_uid, u.uid as author_uid, u.name as author_name, c.body, c.created_at, c.folder_id, c.task_id,
        cf.uid as folder_uid, ct.uid as task_uid, fv.uid as version_uid, cf.title as folder_title, ct.title as task_title, f.name as file_name, fv.version, f.uid as file_uid
      from comments c
      ${parentCommentJoin(organizationId)}
      left join users u on u.id = c.author_id
      left join folders cf on cf.id = c.folder_id
      left join tasks ct on ct.id = c.task_id
      left join file_versions fv on fv.id = c.file_version_id
      left join files f on f.id = fv.file_id
      where c.organization_id = ${organizationId} and ${commentVisibleSql(exportTargets)}
      order by c.created_at, c.uid collate "C"
    ) as sorted
    order by sorted.created_at, sorted.uid collate "C"`;
}

/**
 * Freezes the file versions a backup packs, in archive order (by file uid, then version), with one
 * statement: the list never passes through this process.
 */
export async function insertBackupFileEntries({ backupId, executor }: { backupId: string; executor: Executor }) {
  await executor.delete(backupFileEntries).where(eq(backupFileEntries.backupId, backupId));
  await executor.execute(sql`
    insert into backup_file_entries (backup_id, seq, file_version_id, file_uid, version_uid, version, file_name, content_type, storage_key, size_bytes, sha256)
    select ${backupId}, (row_number() over (order by f.uid, v.version) - 1)::int, v.id, f.uid, v.uid, v.version, f.name, f.content_type, v.storage_key, v.size_bytes, v.sha256
    from file_versions v join files f on f.id = v.file_id
    where f.id in (select id from export_files)`);
}

/** The sizes of a backup's file entries in order, a page at a time, for planning batches. */
export function pageBackupFileEntrySizes({ backupId, afterSeq, limit, executor }: { backupId: string; afterSeq: number; limit: number; executor: Executor }) {
  return executor
    .select({ seq: backupFileEntries.seq, sizeBytes: backupFileEntries.sizeBytes })
    .from(backupFileEntries)
    .where(and(eq(backupFileEntries.backupId, backupId), gt(backupFileEntries.seq, afterSeq)))
    .orderBy(asc(backupFileEntries.seq))
    .limit(limit);
}
