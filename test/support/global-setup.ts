import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { databaseUrl, withAdminConnection } from "./databases";

/**
 * Builds one template database (migrated, demo data loaded) and its blob folder for this run; every
 * test file then gets its own copy of both (see per-file-database.ts), so files never share state.
 */
export default async function setup() {
  // The tests choose their storage themselves: S3_* settings of the shell must not send test data
  // to a real bucket (the workers inherit this environment).
  for (const name of Object.keys(process.env)) if (name.startsWith("S3_")) delete process.env[name];
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const template = `archivist_tpl_${runId}`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-test-"));
  const templateStorage = path.join(workDir, "template-storage");
  await withAdminConnection((sql) => sql.unsafe(`create database "${template}"`));
  try {
    execFileSync("npx", ["tsx", "--conditions=react-server", "test/support/prepare-template.ts"], {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: databaseUrl(template), STORAGE_DIR: templateStorage, NODE_ENV: "test" },
    });
  } catch (error) {
    await withAdminConnection((sql) => sql.unsafe(`drop database if exists "${template}" with (force)`));
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  process.env.ARCHIVIST_TEST_RUN_ID = runId;
  process.env.ARCHIVIST_TEST_TEMPLATE = template;
  process.env.ARCHIVIST_TEST_WORK_DIR = workDir;
  process.env.ARCHIVIST_TEST_TEMPLATE_STORAGE = templateStorage;

  return async function teardown() {
    await withAdminConnection(async (sql) => {
      const databases = await sql<{ datname: string }[]>`
        select datname from pg_database where datname like ${`archivist_%${runId}%`}`;
      for (const { datname } of databases) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    });
    fs.rmSync(workDir, { recursive: true, force: true });
  };
}
