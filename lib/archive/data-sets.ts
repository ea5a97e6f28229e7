import "server-only";
import { stringify } from "csv-stringify/sync";
import type { SQLWrapper } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import {
  exportCommentsQuery,
  exportContactsQuery,
  exportFilesQuery,
  exportFileVersionsQuery,
  exportFoldersQuery,
  exportRecipientsQuery,
  exportTasksQuery,
  exportTeamsQuery,
  exportTimeLogsQuery,
  exportUsersQuery,
  listExportAttachments,
  streamRows,
  type ExportAttachment,
} from "@/db/queries/backup-export";
import type { BackupOptions } from "@/db/schema";

/**
 * The data sets of SPEC §4 as a stream of archive entries: Wrike-style JSON (json/), Workfront-style
 * CSV (csv/), the BI export (bi/) and one metadata file per file version (versions/). Each entry's
 * bytes are produced page by page while the archive is written, inside the snapshot transaction, so
 * memory stays flat however many rows there are.
 */

export type DataSetEntry = { path: string; content: () => AsyncIterable<Buffer> };
type Row = Record<string, unknown>;


const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

/** Archive path of a file version's content: `files/<version uid>_<sanitized name>` (≤ 200 bytes, no traversal). */
export function fileContentPath(versionUid: string, fileName: string): string {
  const cleaned = fileName
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[/\\]/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.\s]+|\s+$/g, "")
    .trim();
  return `files/${truncateUtf8(`${versionUid}_${cleaned || "file"}`, 200)}`;
}

function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value) <= maxBytes) return value;
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(value)?.[0] ?? "";
  let stem = Array.from(value.slice(0, value.length - extension.length));
  while (Buffer.byteLength(stem.join("") + extension) > maxBytes) stem = stem.slice(0, -1);
  return stem.join("") + extension;
}

function splitName(name: string) {
  const parts = name.trim().split(/\s+/);
  return { firstName: parts.slice(0, -1).join(" ") || parts[0] || "", lastName: parts.length > 1 ? parts.at(-1)! : "" };
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (JSON keeps the exact value). */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function encodeText(text: string, encoding: BackupOptions["csvEncoding"], first: boolean): Buffer {
  if (encoding === "utf-16le") return Buffer.concat([first ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, "utf16le")]);
  if (encoding === "utf-8-bom" && first) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
  return Buffer.from(text, "utf8");
}

function csvCells(row: Row, columns: string[]) {
  return columns.map((column) => {
    const value = row[column];
    if (value === null || value === undefined) return "";
    if (value instanceof Date) return value.toISOString();
    return neutralizeFormula(Array.isArray(value) ? value.join(";") : String(value));
  });
}

/** RFC 4180 with a header row and CRLF, in the chosen encoding; a whole CSV held as rows (tests, small sets). */
export function encodeCsv(rows: Row[], columns: string[], encoding: BackupOptions["csvEncoding"]): Buffer {
  return encodeText(stringify(rows.map((row) => csvCells(row, columns)), { header: true, columns, record_delimiter: "\r\n" }), encoding, true);
}

/** A JSON array with one element per line: valid JSON, readable, and cheap to write for millions of rows. */
async function* jsonArray<T>(pages: AsyncGenerator<T[]>, shape: (rows: T[]) => Promise<Row[]> | Row[]): AsyncGenerator<Buffer> {
  let separator = "";
  yield Buffer.from("[");
  for await (const rows of pages) {
    let text = "";
    for (const row of await shape(rows)) {
      text += `${separator}\n${JSON.stringify(row)}`;
      separator = ",";
    }
    yield Buffer.from(text, "utf8");
  }
  yield Buffer.from(separator ? "\n]\n" : "]\n");
}

async function* csvTable<T extends Row>(
  pages: AsyncGenerator<T[]>,
  columns: string[],
  encoding: BackupOptions["csvEncoding"],
  shape: (row: T) => Row = (row) => row,
): AsyncGenerator<Buffer> {
  yield encodeText(stringify([columns], { record_delimiter: "\r\n" }), encoding, true);
  for await (const rows of pages) yield encodeText(stringify(rows.map((row) => csvCells(shape(row), columns)), { record_delimiter: "\r\n" }), encoding, false);
}

