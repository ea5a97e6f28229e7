/**
 * What the benchmark scripts share: a throwaway database and storage folder removed on every way
 * out (success, failure, Ctrl-C), the seeded scale organization, the backup build measured in a
 * child process, and plain-text tables. Figures are printed, never asserted (see README
 * "Benchmarks"): a run compares the app with a baseline measured on the same machine in the same run.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { build } from "esbuild";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { InvalidScaleOptionsError, SCALE_OWNER_EMAIL, planScale } from "@/db/seed/scale";
import { withServerNodeOptions } from "../lib/server-node-options";

export const MIB = 1024 ** 2;
export const GIB = 1024 ** 3;
/** Issue 4's benchmark organization: file versions of 256 KiB to 64 MiB each. */
export const BENCH_BLOB_BYTES = { min: 256 * 1024, max: 64 * MIB };
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
/** How the scripts run TypeScript outside Next: tsx, with `server-only` resolving to its server build. */
export const TSX_NODE_ARGS = ["--import", "tsx", "--conditions=react-server"];

const ADMIN_DATABASE_URL = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export class BenchmarkError extends Error {}

/** `--gib <G>` (a positive number of GiB, fractions allowed for a quick run) and the script's own number options. */
export function parseBenchOptions<Extra extends string = never>({
  script,
  defaultGib,
  extraNumbers,
}: {
  script: string;
  defaultGib: number;
  /** Further positive-number options, each with its usage text. */
  extraNumbers?: Record<Extra, string>;
}): { gib: number } & Partial<Record<Extra, number>> {
  const extraNames = Object.keys(extraNumbers ?? {}) as Extra[];
  const usage = [
    `Usage: npm run ${script} -- [--gib <G>]${extraNames.map((name) => ` [--${name} <N>]`).join("")}`,
    `  --gib <G>  default ${defaultGib}; fractions such as 0.25 give a quick run`,
    ...extraNames.map((name) => `  --${name} <N>  ${extraNumbers![name]}`),
  ].join("\n");
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new BenchmarkError(`--${name} must be a positive number, not "${text}".`);
    return value;
  };
  try {
    const { values }: { values: Record<string, string | boolean | undefined> } = parseArgs({
      options: {
        gib: { type: "string" },
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(extraNames.map((name) => [name, { type: "string" as const }])),
      },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const options: Record<string, number> = { gib: values.gib === undefined ? defaultGib : positive("gib", String(values.gib)) };
    for (const name of extraNames) if (values[name] !== undefined) options[name] = positive(name, String(values[name]));
    return options as { gib: number } & Partial<Record<Extra, number>>;
  } catch (error) {
    // parseArgs reports unknown options as a TypeError.
    if (error instanceof BenchmarkError || error instanceof TypeError) throw new BenchmarkError(`${error.message}\n${usage}`);
    throw error;
  }
}

/** Stops early with the install command when a tool the run needs is not on PATH. */
export function requireTools(tools: { command: string; versionFlag: string; install: string }[]) {
  for (const tool of tools) {
    const probe = spawnSync(tool.command, [tool.versionFlag], { stdio: "ignore" });
    if ((probe.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
      throw new BenchmarkError(`"${tool.command}" is not installed. On Debian: ${tool.install}`);
    }
  }
}

// ─── Throwaway workspace ──────────────────────────────────────────────────────────────────────

export type Workspace = {
  databaseUrl: string;
  workDir: string;
  storageDir: string;
  /** A connection of the benchmark's own, for reading results and progress. */
  sql: postgres.Sql;
  /** Environment for the app's processes: this database and folder, filesystem storage, in-process Inngest. */
  appEnv: NodeJS.ProcessEnv;
};

/** Children still running, and whether each leads its own process group (stopped whole). */
const runningChildren = new Map<ChildProcess, { ownGroup: boolean }>();
const cleanups: (() => Promise<void>)[] = [];
let cleaningUp: Promise<void> | undefined;

function stopChild(child: ChildProcess, signal: NodeJS.Signals) {
  const tracked = runningChildren.get(child);
  if (!tracked || !child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(tracked.ownGroup ? -child.pid : child.pid, signal);
  } catch {
    // Already gone.
  }
}

const CHILD_EXIT_GRACE_MS = 5_000;

/** Runs `undo` in cleanUp(), after the children have stopped and before what was registered earlier. */
export function onCleanUp(undo: () => Promise<void>) {
  cleanups.push(undo);
}

/** Stops every child still running and undoes what was created, newest first; safe to call twice. */
export function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    // Children go first and are waited for, so none writes into the folder while it is removed.
    await Promise.all([...runningChildren.keys()].map((child) => stopTracked(child)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error("Cleanup step failed:", error));
  })();
  return cleaningUp;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping and removing the benchmark's database and files…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/**
 * A fresh database on the test server and a temp folder for storage, outbox and temp files, both
 * removed by cleanUp(). Inngest and S3 settings from the caller's shell are dropped, so the build runs
 * in-process on the filesystem driver whose files the baseline reads.
 */
export async function createWorkspace(label: string): Promise<Workspace> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `archivist-${label}-`));
  cleanups.push(async () => fs.rmSync(workDir, { recursive: true, force: true }));
  const databaseName = `archivist_${label.replace(/\W/g, "_")}_${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = Object.assign(new URL(ADMIN_DATABASE_URL), { pathname: `/${databaseName}` }).toString();
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${databaseName}"`);
  } catch (error) {
    await admin.end({ timeout: 5 });
    throw new BenchmarkError(`Could not create a database on ${ADMIN_DATABASE_URL} (set TEST_ADMIN_DATABASE_URL): ${(error as Error).message}`);
  }
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    await admin.end({ timeout: 5 });
  });
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  cleanups.push(() => sql.end({ timeout: 5 }));

  const storageDir = path.join(workDir, "storage");
  const tempDir = path.join(workDir, "tmp");
  fs.mkdirSync(tempDir, { recursive: true });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(S3_|INNGEST_)/.test(name)));
  const appEnv: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: storageDir,
    OUTBOX_DIR: path.join(workDir, "outbox"),
    // Build segments are staged in the temp folder: inside the workspace, they go with it.
    TMPDIR: tempDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  return { databaseUrl, workDir, storageDir, sql, appEnv };
}

