import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db/connection";

const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "archivist-pglite-")), "pglite");
afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

function openEmbedded({ hold = false } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dataDir, HOLD: hold ? "1" : "0" };
  delete env.DATABASE_URL;
  const child = spawn("npx", ["tsx", "--conditions=react-server", "test/support/open-embedded.ts"], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  const printedTables = new Promise<string[]>((resolve, reject) => {
    child.stdout.on("data", () => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { tables: string[] }).tables);
    });
    void exited.then(() => reject(new Error(`exited before printing tables: ${stderr}`)));
  });
  // A refused process never prints tables; only the tests that expect tables await them.
  printedTables.catch(() => undefined);
  return { child, exited, printedTables, stderr: () => stderr };
}

describe("embedded database (PGlite)", () => {
  it("runs the same migrations as PostgreSQL and admits one process at a time", async () => {
    const owner = openEmbedded({ hold: true });
    const embeddedTables = await owner.printedTables;

    const postgresTables = await db
      .select({ name: sql<string>`table_name` })
      .from(sql`information_schema.tables`)
      .where(sql`table_schema = 'public'`)
      .orderBy(sql`table_name`);
    expect(embeddedTables).toEqual(postgresTables.map((table) => table.name));
    expect(embeddedTables).toContain("backups");

    const intruder = openEmbedded();
    expect(await intruder.exited).not.toBe(0);
    expect(intruder.stderr()).toMatch(/already open in process \d+/);

    owner.child.stdin.end();
    expect(await owner.exited).toBe(0);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    const next = openEmbedded();
    expect(await next.printedTables).toEqual(embeddedTables);
    expect(await next.exited).toBe(0);
  }, 120_000);
});
