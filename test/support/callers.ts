import type { Caller } from "@/lib/auth/caller";

/**
 * The caller a signed-in demo account acts as, resolved the way requests resolve it (role read from
 * the database). The app's modules are imported on first use: lib/env parses the environment once,
 * and test files set theirs in beforeAll.
 */
export async function callerFor(email: string, organizationId?: string): Promise<Caller> {
  const [{ findUserByEmail }, { resolveCaller }] = await Promise.all([import("@/db/queries/users"), import("@/lib/auth/caller")]);
  const user = await findUserByEmail({ email });
  const caller = user && (await resolveCaller({ userId: user.id, preferredOrganizationId: organizationId }));
  if (!caller) throw new Error(`no caller for ${email}`);
  return caller;
}
