/**
 * `npm run bench:archive -- --gib <G>` (issue 4, "Proof"): seeds a deterministic organization of G
 * GiB of file versions (text, CSV and incompressible binary, 256 KiB–64 MiB each) and 200,000
 * comments in a throwaway database, builds its backup with files through the real build-backup
 * function in a child process, and measures in the same run what plain tools take for the same
 * bytes and rows: Info-ZIP `zip -r -q -1` of the blob files plus psql `COPY (SELECT …) TO STDOUT` of
 * the organization's rows. Prints tables, then one JSON line. Targets are not asserted: the README
 * lists them beside the measured figures. `--neighbour-comments <N>` first seeds another organization
 * with N comments in the same database, to show that one organization's backup does not read another's.
 */
import fs from "node:fs";
import path from "node:path";
import {
  BENCH_BLOB_BYTES,
  BenchmarkError,
  GIB,
  buildBackupInChild,
  cleanUp,
  createWorkspace,
  describeLoad,
  describeMachine,
  flushDisks,
  formatBytes,
  mibPerSecond,
  parseBenchOptions,
  printFacts,
  printTable,
  requireTools,
  round,
  runTimed,
  scaleFilesFor,
  seconds,
  seedScaleOrganization,
  type BuildMeasurement,
  type Workspace,
} from "./bench/support";
import { verifyManifestWithPython } from "./lib/verify-archive";

const COMMENTS = 200_000;
const RSS_TIMELINE_POINTS = 12;
const TOP_QUERIES = 6;

/** Every row of the organization in the tables the export reads, including the link tables it joins. */
function organizationRowQueries(organizationId: string): string[] {
  if (!/^[0-9a-f-]{36}$/.test(organizationId)) throw new Error(`Not a uuid: ${organizationId}`);
  const org = `'${organizationId}'`;
  return [
    `select * from organizations where id = ${org}`,
    `select u.* from users u join memberships m on m.user_id = u.id where m.organization_id = ${org}`,
    `select * from memberships where organization_id = ${org}`,
    `select * from teams where organization_id = ${org}`,
    `select tm.* from team_members tm join teams t on t.id = tm.team_id where t.organization_id = ${org}`,
    `select * from contacts where organization_id = ${org}`,
    `select * from folders where organization_id = ${org}`,
    `select fs.* from folder_shares fs join folders f on f.id = fs.folder_id where f.organization_id = ${org}`,
    `select * from tasks where organization_id = ${org}`,
    `select tf.* from task_folders tf join tasks t on t.id = tf.task_id where t.organization_id = ${org}`,
    `select ta.* from task_assignees ta join tasks t on t.id = ta.task_id where t.organization_id = ${org}`,
    `select tl.* from time_logs tl join tasks t on t.id = tl.task_id where t.organization_id = ${org}`,
    `select * from files where organization_id = ${org}`,
    `select v.* from file_versions v join files f on f.id = v.file_id where f.organization_id = ${org}`,
    `select r.* from recipients r join files f on f.id = r.file_id where f.organization_id = ${org}`,
    `select * from comments where organization_id = ${org}`,
  ];
}

/** COPY's text format writes one line per row (newlines inside values are escaped), so lines are rows. */
async function countLines(filePath: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1024 * 1024 })) {
    for (let index = (chunk as Buffer).indexOf(10); index !== -1; index = (chunk as Buffer).indexOf(10, index + 1)) lines++;
  }
  return lines;
}

/** The folder holding the organization's blobs, read from their storage keys (one folder on the filesystem driver). */
async function blobFolder(workspace: Workspace, organizationId: string): Promise<string> {
  const rows = await workspace.sql<{ folder: string }[]>`
    select distinct regexp_replace(v.storage_key, '/[^/]+$', '') as folder
    from file_versions v join files f on f.id = v.file_id where f.organization_id = ${organizationId}`;
  if (rows.length !== 1) throw new BenchmarkError(`Expected the organization's blobs in one folder, found ${rows.length}.`);
  return path.join(workspace.storageDir, rows[0]!.folder);
}

async function measureBaseline(workspace: Workspace, organizationId: string) {
  const zipPath = path.join(workspace.workDir, "baseline.zip");
  flushDisks();
  const zip = await runTimed("zip", ["-r", "-q", "-1", zipPath, "."], { cwd: await blobFolder(workspace, organizationId), describe: "zip of the blobs" });
  const zipBytes = fs.statSync(zipPath).size;
  fs.rmSync(zipPath);

  const copyPath = path.join(workspace.workDir, "baseline-copy.txt");
  const output = fs.openSync(copyPath, "w");
  flushDisks();
  const copyArgs = organizationRowQueries(organizationId).flatMap((query) => ["-c", `COPY (${query}) TO STDOUT`]);
  const copy = await runTimed("psql", [workspace.databaseUrl, "-X", "-q", "-v", "ON_ERROR_STOP=1", ...copyArgs], {
    stdio: ["ignore", output, "inherit"],
    describe: "psql COPY of the organization's rows",
  }).finally(() => fs.closeSync(output));
  const copyBytes = fs.statSync(copyPath).size;
  const rows = await countLines(copyPath);
  fs.rmSync(copyPath);
  return { zipSeconds: zip.seconds, zipBytes, copySeconds: copy.seconds, copyBytes, rows };
}

