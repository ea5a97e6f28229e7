import { ApiActor, expectApiError, type ApiBackup } from "./api-client";
import { expect, test } from "./fixtures";

/**
 * The HTTP API of SPEC §5 against the real app: who may do what (SPEC §1), the shapes of replies and
 * errors, tokens, and the cross-site protections of cookie-authenticated calls. Backups are built
 * in-process by the app; every test leaves none in progress, because other specs share Demo Co.
 */
test.describe.configure({ mode: "serial" });

let owner: ApiActor;
let admin: ApiActor;
let member: ApiActor;
let otherAdmin: ApiActor;
let signedOut: ApiActor;
let adminToken: ApiActor;
/** A ready, data-only backup of Demo Co that the role matrix reads, downloads and tries to change. */
let ready: ApiBackup;

const dataOnly = { includeFiles: false, formats: ["json"] };
const UNKNOWN_BACKUP = "00000000-0000-4000-8000-000000000000";

test.beforeAll(async ({ playwright }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  owner = await ApiActor.signIn(playwright, baseURL, "owner@demo.test");
  admin = await ApiActor.signIn(playwright, baseURL, "admin@demo.test");
  member = await ApiActor.signIn(playwright, baseURL, "member@demo.test");
  otherAdmin = await ApiActor.signIn(playwright, baseURL, "other-admin@demo.test");
  signedOut = await ApiActor.signedOut(playwright, baseURL);
  const created = await admin.post("/api/v1/tokens", { name: "API spec" });
  expect(created.status()).toBe(201);
  adminToken = await ApiActor.withToken(playwright, baseURL, "admin's token", ((await created.json()) as { token: string }).token);

  const requested = await owner.requestBackup({ name: "API spec: role matrix", ...dataOnly });
  ready = await owner.waitUntilSettled(requested.id);
  expect(ready.status, "the build engine should finish a data-only backup").toBe("ready");
});

test.afterAll(async () => {
  // A safety net for a failed test: never leave a build running for the next spec.
  for (const actor of [owner, otherAdmin]) {
    if (!actor) continue;
    const response = await actor.get("/api/v1/backups");
    const { backups } = (await response.json()) as { backups: ApiBackup[] };
    for (const backup of backups.filter((candidate) => candidate.status === "in_progress")) {
      await actor.post(`/api/v1/backups/${backup.id}/cancel`);
    }
  }
  for (const actor of [owner, admin, member, otherAdmin, signedOut, adminToken]) await actor?.dispose();
});

