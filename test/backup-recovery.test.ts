import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backups, inlineRuns, type Backup } from "@/db/schema";
import { backupArchiveKey } from "@/lib/backups/storage-keys";
import type { StorageDriver } from "@/lib/storage";
import { callerFor } from "./support/callers";

/**
 * Durability of the in-process runner: retries of a failing step, failure after the last retry,
 * and a build whose process is killed with SIGKILL, resumed by the next process from its last
 * finished step. Real PostgreSQL, real storage, the real function.
 */

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-recovery-"));
let app: Awaited<ReturnType<typeof importApp>>;

async function importApp() {
  const [{ db }, runner, startup, { requestBackup }, { storage }] = await Promise.all([
    import("@/db/connection"),
    import("@/inngest/inline-runner"),
    import("@/inngest/inline-startup"),
    import("@/lib/backups/service"),
    import("@/lib/storage"),
  ]);
  return { db, ...runner, ...startup, requestBackup, storage };
}

beforeAll(async () => {
  Object.assign(process.env, {
    INLINE_RETRY_BASE_MS: "10",
    BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0",
    BACKUP_COOLDOWN_MINUTES_DATA_ONLY: "0",
    BACKUP_BATCH_MAX_ENTRIES: "2",
  });
  app = await importApp();
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const input = { description: "", includeFiles: true, formats: ["json", "csv"] as ("json" | "csv")[], csvEncoding: "utf-8" as const, includeBi: false };


const runOf = (backupId: string) => sql`${inlineRuns.event} -> 'data' ->> 'backupId' = ${backupId}`;

async function loadBackup(id: string): Promise<Backup> {
  const [row] = await app.db.select().from(backups).where(eq(backups.id, id));
  return row!;
}

/** Storage that fails `put` of segments whose key matches, a given number of times, then behaves. */
function withFailingSegmentWrites(pattern: RegExp, failures: number) {
  const real = app.storage();
  let remaining = failures;
  const attempts: string[] = [];
  const faulty: StorageDriver = {
    put: (key, body, options) => {
      if (pattern.test(key)) {
        attempts.push(key);
        if (remaining > 0) {
          remaining -= 1;
          return Promise.reject(new Error("Simulated storage outage"));
        }
      }
      return real.put(key, body, options);
    },
    putFile: (key, filePath) => {
      if (pattern.test(key)) {
        attempts.push(key);
        if (remaining > 0) {
          remaining -= 1;
          return Promise.reject(new Error("Simulated storage outage"));
        }
      }
      return real.putFile(key, filePath);
    },
    read: (key, range) => real.read(key, range),
    openReader: (key) => real.openReader(key),
    stat: (key) => real.stat(key),
    delete: (key) => real.delete(key),
    compose: (key, parts) => real.compose(key, parts),
  };
  const globals = globalThis as unknown as { archivistStorage?: StorageDriver };
  globals.archivistStorage = faulty;
  return { attempts, restore: () => (globals.archivistStorage = real) };
}

async function verifyArchive(backup: Backup) {
  const file = path.join(workDir, `${backup.id}.zip`);
  const chunks: Buffer[] = [];
  for await (const chunk of await app.storage().read(backupArchiveKey(backup.id))) chunks.push(chunk as Buffer);
  fs.writeFileSync(file, Buffer.concat(chunks));
  execFileSync("unzip", ["-tq", file]);
  const listing = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).trim().split("\n");
  return listing;
}

describe("backup builds survive failures", () => {
  it("retries a step that throws once, and the backup still completes with every entry once", async () => {
    const fault = withFailingSegmentWrites(/segments\/000001/, 1);
    try {
      const backup = await app.requestBackup({ caller: await callerFor("admin@demo.test"), input: { ...input, name: "Retried once" } });
      await app.waitForInlineRuns();
      const row = await loadBackup(backup.id);
      expect(row.status).toBe("ready");
      expect(fault.attempts.filter((key) => key.includes(backup.id))).toHaveLength(2);
      const listing = await verifyArchive(row);
      expect(new Set(listing).size).toBe(listing.length);
      expect(listing.filter((name) => name.includes("/files/"))).toHaveLength(row.versionsCount!);
    } finally {
      fault.restore();
    }
  });

  it("marks the backup failed with a plain reason after the last retry, and removes what was written", async () => {
    const fault = withFailingSegmentWrites(/segments\/000001/, 100);
    try {
      const backup = await app.requestBackup({ caller: await callerFor("admin@demo.test"), input: { ...input, name: "Always failing" } });
      await app.waitForInlineRuns();
      const row = await loadBackup(backup.id);
      expect(row.status).toBe("failed");
      expect(row.failureReason).toMatch(/unexpected error on our side/);
      expect(fault.attempts.filter((key) => key.includes(backup.id))).toHaveLength(4);
      expect(await app.storage().stat(backupArchiveKey(backup.id))).toBeNull();
      expect(await app.storage().stat(`backups/${backup.id}/segments/000000.zipseg`)).toBeNull();
    } finally {
      fault.restore();
    }
  });

  it("resumes a build whose process was killed (SIGKILL) from its last finished step", { timeout: 60_000 }, async () => {
    // node itself (with tsx as a loader), so the pid that is killed is the one that owns the run.
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "test/support/request-backup-in-child.ts", "owner@demo.test"], {
      env: { ...process.env, BACKUP_BATCH_MAX_ENTRIES: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const backupId = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const line = output.split("\n").find((candidate) => candidate.startsWith('{"backupId"'));
        if (line) resolve((JSON.parse(line) as { backupId: string }).backupId);
      });
      child.on("exit", () => reject(new Error(`child exited before requesting: ${output}`)));
    });
    // Kill it once at least one batch is packed, before the archive is assembled.
    for (;;) {
      const row = await loadBackup(backupId);
      if (row.status !== "in_progress") throw new Error(`the build finished before it could be interrupted (${row.status})`);
      const [run] = await app.db.select({ steps: inlineRuns.steps }).from(inlineRuns).where(runOf(backupId));
      if ((run?.steps.length ?? 0) >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const [interrupted] = await app.db.select().from(inlineRuns).where(runOf(backupId));
    expect(interrupted!.status).toBe("running");
    const stepsBefore = interrupted!.steps.length;

    const resumed = await app.resumeOrphanedInlineRuns();
    expect(resumed).toContain(interrupted!.id);
    await app.waitForInlineRuns();
    const row = await loadBackup(backupId);
    expect(row.status).toBe("ready");
    const [finished] = await app.db.select().from(inlineRuns).where(eq(inlineRuns.id, interrupted!.id));
    expect(finished!.steps.slice(0, stepsBefore)).toEqual(interrupted!.steps);
    const listing = await verifyArchive(row);
    expect(new Set(listing).size).toBe(listing.length);
    expect(listing.filter((name) => name.includes("/files/"))).toHaveLength(row.versionsCount!);
  });

  it("fails, with a reason and never silently, a backup left in progress with no run to resume it", async () => {
    const caller = await callerFor("other-admin@demo.test");
    const [orphan] = await app.db
      .insert(backups)
      .values({ organizationId: caller.organization.id, name: "Orphan", options: { ...input, includeBi: false }, requestedBy: caller.user.id, downloadName: "x.zip" })
      .returning();
    await app.startInlineExecution();
    await app.waitForInlineRuns();
    const row = await loadBackup(orphan!.id);
    expect(row.status).toBe("failed");
    expect(row.failureReason).toMatch(/interrupted/);
  });
});
