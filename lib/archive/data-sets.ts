import "server-only";
import { stringify } from "csv-stringify/sync";
import type { Executor } from "@/db/connection";
import {
  findExportOrganization,
  listExportComments,
  listExportContacts,
  listExportFiles,
  listExportFileVersions,
  listExportFolders,
  listExportRecipients,
  listExportTasks,
  listExportTeams,
  listExportTimeLogs,
  listExportUsers,
} from "@/db/queries/backup-export";
import type { BackupOptions } from "@/db/schema";
import type { Viewer } from "@/lib/workspace/visibility";

/**
 * The data sets of SPEC §4: Wrike-style JSON (json/) and Workfront-style CSV (csv/), plus one
 * metadata file per file version (versions/). Built from rows read in the snapshot transaction.
 */

export type DataEntry = { path: string; content: Buffer };
export type ExportedVersion = Awaited<ReturnType<typeof listExportFileVersions>>[number];

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

/** Archive path of a file version's content: `files/<version uid>_<sanitized name>` (≤ 200 bytes, no traversal). */
export function fileContentPath(versionUid: string, fileName: string): string {
  const cleaned = fileName
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[/\\]/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.\s]+|\s+$/g, "")
    .trim();
  const name = `${versionUid}_${cleaned || "file"}`;
  return `files/${truncateUtf8(name, 200)}`;
}

function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value) <= maxBytes) return value;
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(value)?.[0] ?? "";
  let stem = value.slice(0, value.length - extension.length);
  while (Buffer.byteLength(stem + extension) > maxBytes) stem = Array.from(stem).slice(0, -1).join("");
  return stem + extension;
}

