import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { memberships, organizations, users } from "@/db/schema";

export async function listMembershipsForUser({ userId, executor = db }: { userId: string; executor?: Executor }) {
  return executor
    .select({ organization: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name));
}

export async function findMembership({
  userId,
  organizationId,
  executor = db,
}: {
  userId: string;
  organizationId: string;
  executor?: Executor;
}) {
  const [row] = await executor
    .select({ organization: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  return row;
}

export async function listMembers({ organizationId, executor = db }: { organizationId: string; executor?: Executor }) {
  return executor
    .select({ id: users.id, uid: users.uid, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.name));
}
