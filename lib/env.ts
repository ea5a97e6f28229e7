import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));

/** `NAME=` in an .env file means "not set", not zero. */
const blankAsUnset = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString,
  PGLITE_DIR: z.string().default(".data/pglite"),
  APP_URL: z.url().default("http://localhost:3000"),
  AUTH_SECRET: optionalString,
  STORAGE_DIR: z.string().default(".data/storage"),
  // S3 or an S3-compatible server; with S3_BUCKET set it replaces the filesystem storage.
  S3_ENDPOINT: blankAsUnset(z.url().optional()),
  S3_BUCKET: optionalString,
  S3_REGION: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  OUTBOX_DIR: z.string().default(".data/outbox"),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString,
  EMAIL_FROM: z.string().default("Archivist <archivist@localhost>"),
  // Minutes between completed backups (SPEC §3 defaults); the browser tests set 0 to run several.
  BACKUP_COOLDOWN_MINUTES_WITH_FILES: z.coerce.number().min(0).default(24 * 60),
  BACKUP_COOLDOWN_MINUTES_DATA_ONLY: z.coerce.number().min(0).default(60),
  // Proxies in front of the app that append to X-Forwarded-For (lib/client-address.ts).
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).default(1),
  // How many file versions and bytes one build step packs (defaults in lib/backups/config.ts).
  BACKUP_BATCH_MAX_ENTRIES: blankAsUnset(z.coerce.number().int().positive().optional()),
  BACKUP_BATCH_MAX_BYTES: blankAsUnset(z.coerce.number().int().positive().optional()),
}).superRefine((env, context) => {
  // Half an S3 configuration would otherwise fall back to the filesystem without a word.
  const s3Variables = ["S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
  const setWithoutBucket = s3Variables.filter((name) => env[name] !== undefined);
  if (!env.S3_BUCKET && setWithoutBucket.length > 0) {
    const verb = setWithoutBucket.length === 1 ? "is" : "are";
    context.addIssue({ code: "custom", path: ["S3_BUCKET"], message: `required because ${setWithoutBucket.join(", ")} ${verb} set` });
  }
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
    context.addIssue({ code: "custom", path: ["S3_SECRET_ACCESS_KEY"], message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither" });
  }
});

export type Env = z.infer<typeof envSchema>;

/** Parsed once per process; a bad value stops start-up with the variable's name. */
export const env: Env = (() => {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
})();

/** Secret used to sign sessions; development gets a fixed one so the quick start needs no setup. */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    throw new Error("AUTH_SECRET must be set in production");
  }
  return "archivist-development-secret-not-for-production";
}
