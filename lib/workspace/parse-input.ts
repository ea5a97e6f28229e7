import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Validates input with the same schema the server action uses, so domain functions called directly
 * (by tests, by other modules) refuse bad input with the same plain-words message and change nothing.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const field = issue?.path[0];
  throw new AppError("invalid_input", issue?.message ?? "The input is not valid.", {
    field: typeof field === "string" ? field : undefined,
  });
}

/** A form checkbox ("on" when ticked, absent otherwise) or a plain boolean from code. */
export const checkboxField = z
  .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .optional()
  .transform((value) => value === true || value === "on" || value === "true");

/** An optional text field where an empty form input means "none". */
export function optionalText(max: number, label: string) {
  return z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max.toLocaleString("en-US")} characters.`)
    .optional()
    .transform((value) => value ?? "");
}

/** An optional form field whose empty value means "none": "", null and a missing field all become null. */
export function blankAsNull<Schema extends z.ZodType>(schema: Schema) {
  return z
    .preprocess((value) => (value === "" ? null : value), schema.nullable())
    .optional()
    .transform((value) => value ?? null);
}
