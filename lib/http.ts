import "server-only";
import { NextResponse } from "next/server";
import { getCaller, hasRole, type Caller } from "@/lib/auth/caller";
import type { Role } from "@/db/schema";
import { AppError, INTERNAL_ERROR_MESSAGE } from "@/lib/errors";

export function errorResponse(error: AppError): NextResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return NextResponse.json(
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
    { status: error.status, headers },
  );
}

/** Runs a route handler body, turning AppErrors into the JSON error shape and anything else into a plain 500. */
export async function handleRoute(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    console.error("Route failed", error);
    return errorResponse(new AppError("internal", INTERNAL_ERROR_MESSAGE));
  }
}

export async function requireRouteCaller(minimum: Role = "member"): Promise<Caller> {
  const caller = await getCaller();
  if (!caller) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!hasRole(caller, minimum)) throw new AppError("forbidden", "You do not have permission to do this.");
  return caller;
}
