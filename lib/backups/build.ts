import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import {
  countExportFiles,
  createExportScope,
  findExportOrganization,
  findExportRequesterRole,
  insertBackupFileEntries,
  pageBackupFileEntrySizes,
  withExportReader,
} from "@/db/queries/backup-export";
import {
  addBackupProgress,
  findBackupById,
  listFileEntries,
  listSegments,
  recordBackupFailureReason,
  transitionBackup,
  updateBackupProgress,
  upsertSegment,
} from "@/db/queries/backups";
import { findOrganizationById } from "@/db/queries/organizations";
import { findUserById } from "@/db/queries/users";
import type { ArchiveEntryRecord, Backup } from "@/db/schema";
import { DATA_SET_DEFLATE_LEVEL, RowCounter, dataSetEntries, fileContentPath, versionMetadataEntries } from "@/lib/archive/data-sets";
import { SegmentWriter, centralDirectory, shouldCompress, type EntrySource } from "@/lib/archive/zip";
import { appLink, sendEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { backupFailedEmail } from "@/lib/email/templates/backup-failed";
import { backupReadyEmail } from "@/lib/email/templates/backup-ready";
import { ObjectNotFoundError, storage } from "@/lib/storage";
import { removeBackupFiles, removeBackupSegments } from "./cleanup";
import { BACKUP_CONFIG } from "./config";
import { backupArchiveKey, backupSegmentKey } from "./storage-keys";

/**
 * The steps of a backup build (SPEC §3), each idempotent so a retried or resumed step redoes its
 * own work and nothing else: snapshot → pack batches → assemble → notify. Steps exchange ids and
 * counts only; bytes go through storage.
 */

/** A failure whose message is meant for the admin: shown on the page and in the email as is. */
export class BackupBuildError extends Error {
  override name = "BackupBuildError";
}

export type BatchRange = { seq: number; fromEntry: number; toEntry: number };
export type SnapshotResult = {
  snapshotAt: string;
  versionsCount: number;
  filesCount: number;
  /** Rows read for the data sets and how long reading and writing them took (for benchmarks). */
  dataRows: number;
  exportMs: number;
  batches: BatchRange[];
};

const DATA_SEGMENT_SEQ = 0;
/** README and manifest go last, in a segment whose number no batch reaches (a run has < 1,000 steps). */
const CLOSING_SEGMENT_SEQ = 1_000_000;

async function requireInProgress(backupId: string): Promise<Backup | undefined> {
  const backup = await findBackupById({ id: backupId });
  if (!backup) throw new BackupBuildError("The backup no longer exists.");
  return backup.status === "in_progress" ? backup : undefined;
}

async function withTemporaryFile<T>(run: (filePath: string) => Promise<T>): Promise<T> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-segment-"));
  try {
    return await run(path.join(directory, "segment"));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Writes zip entries into a local segment file, in order. */
async function writeSegmentFile({ filePath, modifiedAt, entries }: { filePath: string; modifiedAt: Date; entries: EntrySource[] | AsyncIterable<EntrySource> }) {
  const writer = await SegmentWriter.create(filePath, modifiedAt);
  try {
    for await (const entry of entries) await writer.add(entry);
    return await writer.close();
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

/** Stores a written segment file (handing it over to storage) and records it, replacing what an earlier attempt stored. */
async function uploadSegmentFile({ backupId, seq, filePath, segment }: { backupId: string; seq: number; filePath: string; segment: { sizeBytes: number; entries: ArchiveEntryRecord[] } }) {
  const key = backupSegmentKey(backupId, seq);
  await storage().putFile(key, filePath);
  await upsertSegment({ values: { backupId, seq, storageKey: key, sizeBytes: segment.sizeBytes, entries: segment.entries } });
}

async function storeSegment({ backupId, seq, modifiedAt, entries }: { backupId: string; seq: number; modifiedAt: Date; entries: EntrySource[] | AsyncIterable<EntrySource> }) {
  return withTemporaryFile(async (filePath) => {
    const segment = await writeSegmentFile({ filePath, modifiedAt, entries });
    await uploadSegmentFile({ backupId, seq, filePath, segment });
    return { sizeBytes: segment.sizeBytes, records: segment.entries };
  });
}

/** Splits the frozen file entries into batches of at most maxEntries versions and maxBytes, reading sizes page by page. */
async function planBatches(backupId: string): Promise<{ batches: BatchRange[]; entries: number; bytes: number }> {
  const maxEntries = env.BACKUP_BATCH_MAX_ENTRIES ?? BACKUP_CONFIG.batch.maxEntries;
  const maxBytes = env.BACKUP_BATCH_MAX_BYTES ?? BACKUP_CONFIG.batch.maxBytes;
  const batches: BatchRange[] = [];
  let current: BatchRange | undefined;
  let currentBytes = 0;
  let entries = 0;
  let bytes = 0;
  for (let afterSeq = -1; ; ) {
    const page = await pageBackupFileEntrySizes({ backupId, afterSeq, limit: 10_000, executor: db });
    for (const entry of page) {
      const full = current && (current.toEntry - current.fromEntry + 1 >= maxEntries || currentBytes + entry.sizeBytes > maxBytes);
      if (!current || full) {
        current = { seq: batches.length + 1, fromEntry: entry.seq, toEntry: entry.seq };
        batches.push(current);
        currentBytes = 0;
      }
      current.toEntry = entry.seq;
      currentBytes += entry.sizeBytes;
      entries += 1;
      bytes += entry.sizeBytes;
    }
    if (page.length < 10_000) return { batches, entries, bytes };
    afterSeq = page.at(-1)!.seq;
  }
}

/** If the backup was cancelled while this step ran, what the step wrote is removed again. */
async function discardIfCancelled(backupId: string): Promise<boolean> {
  const backup = await findBackupById({ id: backupId });
  if (backup?.status === "in_progress") return false;
  await removeBackupFiles({ backupId });
  return true;
}

/**
 * One consistent instant: every data set is read, and the list of file versions to pack frozen, in
 * one REPEATABLE READ transaction, so rows changed while the build runs are not mixed in. The data
 * sets are streamed page by page into segment 0 as they are read.
 */
export async function takeSnapshot({ backupId }: { backupId: string }): Promise<SnapshotResult | { cancelled: true }> {
  const backup = await requireInProgress(backupId);
  if (!backup) return { cancelled: true };
  const { requestedBy, options } = backup;
  if (!requestedBy) throw new BackupBuildError("The person who requested this backup is no longer a member.");
  return withTemporaryFile(async (filePath) => {
    const counter = new RowCounter();
    const startedAt = performance.now();
    const snapshot = await db.transaction(
      async (tx) => {
        const [{ now } = { now: new Date() }] = await tx.select({ now: sql<Date>`now()`.mapWith((value: string | Date) => new Date(value)) }).from(sql`(select 1) as one`);
        const role = await findExportRequesterRole({ organizationId: backup.organizationId, userId: requestedBy, executor: tx });
        if (!role || role === "member") throw new BackupBuildError("The person who requested this backup can no longer manage backups.");
        const found = await findExportOrganization({ organizationId: backup.organizationId, executor: tx });
        if (!found) throw new BackupBuildError("The organization no longer exists.");
        const organization = found;
        const viewer = { organizationId: backup.organizationId, userId: requestedBy, role };
        await createExportScope({ viewer, executor: tx });
        if (options.includeFiles) await insertBackupFileEntries({ backupId, executor: tx });
        const filesCount = await countExportFiles({ executor: tx });
        const prefix = `${organization.sid}/`;
        let versionRows = 0;
        const segment = await withExportReader({ viewer, executor: tx }, async (reader) => {
          const dataSets = dataSetEntries({ executor: tx, commentsReader: reader, organization, options, counter, spoolDir: path.dirname(filePath) });
          async function* entries(): AsyncGenerator<EntrySource> {
            for (const entry of dataSets.entries) {
              yield { path: prefix + entry.path, content: entry.content, sizeHint: Number.POSITIVE_INFINITY, compress: true, level: DATA_SET_DEFLATE_LEVEL };
            }
            for await (const entry of versionMetadataEntries({ executor: tx, includeFiles: options.includeFiles })) {
              versionRows += 1;
              yield { path: prefix + entry.path, content: entry.content, sizeHint: entry.content.length, compress: true };
            }
          }
          try {
            return await writeSegmentFile({ filePath, modifiedAt: now, entries: entries() });
          } finally {
            await dataSets.close();
          }
        });
        counter.record("file_versions", versionRows);
        return { snapshotAt: now, filesCount, segment };
      },
      { isolationLevel: "repeatable read", accessMode: "read write" },
    );
    const exportMs = performance.now() - startedAt;
    await uploadSegmentFile({ backupId, seq: DATA_SEGMENT_SEQ, filePath, segment: snapshot.segment });

    const plan = await planBatches(backupId);
    await updateBackupProgress({
      id: backupId,
      set: {
        snapshotAt: snapshot.snapshotAt,
        versionsCount: plan.entries,
        filesCount: snapshot.filesCount,
        progressTotal: snapshot.segment.sizeBytes + plan.bytes,
        progressDone: snapshot.segment.sizeBytes,
      },
    });
    if (await discardIfCancelled(backupId)) return { cancelled: true };
    return {
      snapshotAt: snapshot.snapshotAt.toISOString(),
      versionsCount: plan.entries,
      filesCount: snapshot.filesCount,
      dataRows: counter.rows,
      exportMs: Math.round(exportMs),
      batches: plan.batches,
    };
  });
}

/** Packs one range of file versions into its own segment, verifying each blob against its sha256. */
export async function packBatch({ backupId, batch, snapshotAt }: { backupId: string; batch: BatchRange; snapshotAt: string }): Promise<{ entries: number; bytes: number } | { cancelled: true }> {
  const backup = await requireInProgress(backupId);
  if (!backup) return { cancelled: true };
  const organization = await findOrganizationById({ id: backup.organizationId });
  const prefix = `${organization?.sid ?? "organization"}/`;
  const entries = await listFileEntries({ backupId, fromSeq: batch.fromEntry, toSeq: batch.toEntry });
  async function* sources(): AsyncGenerator<EntrySource> {
    for (const entry of entries) {
      const describe = `"${entry.fileName}" (version ${entry.version})`;
      yield {
        path: prefix + fileContentPath(entry.versionUid, entry.fileName),
        sizeHint: entry.sizeBytes,
        compress: shouldCompress(entry.contentType),
        // Fast deflate for file contents (gigabytes), as for the data sets.
        level: 1,
        content: async () => {
          try {
            return await storage().openReader(entry.storageKey);
          } catch (error) {
            if (error instanceof ObjectNotFoundError) throw new BackupBuildError(`The content of ${describe} is missing from storage, so the backup cannot be complete.`);
            throw error;
          }
        },
      };
    }
  }
  const { records } = await storeSegment({ backupId, seq: batch.seq, modifiedAt: new Date(snapshotAt), entries: sources() });
  records.forEach((record, index) => {
    const expected = entries[index]!;
    if (record.sha256 !== expected.sha256 || record.size !== expected.sizeBytes) {
      throw new BackupBuildError(`The stored content of "${expected.fileName}" (version ${expected.version}) does not match its recorded checksum, so it may be damaged.`);
    }
  });
  const bytes = entries.reduce((total, entry) => total + entry.sizeBytes, 0);
  await addBackupProgress({ id: backupId, bytes });
  if (await discardIfCancelled(backupId)) return { cancelled: true };
  return { entries: entries.length, bytes };
}

function readmeText({ organizationName, sid, snapshotAt, options }: { organizationName: string; sid: string; snapshotAt: string; options: Backup["options"] }) {
  return [
    `Archivist backup of ${organizationName}`,
    `Snapshot taken at ${snapshotAt} (UTC). Every row in this archive existed together at that instant.`,
    "",
    `${sid}/manifest.json     format version, organization, options, counts, and every entry's path, size and SHA-256`,
    options.formats.includes("json") ? `${sid}/json/           users, teams, contacts, folders, tasks, files and comments as JSON (UTF-8, ISO 8601 UTC dates)` : "",
    options.formats.includes("csv") ? `${sid}/csv/            the same data as CSV (RFC 4180, CRLF, ${options.csvEncoding}); cells starting with = + - @ are prefixed with ' for spreadsheets` : "",
    `${sid}/versions/       one JSON file per file version: <file uid>_<version>.json`,
    options.includeFiles ? `${sid}/files/          each file version's content: <version uid>_<file name>` : "This backup was requested without file contents: files/ is absent.",
    options.includeBi ? `${sid}/bi/             flat CSVs for BI tools (tasks, time logs, comments, file versions) with ids resolved to names` : "",
    "",
    "Items in the trash, passwords, sessions and API tokens are never included.",
    "To check the archive: every entry's SHA-256 is listed in manifest.json.",
    "",
  ]
    .filter((line, index, lines) => line !== "" || lines[index - 1] !== "")
    .join("\r\n");
}

/** Concatenates the segments, adds README.txt and manifest.json, and writes the central directory. */
export async function assembleArchive({ backupId, snapshotAt, versionsCount, filesCount }: { backupId: string; snapshotAt: string; versionsCount: number; filesCount: number }): Promise<{ sizeBytes: number; sha256: string } | { cancelled: true }> {
  const backup = await requireInProgress(backupId);
  if (!backup) return { cancelled: true };
  const [organization, requester] = await Promise.all([findOrganizationById({ id: backup.organizationId }), backup.requestedBy ? findUserById({ id: backup.requestedBy }) : undefined]);
  if (!organization) throw new BackupBuildError("The organization no longer exists.");
  const sid = organization.sid;
  const modifiedAt = new Date(snapshotAt);
  const bodySegments = (await listSegments({ backupId })).filter((segment) => segment.seq < CLOSING_SEGMENT_SEQ);
  const contentEntries = bodySegments.flatMap((segment) => segment.entries);
  const readme = Buffer.from(readmeText({ organizationName: organization.name, sid, snapshotAt, options: backup.options }), "utf8");
  const readmeSha = createHash("sha256").update(readme).digest("hex");
  const manifest = Buffer.from(
    `${JSON.stringify(
      {
        formatVersion: 1,
        organization: { name: organization.name, sid, accountNumber: organization.accountNumber },
        backup: { id: backup.id, name: backup.name, description: backup.description },
        snapshotAt,
        requestedBy: requester ? { uid: requester.uid, name: requester.name, email: requester.email } : null,
        options: backup.options,
        counts: { files: filesCount, versions: versionsCount, entries: contentEntries.length + 1 },
        entries: [...contentEntries.map((entry) => ({ path: entry.path, size: entry.size, sha256: entry.sha256 })), { path: `${sid}/README.txt`, size: readme.length, sha256: readmeSha }],
      },
      null,
      2,
    )}\n`,
    "utf8",
  );
  await storeSegment({
    backupId,
    seq: CLOSING_SEGMENT_SEQ,
    modifiedAt,
    entries: [
      { path: `${sid}/README.txt`, content: readme, sizeHint: readme.length, compress: true },
      { path: `${sid}/manifest.json`, content: manifest, sizeHint: manifest.length, compress: true },
    ],
  });
  const segments = await listSegments({ backupId });
  let offset = 0;
  const absolute: ArchiveEntryRecord[] = [];
  for (const segment of segments) {
    for (const entry of segment.entries) absolute.push({ ...entry, offset: entry.offset + offset });
    offset += segment.sizeBytes;
  }
  const directory = Buffer.concat([...centralDirectory({ entries: absolute, directoryOffset: offset, modifiedAt })]);
  const stored = await storage().compose(backupArchiveKey(backupId), [...segments.map((segment) => ({ key: segment.storageKey })), { bytes: directory }]);
  const completedAt = new Date();
  const ready = await db.transaction(async (tx) => {
    const updated = await transitionBackup({
      id: backupId,
      from: ["in_progress"],
      set: {
        status: "ready",
        completedAt,
        expiresAt: new Date(completedAt.getTime() + BACKUP_CONFIG.downloadableForMs),
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageKey: backupArchiveKey(backupId),
        progressDone: backup.progressTotal,
      },
      executor: tx,
    });
    if (!updated) return undefined;
    await insertAuditEvent({
      organizationId: backup.organizationId,
      actorId: null,
      action: "backup.ready",
      targetType: "backup",
      targetId: backupId,
      metadata: { sizeBytes: stored.sizeBytes, sha256: stored.sha256, versions: versionsCount, files: filesCount },
      executor: tx,
    });
    return updated;
  });
  if (!ready) {
    await removeBackupFiles({ backupId });
    return { cancelled: true };
  }
  await removeBackupSegments({ backupId });
  return stored;
}

export async function sendBackupReadyEmail({ backupId }: { backupId: string }) {
  const backup = await findBackupById({ id: backupId });
  if (!backup || backup.status !== "ready" || !backup.requestedBy) return { sent: false };
  const [organization, requester] = await Promise.all([findOrganizationById({ id: backup.organizationId }), findUserById({ id: backup.requestedBy })]);
  if (!organization || !requester) return { sent: false };
  const email = backupReadyEmail({
    organizationName: organization.name,
    backupName: backup.name,
    sizeBytes: backup.sizeBytes ?? 0,
    versionsCount: backup.versionsCount ?? 0,
    filesCount: backup.filesCount ?? 0,
    expiresAt: backup.expiresAt ?? new Date(),
    link: appLink(`/settings/backups/${backup.id}`),
  });
  const sent = await sendEmail({ to: requester.email, ...email });
  return { sent: true, id: sent.id };
}

/**
 * Runs a step body; a BackupBuildError's message is kept on the row (it is meant for the admin) and
 * rethrown as non-retriable, since trying again cannot bring back a missing or damaged file.
 */
export async function explainFailures<T>(backupId: string, run: () => Promise<T>, toNonRetriable: (message: string) => Error): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof BackupBuildError)) throw error;
    await recordBackupFailureReason({ id: backupId, reason: error.message });
    throw toNonRetriable(error.message);
  }
}

