import { closeDatabase, migrateDatabase } from "./connection";

await migrateDatabase();
await closeDatabase();
console.log("Migrations applied.");
