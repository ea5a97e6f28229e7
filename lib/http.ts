import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextApiRequest, NextApiResponse } from "next";
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { getCaller, hasRole, resolveCaller, type Caller } from "@/lib/auth/caller";
import type { Role } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError, INTERNAL_ERROR_MESSAGE } from "@/lib/errors";

export function errorResponse(error: AppError): NextResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return NextResponse.json(
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
    { status: error.status, headers },
  );
}

/** AppErrors in the JSON error shape; anything else is logged and answered with a plain 500. */
function failureResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error);
  console.error("Route failed", error);
  return errorResponse(new AppError("internal", INTERNAL_ERROR_MESSAGE));
}

/** Runs a route handler body, turning AppErrors into the JSON error shape and anything else into a plain 500. */
export async function handleRoute(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    return failureResponse(error);
  }
}

/** handleRoute for a Pages API route, whose body writes the Node response itself. */
export async function handleNodeRoute(res: ServerResponse, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const response = failureResponse(error);
    res.statusCode = response.status;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.end(await response.text());
  }
}

/**
 * `lookUp` finds who is signed in: getCaller in the App Router, nodeRequestCaller in a Pages API
 * route (where auth() needs the request).
 */
export async function requireRouteCaller(minimum: Role = "member", lookUp: () => Promise<Caller | null> = getCaller): Promise<Caller> {
  const caller = await lookUp();
  if (!caller) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!hasRole(caller, minimum)) throw new AppError("forbidden", "You do not have permission to do this.");
  return caller;
}

/**
 * getCaller for a Pages API route. auth(req, res) also re-issues the session cookie on the response,
 * which getCaller never does: a response still on its way when the user signs out would set the old
 * session again (see proxy.ts). So that cookie is taken off again.
 */
export async function nodeRequestCaller(req: NextApiRequest, res: NextApiResponse): Promise<Caller | null> {
  const session = await auth(req, res);
  res.removeHeader("set-cookie");
  if (!session?.user?.id) return null;
  return resolveCaller({ userId: session.user.id, preferredOrganizationId: session.activeOrganizationId });
}

/**
 * A Node request's method, URL and headers (not its body) as a web Request, for code written for
 * route handlers. The origin is the app's own: the Host header is whatever the client chose to send.
 */
export function webRequestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  return new Request(new URL(req.url ?? "/", env.APP_URL), { method: req.method, headers });
}
