/**
 * Opens the embedded database named by PGLITE_DIR in its own process (as the app would), applies
 * the migrations and prints the tables it then has. With HOLD=1 it keeps the database open until
 * stdin closes, so a test can check that a second process is refused.
 */
import { sql } from "drizzle-orm";
import { closeDatabase, db, migrateDatabase } from "@/db/connection";

await migrateDatabase();
const tables = await db
  .select({ name: sql<string>`table_name` })
  .from(sql`information_schema.tables`)
  .where(sql`table_schema = 'public'`)
  .orderBy(sql`table_name`);
console.log(JSON.stringify({ tables: tables.map((table) => table.name) }));
if (process.env.HOLD === "1") {
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on("end", resolve));
}
await closeDatabase();
