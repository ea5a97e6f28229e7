import "server-only";
import { eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { users } from "@/db/schema";

export async function findUserByEmail({ email, executor = db }: { email: string; executor?: Executor }) {
  const [user] = await executor
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return user;
}

export async function findUserById({ id, executor = db }: { id: string; executor?: Executor }) {
  const [user] = await executor.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}
