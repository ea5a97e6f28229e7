import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Request bodies here are a handful of short fields; anything bigger is a mistake or an attack. */
const MAX_JSON_BODY_BYTES = 64 * 1024;

/** A JSON reply that no cache keeps (replies carry private data, and a new token's secret). */
export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): NextResponse {
  return NextResponse.json(body, { status: init.status ?? 200, headers: { "Cache-Control": "no-store", ...init.headers } });
}

/** Reads and validates a JSON body; every refusal names the field at fault when there is one. */
export async function readJsonBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.output<Schema>> {
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_JSON_BODY_BYTES) throw tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("invalid_input", "The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const field = issue.keys[0]!;
    throw new AppError("invalid_input", `Unknown field "${field}". Remove it and send the request again.`, { field });
  }
  const field = issue.path[0] === undefined ? undefined : String(issue.path[0]);
  throw new AppError("invalid_input", issue.message, field ? { field } : {});
}

const tooLarge = () => new AppError("payload_too_large", `The request body is too large (at most ${MAX_JSON_BODY_BYTES / 1024} KiB).`);
