/**
 * The app as the browser tests see it: a fresh PostgreSQL database with the demo data, a fresh
 * storage folder (or, with E2E_STORAGE=s3, a bucket on a local s3rver), a stand-in Resend API that
 * records every email, and the production build served by `next start`. Everything is removed on exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import postgres from "postgres";
import { e2eServerInfoPath, e2eStorage, appPort as port, resendCapturePort, type E2eServerInfo } from "../e2e/ports";
import { startResendCaptureServer } from "../test/support/resend-capture-server";
import { S3_TEST_CREDENTIALS, S3_TEST_REGION, createBucket, s3TestClient, startS3Server, type S3TestServer } from "../test/support/s3-server";
import { withServerNodeOptions } from "./lib/server-node-options";

// The app sends mail through the real Resend SDK to this stand-in; the tests read it at GET /captured.
const mail = await startResendCaptureServer({ port: resendCapturePort });

const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = `archivist_e2e_${process.pid}_${Date.now().toString(36)}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-e2e-"));

const s3Bucket = "archivist-e2e";
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
let s3: S3TestServer | undefined;
let server: ChildProcess | undefined;

async function startStorageServer() {
  const directory = path.join(workDir, "s3");
  fs.mkdirSync(directory);
  const started = await startS3Server(directory);
  await createBucket(started.endpoint, s3Bucket);
  return started;
}

function appEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: path.join(workDir, "storage"),
    OUTBOX_DIR: path.join(workDir, "outbox"),
    AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-0123456789abcdef0123456789abcdef",
    APP_URL: `http://localhost:${port}`,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
    RESEND_API_KEY: "re_test",
    RESEND_BASE_URL: mail.url,
    // The browser tests request several backups per organization in one run.
    BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0",
    BACKUP_COOLDOWN_MINUTES_DATA_ONLY: "0",
    // One file version per build step, so a build lasts long enough to be watched and cancelled.
    BACKUP_BATCH_MAX_ENTRIES: "1",
    ...(s3 && {
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3Bucket,
      S3_REGION: S3_TEST_REGION,
      S3_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
    }),
  };
}

function prepareDatabase(env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/prepare-db.ts"], { stdio: "inherit", env: { ...env, NODE_ENV: "test" } });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prepare-db exited with ${code}`))));
  });
}

/** The demo data's blobs are in the bucket, or the app is not on S3 and the run would prove nothing. */
async function assertAppStoresOnS3(endpoint: string) {
  const client = s3TestClient(endpoint);
  // No MaxKeys: s3rver 3.7.1 answers a truncated listing with an internal error.
  const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket: s3Bucket })).finally(() => client.destroy());
  if (Contents.length === 0) throw new Error(`E2E_STORAGE=s3, but the demo data stored no blob in the bucket ${s3Bucket}: the app is not using S3.`);
}

let stopping = false;
/** Stops the app (its whole process group) and the stand-ins, removes the database and the folders, and exits. */
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (server?.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // The group is already gone.
    }
  }
  await mail.close().catch(() => undefined);
  await s3?.close().catch(() => undefined);
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`).catch(() => undefined);
  await admin.end({ timeout: 5 });
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.rmSync(e2eServerInfoPath, { force: true });
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));

try {
  if (e2eStorage === "s3") s3 = await startStorageServer();
  await admin.unsafe(`create database "${databaseName}"`);
  await prepareDatabase(appEnvironment());
  if (s3) await assertAppStoresOnS3(s3.endpoint);
} catch (error) {
  console.error(error);
  await stop(1);
}

fs.writeFileSync(e2eServerInfoPath, JSON.stringify({ databaseUrl } satisfies E2eServerInfo));

// Its own process group, so stopping it also stops the next-server process that `next start` forks.
server = spawn("npx", ["next", "start", "-p", String(port)], { stdio: "inherit", env: withServerNodeOptions({ ...appEnvironment(), NODE_ENV: "production" }), detached: true });
server.on("exit", (code) => void stop(code ?? 1));
