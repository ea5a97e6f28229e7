/**
 * The app as the browser tests see it: a fresh PostgreSQL database with the demo data, a fresh
 * storage folder, a stand-in Resend API that records every email, and the production build served
 * by `next start`. Everything is removed on exit.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { appPort as port, e2eServerInfoPath, resendCapturePort, type E2eServerInfo } from "../e2e/ports";
import { startResendCaptureServer } from "../test/support/resend-capture-server";
import { withServerNodeOptions } from "./lib/server-node-options";

// The app sends mail through the real Resend SDK to this stand-in; the tests read it at GET /captured.
const mail = await startResendCaptureServer({ port: resendCapturePort });

const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = `archivist_e2e_${process.pid}_${Date.now().toString(36)}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-e2e-"));

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${databaseName}"`);

const appEnv = {
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
};

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawn(command, args, { stdio: "inherit", env });
}

await new Promise<void>((resolve, reject) => {
  const child = run("npx", ["tsx", "--conditions=react-server", "scripts/prepare-db.ts"], { ...appEnv, NODE_ENV: "test" });
  child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prepare-db exited with ${code}`))));
});

fs.writeFileSync(e2eServerInfoPath, JSON.stringify({ databaseUrl } satisfies E2eServerInfo));

// Its own process group, so stopping it also stops the next-server process that `next start` forks.
const server = spawn("npx", ["next", "start", "-p", String(port)], { stdio: "inherit", env: withServerNodeOptions({ ...appEnv, NODE_ENV: "production" }), detached: true });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (server.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // The group is already gone.
    }
  }
  await mail.close().catch(() => undefined);
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`).catch(() => undefined);
  await admin.end({ timeout: 5 });
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.rmSync(e2eServerInfoPath, { force: true });
  process.exit(code);
}

server.on("exit", (code) => void stop(code ?? 1));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
