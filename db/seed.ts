/**
 * `npm run db:seed` loads the demo organizations; `npm run db:seed -- --scale <files>` adds a large
 * deterministic organization for benchmarks. Development and test only.
 */
import { parseArgs } from "node:util";
import { env } from "@/lib/env";
import { closeDatabase, db, migrateDatabase } from "./connection";
import { DEMO_ORGANIZATIONS, findDemo, seedDemo, type DemoSummary } from "./seed/demo";
import { InvalidScaleOptionsError, MAX_SCALE_FILES, ScaleOrganizationExistsError, seedScale, type ScaleOptions } from "./seed/scale";

const USAGE = `Usage:
  npm run db:seed                                   load the demo organizations (once)
  npm run db:seed -- --scale <files> [--total-bytes <size>] [--blob-bytes <size>-<size>] [--comments <count>]
                                                    add "Scale Org <files>" for benchmarks
<size> is a number of bytes, optionally with a unit: 512KiB, 200MiB, 5GiB.
--blob-bytes keeps every blob within a range (e.g. 256KiB-64MiB); --comments sets the organization's
exact number of comments. The same options always produce the same data.`;

class UsageError extends Error {}

const BYTE_UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

function parseByteSize(value: string, option: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const multiplier = BYTE_UNITS[(match?.[2] || "b").toLowerCase()];
  const bytes = match && multiplier ? Number(match[1]) * multiplier : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`${option} must be a positive size such as 5GiB, not "${value}".`);
  return bytes;
}

function parseByteRange(value: string): { min: number; max: number } {
  const [min, max, ...rest] = value.split("-");
  if (min === undefined || max === undefined || rest.length > 0) throw new UsageError(`--blob-bytes must be a range such as 256KiB-64MiB, not "${value}".`);
  const range = { min: parseByteSize(min, "--blob-bytes"), max: parseByteSize(max, "--blob-bytes") };
  if (range.max < range.min) throw new UsageError(`--blob-bytes must go from the smaller size to the larger, not "${value}".`);
  return range;
}

function parseCommentCount(value: string): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count)) throw new UsageError(`--comments must be a whole number, not "${value}".`);
  return count;
}

function parseFileCount(value: string): number {
  const files = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(files) || files < 1 || files > MAX_SCALE_FILES) {
    throw new UsageError(`--scale must be a whole number of files from 1 to ${MAX_SCALE_FILES}, not "${value}".`);
  }
  return files;
}

function parseCommandLine() {
  try {
    const { values } = parseArgs({
      options: {
        scale: { type: "string" },
        "total-bytes": { type: "string" },
        "blob-bytes": { type: "string" },
        comments: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    for (const option of ["total-bytes", "blob-bytes", "comments"] as const) {
      if (values[option] !== undefined && values.scale === undefined) throw new UsageError(`--${option} only applies with --scale.`);
    }
    return {
      help: values.help ?? false,
      scale: values.scale === undefined ? undefined : parseFileCount(values.scale),
      totalBytes: values["total-bytes"] === undefined ? undefined : parseByteSize(values["total-bytes"], "--total-bytes"),
      blobBytes: values["blob-bytes"] === undefined ? undefined : parseByteRange(values["blob-bytes"]),
      comments: values.comments === undefined ? undefined : parseCommentCount(values.comments),
    };
  } catch (error) {
    // parseArgs reports unknown or malformed options as a TypeError.
    if (error instanceof UsageError || error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

function printAccounts(summary: DemoSummary) {
  console.log(`Demo accounts (password "${summary.password}"):`);
  for (const account of summary.accounts) {
    console.log(`  ${account.email.padEnd(28)} ${account.role.padEnd(7)} ${DEMO_ORGANIZATIONS[account.organization].name}`);
  }
}

async function seedDemoOnce() {
  await migrateDatabase();
  const existing = await findDemo(db);
  if (existing) {
    console.log("Demo Co already exists: nothing to do.");
    printAccounts(existing);
    return;
  }
  const summary = await seedDemo(db);
  console.log("Loaded the demo organizations: Demo Co (enterprise), Other Inc (team), Free Ltd (free).");
  printAccounts(summary);
}

async function addScaleOrganization(options: ScaleOptions) {
  await migrateDatabase();
  const startedAt = Date.now();
  let lastReport = 0;
  const summary = await seedScale(db, {
    ...options,
    onProgress(done, total) {
      if (done === total || Date.now() - lastReport > 2_000) {
        lastReport = Date.now();
        console.log(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")} files`);
      }
    },
  });
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(
    `Added ${summary.name}: ${summary.files} files, ${summary.versions} versions (${summary.bytes} bytes), ` +
      `${summary.comments} comments in ${seconds} s. Owner: ${summary.ownerEmail}.`,
  );
}

async function main(): Promise<number> {
  if (env.NODE_ENV === "production") {
    console.error("Refusing to seed: NODE_ENV is production, and the demo data has public passwords.");
    return 1;
  }
  const options = parseCommandLine();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.scale === undefined) await seedDemoOnce();
  else await addScaleOrganization({ files: options.scale, totalBytes: options.totalBytes, blobBytes: options.blobBytes, comments: options.comments });
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else if (error instanceof ScaleOrganizationExistsError || error instanceof InvalidScaleOptionsError) {
    console.error(`${error.message} Nothing was changed.`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
