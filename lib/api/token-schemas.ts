import { z } from "zod";

// Control characters (C0, DEL, C1) have no business in a name shown in listings and audit logs.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const API_TOKEN_NAME_MAX_LENGTH = 100;

export const apiTokenNameSchema = z
  .string({ error: "Enter a name for the token." })
  .trim()
  .min(1, "Enter a name for the token.")
  .max(API_TOKEN_NAME_MAX_LENGTH, `Use at most ${API_TOKEN_NAME_MAX_LENGTH} characters for the name.`)
  .refine((value) => !CONTROL_CHARACTERS.test(value), "The name cannot contain control characters.");

/** The JSON body of POST /api/v1/tokens: unknown fields are refused. */
export const createApiTokenBodySchema = z.object({ name: apiTokenNameSchema }).strict();

/** The same request from the settings form (Next adds its own `$ACTION…` fields, so not strict). */
export const createApiTokenFormSchema = z.object({ name: apiTokenNameSchema });

export const revokeApiTokenFormSchema = z.object({ id: z.uuid("Choose a token to revoke.") });
