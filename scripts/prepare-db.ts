/**
 * Runs before the app starts: applies migrations and, on an empty development database, loads the
 * demo data so the quick start signs in to a full workspace.
 */
import { count } from "drizzle-orm";
import { closeDatabase, databaseKind, db, migrateDatabase } from "@/db/connection";
import { organizations } from "@/db/schema";
import { DEMO_PASSWORD, seedDemo } from "@/db/seed/demo";

await migrateDatabase();
const [{ value: organizationCount } = { value: 0 }] = await db.select({ value: count() }).from(organizations);
const production = process.env.NODE_ENV === "production";
if (organizationCount === 0 && !production) {
  await seedDemo(db);
  console.log("Loaded the demo data.");
}
await closeDatabase();

console.log(`Database ready (${databaseKind() === "pglite" ? "embedded PGlite in .data/" : "PostgreSQL"}).`);
if (!production) {
  console.log(
    `Demo accounts (password "${DEMO_PASSWORD}"): owner@demo.test, admin@demo.test, member@demo.test, ` +
      "other-admin@demo.test, free-owner@demo.test",
  );
}
