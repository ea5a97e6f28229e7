import "server-only";
import { toNodeReadable } from "@/lib/storage/common";
import { z } from "zod";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import {
  findVisibleFile,
  findVisibleFolder,
  findVisibleTask,
  insertFile,
  insertNextFileVersion,
  lockVisibleFile,
} from "@/db/queries/files";
import { formatBytes } from "@/components/ui";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newUid } from "@/lib/ids";
import {
  EmptyObjectError,
  ObjectTooLargeError,
  fileVersionKey,
  storage,
  type StorageBody,
  type StoredObject,
} from "@/lib/storage";
import type { Viewer } from "@/lib/workspace/visibility";

export type UploadParent = { type: "folder" | "task"; id: string };

export type UploadResult = {
  file: { id: string };
  version: { id: string; version: number; sizeBytes: number; sha256: string };
};

type UploadCommon = {
  viewer: Viewer;
  /** The file's bytes as they arrive; never read into memory whole. Null means no body was sent. */
  body: StorageBody | null;
  contentType?: string | null;
  /** The Content-Length the client announced, if any: checked before a byte is read. */
  declaredLength?: number | null;
  maxBytes?: number;
  ipAddress?: string | null;
};

const FALLBACK_CONTENT_TYPE = "application/octet-stream";
const uuidSchema = z.uuid();

const fileNameSchema = z
  .string()
  .transform((name) => name.trim())
  .pipe(
    z
      .string()
      .min(1, "The file needs a name.")
      .max(255, "The file name is too long (at most 255 characters).")
      .refine((name) => !/\p{Cc}/u.test(name), "The file name contains control characters.")
      .refine((name) => !/[/\\]/.test(name), "The file name cannot contain / or \\."),
  );

/** Reads the name sent in X-File-Name (percent-encoded by the client so any Unicode name survives the header). */
export function parseUploadFileName(raw: string | null | undefined): string {
  if (raw === null || raw === undefined || raw === "") {
    throw new AppError("invalid_input", "The file needs a name.", { field: "file" });
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new AppError("invalid_input", "The file name could not be read.", { field: "file" });
  }
  const parsed = fileNameSchema.safeParse(decoded);
  if (!parsed.success) {
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "The file name is not valid.", { field: "file" });
  }
  return parsed.data;
}

/** A plain `type/subtype` (parameters dropped), or octet-stream when the client sent nothing usable. */
export function normalizeContentType(raw: string | null | undefined): string {
  const essence = (raw ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(essence) ? essence : FALLBACK_CONTENT_TYPE;
}

/** The Content-Length header as a number, or null when absent or not a plain non-negative integer. */
export function parseDeclaredLength(header: string | null | undefined): number | null {
  if (!header || !/^\d+$/.test(header.trim())) return null;
  const value = Number(header.trim());
  return Number.isSafeInteger(value) ? value : null;
}

function tooLarge(maxBytes: number) {
  return new AppError("payload_too_large", `The file is larger than the upload limit of ${formatBytes(maxBytes)}.`, {
    field: "file",
  });
}

const interruptedUpload = () =>
  new AppError("invalid_input", "The upload was interrupted before it finished. Nothing was saved; please try again.", { field: "file" });

const emptyUpload = () => new AppError("invalid_input", "The file is empty. Choose a file with some content.", { field: "file" });

/**
 * Streams the body into storage under the version's key. Refusals and interrupted uploads leave
 * nothing behind (the storage driver writes atomically) and become plain-worded errors.
 */
async function storeVersionBlob({
  organizationId,
  body,
  declaredLength,
  maxBytes,
}: {
  organizationId: string;
  body: StorageBody;
  declaredLength: number | null;
  maxBytes: number;
}): Promise<StoredObject & { uid: string; storageKey: string }> {
  const uid = newUid();
  const storageKey = fileVersionKey({ organizationId, versionUid: uid });
  // Only a failure of the incoming body itself is the uploader's interrupted upload; a storage
  // failure (disk, S3 service) is ours and is reported as such.
  let bodyBrokeOff = false;
  const incoming = toNodeReadable(body).once("error", () => (bodyBrokeOff = true));
  let stored: StoredObject;
  try {
    stored = await storage().put(storageKey, incoming, { maxBytes });
  } catch (error) {
    if (error instanceof ObjectTooLargeError) throw tooLarge(maxBytes);
    if (error instanceof EmptyObjectError) throw emptyUpload();
    if (bodyBrokeOff) throw interruptedUpload();
    throw error;
  }
  if (declaredLength !== null && stored.sizeBytes !== declaredLength) {
    await storage().delete(storageKey);
    throw interruptedUpload();
  }
  return { ...stored, uid, storageKey };
}

/** Runs the database half of an upload; if it fails, the blob already stored is removed again. */
async function recordOrDiscard<T>(storageKey: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await storage()
      .delete(storageKey)
      .catch((deleteError: unknown) => console.error("Could not remove the blob of a failed upload", storageKey, deleteError));
    throw error;
  }
}