function attachmentJson(attachment: ExportAttachment, includeFiles: boolean) {
  const current = attachment.versions.find((version) => version.version === attachment.currentVersion) ?? attachment.versions.at(-1);
  return {
    id: attachment.uid,
    name: attachment.name,
    contentType: attachment.contentType,
    version: attachment.currentVersion,
    apiId: current?.uid ?? null,
    size: current?.size ?? 0,
    createdDate: iso(attachment.createdAt),
    versions: attachment.versions.map((version) => ({
      version: version.version,
      apiId: version.uid,
      size: version.size,
      sha256: version.sha256,
      path: includeFiles ? fileContentPath(version.uid, attachment.name) : null,
    })),
  };
}

function commentTarget(comment: { folderUid: string | null; taskUid: string | null }) {
  return comment.folderUid ? "folder" : comment.taskUid ? "task" : "file_version";
}

/**
 * Counts the database rows exported, for the benchmark's rows per second: a table read for several
 * data sets (JSON, CSV, BI) counts once, with the most rows any one data set read from it.
 */
export class RowCounter {
  private readonly perPass = new Map<string, number>();

  /** `pass` is the table, or `table/part` for a pass that reads only part of it (e.g. comment replies). */
  record(pass: string, rows: number) {
    this.perPass.set(pass, Math.max(this.perPass.get(pass) ?? 0, rows));
  }

  get rows(): number {
    const perTable = new Map<string, { whole: number; parts: number }>();
    for (const [pass, rows] of this.perPass) {
      const [table, part] = pass.split("/");
      const entry = perTable.get(table!) ?? { whole: 0, parts: 0 };
      if (part) entry.parts += rows;
      else entry.whole = Math.max(entry.whole, rows);
      perTable.set(table!, entry);
    }
    return [...perTable.values()].reduce((total, { whole, parts }) => total + Math.max(whole, parts), 0);
  }
}

