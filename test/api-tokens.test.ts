import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listBackupsRoute, POST as requestBackupRoute } from "@/app/api/v1/backups/route";
import { GET as getBackupRoute } from "@/app/api/v1/backups/[id]/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { DELETE as revokeTokenRoute } from "@/app/api/v1/tokens/[id]/route";
import { db } from "@/db/connection";
import { listAuditEvents } from "@/db/queries/audit-events";
import { findUserByEmail } from "@/db/queries/users";
import { apiTokens, backups, memberships } from "@/db/schema";
import { authenticateApiRequest } from "@/lib/api/authenticate";
import { API_TOKEN_PATTERN, createApiToken, listCallerApiTokens, revokeApiToken } from "@/lib/api/tokens";
import { resolveCaller, type Caller } from "@/lib/auth/caller";
import { AppError } from "@/lib/errors";
import { organizationIdNamed } from "./workspace-fixtures";

const BASE_URL = "http://localhost:3000";
let demoCoId: string;
let otherIncId: string;

beforeAll(async () => {
  demoCoId = await organizationIdNamed("Demo Co");
  otherIncId = await organizationIdNamed("Other Inc");
});

async function userIdOf(email: string) {
  const user = await findUserByEmail({ email });
  if (!user) throw new Error(`No demo account ${email}`);
  return user.id;
}

/** The caller a demo account is in one organization, as a signed-in session would resolve it. */
async function callerFor(email: string, organizationId = demoCoId): Promise<Caller> {
  const caller = await resolveCaller({ userId: await userIdOf(email), preferredOrganizationId: organizationId });
  if (caller?.organization.id !== organizationId) throw new Error(`${email} is not a member of ${organizationId}`);
  return caller;
}

async function newToken(email: string, organizationId = demoCoId, name = "Test script") {
  const caller = await callerFor(email, organizationId);
  return createApiToken({ caller, name });
}