function checkBeforeReading({ body, declaredLength, maxBytes }: { body: StorageBody | null; declaredLength: number | null; maxBytes: number }) {
  if (declaredLength !== null && declaredLength > maxBytes) throw tooLarge(maxBytes);
  if (declaredLength === 0 || body === null) throw emptyUpload();
  return body;
}

async function assertParentVisible(viewer: Viewer, parent: UploadParent, executor = db) {
  const found =
    parent.type === "folder"
      ? await findVisibleFolder({ viewer, folderId: parent.id, executor })
      : await findVisibleTask({ viewer, taskId: parent.id, executor });
  if (!found) throw new AppError("not_found", parent.type === "folder" ? "That folder was not found." : "That task was not found.");
}

/** Creates a file in a folder or a task with the uploaded bytes as its version 1. */
export async function uploadNewFile({
  viewer,
  parent,
  fileName,
  body,
  contentType,
  declaredLength = null,
  maxBytes = env.UPLOAD_MAX_BYTES,
  ipAddress = null,
}: UploadCommon & { parent: UploadParent; fileName: string | null | undefined }): Promise<UploadResult> {
  if (!uuidSchema.safeParse(parent.id).success) {
    throw new AppError("not_found", parent.type === "folder" ? "That folder was not found." : "That task was not found.");
  }
  await assertParentVisible(viewer, parent);
  const name = parseUploadFileName(fileName);
  const type = normalizeContentType(contentType);
  const stored = await storeVersionBlob({
    organizationId: viewer.organizationId,
    body: checkBeforeReading({ body, declaredLength, maxBytes }),
    declaredLength,
    maxBytes,
  });
  return recordOrDiscard(stored.storageKey, () =>
    db.transaction(async (tx) => {
      // The folder or task may have been trashed or unshared while the bytes were arriving.
      await assertParentVisible(viewer, parent, tx);
      const file = await insertFile({
        executor: tx,
        values: {
          uid: newUid(),
          organizationId: viewer.organizationId,
          folderId: parent.type === "folder" ? parent.id : null,
          taskId: parent.type === "task" ? parent.id : null,
          name,
          contentType: type,
          createdBy: viewer.userId,
        },
      });
      const version = await insertNextFileVersion({
        executor: tx,
        file,
        version: { uid: stored.uid, sizeBytes: stored.sizeBytes, sha256: stored.sha256, storageKey: stored.storageKey, uploadedBy: viewer.userId },
      });
      await insertAuditEvent({
        executor: tx,
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "file.uploaded",
        targetType: "file_version",
        targetId: version.id,
        ipAddress: ipAddress ?? undefined,
        metadata: { fileId: file.id, fileName: name, version: version.version, sizeBytes: version.sizeBytes, sha256: version.sha256 },
      });
      return toResult(file.id, version);
    }),
  );
}

/** Adds the uploaded bytes as the next version of a file; concurrent uploads get consecutive numbers. */
export async function uploadNewVersion({
  viewer,
  fileId,
  fileName,
  body,
  contentType,
  declaredLength = null,
  maxBytes = env.UPLOAD_MAX_BYTES,
  ipAddress = null,
}: UploadCommon & { fileId: string; fileName?: string | null }): Promise<UploadResult> {
  if (!uuidSchema.safeParse(fileId).success || !(await findVisibleFile({ viewer, fileId }))) {
    throw new AppError("not_found", "That file was not found.");
  }
  const uploadedName = fileName ? parseUploadFileName(fileName) : null;
  const sentType = contentType ? normalizeContentType(contentType) : null;
  const stored = await storeVersionBlob({
    organizationId: viewer.organizationId,
    body: checkBeforeReading({ body, declaredLength, maxBytes }),
    declaredLength,
    maxBytes,
  });
  return recordOrDiscard(stored.storageKey, () =>
    db.transaction(async (tx) => {
      const file = await lockVisibleFile({ viewer, fileId, executor: tx });
      if (!file) throw new AppError("not_found", "That file was not found.");
      const version = await insertNextFileVersion({
        executor: tx,
        file,
        version: { uid: stored.uid, sizeBytes: stored.sizeBytes, sha256: stored.sha256, storageKey: stored.storageKey, uploadedBy: viewer.userId },
        // The file's type describes its current content; a browser that could not tell keeps the old one.
        contentType: sentType && sentType !== FALLBACK_CONTENT_TYPE ? sentType : undefined,
      });
      await insertAuditEvent({
        executor: tx,
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "file.uploaded",
        targetType: "file_version",
        targetId: version.id,
        ipAddress: ipAddress ?? undefined,
        metadata: {
          fileId: file.id,
          fileName: file.name,
          uploadedName,
          version: version.version,
          sizeBytes: version.sizeBytes,
          sha256: version.sha256,
        },
      });
      return toResult(file.id, version);
    }),
  );
}

function toResult(fileId: string, version: { id: string; version: number; sizeBytes: number; sha256: string }): UploadResult {
  return { file: { id: fileId }, version: { id: version.id, version: version.version, sizeBytes: version.sizeBytes, sha256: version.sha256 } };
}