// ─── Child processes ──────────────────────────────────────────────────────────────────────────

/** Spawns a child that cleanUp() stops; `detached` gives it its own process group, stopped whole. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions & { detached?: boolean }): ChildProcess {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, ...options });
  runningChildren.set(child, { ownGroup: Boolean(options.detached) });
  child.once("exit", () => runningChildren.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if the child (or its group) is still there after a grace period. */
export async function stopTracked(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  stopChild(child, "SIGTERM");
  const timer = setTimeout(() => stopChild(child, "SIGKILL"), CHILD_EXIT_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to completion; its time is the wall-clock seconds from spawn to exit. */
export async function runTimed(
  command: string,
  args: string[],
  options: SpawnOptions & { describe: string },
): Promise<{ seconds: number; stdout: string }> {
  const startedAt = performance.now();
  const child = spawnTracked(command, args, { stdio: ["ignore", "pipe", "inherit"], ...options });
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const outcome = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(signal ? `stopped by ${signal}` : `exit ${code}`));
  });
  if (outcome !== "exit 0") throw new BenchmarkError(`${options.describe} failed (${outcome}).${stdout ? `\n${stdout.trim()}` : ""}`);
  return { seconds: (performance.now() - startedAt) / 1000, stdout };
}

/** Writes dirty pages out, so one phase does not pay for the previous phase's writes. */
export function flushDisks() {
  spawnSync("sync", { stdio: "ignore" });
}

// ─── The scale organization ───────────────────────────────────────────────────────────────────

export type SeededOrganization = {
  organizationId: string;
  sid: string;
  files: number;
  versions: number;
  bytes: number;
  comments: number | undefined;
  seedCommand: string;
  seedSeconds: number;
};

/**
 * The fewest files whose versions can share `totalBytes` with none above the size cap: the seed
 * spreads a total by weight, so too few versions would put more than 64 MiB in the heaviest.
 */
export function scaleFilesFor(totalBytes: number): number {
  const versionsAtMost = Math.floor(totalBytes / BENCH_BLOB_BYTES.min);
  for (let files = 1; files <= versionsAtMost; files++) {
    try {
      planScale({ files, totalBytes, blobBytes: BENCH_BLOB_BYTES });
      return files;
    } catch (error) {
      if (!(error instanceof InvalidScaleOptionsError)) throw error;
    }
  }
  throw new BenchmarkError(`No file count gives ${totalBytes} bytes in versions of ${BENCH_BLOB_BYTES.min}–${BENCH_BLOB_BYTES.max} bytes.`);
}

/**
 * Seeds "Scale Org <N>" with `totalBytes` of blobs, through the seed's own command: N is by default
 * the fewest files those bytes allow; `files` picks another N (each is an organization of its own).
 */