function bearerRequest(path: string, secret: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${secret}`);
  return new Request(`${BASE_URL}${path}`, { ...init, headers });
}

async function expectUnauthenticated(request: Request) {
  const error = await authenticateApiRequest(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "the request should have been refused").toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("unauthenticated");
}

async function setRole(email: string, organizationId: string, role: "owner" | "admin" | "member") {
  const userId = await userIdOf(email);
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)));
}

describe("creating API tokens", () => {
  it("returns a prefixed random secret once and stores only its SHA-256 hash", async () => {
    const { token, secret } = await newToken("admin@demo.test", demoCoId, "Nightly backup");
    expect(secret).toMatch(API_TOKEN_PATTERN);
    expect(secret.startsWith("arch_")).toBe(true);

    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.tokenHash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(secret.slice(5));
    expect(row).toMatchObject({ name: "Nightly backup", organizationId: demoCoId, revokedAt: null, lastUsedAt: null });

    const second = await newToken("admin@demo.test");
    expect(second.secret).not.toBe(secret);

    const [event] = await listAuditEvents({ organizationId: demoCoId, action: "api_token.created", limit: 1 });
    expect(event).toMatchObject({ targetType: "api_token", targetId: second.token.id });
  });

  it("is refused to members, whose role is read from the database", async () => {
    const caller = await callerFor("member@demo.test");
    await expect(createApiToken({ caller, name: "Nope" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await listCallerApiTokens({ caller })).toEqual([]);
  });

  it("lists only the caller's own tokens, without hashes", async () => {
    const { token: ownerToken } = await newToken("owner@demo.test", demoCoId, "Owner's CLI");
    const response = await listTokensRoute(bearerRequest("/api/v1/tokens", (await newToken("owner@demo.test")).secret));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tokens: Record<string, unknown>[] };
    expect(body.tokens.map((token) => token.id)).toContain(ownerToken.id);
    for (const token of body.tokens) {
      expect(Object.keys(token).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "revokedAt"]);
    }
    const adminTokens = await listCallerApiTokens({ caller: await callerFor("admin@demo.test") });
    expect(adminTokens.map((token) => token.id)).not.toContain(ownerToken.id);
  });

  it("cannot be done with a bearer token: a leaked token must not mint more", async () => {
    const { secret } = await newToken("owner@demo.test");
    const before = await db.$count(apiTokens);
    const response = await createTokenRoute(
      bearerRequest("/api/v1/tokens", secret, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Minted by a token" }),
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(await db.$count(apiTokens)).toBe(before);
  });
});

describe("authenticating with a bearer token", () => {
  it("acts as the token's user in the token's organization with their current role, and records the use", async () => {
    const { token, secret } = await newToken("admin@demo.test");
    const caller = await authenticateApiRequest(bearerRequest("/api/v1/backups", secret));
    expect(caller.user.id).toBe(await userIdOf("admin@demo.test"));
    expect(caller.organization.id).toBe(demoCoId);
    expect(caller.role).toBe("admin");
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("uses the token's organization, not the user's first one", async () => {
    // Léa is a member of Demo Co (listed first) and, here, an admin of Other Inc.
    await setRole("lea.dubois@demo.test", otherIncId, "admin");
    const { secret } = await newToken("lea.dubois@demo.test", otherIncId);
    const caller = await authenticateApiRequest(bearerRequest("/api/v1/backups", secret));
    expect(caller.organization.id).toBe(otherIncId);
    expect(caller.role).toBe("admin");

    // Removed from Other Inc, the token does not fall back to her Demo Co membership.
    await db
      .delete(memberships)
      .where(and(eq(memberships.userId, await userIdOf("lea.dubois@demo.test")), eq(memberships.organizationId, otherIncId)));
    await expectUnauthenticated(bearerRequest("/api/v1/backups", secret));
  });

  it("refuses malformed, unknown and non-bearer credentials with 401, never falling back to a session", async () => {
    const { secret } = await newToken("owner@demo.test");
    const unknown = `arch_${"A".repeat(43)}`;
    for (const header of [`Bearer ${unknown}`, "Bearer ", "Bearer not-a-token", `Basic ${secret}`, secret, `Bearer ${secret}x`]) {
      await expectUnauthenticated(new Request(`${BASE_URL}/api/v1/backups`, { headers: { authorization: header } }));
    }
    const response = await listBackupsRoute(bearerRequest("/api/v1/backups", unknown));
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toEqual({ error: { code: "unauthenticated", message: expect.stringMatching(/not valid/) } });
  });

  it("refuses a revoked token at once; revoking twice is harmless and logged once", async () => {
    const { token, secret } = await newToken("admin@demo.test", demoCoId, "Soon revoked");
    const caller = await callerFor("admin@demo.test");
    await authenticateApiRequest(bearerRequest("/api/v1/backups", secret));

    const revoked = await revokeApiToken({ caller, tokenId: token.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expectUnauthenticated(bearerRequest("/api/v1/backups", secret));

    const again = await revokeApiToken({ caller, tokenId: token.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    const events = await listAuditEvents({ organizationId: demoCoId, action: "api_token.revoked" });
    expect(events.filter((event) => event.targetId === token.id)).toHaveLength(1);
  });

  it("revokes only the caller's own tokens: anyone else's, or an unknown id, is not found", async () => {
    const { token } = await newToken("owner@demo.test");
    const { secret: adminSecret } = await newToken("admin@demo.test");
    const response = await revokeTokenRoute(bearerRequest(`/api/v1/tokens/${token.id}`, adminSecret, { method: "DELETE" }), {
      params: Promise.resolve({ id: token.id }),
    });
    expect(response.status).toBe(404);
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.revokedAt).toBeNull();

    const admin = await callerFor("admin@demo.test");
    await expect(revokeApiToken({ caller: admin, tokenId: "not-a-uuid" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("a removed member's token stops working", async () => {
    const { secret } = await newToken("admin@demo.test");
    await authenticateApiRequest(bearerRequest("/api/v1/backups", secret));
    await db.delete(memberships).where(eq(memberships.userId, await userIdOf("admin@demo.test")));
    await expectUnauthenticated(bearerRequest("/api/v1/backups", secret));
  });
});

describe("the backups API with a bearer token", () => {
  it("a demoted admin's token loses admin rights on the next call", async () => {
    await setRole("member@demo.test", demoCoId, "admin");
    const { secret } = await newToken("member@demo.test");

    const before = await listBackupsRoute(bearerRequest("/api/v1/backups", secret));
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ backups: [], nextCursor: null });

    await setRole("member@demo.test", demoCoId, "member");
    const after = await listBackupsRoute(bearerRequest("/api/v1/backups", secret));
    expect(after.status).toBe(403);
    expect(await after.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await authenticateApiRequest(bearerRequest("/api/v1/backups", secret))).role).toBe("member");
  });

  it("validates the request body before anything is written", async () => {
    const { secret } = await newToken("owner@demo.test");
    const post = (body: string) =>
      requestBackupRoute(
        bearerRequest("/api/v1/backups", secret, { method: "POST", headers: { "content-type": "application/json" }, body }),
      );

    const notJson = await post("{name: nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: { code: "invalid_input", message: "The request body must be JSON." } });

    const unknownField = await post(JSON.stringify({ name: "Nightly", includeFile: false }));
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toMatchObject({ error: { code: "invalid_input", field: "includeFile" } });

    const blankName = await post(JSON.stringify({ name: "   " }));
    expect(blankName.status).toBe(400);
    expect(await blankName.json()).toMatchObject({ error: { field: "name", message: "Enter a name for the backup." } });

    const badFormat = await post(JSON.stringify({ name: "Nightly", formats: ["xml"] }));
    expect(await badFormat.json()).toMatchObject({ error: { field: "formats" } });

    expect(await db.$count(backups)).toBe(0);
  });

  it("answers 404 for a backup id that is not a uuid or not in the token's organization", async () => {
    const { secret } = await newToken("owner@demo.test");
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const response = await getBackupRoute(bearerRequest(`/api/v1/backups/${id}`, secret), { params: Promise.resolve({ id }) });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });
});
