import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getCaller, hasRole, type Caller } from "@/lib/auth/caller";
import type { Role } from "@/db/schema";
import { AppError, INTERNAL_ERROR_MESSAGE } from "@/lib/errors";
import { formDataToObject, type ActionOutcome, type ActionState } from "@/lib/action-state";

type ActionOptions<Schema extends z.ZodType> = {
  schema: Schema;
  /** Lowest role in the active organization allowed to run the action (checked against the database). */
  role: Role;
  /** Further rules that need the caller, e.g. the organization's plan; return a message to refuse. */
  refuse?: (caller: Caller) => string | undefined;
  run: (input: z.output<Schema>, caller: Caller) => Promise<string | void | ActionOutcome>;
};

/**
 * The one way to write a server action: validate → signed in → role from the database → run.
 * Returns a state for useActionState that echoes what was typed, so a refused form keeps its input.
 */
export function authorizedAction<Schema extends z.ZodType>(options: ActionOptions<Schema>) {
  return (_previous: ActionState, formData: FormData) =>
    runAction(options.schema, formData, async (input) => {
      const caller = await getCaller();
      if (!caller) throw new AppError("unauthenticated", "Your session has ended. Please sign in again.");
      if (!hasRole(caller, options.role)) throw new AppError("forbidden", "You do not have permission to do this.");
      const refusal = options.refuse?.(caller);
      if (refusal) throw new AppError("forbidden", refusal);
      return options.run(input, caller);
    });
}

/** For the few actions a signed-out visitor may run (signing in): validation and error handling only. */
export function publicAction<Schema extends z.ZodType>(options: {
  schema: Schema;
  run: (input: z.output<Schema>) => Promise<string | void>;
}) {
  return (_previous: ActionState, formData: FormData) => runAction(options.schema, formData, options.run);
}

async function runAction<Schema extends z.ZodType>(
  schema: Schema,
  formData: FormData,
  run: (input: z.output<Schema>) => Promise<string | void | ActionOutcome>,
): Promise<ActionState> {
  const raw = formDataToObject(formData);
  const fields = echoFields(raw);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      fieldErrors[key] ??= issue.message;
    }
    return { status: "error", error: "Please correct the fields marked below.", fieldErrors, fields };
  }
  try {
    const outcome = await run(parsed.data);
    if (typeof outcome === "object") return { status: "success", message: outcome.message, data: outcome.data };
    return { status: "success", message: outcome ?? undefined };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) {
      return {
        status: "error",
        error: error.message,
        fieldErrors: error.field ? { [error.field]: error.message } : undefined,
        fields,
      };
    }
    console.error("Server action failed", error);
    return { status: "error", error: INTERNAL_ERROR_MESSAGE, fields };
  }
}

function echoFields(raw: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string" && !key.startsWith("$") && !/password/i.test(key)) fields[key] = value;
  }
  return fields;
}
