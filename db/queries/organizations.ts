import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { memberships, organizations, users, type OrganizationSettings, type Role } from "@/db/schema";

export async function findOrganizationById({ id, executor = db }: { id: string; executor?: Executor }) {
  const [organization] = await executor.select().from(organizations).where(eq(organizations.id, id)).limit(1);
  return organization;
}

export async function countMembers({ organizationId, executor = db }: { organizationId: string; executor?: Executor }) {
  const [row] = await executor.select({ total: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
  return row?.total ?? 0;
}

/** Merges into the stored settings, so a change to one setting never resets another. */
export async function updateOrganizationSettings({
  organizationId,
  settings,
  executor = db,
}: {
  organizationId: string;
  settings: Partial<OrganizationSettings>;
  executor?: Executor;
}) {
  const [organization] = await executor
    .update(organizations)
    .set({ settings: sql`${organizations.settings} || ${JSON.stringify(settings)}::jsonb` })
    .where(eq(organizations.id, organizationId))
    .returning();
  return organization;
}

/** Locks the organization's owner memberships so concurrent role changes cannot remove the last owner. */
export async function lockOwnerMemberships({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner")))
    .for("update");
}

export async function findMemberForUpdate({
  organizationId,
  userId,
  executor,
}: {
  organizationId: string;
  userId: string;
  executor: Executor;
}) {
  const [member] = await executor
    .select({ userId: memberships.userId, role: memberships.role, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  return member;
}

export async function updateMemberRole({
  organizationId,
  userId,
  role,
  executor = db,
}: {
  organizationId: string;
  userId: string;
  role: Role;
  executor?: Executor;
}) {
  await executor
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
}