test.describe("API tokens", () => {
  test("a signed-in admin creates a token, sees its secret once, and lists tokens without secrets", async () => {
    const response = await admin.post("/api/v1/tokens", { name: "  Nightly export  " });
    expect(response.status()).toBe(201);
    expect(response.headers()["cache-control"]).toContain("no-store");
    const created = (await response.json()) as { token: string; id: string; name: string };
    expect(created.token).toMatch(/^arch_[A-Za-z0-9_-]{43}$/);
    expect(created.name).toBe("Nightly export");

    const list = await admin.get("/api/v1/tokens");
    expect(list.status()).toBe(200);
    const { tokens } = (await list.json()) as { tokens: Record<string, unknown>[] };
    const listed = tokens.find((token) => token.id === created.id);
    expect(listed).toEqual({ id: created.id, name: "Nightly export", createdAt: expect.any(String), lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(tokens)).not.toContain(created.token);
  });

  test("only a signed-in owner or admin may create one: members get 403, bearer tokens 403, nobody 401", async () => {
    await expectApiError(await member.post("/api/v1/tokens", { name: "Mine" }), 403, "forbidden");
    await expectApiError(await adminToken.post("/api/v1/tokens", { name: "Minted by a token" }), 403, "forbidden");
    await expectApiError(await signedOut.post("/api/v1/tokens", { name: "Anyone" }), 401, "unauthenticated");
    await expectApiError(await admin.post("/api/v1/tokens", { name: "" }), 400, "invalid_input", "name");
    await expectApiError(await admin.post("/api/v1/tokens", { name: "x", scopes: ["all"] }), 400, "invalid_input", "scopes");
  });

  test("a revoked token is refused at once with 401", async ({ playwright }, testInfo) => {
    const created = (await (await owner.post("/api/v1/tokens", { name: "Short-lived" })).json()) as { token: string; id: string };
    const script = await ApiActor.withToken(playwright, testInfo.project.use.baseURL!, "short-lived token", created.token);
    expect((await script.get("/api/v1/backups")).status()).toBe(200);

    const revoked = await owner.delete(`/api/v1/tokens/${created.id}`);
    expect(revoked.status()).toBe(200);
    expect(((await revoked.json()) as { token: { revokedAt: string | null } }).token.revokedAt).toEqual(expect.any(String));
    await expectApiError(await script.get("/api/v1/backups"), 401, "unauthenticated");
    await expectApiError(await script.get(`/api/v1/backups/${ready.id}`), 401, "unauthenticated");
    await expectApiError(await admin.delete(`/api/v1/tokens/${created.id}`), 404, "not_found");
    await script.dispose();
  });

  test("a malformed or unknown bearer token is a 401 even with a valid session cookie beside it", async () => {
    await expectApiError(await owner.get("/api/v1/backups", { authorization: "Bearer nope" }), 401, "unauthenticated");
    await expectApiError(
      await owner.get("/api/v1/backups", { authorization: `Bearer arch_${"x".repeat(43)}` }),
      401,
      "unauthenticated",
    );
  });
});

test.describe("who may do what (SPEC §1)", () => {
  test("list: owners, admins and tokens see their organization's backups; members 403; signed out 401", async () => {
    for (const actor of [owner, admin, adminToken]) {
      const response = await actor.get("/api/v1/backups");
      expect(response.status(), actor.label).toBe(200);
      const body = (await response.json()) as { backups: ApiBackup[]; nextCursor: string | null };
      expect(body.backups.map((backup) => backup.id), actor.label).toContain(ready.id);
      expect(body).toHaveProperty("nextCursor");
    }
    const other = (await (await otherAdmin.get("/api/v1/backups")).json()) as { backups: ApiBackup[] };
    expect(other.backups.map((backup) => backup.id)).not.toContain(ready.id);
    await expectApiError(await member.get("/api/v1/backups"), 403, "forbidden");
    await expectApiError(await signedOut.get("/api/v1/backups"), 401, "unauthenticated");
  });

  test("detail: the backup in the SPEC §5 shape for owners, admins and tokens; 404 for a member or another organization", async () => {
    for (const actor of [owner, admin, adminToken]) {
      const response = await actor.get(`/api/v1/backups/${ready.id}`);
      expect(response.status(), actor.label).toBe(200);
      const { backup } = (await response.json()) as { backup: Record<string, unknown> };
      expect(Object.keys(backup).sort()).toEqual(
        [
          "completedAt",
          "createdAt",
          "description",
          "expiresAt",
          "files",
          "id",
          "name",
          "options",
          "progress",
          "requestedBy",
          "sha256",
          "sizeBytes",
          "status",
          "versions",
        ].sort(),
      );
      expect(backup).toMatchObject({
        id: ready.id,
        name: "API spec: role matrix",
        status: "ready",
        options: { includeFiles: false, formats: ["json"], csvEncoding: "utf-8", includeBi: false },
        requestedBy: { id: expect.any(String), name: "Olivia Martin" },
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        sizeBytes: expect.any(Number),
        progress: { done: expect.any(Number), total: expect.any(Number) },
      });
      expect(new Date(backup.expiresAt as string).getTime()).toBeGreaterThan(Date.now());
    }
    await expectApiError(await member.get(`/api/v1/backups/${ready.id}`), 404, "not_found");
    await expectApiError(await otherAdmin.get(`/api/v1/backups/${ready.id}`), 404, "not_found");
    await expectApiError(await signedOut.get(`/api/v1/backups/${ready.id}`), 401, "unauthenticated");
  });

  test("download: the archive streams (whole or by Range) for owners, admins and tokens; 404 for others", async () => {
    for (const actor of [owner, admin, adminToken]) {
      const whole = await actor.get(`/api/v1/backups/${ready.id}/download`);
      expect(whole.status(), actor.label).toBe(200);
      expect(whole.headers()["content-type"]).toBe("application/zip");
      expect(whole.headers()["content-disposition"]).toMatch(/attachment; filename="?\d+_\d{2}_\d{2}_\d{4}_\d{5}\.zip/);
      // A length, not a chunked body, so that browsers show the size and progress of a large archive.
      expect(whole.headers()["content-length"]).toBe(String(ready.sizeBytes));
      expect(whole.headers()["transfer-encoding"]).toBeUndefined();
      const body = await whole.body();
      expect(body.subarray(0, 2).toString("latin1")).toBe("PK");
      expect(body.length).toBe(ready.sizeBytes);

      const part = await actor.get(`/api/v1/backups/${ready.id}/download`, { range: "bytes=0-1" });
      expect(part.status()).toBe(206);
      expect(part.headers()["content-range"]).toBe(`bytes 0-1/${body.length}`);
      expect(part.headers()["content-length"]).toBe("2");
      expect((await part.body()).toString("latin1")).toBe("PK");
    }
    await expectApiError(await member.get(`/api/v1/backups/${ready.id}/download`), 404, "not_found");
    await expectApiError(await otherAdmin.get(`/api/v1/backups/${ready.id}/download`), 404, "not_found");
    await expectApiError(await signedOut.get(`/api/v1/backups/${ready.id}/download`), 401, "unauthenticated");

    // The detail page's link serves the same archive, with its length too.
    const fromSettings = await owner.get(`/settings/backups/${ready.id}/download`);
    expect(fromSettings.status()).toBe(200);
    expect(fromSettings.headers()["content-length"]).toBe(String(ready.sizeBytes));
  });

  for (const [label, actorOf] of [
    ["owner@demo.test", () => owner],
    ["admin@demo.test", () => admin],
    ["an admin's bearer token", () => adminToken],
    ["other-admin@demo.test (in Other Inc)", () => otherAdmin],
  ] as const) {
    test(`request, cancel and delete: allowed to ${label}`, async () => {
      const actor = actorOf();
      const requested = await actor.post("/api/v1/backups", { name: `API spec: ${label}`, description: "From the API" });
      expect(requested.status(), await requested.text()).toBe(202);
      const { backup } = (await requested.json()) as { backup: ApiBackup };
      expect(requested.headers()["location"]).toBe(`/api/v1/backups/${backup.id}`);
      expect(backup).toMatchObject({ status: "in_progress", description: "From the API", completedAt: null, sha256: null });

      const cancelled = await actor.post(`/api/v1/backups/${backup.id}/cancel`);
      expect(cancelled.status(), await cancelled.text()).toBe(200);
      expect(((await cancelled.json()) as { backup: ApiBackup }).backup.status).toBe("cancelled");

      const deleted = await actor.delete(`/api/v1/backups/${backup.id}`);
      expect(deleted.status(), await deleted.text()).toBe(200);
      expect(((await deleted.json()) as { backup: ApiBackup }).backup.status).toBe("deleted");
    });
  }

  test("request, cancel and delete: a member gets 403 / 404, another organization 404, nobody 401", async () => {
    await expectApiError(await member.post("/api/v1/backups", { name: "Member's backup", ...dataOnly }), 403, "forbidden");
    await expectApiError(await signedOut.post("/api/v1/backups", { name: "Anyone's backup", ...dataOnly }), 401, "unauthenticated");
    for (const actor of [member, otherAdmin]) {
      await expectApiError(await actor.post(`/api/v1/backups/${ready.id}/cancel`), 404, "not_found");
      await expectApiError(await actor.delete(`/api/v1/backups/${ready.id}`), 404, "not_found");
    }
    await expectApiError(await signedOut.post(`/api/v1/backups/${ready.id}/cancel`), 401, "unauthenticated");
    await expectApiError(await signedOut.delete(`/api/v1/backups/${ready.id}`), 401, "unauthenticated");
    expect((await owner.backup(ready.id)).status).toBe("ready");
  });
});

test.describe("refusals", () => {
  test("a cookie-authenticated call that changes state must come from the app's own origin, with JSON", async () => {
    const before = ((await (await owner.get("/api/v1/backups")).json()) as { backups: ApiBackup[] }).backups.length;
    const body = JSON.stringify({ name: "Forged", ...dataOnly });
    const json = { "content-type": "application/json" };

    await expectApiError(await owner.postRaw("/api/v1/backups", body, json), 403, "forbidden");
    await expectApiError(await owner.postRaw("/api/v1/backups", body, { ...json, origin: "https://evil.example" }), 403, "forbidden");
    await expectApiError(await owner.postRaw("/api/v1/backups", body, { ...json, origin: "null" }), 403, "forbidden");
    await expectApiError(await owner.postRaw(`/api/v1/backups/${ready.id}/cancel`, "", { origin: "https://evil.example" }), 403, "forbidden");
    await expectApiError(await owner.delete(`/api/v1/backups/${ready.id}`, { origin: "https://evil.example" }), 403, "forbidden");
    // What a cross-site HTML form could send, even from the right origin, is refused too.
    const origin = new URL(test.info().project.use.baseURL!).origin;
    await expectApiError(
      await owner.postRaw("/api/v1/backups", "name=Forged", { origin, "content-type": "application/x-www-form-urlencoded" }),
      415,
      "unsupported_media_type",
    );
    await expectApiError(await owner.postRaw("/api/v1/backups", body, { origin, "content-type": "text/plain" }), 415, "unsupported_media_type");

    const after = ((await (await owner.get("/api/v1/backups")).json()) as { backups: ApiBackup[] }).backups.length;
    expect(after).toBe(before);
    expect((await owner.backup(ready.id)).status).toBe("ready");
  });

  test("invalid bodies are a 400 naming the field; bad JSON says so", async () => {
    const origin = new URL(test.info().project.use.baseURL!).origin;
    for (const actor of [owner, adminToken]) {
      await expectApiError(await actor.post("/api/v1/backups", { name: "Typo", includeFile: false }), 400, "invalid_input", "includeFile");
      await expectApiError(await actor.post("/api/v1/backups", { name: "Bad", csvEncoding: "latin1" }), 400, "invalid_input", "csvEncoding");
      await expectApiError(await actor.post("/api/v1/backups", { description: "No name" }), 400, "invalid_input", "name");
    }
    const badJson = await owner.postRaw("/api/v1/backups", "{ not json", { origin, "content-type": "application/json" });
    const error = await expectApiError(badJson, 400, "invalid_input");
    expect(error.message).toBe("The request body must be JSON.");
  });

  test("an id that is not a uuid, or of no backup, is a 404 everywhere", async () => {
    for (const id of ["not-a-uuid", "1", UNKNOWN_BACKUP]) {
      await expectApiError(await owner.get(`/api/v1/backups/${id}`), 404, "not_found");
      await expectApiError(await owner.get(`/api/v1/backups/${id}/download`), 404, "not_found");
      await expectApiError(await owner.post(`/api/v1/backups/${id}/cancel`), 404, "not_found");
      await expectApiError(await owner.delete(`/api/v1/backups/${id}`), 404, "not_found");
      await expectApiError(await owner.delete(`/api/v1/tokens/${id}`), 404, "not_found");
    }
    await expectApiError(await owner.get("/api/v1/no-such-endpoint"), 404, "not_found");
  });

  test("cancelling a finished backup is a 409", async () => {
    const error = await expectApiError(await owner.post(`/api/v1/backups/${ready.id}/cancel`), 409, "conflict");
    expect(error.message).toMatch(/only a backup in progress can be cancelled/);
  });

  test("a running backup cannot be deleted, and a second one cannot start while it runs (409)", async () => {
    const running = await owner.requestBackup({ name: "API spec: still running" });
    const deleteError = await expectApiError(await owner.delete(`/api/v1/backups/${running.id}`), 409, "conflict");
    expect(deleteError.message).toMatch(/still being built/);
    const secondError = await expectApiError(await admin.post("/api/v1/backups", { name: "A second one", ...dataOnly }), 409, "conflict");
    expect(secondError.message).toMatch(/already in progress \(requested by Olivia Martin/);

    expect((await owner.post(`/api/v1/backups/${running.id}/cancel`)).status()).toBe(200);
    expect((await owner.backup(running.id)).status).toBe("cancelled");
  });

  test("a deleted backup can no longer be downloaded", async () => {
    const deleted = await adminToken.delete(`/api/v1/backups/${ready.id}`);
    expect(deleted.status()).toBe(200);
    await expectApiError(await adminToken.get(`/api/v1/backups/${ready.id}/download`), 409, "conflict");
    await expectApiError(await adminToken.delete(`/api/v1/backups/${ready.id}`), 409, "conflict");
  });
});

test.describe("the API tokens settings page", () => {
  test("an admin creates a token, copies its secret shown once, uses it, then revokes it with a confirmation", async ({
    page,
    signInAs,
    playwright,
    capture,
  }, testInfo) => {
    const name = `Settings page token ${Date.now().toString(36)}`;
    await signInAs("admin@demo.test");
    await page.goto("/settings");
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API tokens" }).click();
    await expect(page).toHaveURL(/\/settings\/api-tokens$/);

    await page.getByLabel("Token name").fill(name);
    await page.getByRole("button", { name: "Create token" }).click();
    const secretField = page.getByLabel("Your new token");
    await expect(secretField).toHaveValue(/^arch_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByText("this is the only time it is shown")).toBeVisible();
    const secret = await secretField.inputValue();
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Never");
    await capture("api-tokens-created");

    const script = await ApiActor.withToken(playwright, testInfo.project.use.baseURL!, "settings page token", secret);
    expect((await script.get("/api/v1/backups")).status()).toBe(200);

    await page.reload();
    await expect(page.getByLabel("Your new token")).toHaveCount(0);
    await expect(page.getByRole("row", { name: new RegExp(name) })).not.toContainText("Never");

    await page.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(page.getByText(`Revoke “${name}”?`)).toBeVisible();
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
    await expectApiError(await script.get("/api/v1/backups"), 401, "unauthenticated");
    await script.dispose();
  });

  test("members cannot open it", async ({ page, signInAs }) => {
    await signInAs("member@demo.test");
    const response = await page.goto("/settings/api-tokens");
    expect(response?.status()).toBe(403);
  });
});
