import { expect, type APIRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import { DEMO_PASSWORD } from "./pages/login-page";

/** The part of Playwright's `playwright` fixture that makes HTTP clients. */
type Playwright = { request: APIRequest };

export type ApiBackup = {
  id: string;
  name: string;
  status: "in_progress" | "ready" | "failed" | "cancelled" | "expired" | "deleted";
  requestedBy: { id: string; name: string } | null;
  [key: string]: unknown;
};

/**
 * One party calling /api/v1: a signed-in session (cookie), a bearer token, or nobody. State-changing
 * session calls carry this app's Origin, as the app's own pages would; a test that wants to leave it
 * out or forge it passes its own headers.
 */
export class ApiActor {
  private constructor(
    readonly label: string,
    private readonly context: APIRequestContext,
    private readonly credentials: { kind: "session"; origin: string } | { kind: "token"; secret: string } | { kind: "none" },
  ) {}

  /** Signs in over plain HTTP, as a browser's form would: CSRF token first, then the credentials callback. */
  static async signIn(playwright: Playwright, baseURL: string, email: string): Promise<ApiActor> {
    const context = await playwright.request.newContext({ baseURL });
    const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await context.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password: DEMO_PASSWORD, callbackUrl: `${baseURL}/folders` },
      maxRedirects: 0,
    });
    expect(response.status(), `sign-in of ${email}`).toBe(302);
    const session = (await (await context.get("/api/auth/session")).json()) as { user?: { email?: string } } | null;
    expect(session?.user?.email).toBe(email);
    return new ApiActor(email, context, { kind: "session", origin: new URL(baseURL).origin });
  }

  static async withToken(playwright: Playwright, baseURL: string, label: string, secret: string): Promise<ApiActor> {
    return new ApiActor(label, await playwright.request.newContext({ baseURL }), { kind: "token", secret });
  }

  static async signedOut(playwright: Playwright, baseURL: string): Promise<ApiActor> {
    return new ApiActor("signed out", await playwright.request.newContext({ baseURL }), { kind: "none" });
  }

  private headers(changesState: boolean, extra: Record<string, string> = {}): Record<string, string> {
    const own: Record<string, string> = {};
    if (this.credentials.kind === "token") own.authorization = `Bearer ${this.credentials.secret}`;
    if (this.credentials.kind === "session" && changesState) own.origin = this.credentials.origin;
    return { ...own, ...extra };
  }

  get(path: string, headers?: Record<string, string>): Promise<APIResponse> {
    return this.context.get(path, { headers: this.headers(false, headers) });
  }

  post(path: string, data?: unknown, headers?: Record<string, string>): Promise<APIResponse> {
    return this.context.post(path, { headers: this.headers(true, headers), ...(data === undefined ? {} : { data }) });
  }

  /** A POST with a raw body and exactly the headers given (plus the credentials): for forged or malformed calls. */
  postRaw(path: string, body: string, headers: Record<string, string>): Promise<APIResponse> {
    const credentials: Record<string, string> =
      this.credentials.kind === "token" ? { authorization: `Bearer ${this.credentials.secret}` } : {};
    // A Buffer goes out byte for byte; Playwright would JSON-encode a string that is not valid JSON.
    return this.context.post(path, { headers: { ...credentials, ...headers }, data: Buffer.from(body) });
  }

  delete(path: string, headers?: Record<string, string>): Promise<APIResponse> {
    return this.context.delete(path, { headers: this.headers(true, headers) });
  }

  async requestBackup(body: Record<string, unknown>): Promise<ApiBackup> {
    const response = await this.post("/api/v1/backups", body);
    expect(response.status(), `${this.label} requests a backup: ${await response.text()}`).toBe(202);
    return ((await response.json()) as { backup: ApiBackup }).backup;
  }

  async backup(id: string): Promise<ApiBackup> {
    const response = await this.get(`/api/v1/backups/${id}`);
    expect(response.status(), `${this.label} reads backup ${id}`).toBe(200);
    return ((await response.json()) as { backup: ApiBackup }).backup;
  }

  /** Polls until the build has finished one way or the other (the next test may need the slot). */
  async waitUntilSettled(id: string): Promise<ApiBackup> {
    await expect
      .poll(async () => (await this.backup(id)).status, { timeout: 90_000, intervals: [250, 500, 1000] })
      .not.toBe("in_progress");
    return this.backup(id);
  }

  async dispose() {
    await this.context.dispose();
  }
}

export async function expectApiError(response: APIResponse, status: number, code: string, field?: string) {
  expect(response.status(), await response.text()).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/json");
  const body = (await response.json()) as { error: { code: string; message: string; field?: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
  if (field) expect(body.error.field).toBe(field);
  return body.error;
}