async function verifyArchive(archivePath: string) {
  const { seconds: elapsed, stdout } = await runTimed("unzip", ["-tq", archivePath], { describe: `unzip -tq ${archivePath}` });
  // A second, independent reader: Python's zipfile re-reads every entry against the manifest's sha256.
  const pythonStarted = performance.now();
  verifyManifestWithPython(archivePath);
  return { seconds: elapsed, verdict: stdout.trim(), pythonSeconds: (performance.now() - pythonStarted) / 1000 };
}

function stepData(step: BuildMeasurement["steps"][number]): { bytes?: number; entries?: number } {
  const result = step.result as { bytes?: unknown; entries?: unknown } | null | undefined;
  return {
    bytes: typeof result?.bytes === "number" ? result.bytes : undefined,
    entries: typeof result?.entries === "number" ? result.entries : undefined,
  };
}

const formatMib = (value: number | undefined) => (value === undefined ? "" : `${value.toFixed(0)} MiB`);

function printBuild(build: BuildMeasurement, exportedRows: number, blobBytes: number) {
  const rows = build.steps.map((step) => {
    const { bytes, entries } = stepData(step);
    const share = `${((step.seconds / build.buildSeconds) * 100).toFixed(0)}%`;
    if (step === build.steps[0]) {
      return [step.id, seconds(step.seconds), share, `${exportedRows.toLocaleString("en")} rows`, `${Math.round(exportedRows / step.seconds).toLocaleString("en")} rows/s`, formatMib(step.peakRssMib)];
    }
    const amount = bytes === undefined ? "" : `${formatBytes(bytes)}${entries === undefined ? "" : `, ${entries} versions`}`;
    return [step.id, seconds(step.seconds), share, amount, bytes === undefined ? "" : mibPerSecond(bytes, step.seconds), formatMib(step.peakRssMib)];
  });
  const stepsSeconds = build.steps.reduce((total, step) => total + step.seconds, 0);
  rows.push(["(request, runner, exit)", seconds(build.buildSeconds - stepsSeconds), "", "", "", ""]);
  rows.push(["whole build", seconds(build.buildSeconds), "100%", formatBytes(blobBytes), mibPerSecond(blobBytes, build.buildSeconds), `${formatMib(build.peakRssMib)} (VmHWM)`]);
  printTable(
    `Build in a child process: ${seconds(build.buildSeconds)} wall; CPU ${seconds(build.cpuSeconds)} in the build process, ` +
      `${build.postgresCpuSeconds === undefined ? "n/a" : seconds(build.postgresCpuSeconds)} in PostgreSQL; RSS ${build.rssBeforeBuildMib.toFixed(0)} MiB before the request`,
    ["step", "time", "share", "data", "throughput", "peak RSS"],
    rows,
  );
}

function printRssTimeline(build: BuildMeasurement) {
  const samples = build.rssSamples;
  if (samples.length === 0) return;
  const every = Math.max(1, Math.floor(samples.length / RSS_TIMELINE_POINTS));
  const picked = samples.filter((_, index) => index % every === 0);
  const peak = samples.reduce((highest, sample) => (sample.rssMib > highest.rssMib ? sample : highest));
  if (!picked.includes(peak)) picked.push(peak);
  picked.sort((a, b) => a.atSeconds - b.atSeconds);
  printTable(
    "Resident memory of the build process over time (sampled every 100 ms; * = highest sample)",
    ["t", "RSS", "step"],
    picked.map((sample) => [seconds(sample.atSeconds), `${sample.rssMib.toFixed(0)} MiB${sample === peak ? " *" : ""}`, sample.step]),
  );
}

function printDatabaseTime(build: BuildMeasurement) {
  const top = build.databaseTime.slice(0, TOP_QUERIES);
  if (top.length === 0) return;
  printTable(
    `The build's queries by time running (pg_stat_activity sampled every 100 ms; top ${TOP_QUERIES}; "client" = blocked until the build process reads)`,
    ["≈ running", "client", "query (start)"],
    top.map((entry) => [seconds(entry.seconds), seconds(entry.clientWaitSeconds), entry.query]),
  );
}

/** Bytes per file of the neighbouring organization: a few versions of the smallest blobs each. */
const NEIGHBOUR_BYTES_PER_FILE = 8 * BENCH_BLOB_BYTES.min;

/**
 * Another organization with `comments` comments and few bytes, seeded first, so that the backup is
 * built in a database it shares, as in production, where its snapshot should take as long as alone.
 * Its scale (files) is one above the measured organization's, which makes it an organization of its own.
 */
function seedNeighbour(workspace: Workspace, { comments, measuredBytes }: { comments: number; measuredBytes: number }) {
  const files = scaleFilesFor(measuredBytes) + 1;
  return seedScaleOrganization(workspace, { totalBytes: files * NEIGHBOUR_BYTES_PER_FILE, comments, files });
}

