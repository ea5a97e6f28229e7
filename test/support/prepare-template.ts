import { closeDatabase, db, migrateDatabase } from "@/db/connection";
import { seedDemo } from "@/db/seed/demo";

await migrateDatabase();
await seedDemo(db);
await closeDatabase();
