import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { listMembershipsForUser } from "@/db/queries/memberships";
import { findUserById } from "@/db/queries/users";
import type { Organization, Role } from "@/db/schema";
import { auth } from "./index";

export type Caller = {
  user: { id: string; name: string; email: string };
  organization: Organization;
  role: Role;
  organizations: { id: string; name: string; role: Role }[];
};

const ROLE_RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

export function hasRole(caller: Pick<Caller, "role">, minimum: Role): boolean {
  return ROLE_RANK[caller.role] >= ROLE_RANK[minimum];
}

/**
 * The signed-in user with their role in the active organization, read from the database on every
 * request: a session only names the user and the organization they chose, never their rights.
 */
export async function resolveCaller({
  userId,
  preferredOrganizationId,
}: {
  userId: string;
  preferredOrganizationId?: string;
}): Promise<Caller | null> {
  const user = await findUserById({ id: userId });
  if (!user) return null;
  const memberships = await listMembershipsForUser({ userId });
  const active = memberships.find((m) => m.organization.id === preferredOrganizationId) ?? memberships[0];
  if (!active) return null;
  return {
    user: { id: user.id, name: user.name, email: user.email },
    organization: active.organization,
    role: active.role,
    organizations: memberships.map((m) => ({ id: m.organization.id, name: m.organization.name, role: m.role })),
  };
}

export const getCaller = cache(async (): Promise<Caller | null> => {
  const session = await auth();
  if (!session?.user?.id) return null;
  return resolveCaller({ userId: session.user.id, preferredOrganizationId: session.activeOrganizationId });
});

/** For pages: the proxy already sends signed-out visitors to sign-in; this covers a session whose user is gone. */
export async function requireCaller(): Promise<Caller> {
  const caller = await getCaller();
  if (!caller) redirect("/login");
  return caller;
}
