import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or a transaction: queries accept both so callers can compose them atomically. */
export type Executor = Database | Transaction;

type Connection =
  | { kind: "postgres"; db: Database; client: postgres.Sql }
  | { kind: "pglite"; db: Database; client: PGlite; lockPath: string };

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

const globalForDb = globalThis as unknown as { archivistConnection?: Connection };

export class EmbeddedDatabaseInUseError extends Error {}

/**
 * PGlite has no lock of its own and a second process writing the same directory silently loses
 * data, so the owning process records its pid beside the data and every other process refuses.
 */
function acquireEmbeddedLock(dataDir: string): string {
  const lockPath = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return lockPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (owner === process.pid) return lockPath;
      if (Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) {
        throw new EmbeddedDatabaseInUseError(
          `The embedded database in ${dataDir} is already open in process ${owner}. ` +
            "Stop that process first, or set DATABASE_URL to use PostgreSQL.",
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function releaseEmbeddedLock(lockPath: string) {
  try {
    if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.rmSync(lockPath, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}

function connect(): Connection {
  if (env.DATABASE_URL) {
    const client = postgres(env.DATABASE_URL, { max: 10, onnotice: () => {} });
    return { kind: "postgres", client, db: drizzlePostgres(client, { schema }) };
  }
  const dataDir = path.resolve(env.PGLITE_DIR);
  const lockPath = acquireEmbeddedLock(dataDir);
  const client = new PGlite(dataDir);
  process.once("exit", () => releaseEmbeddedLock(lockPath));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void client.close().finally(() => {
        releaseEmbeddedLock(lockPath);
        process.exit(0);
      });
    });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return { kind: "pglite", client, db, lockPath };
}

function connection(): Connection {
  globalForDb.archivistConnection ??= connect();
  return globalForDb.archivistConnection;
}

/** Opened on first use, so importing this module (e.g. during `next build`) touches no database. */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const instance = connection().db;
    const value = Reflect.get(instance, property, instance);
    return typeof value === "function" ? value.bind(instance) : value;
  },
});

export async function migrateDatabase(): Promise<void> {
  const current = connection();
  if (current.kind === "postgres") {
    await migratePostgres(current.db, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    await migratePglite(current.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

export async function closeDatabase(): Promise<void> {
  const current = globalForDb.archivistConnection;
  if (!current) return;
  globalForDb.archivistConnection = undefined;
  if (current.kind === "postgres") {
    await current.client.end({ timeout: 5 });
  } else {
    await current.client.close();
    releaseEmbeddedLock(current.lockPath);
  }
}

export function databaseKind(): Connection["kind"] {
  return env.DATABASE_URL ? "postgres" : "pglite";
}
