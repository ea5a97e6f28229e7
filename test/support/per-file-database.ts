import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { databaseUrl, withAdminConnection } from "./databases";

const runId = process.env.ARCHIVIST_TEST_RUN_ID;
const template = process.env.ARCHIVIST_TEST_TEMPLATE;
const workDir = process.env.ARCHIVIST_TEST_WORK_DIR;
const templateStorage = process.env.ARCHIVIST_TEST_TEMPLATE_STORAGE;
if (!runId || !template || !workDir || !templateStorage) throw new Error("Run the tests through vitest (global setup missing)");

const name = `archivist_t_${runId}_${randomBytes(4).toString("hex")}`;
await withAdminConnection((sql) => sql.unsafe(`create database "${name}" template "${template}"`));
const storageDir = path.join(workDir, name);
// Set by s3-global-setup.ts (vitest.s3.config.ts): the file's blobs go to its own bucket instead.
const s3Endpoint = process.env.ARCHIVIST_TEST_S3_ENDPOINT;
if (s3Endpoint) {
  // Imported only here, so the runs on the filesystem do not load the AWS SDK into every test file.
  const { createBucket, S3_TEST_CREDENTIALS, S3_TEST_REGION } = await import("./s3-server");
  fs.mkdirSync(storageDir, { recursive: true });
  const bucket = `archivist-${randomBytes(6).toString("hex")}`;
  await createBucket(s3Endpoint, bucket, templateStorage);
  Object.assign(process.env, {
    S3_ENDPOINT: s3Endpoint,
    S3_BUCKET: bucket,
    S3_REGION: S3_TEST_REGION,
    S3_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
  });
} else {
  fs.cpSync(templateStorage, storageDir, { recursive: true });
}

process.env.DATABASE_URL = databaseUrl(name);
process.env.STORAGE_DIR = storageDir;
process.env.OUTBOX_DIR = path.join(storageDir, "outbox");

afterAll(async () => {
  const { closeDatabase } = await import("@/db/connection");
  await closeDatabase();
  await withAdminConnection((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
  fs.rmSync(storageDir, { recursive: true, force: true });
});
