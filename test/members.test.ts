import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { listAuditEvents } from "@/db/queries/audit-events";
import { listContacts } from "@/db/queries/contacts";
import { countMembers, findOrganizationById, updateOrganizationSettings } from "@/db/queries/organizations";
import { listTeamsWithMembers } from "@/db/queries/teams";
import { findUserByEmail } from "@/db/queries/users";
import { memberships, organizations, type Role } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { changeMemberRole } from "@/lib/workspace/members";
import { setRestrictBackupsToOwners } from "@/lib/workspace/organization-settings";

let demoCoId: string;
let otherIncId: string;
let freeLtdId: string;
const ids: Record<string, string> = {};

async function roleOf(email: string, organizationId = demoCoId): Promise<Role | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, ids[email]!)));
  return row?.role;
}

async function expectAppError(promise: Promise<unknown>, code: AppError["code"], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

beforeAll(async () => {
  const orgs = await db.select({ id: organizations.id, name: organizations.name }).from(organizations);
  demoCoId = orgs.find((org) => org.name === "Demo Co")!.id;
  otherIncId = orgs.find((org) => org.name === "Other Inc")!.id;
  freeLtdId = orgs.find((org) => org.name === "Free Ltd")!.id;
  for (const email of ["owner@demo.test", "admin@demo.test", "member@demo.test", "other-admin@demo.test", "free-owner@demo.test"]) {
    ids[email] = (await findUserByEmail({ email }))!.id;
  }
});

describe("the members page data", () => {
  it("lists the organization's teams with their members and its contacts, nothing of other organizations", async () => {
    const teams = await listTeamsWithMembers({ organizationId: demoCoId });
    expect(teams.map((team) => team.name)).toEqual(["Design", "Engineering & Localisation"]);
    expect(teams[0]!.members.map((member) => member.email).sort()).toEqual(["lea.dubois@demo.test", "member@demo.test"]);

    const contacts = await listContacts({ organizationId: demoCoId });
    expect(contacts.map((contact) => contact.email)).toContain("sofia.rossi@northwind.example");
    expect(contacts.find((contact) => contact.name === "Daniel Okafor")?.company).toBeNull();
    const otherContacts = await listContacts({ organizationId: otherIncId });
    expect(otherContacts.map((contact) => contact.email)).not.toContain("sofia.rossi@northwind.example");

    expect(await countMembers({ organizationId: demoCoId })).toBe(5);
  });
});

describe("changing a member's role", () => {
  it("refuses admins and members, and people outside the organization", async () => {
    await expectAppError(
      changeMemberRole({ organizationId: demoCoId, actorId: ids["admin@demo.test"]!, userId: ids["member@demo.test"]!, role: "admin" }),
      "forbidden",
    );
    await expectAppError(
      changeMemberRole({ organizationId: demoCoId, actorId: ids["member@demo.test"]!, userId: ids["member@demo.test"]!, role: "owner" }),
      "forbidden",
    );
    await expectAppError(
      changeMemberRole({ organizationId: demoCoId, actorId: ids["owner@demo.test"]!, userId: ids["other-admin@demo.test"]!, role: "member" }),
      "not_found",
    );
    expect(await roleOf("member@demo.test")).toBe("member");
    expect(await roleOf("other-admin@demo.test", otherIncId)).toBe("admin");
  });

  it("lets an owner change a role and records who changed what", async () => {
    const result = await changeMemberRole({
      organizationId: demoCoId,
      actorId: ids["owner@demo.test"]!,
      userId: ids["member@demo.test"]!,
      role: "admin",
    });
    expect(result).toMatchObject({ changed: true, previousRole: "member", role: "admin" });
    expect(await roleOf("member@demo.test")).toBe("admin");
    const events = await listAuditEvents({ organizationId: demoCoId, action: "member.role_changed" });
    expect(events.find((event) => event.targetId === ids["member@demo.test"])).toMatchObject({
      actorId: ids["owner@demo.test"],
      targetType: "user",
      metadata: { from: "member", to: "admin" },
    });

    const unchanged = await changeMemberRole({
      organizationId: demoCoId,
      actorId: ids["owner@demo.test"]!,
      userId: ids["member@demo.test"]!,
      role: "admin",
    });
    expect(unchanged.changed).toBe(false);
  });

  it("never demotes the last owner, but allows it once there is another owner", async () => {
    const owner = ids["owner@demo.test"]!;
    const admin = ids["admin@demo.test"]!;
    const before = (await listAuditEvents({ organizationId: demoCoId, action: "member.role_changed" })).length;

    await expectAppError(
      changeMemberRole({ organizationId: demoCoId, actorId: owner, userId: owner, role: "admin" }),
      "conflict",
      /last owner/,
    );
    expect(await roleOf("owner@demo.test")).toBe("owner");
    expect(await listAuditEvents({ organizationId: demoCoId, action: "member.role_changed" })).toHaveLength(before);

    await changeMemberRole({ organizationId: demoCoId, actorId: owner, userId: admin, role: "owner" });
    await changeMemberRole({ organizationId: demoCoId, actorId: owner, userId: owner, role: "member" });
    expect(await roleOf("owner@demo.test")).toBe("member");

    // The former owner's rights are gone at once, and the new sole owner is now the protected one.
    await expectAppError(changeMemberRole({ organizationId: demoCoId, actorId: owner, userId: owner, role: "owner" }), "forbidden");
    await expectAppError(changeMemberRole({ organizationId: demoCoId, actorId: admin, userId: admin, role: "member" }), "conflict", /last owner/);
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const freeOwner = ids["free-owner@demo.test"]!;
    const second = ids["other-admin@demo.test"]!;
    await db.insert(memberships).values({ organizationId: freeLtdId, userId: second, role: "owner" });
    const results = await Promise.allSettled([
      changeMemberRole({ organizationId: freeLtdId, actorId: freeOwner, userId: second, role: "member" }),
      changeMemberRole({ organizationId: freeLtdId, actorId: second, userId: freeOwner, role: "member" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const roles = [await roleOf("free-owner@demo.test", freeLtdId), await roleOf("other-admin@demo.test", freeLtdId)];
    expect(roles.filter((role) => role === "owner")).toHaveLength(1);
  });
});

describe("restricting backups to owners", () => {
  it("lets an owner of an enterprise organization turn it on and off, with an audit event each time", async () => {
    const [owner] = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.organizationId, demoCoId), eq(memberships.role, "owner")));
    const actorId = owner!.userId;
    expect((await findOrganizationById({ id: demoCoId }))!.settings.restrictBackupsToOwners).toBe(false);

    expect(await setRestrictBackupsToOwners({ organizationId: demoCoId, actorId, actorRole: "owner", restrictBackupsToOwners: true })).toEqual({
      changed: true,
    });
    expect((await findOrganizationById({ id: demoCoId }))!.settings.restrictBackupsToOwners).toBe(true);
    expect(await setRestrictBackupsToOwners({ organizationId: demoCoId, actorId, actorRole: "owner", restrictBackupsToOwners: true })).toEqual({
      changed: false,
    });
    await setRestrictBackupsToOwners({ organizationId: demoCoId, actorId, actorRole: "owner", restrictBackupsToOwners: false });

    const events = await listAuditEvents({ organizationId: demoCoId, action: "organization.settings_changed" });
    expect(events.map((event) => event.metadata)).toEqual([
      { setting: "restrictBackupsToOwners", from: true, to: false },
      { setting: "restrictBackupsToOwners", from: false, to: true },
    ]);
  });

  it("refuses admins, and organizations not on the Enterprise plan", async () => {
    await expectAppError(
      setRestrictBackupsToOwners({ organizationId: demoCoId, actorId: ids["admin@demo.test"]!, actorRole: "admin", restrictBackupsToOwners: true }),
      "forbidden",
    );
    await expectAppError(
      setRestrictBackupsToOwners({ organizationId: freeLtdId, actorId: ids["free-owner@demo.test"]!, actorRole: "owner", restrictBackupsToOwners: true }),
      "forbidden",
      /Enterprise/,
    );
    expect((await findOrganizationById({ id: demoCoId }))!.settings.restrictBackupsToOwners).toBe(false);
    expect((await findOrganizationById({ id: freeLtdId }))!.settings.restrictBackupsToOwners).toBe(false);
  });

  it("merges a settings change into the stored settings instead of replacing them", async () => {
    await db
      .update(organizations)
      .set({ settings: { restrictBackupsToOwners: false, futureSetting: "kept" } as never })
      .where(eq(organizations.id, otherIncId));
    await updateOrganizationSettings({ organizationId: otherIncId, settings: { restrictBackupsToOwners: true } });
    expect((await findOrganizationById({ id: otherIncId }))!.settings).toEqual({ restrictBackupsToOwners: true, futureSetting: "kept" });
  });
});
