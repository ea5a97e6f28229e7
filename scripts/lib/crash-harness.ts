/**
 * Crash test of the backup build (issue: "resumable after a crash"): a build is started in a child
 * process; at the moment it is first killed its database and storage are cloned; the original is
 * then resumed and killed with SIGKILL at random points again and again, the clone resumed once
 * without interruption. Both must end `ready` with byte-identical, valid archives.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { verifyManifestWithPython } from "./verify-archive";

export type CrashTestOptions = {
  /** Server holding the databases, e.g. postgres://postgres@127.0.0.1:5432/postgres. */
  adminUrl: string;
  /** A migrated database with the organization to back up, and the storage folder of its blobs. */
  databaseName: string;
  storageDir: string;
  requesterEmail: string;
  kills: number;
  /** Random kill delays are drawn between these (ms after the child starts). */
  killAfterMs: { min: number; max: number };
  /** Extra environment for the children (batch size, cooldowns). */
  env?: Record<string, string>;
  seed?: number;
  log?: (line: string) => void;
};

export type CrashTestResult = {
  backupId: string;
  kills: { afterMs: number; stepsDone: number; status: string }[];
  interruptedSha256: string;
  referenceSha256: string;
  archiveBytes: number;
  entries: number;
};

const CHILD_SCRIPTS = { request: "test/support/request-backup-in-child.ts", resume: "test/support/resume-inline-runs.ts" };

function databaseUrl(adminUrl: string, name: string) {
  return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
}

function startChild(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
}

