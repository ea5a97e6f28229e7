import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { findUserByEmail } from "@/db/queries/users";
import { memberships, organizations } from "@/db/schema";
import { hasRole, resolveCaller } from "@/lib/auth/caller";
import { verifyPassword } from "@/lib/auth/password";

async function userId(email: string) {
  const user = await findUserByEmail({ email });
  if (!user) throw new Error(`demo user ${email} missing`);
  return user.id;
}

describe("the caller's role comes from the database on every request", () => {
  it("finds users by email whatever the case, with a verifiable password hash", async () => {
    const user = await findUserByEmail({ email: "ADMIN@Demo.Test" });
    expect(user?.email).toBe("admin@demo.test");
    expect(await verifyPassword("demo-password", user!.passwordHash!)).toBe(true);
    expect(await verifyPassword("wrong", user!.passwordHash!)).toBe(false);
  });

  it("resolves each demo account to its organization and role", async () => {
    const expectations = [
      ["owner@demo.test", "Demo Co", "owner"],
      ["admin@demo.test", "Demo Co", "admin"],
      ["member@demo.test", "Demo Co", "member"],
      ["other-admin@demo.test", "Other Inc", "admin"],
      ["free-owner@demo.test", "Free Ltd", "owner"],
    ] as const;
    for (const [email, organization, role] of expectations) {
      const caller = await resolveCaller({ userId: await userId(email) });
      expect(caller?.organization.name).toBe(organization);
      expect(caller?.role).toBe(role);
    }
  });

  it("a demoted admin loses admin rights at once, with the same session", async () => {
    const adminId = await userId("admin@demo.test");
    const before = await resolveCaller({ userId: adminId });
    expect(before && hasRole(before, "admin")).toBe(true);
    await db
      .update(memberships)
      .set({ role: "member" })
      .where(and(eq(memberships.userId, adminId), eq(memberships.organizationId, before!.organization.id)));
    const after = await resolveCaller({ userId: adminId, preferredOrganizationId: before!.organization.id });
    expect(after?.role).toBe("member");
    expect(hasRole(after!, "admin")).toBe(false);
  });

  it("ignores an active organization the user is not a member of", async () => {
    const [other] = await db.select().from(organizations).where(eq(organizations.name, "Other Inc"));
    const caller = await resolveCaller({ userId: await userId("member@demo.test"), preferredOrganizationId: other!.id });
    expect(caller?.organization.name).toBe("Demo Co");
  });

  it("a user with no membership left has no caller", async () => {
    const memberId = await userId("member@demo.test");
    await db.delete(memberships).where(eq(memberships.userId, memberId));
    expect(await resolveCaller({ userId: memberId })).toBeNull();
  });
});
