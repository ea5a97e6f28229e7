/**
 * The app as the browser tests see it: a fresh PostgreSQL database with the demo data, a fresh
 * storage folder, and the production build served by `next start`. Everything is removed on exit.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const port = Number(process.env.E2E_PORT ?? 3100);
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
};

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawn(command, args, { stdio: "inherit", env });
}

await new Promise<void>((resolve, reject) => {
  const child = run("npx", ["tsx", "--conditions=react-server", "scripts/prepare-db.ts"], { ...appEnv, NODE_ENV: "test" });
  child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prepare-db exited with ${code}`))));
});

const server = run("npx", ["next", "start", "-p", String(port)], { ...appEnv, NODE_ENV: "production" });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`).catch(() => undefined);
  await admin.end({ timeout: 5 });
  fs.rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}

server.on("exit", (code) => void stop(code ?? 1));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