function splitName(name: string) {
  const parts = name.trim().split(/\s+/);
  return { firstName: parts.slice(0, -1).join(" ") || parts[0] || "", lastName: parts.length > 1 ? parts.at(-1)! : "" };
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (JSON keeps the exact value). */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function encodeCsv(rows: Record<string, unknown>[], columns: string[], encoding: BackupOptions["csvEncoding"]): Buffer {
  const text = stringify(
    rows.map((row) => columns.map((column) => {
      const value = row[column];
      if (value === null || value === undefined) return "";
      if (value instanceof Date) return value.toISOString();
      return neutralizeFormula(Array.isArray(value) ? value.join(";") : String(value));
    })),
    { header: true, columns, record_delimiter: "\r\n", quoted_match: /[\s\S]*[",\r\n][\s\S]*/ },
  );
  if (encoding === "utf-16le") return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  if (encoding === "utf-8-bom") return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
  return Buffer.from(text, "utf8");
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");

export async function buildDataSets({
  executor,
  viewer,
  options,
}: {
  executor: Executor;
  viewer: Viewer;
  options: BackupOptions;
}): Promise<{ entries: DataEntry[]; versions: ExportedVersion[]; filesCount: number }> {
  const organizationId = viewer.organizationId;
  const organization = await findExportOrganization({ organizationId, executor });
  if (!organization) throw new Error("The organization no longer exists.");
  const [people, teamRows, contactRows, folderRows, taskRows, timeLogRows, fileRows, versionRows, recipientRows, commentRows] = await Promise.all([
    listExportUsers({ organizationId, executor }),
    listExportTeams({ organizationId, executor }),
    listExportContacts({ organizationId, executor }),
    listExportFolders({ viewer, executor }),
    listExportTasks({ viewer, executor }),
    listExportTimeLogs({ viewer, executor }),
    listExportFiles({ viewer, executor }),
    listExportFileVersions({ viewer, executor }),
    listExportRecipients({ viewer, executor }),
    listExportComments({ viewer, executor }),
  ]);

  const versionsByFile = groupBy(versionRows, (version) => version.fileUid);
  const attachment = (file: (typeof fileRows)[number]) => {
    const versions = versionsByFile.get(file.uid) ?? [];
    const current = versions.find((version) => version.version === file.currentVersion) ?? versions.at(-1);
    return {
      id: file.uid,
      name: file.name,
      contentType: file.contentType,
      version: file.currentVersion,
      apiId: current?.uid ?? null,
      size: current?.sizeBytes ?? 0,
      createdDate: iso(file.createdAt),
      versions: versions.map((version) => ({
        version: version.version,
        apiId: version.uid,
        size: version.sizeBytes,
        sha256: version.sha256,
        path: options.includeFiles ? fileContentPath(version.uid, version.fileName) : null,
      })),
    };
  };
  const commentUidsBy = (key: "folderUid" | "taskUid", uid: string) => commentRows.filter((comment) => comment[key] === uid).map((comment) => comment.uid);
  const timeLogsByTask = groupBy(timeLogRows, (log) => log.taskUid);
  const filesByFolder = groupBy(fileRows.filter((file) => file.folderUid), (file) => file.folderUid!);
  const filesByTask = groupBy(fileRows.filter((file) => file.taskUid), (file) => file.taskUid!);
  const recipientsByFile = groupBy(recipientRows, (recipient) => recipient.fileUid);
  const exportedFolderUids = new Set(folderRows.map((folder) => folder.uid));

  const entries: DataEntry[] = [];
  if (options.formats.includes("json")) {
    entries.push(
      {
        path: "json/users.json",
        content: json(people.map((person) => ({ uid: person.uid, ...splitName(person.name), name: person.name, email: person.email, userType: person.role, joinedDate: iso(person.joinedAt) }))),
      },
      { path: "json/teams.json", content: json(teamRows.map((team) => ({ uid: team.uid, name: team.name, members: team.memberUids, createdDate: iso(team.createdAt) }))) },
      { path: "json/contacts.json", content: json(contactRows.map((contact) => ({ uid: contact.uid, name: contact.name, email: contact.email, company: contact.company, createdDate: iso(contact.createdAt) }))) },
      {
        path: "json/folders.json",
        content: json(
          folderRows.map((folder) => ({
            id: folder.uid,
            title: folder.title,
            description: folder.description,
            parentId: folder.parentUid && exportedFolderUids.has(folder.parentUid) ? folder.parentUid : null,
            children: folderRows.filter((child) => child.parentUid === folder.uid).map((child) => child.uid),
            authorId: folder.authorUid,
            visibility: folder.visibility,
            shared: folder.sharedUids,
            project: folder.isProject ? { status: folder.projectStatus, startDate: folder.startDate, endDate: folder.endDate } : null,
            createdDate: iso(folder.createdAt),
            updatedDate: iso(folder.updatedAt),
            comments: commentUidsBy("folderUid", folder.uid),
            attachments: (filesByFolder.get(folder.uid) ?? []).map(attachment),
          })),
        ),
      },
      {
        path: "json/tasks.json",
        content: json(
          taskRows.map((task) => ({
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
            timeLogs: (timeLogsByTask.get(task.uid) ?? []).map((log) => ({ id: log.uid, userId: log.userUid, date: log.loggedOn, hours: Number(log.hours), comment: log.comment })),
            comments: commentUidsBy("taskUid", task.uid),
            attachments: (filesByTask.get(task.uid) ?? []).map(attachment),
          })),
        ),
      },
      {
        path: "json/files.json",
        content: json(
          fileRows.map((file) => ({
            ...attachment(file),
            folderId: file.folderUid,
            taskId: file.taskUid,
            createdBy: file.creatorUid,
            recipients: (recipientsByFile.get(file.uid) ?? []).map((recipient) => ({
              id: recipient.uid,
              type: recipient.userUid ? "user" : "contact",
              personId: recipient.userUid ?? recipient.contactUid,
              role: recipient.role,
              decision: recipient.decision,
              decidedDate: iso(recipient.decidedAt),
            })),
          })),
        ),
      },
      {
        path: "json/comments.json",
        content: json(
          commentRows.map((comment) => ({
            id: comment.uid,
            parentId: comment.parentUid,
            authorId: comment.authorUid,
            text: comment.body,
            createdDate: iso(comment.createdAt),
            target: comment.folderUid
              ? { type: "folder", id: comment.folderUid }
              : comment.taskUid
                ? { type: "task", id: comment.taskUid }
                : { type: "fileVersion", id: comment.versionUid, fileId: comment.fileUid, version: comment.version },
          })),
        ),
      },
    );
  }
  if (options.formats.includes("csv")) {
    const csv = (path: string, rows: Record<string, unknown>[], columns: string[]) => entries.push({ path, content: encodeCsv(rows, columns, options.csvEncoding) });
    csv("csv/organisation.csv", [{ ...organization, createdAt: organization.createdAt }], ["accountNumber", "sid", "name", "plan", "createdAt"]);
    csv(
      "csv/users.csv",
      people.map((person) => ({ ...person, ...splitName(person.name) })),
      ["uid", "firstName", "lastName", "email", "role", "joinedAt"],
    );
    csv("csv/contacts.csv", contactRows, ["uid", "name", "email", "company", "createdAt"]);
    csv(
      "csv/files.csv",
      fileRows.map((file) => {
        const versions = versionsByFile.get(file.uid) ?? [];
        const current = versions.find((version) => version.version === file.currentVersion);
        return {
          ...file,
          location: file.folderTitle ?? file.taskTitle,
          locationType: file.folderUid ? "folder" : "task",
          versionCount: versions.length,
          currentSizeBytes: current?.sizeBytes,
          currentSha256: current?.sha256,
          currentUploadedAt: current?.uploadedAt,
        };
      }),
      ["uid", "name", "contentType", "currentVersion", "versionCount", "currentSizeBytes", "currentSha256", "locationType", "location", "creatorName", "createdAt", "currentUploadedAt"],
    );
    csv(
      "csv/recipients.csv",
      recipientRows.map((recipient) => ({
        ...recipient,
        recipientType: recipient.userUid ? "user" : "contact",
        recipientUid: recipient.userUid ?? recipient.contactUid,
        recipientName: recipient.userName ?? recipient.contactName,
        recipientEmail: recipient.userEmail ?? recipient.contactEmail,
      })),
      ["uid", "fileUid", "fileName", "recipientType", "recipientUid", "recipientName", "recipientEmail", "role", "decision", "decidedAt", "createdAt"],
    );
    const commentRow = (comment: (typeof commentRows)[number]) => ({
      ...comment,
      targetType: comment.folderUid ? "folder" : comment.taskUid ? "task" : "file_version",
      targetUid: comment.folderUid ?? comment.taskUid ?? comment.versionUid,
      targetName: comment.folderTitle ?? comment.taskTitle ?? (comment.fileName ? `${comment.fileName} v${comment.version}` : null),
    });
    csv("csv/comments.csv", commentRows.filter((comment) => !comment.parentUid).map(commentRow), ["uid", "targetType", "targetUid", "targetName", "authorName", "body", "createdAt"]);
    csv("csv/comment_replies.csv", commentRows.filter((comment) => comment.parentUid).map(commentRow), ["uid", "parentUid", "targetType", "targetUid", "authorName", "body", "createdAt"]);
    csv(
      "csv/folders.csv",
      folderRows.map((folder) => ({ ...folder, shared: folder.sharedUids })),
      ["uid", "parentUid", "title", "description", "visibility", "isProject", "projectStatus", "startDate", "endDate", "authorUid", "shared", "createdAt", "updatedAt"],
    );
    csv(
      "csv/tasks.csv",
      taskRows.map((task) => ({ ...task, folders: task.folderUids, assignees: task.assigneeUids })),
      ["uid", "parentUid", "title", "status", "importance", "folders", "assignees", "authorUid", "descriptionHtml", "createdAt", "updatedAt"],
    );
    csv("csv/time_logs.csv", timeLogRows, ["uid", "taskUid", "taskTitle", "userUid", "userName", "loggedOn", "hours", "comment", "createdAt"]);
  }
  if (options.includeBi) {
    // One flat row per fact with every id resolved to a name, for BI tools that cannot join.
    const nameOf = new Map(people.map((person) => [person.uid, person.name]));
    const folderTitleOf = new Map(folderRows.map((folder) => [folder.uid, folder.title]));
    const titles = (uids: string[]) => uids.map((uid) => folderTitleOf.get(uid) ?? uid).join("; ");
    const names = (uids: string[]) => uids.map((uid) => nameOf.get(uid) ?? uid).join("; ");
    const foldersOfTask = new Map(taskRows.map((task) => [task.uid, task.folderUids]));
    const bi = (path: string, rows: Record<string, unknown>[], columns: string[]) => entries.push({ path, content: encodeCsv(rows, columns, options.csvEncoding) });
    bi(
      "bi/tasks.csv",
      taskRows.map((task) => ({
        task: task.title,
        parentTask: taskRows.find((candidate) => candidate.uid === task.parentUid)?.title ?? "",
        folders: titles(task.folderUids),
        status: task.status,
        importance: task.importance,
        assignees: names(task.assigneeUids),
        author: task.authorUid ? (nameOf.get(task.authorUid) ?? "") : "",
        hoursLogged: (timeLogsByTask.get(task.uid) ?? []).reduce((total, log) => total + Number(log.hours), 0),
        createdAt: task.createdAt,
        updatedAt: task.updatedAt,
      })),
      ["task", "parentTask", "folders", "status", "importance", "assignees", "author", "hoursLogged", "createdAt", "updatedAt"],
    );
    bi(
      "bi/time_logs.csv",
      timeLogRows.map((log) => ({ date: log.loggedOn, hours: log.hours, person: log.userName ?? "", task: log.taskTitle, folders: titles(foldersOfTask.get(log.taskUid) ?? []), comment: log.comment })),
      ["date", "hours", "person", "task", "folders", "comment"],
    );
    bi(
      "bi/comments.csv",
      commentRows.map((comment) => ({
        author: comment.authorName ?? "",
        isReply: comment.parentUid ? "yes" : "no",
        targetType: comment.folderUid ? "folder" : comment.taskUid ? "task" : "file version",
        target: comment.folderTitle ?? comment.taskTitle ?? `${comment.fileName} v${comment.version}`,
        body: comment.body,
        createdAt: comment.createdAt,
      })),
      ["author", "isReply", "targetType", "target", "body", "createdAt"],
    );
    const fileByUid = new Map(fileRows.map((file) => [file.uid, file]));
    bi(
      "bi/file_versions.csv",
      versionRows.map((version) => {
        const file = fileByUid.get(version.fileUid);
        return {
          file: version.fileName,
          version: version.version,
          contentType: version.contentType,
          sizeBytes: version.sizeBytes,
          uploadedBy: version.uploaderName ?? "",
          uploadedAt: version.uploadedAt,
          location: file?.folderTitle ?? file?.taskTitle ?? "",
          sha256: version.sha256,
        };
      }),
      ["file", "version", "contentType", "sizeBytes", "uploadedBy", "uploadedAt", "location", "sha256"],
    );
  }
  for (const version of versionRows) {
    entries.push({
      path: `versions/${version.fileUid}_${version.version}.json`,
      content: json({
        fileId: version.fileUid,
        fileName: version.fileName,
        contentType: version.contentType,
        version: version.version,
        apiId: version.uid,
        size: version.sizeBytes,
        sha256: version.sha256,
        uploadedBy: version.uploaderUid,
        uploadedDate: iso(version.uploadedAt),
        path: options.includeFiles ? fileContentPath(version.uid, version.fileName) : null,
      }),
    });
  }
  return { entries, versions: versionRows, filesCount: fileRows.length };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