/** A small deterministic generator, so a failing run can be repeated with the same kill points. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

async function backupState(sql: postgres.Sql, backupId: string) {
  const [row] = await sql<{ status: string; sha256: string | null; size_bytes: string | null; steps: number | null }[]>`
    select b.status, b.sha256, b.size_bytes, (select jsonb_array_length(r.steps) from inline_runs r where r.event -> 'data' ->> 'backupId' = ${backupId} and r.phase = 'main' order by r.created_at desc limit 1) as steps
    from backups b where b.id = ${backupId}`;
  return row!;
}

async function cloneDatabase(admin: postgres.Sql, source: string, target: string) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.unsafe(`create database "${target}" template "${source}"`);
      return;
    } catch (error) {
      // A killed child's session can take a moment to disappear from the server.
      if (attempt > 50 || !String((error as Error).message).includes("being accessed by other users")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function archiveSha256(storageDir: string, backupId: string) {
  const file = path.join(storageDir, "backups", backupId, "archive.zip");
  execFileSync("unzip", ["-tq", file], { maxBuffer: 64 * 1024 * 1024 });
  const hash = createHash("sha256");
  const descriptor = fs.openSync(file, "r");
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  for (let read; (read = fs.readSync(descriptor, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
  fs.closeSync(descriptor);
  const entries = execFileSync("unzip", ["-Z1", file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim().split("\n");
  verifyManifestWithPython(file);
  return { sha256: hash.digest("hex"), bytes: fs.statSync(file).size, entries: entries.length, duplicateEntries: entries.length - new Set(entries).size };
}

export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestResult> {
  const log = options.log ?? (() => {});
  const next = random(options.seed ?? Date.now());
  const admin = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  const cloneName = `${options.databaseName}_ref`;
  const cloneStorage = `${options.storageDir}-ref`;
  const envFor = (name: string, storageDir: string): NodeJS.ProcessEnv => ({
    ...process.env,
    ...options.env,
    DATABASE_URL: databaseUrl(options.adminUrl, name),
    STORAGE_DIR: storageDir,
    OUTBOX_DIR: path.join(storageDir, "outbox"),
  });
  const original = postgres(databaseUrl(options.adminUrl, options.databaseName), { max: 1, onnotice: () => {} });
  let reference: postgres.Sql | undefined;
  try {
    // 1. Start the build and kill it the first time, at a random point after its snapshot.
    const requester = startChild(CHILD_SCRIPTS.request, [options.requesterEmail], envFor(options.databaseName, options.storageDir));
    let output = "";
    requester.stdout!.on("data", (chunk) => (output += chunk));
    requester.stderr!.on("data", (chunk) => (output += chunk));
    const backupId = await new Promise<string>((resolve, reject) => {
      requester.stdout!.on("data", () => {
        const line = output.split("\n").find((candidate) => candidate.startsWith('{"backupId"'));
        if (line) resolve((JSON.parse(line) as { backupId: string }).backupId);
      });
      requester.once("exit", () => reject(new Error(`the build could not be requested:\n${output}`)));
    });
    for (;;) {
      const state = await backupState(original, backupId);
      if (state.status !== "in_progress") throw new Error(`the build ended (${state.status}) before it could be interrupted; use smaller batches or more data`);
      if ((state.steps ?? 0) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, next() * options.killAfterMs.min));
    requester.kill("SIGKILL");
    await exited(requester);
    const kills: CrashTestResult["kills"] = [];
    const first = await backupState(original, backupId);
    kills.push({ afterMs: 0, stepsDone: first.steps ?? 0, status: first.status });
    log(`killed the first build after ${first.steps} steps; cloning its database and storage`);

    // 2. The same state twice: the clone is resumed once, without interruption, as the reference.
    await original.end({ timeout: 5 });
    await cloneDatabase(admin, options.databaseName, cloneName);
    fs.cpSync(options.storageDir, cloneStorage, { recursive: true });

    // 3. The original is resumed and killed at random points until it finishes or the kills run out.
    const interrupted = postgres(databaseUrl(options.adminUrl, options.databaseName), { max: 1, onnotice: () => {} });
    try {
      for (let kill = 1; kill < options.kills; kill += 1) {
        const child = startChild(CHILD_SCRIPTS.resume, [], envFor(options.databaseName, options.storageDir));
        const afterMs = Math.round(options.killAfterMs.min + next() * (options.killAfterMs.max - options.killAfterMs.min));
        const finished = await Promise.race([exited(child).then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), afterMs))]);
        if (!finished) {
          child.kill("SIGKILL");
          await exited(child);
        }
        const state = await backupState(interrupted, backupId);
        kills.push({ afterMs: finished ? -1 : afterMs, stepsDone: state.steps ?? 0, status: state.status });
        log(`resume ${kill}: ${finished ? "ran to the end" : `killed after ${afterMs} ms`} at ${state.steps} steps (${state.status})`);
        if (state.status !== "in_progress") break;
      }
      const last = await backupState(interrupted, backupId);
      if (last.status === "in_progress") {
        const child = startChild(CHILD_SCRIPTS.resume, [], envFor(options.databaseName, options.storageDir));
        await exited(child);
      }
      const final = await backupState(interrupted, backupId);
      if (final.status !== "ready") throw new Error(`the interrupted build ended ${final.status}`);
    } finally {
      await interrupted.end({ timeout: 5 });
    }

    const referenceChild = startChild(CHILD_SCRIPTS.resume, [], envFor(cloneName, cloneStorage));
    await exited(referenceChild);
    reference = postgres(databaseUrl(options.adminUrl, cloneName), { max: 1, onnotice: () => {} });
    const referenceState = await backupState(reference, backupId);
    if (referenceState.status !== "ready") throw new Error(`the reference build ended ${referenceState.status}`);

    const interruptedArchive = archiveSha256(options.storageDir, backupId);
    const referenceArchive = archiveSha256(cloneStorage, backupId);
    if (interruptedArchive.duplicateEntries > 0) throw new Error(`the interrupted archive repeats ${interruptedArchive.duplicateEntries} entries`);
    return {
      backupId,
      kills,
      interruptedSha256: interruptedArchive.sha256,
      referenceSha256: referenceArchive.sha256,
      archiveBytes: interruptedArchive.bytes,
      entries: interruptedArchive.entries,
    };
  } finally {
    await reference?.end({ timeout: 5 });
    await original.end({ timeout: 5 }).catch(() => undefined);
    await admin.unsafe(`drop database if exists "${cloneName}" with (force)`).catch(() => undefined);
    await admin.end({ timeout: 5 });
    fs.rmSync(cloneStorage, { recursive: true, force: true });
  }
}