export async function seedScaleOrganization(
  workspace: Workspace,
  { totalBytes, comments, files = scaleFilesFor(totalBytes) }: { totalBytes: number; comments?: number; files?: number },
): Promise<SeededOrganization> {
  const plan = planScale({ files, totalBytes, blobBytes: BENCH_BLOB_BYTES });
  const seedArgs = [
    "--scale", String(files),
    "--total-bytes", String(totalBytes),
    "--blob-bytes", `${BENCH_BLOB_BYTES.min}-${BENCH_BLOB_BYTES.max}`,
    ...(comments === undefined ? [] : ["--comments", String(comments)]),
  ];
  console.log(`Seeding ${plan.organization.name}: ${files} files, ${plan.totals.versions} versions, ${formatBytes(totalBytes)}${comments ? `, ${comments.toLocaleString("en")} comments` : ""}…`);
  const { seconds } = await runTimed(process.execPath, [...TSX_NODE_ARGS, "db/seed.ts", ...seedArgs], {
    env: workspace.appEnv,
    stdio: ["ignore", "inherit", "inherit"],
    describe: "Seeding the scale organization",
  });
  return {
    organizationId: plan.organization.id,
    sid: plan.organization.sid,
    files,
    versions: plan.totals.versions,
    bytes: plan.totals.bytes,
    comments,
    seedCommand: `npm run db:seed -- ${seedArgs.join(" ")}`,
    seedSeconds: seconds,
  };
}

// ─── The build, in a child process ────────────────────────────────────────────────────────────

/** `result` is what the step returned (e.g. a batch's entries and bytes), as the runner memoized it. */
export type StepTiming = { id: string; seconds: number; peakRssMib: number | undefined; result: unknown };
export type RssSample = { atSeconds: number; rssMib: number; step: string };

export type BuildMeasurement = {
  backupId: string;
  /** From just before the request until every in-process run has finished, timed in the child. */
  buildSeconds: number;
  /** The child's VmHWM at the end: the most resident memory it ever had. */
  peakRssMib: number;
  /** Resident memory once the app's modules are loaded, before the backup is requested. */
  rssBeforeBuildMib: number;
  cpuSeconds: number;
  steps: StepTiming[];
  rssSamples: RssSample[];
  /** CPU the PostgreSQL server used during the build (ours included), when it runs on this machine. */
  postgresCpuSeconds: number | undefined;
  /** How long each of the build's queries was running, by query text, estimated from the polls. */
  databaseTime: { query: string; seconds: number; clientWaitSeconds: number }[];
  archivePath: string;
  archiveBytes: number;
  versionsCount: number;
};

const POLL_INTERVAL_MS = 100;
const QUERY_SHAPE_LENGTH = 110;
/** Enough pack-batch names for any run: Inngest allows 1,000 steps per run. */
const MAX_STEPS = 1_000;

/**
 * The runner stores step ids as Inngest hashes them (SHA-1 of the name), so the names are recovered
 * by hashing the build's step names; a step renamed since shows as its hash.
 */
function stepNamesByHash(): Map<string, string> {
  const names = ["take-snapshot", "assemble-archive", "send-ready-email", ...Array.from({ length: MAX_STEPS }, (_, index) => `pack-batch-${index + 1}`)];
  return new Map(names.map((name) => [createHash("sha1").update(name).digest("hex"), name]));
}

