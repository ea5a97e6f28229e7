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
fs.cpSync(templateStorage, storageDir, { recursive: true });

process.env.DATABASE_URL = databaseUrl(name);
process.env.STORAGE_DIR = storageDir;
process.env.OUTBOX_DIR = path.join(storageDir, "outbox");

afterAll(async () => {
  const { closeDatabase } = await import("@/db/connection");
  await closeDatabase();
  await withAdminConnection((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
  fs.rmSync(storageDir, { recursive: true, force: true });
});
