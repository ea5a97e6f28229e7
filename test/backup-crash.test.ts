import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { crashTestStorageFromEnv, runCrashTest } from "../scripts/lib/crash-harness";
import { ADMIN_DATABASE_URL } from "./support/databases";

/**
 * Issue 4's crash test on the demo data: the build is killed with SIGKILL at 10 random points
 * (inside batches, between them, during assembly) and resumed each time; the archive must be valid,
 * match its manifest and be byte-identical to an uninterrupted build of the same snapshot.
 * It runs on the storage per-file-database.ts chose: the file's folder, or its bucket under
 * vitest.s3.config.ts. `npm run test:crash -- --gib <G>` runs the same on a large organization.
 */
describe("a backup build killed again and again", () => {
  it("ends ready with the same archive bytes as an uninterrupted build", { timeout: 180_000 }, async () => {
    const databaseName = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    // A few hundred file versions, one per build step, so most kills land inside the build. The seed
    // writes their blobs to the storage process.env selects, the one the builds then read.
    execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "db/seed.ts", "--scale", "70"], { env: process.env, stdio: "ignore" });
    const result = await runCrashTest({
      adminUrl: ADMIN_DATABASE_URL,
      databaseName,
      storage: crashTestStorageFromEnv(process.env),
      requesterEmail: "scale-owner@demo.test",
      kills: 10,
      killAfterMs: { min: 800, max: 1_400 },
      env: { BACKUP_BATCH_MAX_ENTRIES: "1", BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0", INLINE_RETRY_BASE_MS: "10" },
      seed: 20261123,
      log: (line) => console.log(line),
    });
    expect(result.interruptedSha256).toBe(result.referenceSha256);
    expect(result.kills.filter((kill) => kill.status === "in_progress").length).toBeGreaterThanOrEqual(3);
    expect(result.entries).toBeGreaterThan(20);
  });
});
