import { z } from "zod";

// Control characters (C0, DEL, C1) have no business in a name shown in emails and file listings.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const BACKUP_FORMATS = ["json", "csv"] as const;
export const CSV_ENCODINGS = ["utf-8", "utf-8-bom", "utf-16le"] as const;

const name = z
  .string({ error: "Enter a name for the backup." })
  .trim()
  .min(1, "Enter a name for the backup.")
  .max(100, "Use at most 100 characters for the name.")
  .refine((value) => !CONTROL_CHARACTERS.test(value), "The name cannot contain control characters.");

const description = z
  .string({ error: "The description must be text." })
  .trim()
  .max(1000, "Use at most 1,000 characters for the description.")
  .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), "The description cannot contain control characters.");

/** The JSON body of POST /api/v1/backups (SPEC §5): unknown fields are refused. */
export const backupRequestApiSchema = z
  .object({
    name,
    description: description.default(""),
    includeFiles: z.boolean({ error: "includeFiles must be true or false." }).default(true),
    formats: z
      .array(z.enum(BACKUP_FORMATS, { error: 'Each format must be "json" or "csv".' }), { error: 'formats must be a list of "json" and "csv".' })
      .min(1, "Choose at least one data format.")
      .default(["json", "csv"])
      .transform((formats) => BACKUP_FORMATS.filter((format) => formats.includes(format))),
    csvEncoding: z.enum(CSV_ENCODINGS, { error: 'csvEncoding must be "utf-8", "utf-8-bom" or "utf-16le".' }).default("utf-8"),
    includeBi: z.boolean({ error: "includeBi must be true or false." }).default(false),
  })
  .strict();

export type BackupRequestInput = z.output<typeof backupRequestApiSchema>;

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .optional()
  .transform((value) => value === "on" || value === "true");

/** The same request from the settings form (FormData: checkboxes are "on" or absent; Next adds its own `$ACTION…` fields). */
export const backupRequestFormSchema = z
  .object({
    name,
    description: description.optional().transform((value) => value ?? ""),
    includeFiles: checkbox,
    formats: z
      .union([z.enum(BACKUP_FORMATS), z.array(z.enum(BACKUP_FORMATS))], { error: "Choose at least one data format." })
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .transform((formats) => BACKUP_FORMATS.filter((format) => formats.includes(format))),
    csvEncoding: z.enum(CSV_ENCODINGS, { error: "Choose a CSV encoding." }).default("utf-8"),
    includeBi: checkbox,
  });
