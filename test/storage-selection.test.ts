import { afterEach, describe, expect, it, vi } from "vitest";

/** Which storage driver the environment selects (SPEC §6), and the refusal of half an S3 setup. */

const s3Variables = ["S3_ENDPOINT", "S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
const globals = globalThis as unknown as { archivistStorage?: unknown };

async function freshStorageModule(environment: Partial<Record<(typeof s3Variables)[number], string>>) {
  for (const name of s3Variables) delete process.env[name];
  Object.assign(process.env, environment);
  delete globals.archivistStorage;
  vi.resetModules();
  return import("@/lib/storage");
}

afterEach(() => {
  for (const name of s3Variables) delete process.env[name];
  delete globals.archivistStorage;
  vi.resetModules();
});

describe("storage selection", () => {
  it("stores on the filesystem when no S3 variable is set", async () => {
    const { storage } = await freshStorageModule({});
    const { FilesystemStorage } = await import("@/lib/storage/filesystem");
    expect(storage()).toBeInstanceOf(FilesystemStorage);
  });

  it("stores on S3 when S3_BUCKET is set", async () => {
    const { storage } = await freshStorageModule({ S3_BUCKET: "archives", S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY_ID: "id", S3_SECRET_ACCESS_KEY: "secret" });
    const { S3Storage } = await import("@/lib/storage/s3");
    expect(storage()).toBeInstanceOf(S3Storage);
  });

  it("refuses to start with S3 variables but no bucket, rather than use the filesystem silently", async () => {
    await expect(freshStorageModule({ S3_ENDPOINT: "http://127.0.0.1:9000", S3_REGION: "eu-west-1" })).rejects.toThrow(
      "Invalid environment: S3_BUCKET: required because S3_ENDPOINT, S3_REGION are set",
    );
  });

  it("refuses an access key id without its secret", async () => {
    await expect(freshStorageModule({ S3_BUCKET: "archives", S3_ACCESS_KEY_ID: "id" })).rejects.toThrow(
      "S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither",
    );
  });
});
