import "server-only";
import { asc, eq } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { contacts } from "@/db/schema";

export async function listContacts({ organizationId, executor = db }: { organizationId: string; executor?: Executor }) {
  return executor
    .select({ id: contacts.id, uid: contacts.uid, name: contacts.name, email: contacts.email, company: contacts.company })
    .from(contacts)
    .where(eq(contacts.organizationId, organizationId))
    .orderBy(asc(contacts.name), asc(contacts.email));
}