const UNEXPECTED_FAILURE =
  "The backup could not be built because of an unexpected error on our side. Please request it again; if it keeps failing, contact support.";

/** After the last retry: `failed` with the reason, partial archive removed, requester told. */
export async function failBackup({ backupId }: { backupId: string }) {
  const backup = await findBackupById({ id: backupId });
  if (!backup) return { failed: false };
  const reason = backup.failureReason ?? UNEXPECTED_FAILURE;
  const failed = await db.transaction(async (tx) => {
    const updated = await transitionBackup({ id: backupId, from: ["in_progress"], set: { status: "failed", failureReason: reason, completedAt: null }, executor: tx });
    if (!updated) return undefined;
    await insertAuditEvent({ organizationId: backup.organizationId, actorId: null, action: "backup.failed", targetType: "backup", targetId: backupId, metadata: { reason }, executor: tx });
    return updated;
  });
  await removeBackupFiles({ backupId });
  if (!failed || !backup.requestedBy) return { failed: Boolean(failed) };
  const [organization, requester] = await Promise.all([findOrganizationById({ id: backup.organizationId }), findUserById({ id: backup.requestedBy })]);
  if (organization && requester) {
    await sendEmail({
      to: requester.email,
      ...backupFailedEmail({ organizationName: organization.name, backupName: backup.name, reason, link: appLink(`/settings/backups/${backup.id}`) }),
    });
  }
  return { failed: true };
}