async function main() {
  const { gib, "neighbour-comments": neighbourComments } = parseBenchOptions({
    script: "bench:archive",
    defaultGib: 2,
    extraNumbers: { "neighbour-comments": "first seed another organization with N comments in the same database (a shared database: the backup must not read them)" },
  });
  requireTools([
    { command: "zip", versionFlag: "-v", install: "apt-get update && apt-get install -y zip" },
    { command: "unzip", versionFlag: "-v", install: "apt-get update && apt-get install -y unzip" },
    { command: "psql", versionFlag: "--version", install: "apt-get update && apt-get install -y postgresql-client" },
  ]);
  console.log(`bench:archive — ${gib} GiB, ${COMMENTS.toLocaleString("en")} comments — ${describeMachine()}; ${describeLoad()}`);
  const workspace = await createWorkspace("bench-archive");
  const measuredBytes = Math.round(gib * GIB);
  const neighbour = neighbourComments ? await seedNeighbour(workspace, { comments: Math.round(neighbourComments), measuredBytes }) : undefined;
  const organization = await seedScaleOrganization(workspace, { totalBytes: measuredBytes, comments: COMMENTS });

  console.log("Building the backup (with files) in a child process…");
  flushDisks();
  const build = await buildBackupInChild(workspace, organization);
  console.log("Checking the archive with unzip -tq and Python's zipfile…");
  const verification = await verifyArchive(build.archivePath);
  console.log("Measuring the baseline: zip -r -q -1 of the blobs, then psql COPY of the rows…");
  const baseline = await measureBaseline(workspace, organization.organizationId);
  const baselineSeconds = baseline.zipSeconds + baseline.copySeconds;
  // Rows per second of the export: the organization's rows (counted by the baseline's COPY, which
  // reads the same tables) over the build's first step, take-snapshot, which reads them and writes
  // the JSON, CSV and versions/ entries into the archive's data segment.
  const snapshotSeconds = build.steps[0]?.seconds;
  const rowsPerSecond = snapshotSeconds ? baseline.rows / snapshotSeconds : Number.NaN;

  if (neighbour) console.log(`\nIn the same database, a neighbouring organization: ${neighbour.seedCommand} (${seconds(neighbour.seedSeconds)})`);
  console.log(`${neighbour ? "" : "\n"}Seeded with: ${organization.seedCommand} (${seconds(organization.seedSeconds)})`);
  console.log(`Batches: BACKUP_BATCH_MAX_ENTRIES=${process.env.BACKUP_BATCH_MAX_ENTRIES ?? "default"}, BACKUP_BATCH_MAX_BYTES=${process.env.BACKUP_BATCH_MAX_BYTES ?? "default"}`);
  printBuild(build, baseline.rows, organization.bytes);
  printRssTimeline(build);
  printDatabaseTime(build);
  printTable("Baseline, same run", ["tool", "time", "input", "output", "throughput"], [
    [`zip -r -q -1 (${organization.versions} blobs)`, seconds(baseline.zipSeconds), formatBytes(organization.bytes), formatBytes(baseline.zipBytes), mibPerSecond(organization.bytes, baseline.zipSeconds)],
    [`psql COPY (${baseline.rows.toLocaleString("en")} rows)`, seconds(baseline.copySeconds), `${baseline.rows.toLocaleString("en")} rows`, formatBytes(baseline.copyBytes), `${Math.round(baseline.rows / baseline.copySeconds).toLocaleString("en")} rows/s`],
    ["baseline total", seconds(baselineSeconds), "", "", ""],
  ]);
  printFacts(`Result (${describeLoad()})`, [
    ["build / baseline", `${(build.buildSeconds / baselineSeconds).toFixed(2)} (${seconds(build.buildSeconds)} / ${seconds(baselineSeconds)})`],
    ["peak RSS of the build process", `${build.peakRssMib.toFixed(0)} MiB`],
    ["snapshot step rows/s", Math.round(rowsPerSecond).toLocaleString("en")],
    ["archive", `${formatBytes(build.archiveBytes)} (${build.archiveBytes} bytes), ${build.versionsCount} versions; baseline zip ${formatBytes(baseline.zipBytes)}`],
    ["unzip -tq", `${verification.verdict} (${seconds(verification.seconds)})`],
    ["Python zipfile", `every entry matches the manifest's size and sha256 (${seconds(verification.pythonSeconds)})`],
  ]);
  console.log(
    JSON.stringify({
      gib,
      build_s: round(build.buildSeconds, 2),
      baseline_s: round(baselineSeconds, 2),
      ratio: round(build.buildSeconds / baselineSeconds, 3),
      peak_rss_mib: round(build.peakRssMib, 1),
      rows_per_s: Math.round(rowsPerSecond),
      archive_bytes: build.archiveBytes,
      ...(neighbour && { neighbour_comments: neighbour.comments }),
    }),
  );
}

try {
  await main();
} catch (error) {
  console.error(error instanceof BenchmarkError ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
