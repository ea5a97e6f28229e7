import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { FilesystemStorage } from "./filesystem";
import { S3Storage } from "./s3";
import type { StorageDriver } from "./types";

export * from "./types";

const globalForStorage = globalThis as unknown as { archivistStorage?: StorageDriver };

/** S3 when S3_BUCKET is set (SPEC §6), the filesystem under STORAGE_DIR otherwise. */
function createStorage(): StorageDriver {
  if (!env.S3_BUCKET) return new FilesystemStorage(path.resolve(env.STORAGE_DIR));
  return new S3Storage({
    bucket: env.S3_BUCKET,
    region: env.S3_REGION ?? "us-east-1",
    endpoint: env.S3_ENDPOINT,
    credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
  });
}

export function storage(): StorageDriver {
  globalForStorage.archivistStorage ??= createStorage();
  return globalForStorage.archivistStorage;
}

export function fileVersionKey({ organizationId, versionUid }: { organizationId: string; versionUid: string }) {
  return `orgs/${organizationId}/versions/${versionUid}`;
}
