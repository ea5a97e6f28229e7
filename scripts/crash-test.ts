/**
 * `npm run test:crash -- --gib <G>`: the crash test of the backup build on a large organization.
 * Seeds G GiB of file versions into a throwaway database, starts a backup and kills the build with
 * SIGKILL at 10 random points, resuming it each time; then checks the archive (unzip -t, every
 * manifest sha256) and that it is byte-identical to an uninterrupted build of the same snapshot.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { runCrashTest, storageEnvironment, type CrashTestStorage } from "./lib/crash-harness";

const { values } = parseArgs({
  options: {
    gib: { type: "string", default: "1" },
    kills: { type: "string", default: "10" },
    "kill-min-ms": { type: "string", default: "1500" },
    "kill-max-ms": { type: "string", default: "6000" },
    seed: { type: "string" },
  },
});
const gib = Number(values.gib);
if (!(gib > 0)) throw new Error(`--gib must be a positive number, not "${values.gib}"`);
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = `archivist_crash_${process.pid}_${Date.now().toString(36)}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-crash-"));
const storage: CrashTestStorage = { kind: "filesystem", dir: path.join(workDir, "storage") };
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });

async function cleanUp() {
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`).catch(() => undefined);
  await admin.end({ timeout: 5 });
  fs.rmSync(workDir, { recursive: true, force: true });
}
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));

try {
  await admin.unsafe(`create database "${databaseName}"`);
  const env = storageEnvironment(storage, { ...process.env, DATABASE_URL: Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString() });
  const files = Math.max(20, Math.round(gib * 64));
  console.log(`Seeding ${files} files, ${gib} GiB of versions (256 KiB – 64 MiB each)…`);
  execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "db/seed.ts", "--scale", String(files), "--total-bytes", `${Math.round(gib * 1024)}MiB`, "--blob-bytes", "256KiB-64MiB"], {
    env,
    stdio: "inherit",
  });
  const started = Date.now();
  const result = await runCrashTest({
    adminUrl,
    databaseName,
    storage,
    requesterEmail: "scale-owner@demo.test",
    kills: Number(values.kills),
    killAfterMs: { min: Number(values["kill-min-ms"]), max: Number(values["kill-max-ms"]) },
    env: { BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0" },
    seed: values.seed ? Number(values.seed) : undefined,
    log: (line) => console.log(line),
  });
  const identical = result.interruptedSha256 === result.referenceSha256;
  console.log(`\nkills inside the build: ${result.kills.filter((kill) => kill.status === "in_progress").length} of ${result.kills.length}`);
  console.log(`archive: ${result.archiveBytes} bytes, ${result.entries} entries, unzip -t and every manifest sha256 pass`);
  console.log(`interrupted ${result.interruptedSha256}\nreference   ${result.referenceSha256}\n${identical ? "byte-identical" : "DIFFERENT"}`);
  console.log(JSON.stringify({ gib, kills: result.kills.length, identical, archive_bytes: result.archiveBytes, seconds: Math.round((Date.now() - started) / 1000) }));
  process.exitCode = identical ? 0 : 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
