import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { FilesystemStorage } from "./filesystem";
import type { StorageDriver } from "./types";

export * from "./types";

const globalForStorage = globalThis as unknown as { archivistStorage?: StorageDriver };

export function storage(): StorageDriver {
  globalForStorage.archivistStorage ??= new FilesystemStorage(path.resolve(env.STORAGE_DIR));
  return globalForStorage.archivistStorage;
}

export function fileVersionKey({ organizationId, versionUid }: { organizationId: string; versionUid: string }) {
  return `orgs/${organizationId}/versions/${versionUid}`;
}