function readResidentMib(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat that the benchmarks read, or undefined once the process is gone. */
export function readProcessStat(pid: number): { parentPid: number; groupId: number; cpuTicks: number } | undefined {
  try {
    // Fields after the parenthesised command name, which may itself hold spaces: state is fields[0].
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ").map(Number);
    // utime, stime, and cutime, cstime: the CPU of its exited, reaped children.
    return { parentPid: fields[1]!, groupId: fields[2]!, cpuTicks: fields[11]! + fields[12]! + fields[13]! + fields[14]! };
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/**
 * CPU seconds the PostgreSQL server has used so far: the postmaster and its live processes, plus the
 * backends and parallel workers that already exited (the postmaster's reaped-children counters).
 */
function postgresCpuSeconds(postmasterPid: number): number {
  let ticks = readProcessStat(postmasterPid)?.cpuTicks ?? 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(Number(entry));
    if (stat?.parentPid === postmasterPid) ticks += stat.cpuTicks;
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** The server's postmaster when it runs on this machine (our backend's parent), for its CPU time. */
async function findLocalPostmaster(sql: postgres.Sql): Promise<number | undefined> {
  const [{ pid } = { pid: 0 }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  return readProcessStat(pid)?.parentPid;
}

type ChildReport = { backupId: string; startedAtMs: number; finishedAtMs: number; peakRssMib: number; rssBeforeBuildMib: number; cpuSeconds: number };

/**
 * Builds the organization's backup (with files) through the real build-backup function, run by the
 * in-process Inngest runner in a child process of its own so its memory can be read apart from ours.
 *
 * Step timings come from outside, by polling the runner's `inline_runs` row every 100 ms: a step's
 * result is appended to `steps` when it finishes, and the same update stamps `heartbeat_at` with the
 * child's clock, so a step seen alone in a poll gets its exact end time; steps that finished within
 * one poll of each other share the later one's time (only the email step is that short). Each step
 * starts when the previous one ended, the first when the run row was created. The same polls sample
 * the child's VmRSS, giving each step its peak, and the database's active queries
 * (pg_stat_activity), showing where the database's share of the time goes; the server's CPU time
 * (from /proc, when it runs here) shows how busy it was.
 */
/**
 * The build child compiled ahead of time, as the app's server code is in production: run through
 * tsx, the process would also carry tsx's compiler and loader thread (about 70 MiB more resident
 * memory), which is no part of the build. Written under node_modules/.cache so that the packages it
 * imports resolve from the project.
 */
async function compileBuildChild(): Promise<string> {
  const outfile = path.join(PROJECT_ROOT, "node_modules", ".cache", "archivist-bench", "build-backup-child.mjs");
  await build({
    entryPoints: [path.join(PROJECT_ROOT, "scripts/bench/build-backup-child.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    conditions: ["react-server"],
    tsconfig: path.join(PROJECT_ROOT, "tsconfig.json"),
    logLevel: "error",
  });
  return outfile;
}

export async function buildBackupInChild(workspace: Workspace, organization: SeededOrganization): Promise<BuildMeasurement> {
  const compiledChild = await compileBuildChild();
  const child = spawnTracked(process.execPath, ["--conditions=react-server", compiledChild, SCALE_OWNER_EMAIL, organization.sid], {
    env: withServerNodeOptions(workspace.appEnv),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });

  const stepEnds: { id: string; endedAtMs: number }[] = [];
  const rssSamples: { atMs: number; rssMib: number }[] = [];
  const activeQueries = new Map<string, { samples: number; clientWaitSamples: number }>();
  const postmasterPid = await findLocalPostmaster(workspace.sql);
  const postgresCpuBefore = postmasterPid ? postgresCpuSeconds(postmasterPid) : undefined;
  let polls = 0;
  let runCreatedAtMs: number | undefined;
  const recordNewSteps = (run: { ids: string[]; heartbeat_at: Date }) => {
    for (const id of run.ids.slice(stepEnds.length)) stepEnds.push({ id, endedAtMs: run.heartbeat_at.getTime() });
  };
  const pollingStartedAtMs = Date.now();
  while (child.exitCode === null && child.signalCode === null) {
    const rssMib = child.pid ? readResidentMib(child.pid) : undefined;
    const [run] = await workspace.sql<{ ids: string[]; heartbeat_at: Date; created_at: Date }[]>`
      select jsonb_path_query_array(steps, '$[*].id') as ids, heartbeat_at, created_at
      from inline_runs where function_id = 'build-backup' and phase = 'main' order by created_at limit 1`;
    // Client backends only: a parallel query's workers show the same query again.
    const active = await workspace.sql<{ query: string; wait_event: string | null }[]>`
      select query, wait_event from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and backend_type = 'client backend'`;
    polls += 1;
    for (const { query, wait_event: waitEvent } of active) {
      const shape = query.replace(/\s+/g, " ").trim().slice(0, QUERY_SHAPE_LENGTH);
      const counts = activeQueries.get(shape) ?? { samples: 0, clientWaitSamples: 0 };
      counts.samples += 1;
      // Blocked sending rows the build process has not read yet: the time is the client's.
      if (waitEvent === "ClientWrite") counts.clientWaitSamples += 1;
      activeQueries.set(shape, counts);
    }
    if (run) {
      runCreatedAtMs ??= run.created_at.getTime();
      recordNewSteps(run);
    }
    if (rssMib !== undefined) rssSamples.push({ atMs: Date.now(), rssMib });
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  const secondsPerPoll = (Date.now() - pollingStartedAtMs) / 1000 / Math.max(polls, 1);
  const postgresCpu = postmasterPid && postgresCpuBefore !== undefined ? postgresCpuSeconds(postmasterPid) - postgresCpuBefore : undefined;
  const code = await exited;
  const reportLine = stdout.trim().split("\n").findLast((line) => line.startsWith("{"));
  if (code !== 0 || !reportLine) throw new BenchmarkError(`The build process failed (exit ${code}).${stdout ? `\n${stdout.trim()}` : ""}`);
  const report = JSON.parse(reportLine) as ChildReport;

  const [backup] = await workspace.sql<{ status: string; failure_reason: string | null; storage_key: string | null; size_bytes: string | null; versions_count: number | null }[]>`
    select status, failure_reason, storage_key, size_bytes, versions_count from backups where id = ${report.backupId}`;
  if (!backup || backup.status !== "ready" || !backup.storage_key || backup.size_bytes === null) {
    throw new BenchmarkError(`The backup did not become ready: ${backup?.status ?? "missing"}${backup?.failure_reason ? ` (${backup.failure_reason})` : ""}.`);
  }

  // The last steps may finish after the final poll.
  const [finalRun] = await workspace.sql<{ ids: string[]; heartbeat_at: Date; steps: { id: string; data?: unknown }[] }[]>`
    select jsonb_path_query_array(steps, '$[*].id') as ids, heartbeat_at, steps
    from inline_runs where function_id = 'build-backup' and phase = 'main' order by created_at limit 1`;
  if (finalRun) recordNewSteps(finalRun);
  const finalSteps = finalRun?.steps ?? [];
  const runStartedAtMs = runCreatedAtMs ?? report.startedAtMs;
  const names = stepNamesByHash();
  const stepWindows = stepEnds.map(({ id, endedAtMs }, index) => ({
    id: names.get(id) ?? `step ${id.slice(0, 12)}`,
    startedAtMs: stepEnds[index - 1]?.endedAtMs ?? runStartedAtMs,
    endedAtMs,
  }));
  const stepAt = (atMs: number) => {
    if (atMs < runStartedAtMs) return "(start-up, request)";
    return stepWindows.find((window) => atMs >= window.startedAtMs && atMs < window.endedAtMs)?.id ?? "(after the run)";
  };
  const labelledSamples = rssSamples.map(({ atMs, rssMib }) => ({ atSeconds: (atMs - report.startedAtMs) / 1000, rssMib, step: stepAt(atMs) }));
  const steps = stepWindows.map(({ id, startedAtMs, endedAtMs }, index) => {
    const during = labelledSamples.filter((sample) => sample.step === id).map((sample) => sample.rssMib);
    return { id, result: finalSteps[index]?.data, seconds: (endedAtMs - startedAtMs) / 1000, peakRssMib: during.length > 0 ? Math.max(...during) : undefined };
  });
  return {
    backupId: report.backupId,
    buildSeconds: (report.finishedAtMs - report.startedAtMs) / 1000,
    peakRssMib: report.peakRssMib,
    rssBeforeBuildMib: report.rssBeforeBuildMib,
    cpuSeconds: report.cpuSeconds,
    steps,
    rssSamples: labelledSamples,
    postgresCpuSeconds: postgresCpu,
    databaseTime: [...activeQueries]
      .map(([query, counts]) => ({ query, seconds: counts.samples * secondsPerPoll, clientWaitSeconds: counts.clientWaitSamples * secondsPerPoll }))
      .sort((a, b) => b.seconds - a.seconds),
    archivePath: path.join(workspace.storageDir, backup.storage_key),
    archiveBytes: Number(backup.size_bytes),
    versionsCount: backup.versions_count ?? 0,
  };
}

// ─── Printing ─────────────────────────────────────────────────────────────────────────────────

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(2)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export const seconds = (value: number) => `${value.toFixed(2)} s`;
export const mibPerSecond = (bytes: number, elapsed: number) => `${(bytes / MIB / elapsed).toFixed(0)} MiB/s`;

const NUMBER_WITH_UNIT = /^-?[\d.,]+(\s?[A-Za-z/%]+)*( \*)?$/;

/** Columns padded to their widest cell; a number with its unit is aligned right. */
export function printTable(title: string, header: string[], rows: string[][]) {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column > 0 && NUMBER_WITH_UNIT.test(cell) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join("  ").trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

/** Labelled values, one a line, the labels padded to one width. */
export function printFacts(title: string, facts: [label: string, value: string][]) {
  const width = Math.max(...facts.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of facts) console.log(`  ${label.padEnd(width)}  ${value}`);
}

export const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** Where the numbers came from, for the README and for comparing runs. */
export function describeMachine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${formatBytes(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Other work on the machine skews every figure; the load average says how much there was. */
export function describeLoad(): string {
  return `load average ${os.loadavg().map((load) => load.toFixed(2)).join(" ")} (1, 5, 15 min) on ${os.cpus().length} cores`;
}