export function dataSetEntries({
  executor,
  organization,
  options,
  counter,
}: {
  executor: Executor;
  organization: { id: string; accountNumber: number; sid: string; name: string; plan: string; createdAt: Date };
  options: BackupOptions;
  counter: RowCounter;
}): DataSetEntry[] {
  const organizationId = organization.id;
  /** A query's rows streamed in batches, counted under `table` for the rows-per-second figure. */
  async function* counted<Query extends PromiseLike<unknown[]> & SQLWrapper>(table: string, query: Query): AsyncGenerator<Awaited<Query>[number][]> {
    let read = 0;
    for await (const rows of streamRows<Awaited<Query>[number]>(executor, query)) {
      read += rows.length;
      counter.record(table, read);
      yield rows;
    }
  }
  const users = () => counted("users", exportUsersQuery({ organizationId, executor }));
  const teams = () => counted("teams", exportTeamsQuery({ organizationId, executor }));
  const contacts = () => counted("contacts", exportContactsQuery({ organizationId, executor }));
  const folders = () => counted("folders", exportFoldersQuery({ executor }));
  const tasks = () => counted("tasks", exportTasksQuery({ executor }));
  const timeLogs = () => counted("time_logs", exportTimeLogsQuery({ executor }));
  const files = () => counted("files", exportFilesQuery({ executor }));
  const versions = () => counted("file_versions", exportFileVersionsQuery({ executor }));
  const recipients = () => counted("recipients", exportRecipientsQuery({ executor }));
  const comments = (kind: "all" | "top-level" | "replies" = "all") => counted(kind === "all" ? "comments" : `comments/${kind}`, exportCommentsQuery({ executor, kind }));
  const encoding = options.csvEncoding;
  const entries: DataSetEntry[] = [];
  const add = (path: string, content: () => AsyncIterable<Buffer>) => entries.push({ path, content });

  if (options.formats.includes("json")) {
    add("json/users.json", () =>
      jsonArray(users(), (rows) => rows.map((user) => ({ uid: user.uid, ...splitName(user.name), name: user.name, email: user.email, userType: user.role, joinedDate: iso(user.joinedAt) }))),
    );
    add("json/teams.json", () => jsonArray(teams(), (rows) => rows.map((team) => ({ uid: team.uid, name: team.name, members: team.memberUids, createdDate: iso(team.createdAt) }))));
    add("json/contacts.json", () =>
      jsonArray(contacts(), (rows) => rows.map((contact) => ({ uid: contact.uid, name: contact.name, email: contact.email, company: contact.company, createdDate: iso(contact.createdAt) }))),
    );
    add("json/folders.json", () =>
      jsonArray(folders(), async (rows) => {
        const attachments = await listExportAttachments({ parent: "folder", parentIds: rows.map((folder) => folder.id), executor });
        return rows.map((folder) => ({
          id: folder.uid,
          title: folder.title,
          description: folder.description,
          parentId: folder.parentUid,
          children: folder.childUids,
          authorId: folder.authorUid,
          visibility: folder.visibility,
          shared: folder.sharedUids,
          project: folder.isProject ? { status: folder.projectStatus, startDate: folder.startDate, endDate: folder.endDate } : null,
          createdDate: iso(folder.createdAt),
          updatedDate: iso(folder.updatedAt),
          comments: folder.commentUids,
          attachments: (attachments.get(folder.id) ?? []).map((attachment) => attachmentJson(attachment, options.includeFiles)),
        }));
      }),
    );
    add("json/tasks.json", () =>
      jsonArray(tasks(), async (rows) => {
        const attachments = await listExportAttachments({ parent: "task", parentIds: rows.map((task) => task.id), executor });
        return rows.map((task) => ({
          id: task.uid,
          title: task.title,
          description: task.descriptionHtml,
          status: task.status,
          importance: task.importance,
          parentId: task.parentUid,
          folderIds: task.folderUids,
          assignees: task.assigneeUids,
          authorId: task.authorUid,
          createdDate: iso(task.createdAt),
          updatedDate: iso(task.updatedAt),
          timeLogs: task.timeLogs.map((log) => ({ id: log.uid, userId: log.userUid, date: log.date, hours: Number(log.hours), comment: log.comment })),
          comments: task.commentUids,
          attachments: (attachments.get(task.id) ?? []).map((attachment) => attachmentJson(attachment, options.includeFiles)),
        }));
      }),
    );
    add("json/files.json", () =>
      jsonArray(files(), (rows) =>
        rows.map((file) => ({
          ...attachmentJson(file, options.includeFiles),
          folderId: file.folderUid,
          taskId: file.taskUid,
          createdBy: file.creatorUid,
          recipients: file.recipients.map((recipient) => ({
            id: recipient.uid,
            type: recipient.userUid ? "user" : "contact",
            personId: recipient.userUid ?? recipient.contactUid,
            role: recipient.role,
            decision: recipient.decision,
            decidedDate: iso(recipient.decidedAt),
          })),
        })),
      ),
    );
    add("json/comments.json", () =>
      jsonArray(comments(), (rows) =>
        rows.map((comment) => ({
          id: comment.uid,
          parentId: comment.parentUid,
          authorId: comment.authorUid,
          text: comment.body,
          createdDate: iso(comment.createdAt),
          target:
            commentTarget(comment) === "folder"
              ? { type: "folder", id: comment.folderUid }
              : commentTarget(comment) === "task"
                ? { type: "task", id: comment.taskUid }
                : { type: "fileVersion", id: comment.versionUid, fileId: comment.fileUid, version: comment.version },
        })),
      ),
    );
  }

  if (options.formats.includes("csv")) {
    add("csv/organisation.csv", async function* () {
      yield encodeCsv([organization], ["accountNumber", "sid", "name", "plan", "createdAt"], encoding);
    });
    add("csv/users.csv", () => csvTable(users(), ["uid", "firstName", "lastName", "email", "role", "joinedAt"], encoding, (user) => ({ ...user, ...splitName(user.name) })));
    add("csv/contacts.csv", () => csvTable(contacts(), ["uid", "name", "email", "company", "createdAt"], encoding));
    add("csv/files.csv", () =>
      csvTable(
        files(),
        ["uid", "name", "contentType", "currentVersion", "versionCount", "currentSizeBytes", "currentSha256", "locationType", "location", "creatorName", "createdAt"],
        encoding,
        (file) => {
          const current = file.versions.find((version) => version.version === file.currentVersion);
          return { ...file, versionCount: file.versions.length, currentSizeBytes: current?.size, currentSha256: current?.sha256, locationType: file.folderUid ? "folder" : "task", location: file.folderTitle ?? file.taskTitle };
        },
      ),
    );
    add("csv/recipients.csv", () =>
      csvTable(
        recipients(),
        ["uid", "fileUid", "fileName", "recipientType", "recipientUid", "recipientName", "recipientEmail", "role", "decision", "decidedAt", "createdAt"],
        encoding,
        (recipient) => ({
          ...recipient,
          recipientType: recipient.userUid ? "user" : "contact",
          recipientUid: recipient.userUid ?? recipient.contactUid,
          recipientName: recipient.userName ?? recipient.contactName,
          recipientEmail: recipient.userEmail ?? recipient.contactEmail,
        }),
      ),
    );
    const commentRow = (comment: Awaited<ReturnType<typeof exportCommentsQuery>>[number]) => ({
      ...comment,
      targetType: commentTarget(comment),
      targetUid: comment.folderUid ?? comment.taskUid ?? comment.versionUid,
      targetName: comment.folderTitle ?? comment.taskTitle ?? (comment.fileName ? `${comment.fileName} v${comment.version}` : null),
    });
    add("csv/comments.csv", () =>
      csvTable(comments("top-level"), ["uid", "targetType", "targetUid", "targetName", "authorName", "body", "createdAt"], encoding, commentRow),
    );
    add("csv/comment_replies.csv", () =>
      csvTable(comments("replies"), ["uid", "parentUid", "targetType", "targetUid", "authorName", "body", "createdAt"], encoding, commentRow),
    );
    add("csv/folders.csv", () =>
      csvTable(
        folders(),
        ["uid", "parentUid", "title", "description", "visibility", "isProject", "projectStatus", "startDate", "endDate", "authorUid", "shared", "createdAt", "updatedAt"],
        encoding,
        (folder) => ({ ...folder, shared: folder.sharedUids }),
      ),
    );
    add("csv/tasks.csv", () =>
      csvTable(
        tasks(),
        ["uid", "parentUid", "title", "status", "importance", "folders", "assignees", "authorUid", "descriptionHtml", "createdAt", "updatedAt"],
        encoding,
        (task) => ({ ...task, folders: task.folderUids, assignees: task.assigneeUids }),
      ),
    );
    add("csv/time_logs.csv", () => csvTable(timeLogs(), ["uid", "taskUid", "taskTitle", "userUid", "userName", "loggedOn", "hours", "comment", "createdAt"], encoding));
  }

  if (options.includeBi) {
    // One flat row per fact with every id resolved to a name, for BI tools that cannot join.
    add("bi/tasks.csv", () =>
      csvTable(
        tasks(),
        ["task", "parentTask", "folders", "status", "importance", "assignees", "author", "hoursLogged", "createdAt", "updatedAt"],
        encoding,
        (task) => ({
          ...task,
          task: task.title,
          parentTask: task.parentTitle ?? "",
          folders: task.folderTitles.join("; "),
          assignees: task.assigneeNames.join("; "),
          author: task.authorName ?? "",
          hoursLogged: task.timeLogs.reduce((total, log) => total + Number(log.hours), 0),
        }),
      ),
    );
    add("bi/time_logs.csv", () =>
      csvTable(timeLogs(), ["date", "hours", "person", "task", "folders", "comment"], encoding, (log) => ({
        date: log.loggedOn,
        hours: log.hours,
        person: log.userName ?? "",
        task: log.taskTitle,
        folders: log.folderTitles.join("; "),
        comment: log.comment,
      })),
    );
    add("bi/comments.csv", () =>
      csvTable(comments(), ["author", "isReply", "targetType", "target", "body", "createdAt"], encoding, (comment) => ({
        author: comment.authorName ?? "",
        isReply: comment.parentUid ? "yes" : "no",
        targetType: commentTarget(comment),
        target: comment.folderTitle ?? comment.taskTitle ?? `${comment.fileName} v${comment.version}`,
        body: comment.body,
        createdAt: comment.createdAt,
      })),
    );
    add("bi/file_versions.csv", () =>
      csvTable(versions(), ["file", "version", "contentType", "sizeBytes", "uploadedBy", "uploadedAt", "location", "sha256"], encoding, (version) => ({
        ...version,
        file: version.fileName,
        uploadedBy: version.uploaderName ?? "",
        location: version.location ?? "",
      })),
    );
  }
  return entries;
}

/** One `versions/<file uid>_<version>.json` entry per visible file version, streamed page by page. */
export async function* versionMetadataEntries({ executor, includeFiles }: { executor: Executor; includeFiles: boolean }): AsyncGenerator<{ path: string; content: Buffer }> {
  for await (const rows of streamRows<Awaited<ReturnType<typeof exportFileVersionsQuery>>[number]>(executor, exportFileVersionsQuery({ executor }))) {
    for (const version of rows) {
      yield {
        path: `versions/${version.fileUid}_${version.version}.json`,
        content: Buffer.from(
          `${JSON.stringify(
            {
              fileId: version.fileUid,
              fileName: version.fileName,
              contentType: version.contentType,
              version: version.version,
              apiId: version.uid,
              size: version.sizeBytes,
              sha256: version.sha256,
              uploadedBy: version.uploaderUid,
              uploadedDate: iso(version.uploadedAt),
              path: includeFiles ? fileContentPath(version.uid, version.fileName) : null,
            },
            null,
            2,
          )}\n`,
          "utf8",
        ),
      };
    }
  }
}
