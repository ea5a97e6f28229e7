import "server-only";
import { findUsableApiTokenByHash, recordApiTokenUse } from "@/db/queries/api-tokens";
import { getCaller, resolveCaller, type Caller } from "@/lib/auth/caller";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { API_TOKEN_PATTERN, hashApiTokenSecret } from "./tokens";

const LAST_USED_GRANULARITY_MS = 60_000;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const invalidToken = () =>
  new AppError("unauthenticated", "The API token is not valid, or it has been revoked. Send `Authorization: Bearer <token>` with an active token.");

/** Whether the request names its credentials in an Authorization header (then the cookie is never consulted). */
export function presentsAuthorizationHeader(request: Request): boolean {
  return request.headers.has("authorization");
}

/**
 * Who is calling an /api/v1 endpoint: the user of a bearer token in the token's organization, or the
 * signed-in user in their active organization. Either way the role is read from the database now,
 * so a demoted admin's token or session loses its rights on the next call. `lookUpSession` finds the
 * signed-in user: getCaller in a route handler, nodeRequestCaller (lib/http.ts) in a Pages API route.
 */
export async function authenticateApiRequest(request: Request, lookUpSession: () => Promise<Caller | null> = getCaller): Promise<Caller> {
  if (presentsAuthorizationHeader(request)) return authenticateBearer(request.headers.get("authorization") ?? "");
  const caller = await lookUpSession();
  if (!caller) throw new AppError("unauthenticated", "Sign in, or send an API token as `Authorization: Bearer <token>`.");
  if (!SAFE_METHODS.has(request.method.toUpperCase())) assertSameOriginJsonRequest(request);
  return caller;
}

async function authenticateBearer(header: string): Promise<Caller> {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const secret = match?.[1];
  if (!secret || !API_TOKEN_PATTERN.test(secret)) throw invalidToken();
  const token = await findUsableApiTokenByHash({ tokenHash: hashApiTokenSecret(secret) });
  if (!token) throw invalidToken();
  const caller = await resolveCaller({ userId: token.userId, preferredOrganizationId: token.organizationId });
  // resolveCaller falls back to another organization when the user left this one; a token never does.
  if (!caller || caller.organization.id !== token.organizationId) throw invalidToken();
  await recordApiTokenUse({ id: token.id, usedAt: new Date(), granularityMs: LAST_USED_GRANULARITY_MS });
  return caller;
}

/**
 * A browser attaches the session cookie to requests another site makes, so a cookie-authenticated
 * call that changes something must come from our own pages (browsers always send Origin on such
 * calls) and, when it has a body, be JSON, which a plain HTML form cannot send.
 */
function assertSameOriginJsonRequest(request: Request) {
  const origin = request.headers.get("origin");
  const allowedOrigins = new Set([new URL(request.url).origin, new URL(env.APP_URL).origin]);
  if (!origin || !allowedOrigins.has(origin)) {
    throw new AppError(
      "forbidden",
      "This request changes data and must come from Archivist's own pages (the Origin header did not match). Scripts should use an API token.",
    );
  }
  if (carriesBody(request) && !isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the request body as JSON, with `Content-Type: application/json`.");
  }
}

function carriesBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return request.headers.has("transfer-encoding") || request.headers.has("content-type");
}

function isJsonContentType(header: string | null): boolean {
  return header?.split(";")[0]?.trim().toLowerCase() === "application/json";
}
