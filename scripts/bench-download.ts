/**
 * `npm run bench:download -- --gib <G> [--disk-mib-s <N>]` (issue 4, item 6): builds a backup of a
 * G GiB organization (default 1) in a throwaway database, serves it with the production build
 * (`next start`; run `npm run build` first), signs in over plain HTTP and downloads the archive on
 * loopback, discarding the bytes, alternately with reading the same file from disk. The archive
 * holds at least G GiB. Downloads are read by scripts/bench/download-client.ts, which keeps up with
 * loopback where curl does not; curl's figures are shown beside them. Also measures what loopback
 * carries at all (a server that sends as many bytes from memory, with no disk and no app) and, when
 * it is installed, nginx serving the same file with sendfile: on a virtual machine whose disk is the
 * host's page cache, these show what any server could reach. Prints a table, then one JSON line of
 * the from-disk figures; the target (HTTP ≥ 80% of disk) is in the README, not asserted.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DEMO_PASSWORD } from "@/db/seed/demo";
import { SCALE_OWNER_EMAIL, planScale } from "@/db/seed/scale";
import {
  BENCH_BLOB_BYTES,
  BenchmarkError,
  GIB,
  MIB,
  PROJECT_ROOT,
  buildBackupInChild,
  cleanUp,
  createWorkspace,
  describeLoad,
  describeMachine,
  flushDisks,
  formatBytes,
  onCleanUp,
  parseBenchOptions,
  printFacts,
  printTable,
  readProcessStat,
  requireTools,
  round,
  runTimed,
  seconds,
  scaleFilesFor,
  seedScaleOrganization,
  spawnTracked,
  stopTracked,
  TSX_NODE_ARGS,
  type Workspace,
} from "./bench/support";
import { throttleDiskReads } from "./bench/disk-throttle";
import { freePort } from "./lib/free-port";
import { withServerNodeOptions } from "./lib/server-node-options";

const ROUNDS = 3;
const READ_BUFFER_BYTES = MIB;
const SERVER_START_TIMEOUT_MS = 90_000;

/**
 * Blob bytes to seed for an archive of at least `archiveBytes`: binary blobs go in at full size while
 * text shrinks several times when deflated, so the total grows in 10% steps until the binary blobs
 * alone suffice (their share changes with the file count, so it cannot be solved for in one go).
 */
function seedBytesForArchiveOf(archiveBytes: number): number {
  for (let totalBytes = archiveBytes; totalBytes <= 100 * archiveBytes; totalBytes = Math.ceil(totalBytes * 1.1)) {
    let binaryBytes = 0;
    for (const batch of planScale({ files: scaleFilesFor(totalBytes), totalBytes, blobBytes: BENCH_BLOB_BYTES }).fileBatches) {
      for (const version of batch.versions) if (version.blob.kind === "binary") binaryBytes += version.row.sizeBytes;
    }
    if (binaryBytes >= archiveBytes) return totalBytes;
  }
  throw new BenchmarkError(`Found no organization whose binary blobs reach ${formatBytes(archiveBytes)}.`);
}


/**
 * `next start` in its own process group (it forks the server), on this workspace's database and storage.
 * NEXT_DIST_DIR picks the build (next.config.ts reads it too), so a benchmark build can sit beside another.
 */
async function startApp(workspace: Workspace) {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(PROJECT_ROOT, distDir, "BUILD_ID"))) {
    throw new BenchmarkError(`There is no production build in ${distDir}: run \`${distDir === ".next" ? "" : `NEXT_DIST_DIR=${distDir} `}npm run build\` first.`);
  }
  const port = await freePort();
  // localhost, not 127.0.0.1: Next rewrites the host and next-auth's CSRF cookie would not match.
  const baseUrl = `http://localhost:${port}`;
  const server = spawnTracked(path.join(PROJECT_ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    env: withServerNodeOptions({ ...workspace.appEnv, NEXT_DIST_DIR: distDir, NODE_ENV: "production", PORT: String(port), APP_URL: baseUrl, AUTH_SECRET: randomBytes(32).toString("hex") }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  await waitUntilServing({ server, name: "next start", url: `${baseUrl}/login` });
  return { server, baseUrl };
}

/** Waits until a server just started answers `url` with 200; fails with its output if it exits or never does. */
async function waitUntilServing({ server, name, url }: { server: ChildProcess; name: string; url: string }) {
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new BenchmarkError(`${name} exited with ${server.exitCode}:\n${output}`);
    const reply = await fetch(url, { method: "HEAD" }).catch(() => undefined);
    if (reply?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new BenchmarkError(`${name} did not serve ${url} within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${output}`);
}

/** next-auth's plain HTTP flow: CSRF token, then the credentials callback. Returns the Cookie header. */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrfReply = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfReply.json()) as { csrfToken: string };
  const cookies = csrfReply.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
  const reply = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/settings/backups` }),
  });
  const cookieHeader = [...cookies, ...reply.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!)].join("; ");
  const session = (await (await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: cookieHeader } })).json()) as { user?: { email?: string } } | null;
  if (session?.user?.email !== email) throw new BenchmarkError(`Signing in as ${email} failed (HTTP ${reply.status}).`);
  return cookieHeader;
}

type Transfer = { seconds: number; bytes: number };

/**
 * A bare node:http server that answers every request with `bytes` bytes of one reused 1 MiB buffer,
 * written as fast as the socket takes them: the most a download on this machine's loopback can reach.
 */
async function startLoopbackCeiling(bytes: number) {
  const chunk = Buffer.alloc(READ_BUFFER_BYTES);
  const server = http.createServer((_request, response) => {
    response.setHeader("Content-Length", bytes);
    let sent = 0;
    const writeMore = () => {
      while (sent < bytes) {
        const length = Math.min(chunk.length, bytes - sent);
        sent += length;
        if (!response.write(chunk.subarray(0, length))) {
          response.once("drain", writeMore);
          return;
        }
      }
      response.end();
    };
    writeMore();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanUp(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Where nginx is, if it is installed (it is optional: its figures are a reference, not the target). */
function findNginx(): string | undefined {
  for (const candidate of ["nginx", "/usr/sbin/nginx"]) {
    if (!spawnSync(candidate, ["-v"], { stdio: "ignore" }).error) return candidate;
  }
  return undefined;
}

/**
 * nginx serving the archive with sendfile (the kernel copies the file to the socket, with no copy
 * through the server's memory), in one process, on a free port: what a static file server written
 * for this job reaches on this machine, measured beside the app. Undefined when nginx is not installed.
 */
async function startNginxReference(workspace: Workspace, filePath: string): Promise<string | undefined> {
  const nginx = findNginx();
  if (!nginx) return undefined;
  const port = await freePort();
  const nginxDir = path.join(workspace.workDir, "nginx");
  fs.mkdirSync(nginxDir);
  const temp = (name: string) => `${name}_temp_path ${path.join(nginxDir, name)};`;
  const config = path.join(nginxDir, "nginx.conf");
  fs.writeFileSync(
    config,
    `daemon off; master_process off; worker_processes 1; pid ${path.join(nginxDir, "nginx.pid")}; error_log ${path.join(nginxDir, "error.log")};
events { worker_connections 16; }
http {
  access_log off; sendfile on; tcp_nopush on; ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join(" ")}
  server { listen 127.0.0.1:${port}; root ${path.dirname(filePath)}; location = /${path.basename(filePath)} { } location / { return 404; } }
}
`,
  );
  const server = spawnTracked(nginx, ["-c", config, "-p", nginxDir], { stdio: ["ignore", "ignore", "pipe"] });
  const url = `http://127.0.0.1:${port}/${path.basename(filePath)}`;
  await waitUntilServing({ server, name: "nginx", url });
  return url;
}

/** Reads the file front to back in 1 MiB reads and drops the bytes: what serving it has to beat. */
async function readFromDisk(filePath: string): Promise<Transfer> {
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const handle = await fs.promises.open(filePath);
  const startedAt = performance.now();
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BUFFER_BYTES, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { seconds: (performance.now() - startedAt) / 1000, bytes };
}

/** Drops the file's pages from the page cache (GNU dd's fadvise), so the next read comes from the disk. */
function evictFromPageCache(filePath: string) {
  const dropped = spawnSync("dd", [`if=${filePath}`, "iflag=nocache", "count=0", "status=none"], { encoding: "utf8" });
  if (dropped.status !== 0) throw new BenchmarkError(`Could not drop ${filePath} from the page cache: ${dropped.stderr || dropped.error?.message}`);
}

type HttpClient = "socket" | "curl";

/**
 * One download, its bytes dropped, timed by the client from connecting to the last byte (not the
 * client's start-up). "socket" is scripts/bench/download-client.ts, which reads faster than any server
 * here sends; curl, whose figures earlier runs reported, is kept beside it as a cross-check.
 */
async function downloadOverHttp(url: string, { cookieHeader, client = "socket" }: { cookieHeader?: string; client?: HttpClient } = {}): Promise<Transfer> {
  if (client === "socket") {
    const { stdout } = await runTimed(process.execPath, [...TSX_NODE_ARGS, path.join(PROJECT_ROOT, "scripts", "bench", "download-client.ts"), url, ...(cookieHeader ? [cookieHeader] : [])], {
      describe: `download-client ${url}`,
    });
    const { status, bytes, seconds: elapsed } = JSON.parse(stdout) as { status: number; bytes: number; seconds: number };
    if (status !== 200) throw new BenchmarkError(`The download answered HTTP ${status}.`);
    return { seconds: elapsed, bytes };
  }
  const cookieArgs = cookieHeader ? ["-H", `Cookie: ${cookieHeader}`] : [];
  const { stdout } = await runTimed("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}", ...cookieArgs, url], {
    describe: `curl ${url}`,
  });
  const [status, size, elapsed] = stdout.trim().split(" ");
  if (status !== "200") throw new BenchmarkError(`The download answered HTTP ${status}.`);
  return { seconds: Number(elapsed), bytes: Number(size) };
}

/** The highest VmHWM among the processes of a group (`next start` and the server it forks). */
function groupPeakRssMib(groupId: number): number {
  let peak = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || readProcessStat(Number(entry))?.groupId !== groupId) continue;
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"));
      if (match) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      // The process ended while we looked.
    }
  }
  return peak;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rate = (transfer: Transfer) => transfer.bytes / MIB / transfer.seconds;

async function main() {
  const { gib, "disk-mib-s": diskLimitMibPerSecond } = parseBenchOptions({
    script: "bench:download",
    defaultGib: 1,
    extraNumbers: { "disk-mib-s": "emulate a disk that reads at most N MiB/s, for both the disk reads and the server (root, cgroup v1 blkio)" },
  });
  requireTools([{ command: "curl", versionFlag: "--version", install: "apt-get update && apt-get install -y curl" }]);
  console.log(`bench:download — ${gib} GiB — ${describeMachine()}; ${describeLoad()}`);
  const workspace = await createWorkspace("bench-download");
  const organization = await seedScaleOrganization(workspace, { totalBytes: seedBytesForArchiveOf(Math.round(gib * GIB)) });
  console.log("Building the backup in a child process…");
  const build = await buildBackupInChild(workspace, organization);
  console.log(`Built ${formatBytes(build.archiveBytes)} in ${seconds(build.buildSeconds)}. Starting next start…`);
  if (diskLimitMibPerSecond !== undefined) {
    const { disk } = throttleDiskReads({ filePath: build.archivePath, mibPerSecond: diskLimitMibPerSecond });
    console.log(`Reads from disk ${disk} are throttled to ${diskLimitMibPerSecond} MiB/s for the disk reads and the server.`);
  }
  const { server, baseUrl } = await startApp(workspace);
  const cookieHeader = await signIn(baseUrl, SCALE_OWNER_EMAIL, DEMO_PASSWORD);
  const url = `${baseUrl}/settings/backups/${build.backupId}/download`;
  const loopbackUrl = await startLoopbackCeiling(build.archiveBytes);
  const nginxUrl = await startNginxReference(workspace, build.archivePath);
  if (!nginxUrl) console.log("nginx is not installed (apt-get install -y nginx-light): its reference rows are left out.");

  // Alternating rounds, so a slower stretch of the machine hits both sides; medians are reported.
  // "From disk" is taken literally: the file is dropped from the page cache before each cold read.
  // Warm reads (the file cached) are shown too: they show what the app costs over a memory copy.
  const transfers: Record<"coldDisk" | "coldHttp" | "coldCurl" | "coldNginx" | "warmDisk" | "warmHttp" | "warmNginx" | "loopback" | "loopbackCurl", Transfer[]> = {
    coldDisk: [],
    coldHttp: [],
    coldCurl: [],
    coldNginx: [],
    warmDisk: [],
    warmHttp: [],
    warmNginx: [],
    loopback: [],
    loopbackCurl: [],
  };
  flushDisks();
  for (let pass = 1; pass <= ROUNDS; pass++) {
    console.log(`Round ${pass} of ${ROUNDS}: disk and HTTP, each cold then cached, and loopback from memory…`);
    evictFromPageCache(build.archivePath);
    transfers.coldDisk.push(await readFromDisk(build.archivePath));
    evictFromPageCache(build.archivePath);
    transfers.coldHttp.push(await downloadOverHttp(url, { cookieHeader }));
    evictFromPageCache(build.archivePath);
    transfers.coldCurl.push(await downloadOverHttp(url, { cookieHeader, client: "curl" }));
    if (nginxUrl) {
      evictFromPageCache(build.archivePath);
      transfers.coldNginx.push(await downloadOverHttp(nginxUrl));
    }
    transfers.warmDisk.push(await readFromDisk(build.archivePath));
    transfers.warmHttp.push(await downloadOverHttp(url, { cookieHeader }));
    if (nginxUrl) transfers.warmNginx.push(await downloadOverHttp(nginxUrl));
    transfers.loopback.push(await downloadOverHttp(loopbackUrl));
    transfers.loopbackCurl.push(await downloadOverHttp(loopbackUrl, { client: "curl" }));
  }
  for (const transfer of Object.values(transfers).flat()) {
    if (transfer.bytes !== build.archiveBytes) throw new BenchmarkError(`Read ${transfer.bytes} bytes of a ${build.archiveBytes}-byte archive.`);
  }
  const serverPeakRssMib = server.pid ? groupPeakRssMib(server.pid) : Number.NaN;
  await stopTracked(server);

  const medianRate = (key: keyof typeof transfers) => median(transfers[key].map(rate));
  const row = (label: string, key: keyof typeof transfers) => [label, ...transfers[key].map((transfer) => `${rate(transfer).toFixed(0)} MiB/s`), `${medianRate(key).toFixed(0)} MiB/s`];
  printTable(
    `Reading the ${formatBytes(build.archiveBytes)} archive, ${ROUNDS} rounds (disk: 1 MiB reads; HTTP: on loopback, bytes dropped)`,
    ["how", ...Array.from({ length: ROUNDS }, (_, index) => `round ${index + 1}`), "median"],
    [
      row("disk, evicted from the page cache", "coldDisk"),
      row("HTTP, evicted from the page cache", "coldHttp"),
      row("  the same with curl", "coldCurl"),
      ...(nginxUrl ? [row("  nginx (sendfile) instead of the app", "coldNginx")] : []),
      row("disk, in the page cache", "warmDisk"),
      row("HTTP, in the page cache", "warmHttp"),
      ...(nginxUrl ? [row("  nginx (sendfile) instead of the app", "warmNginx")] : []),
      row("HTTP from memory, no app (loopback)", "loopback"),
      row("  the same with curl", "loopbackCurl"),
    ],
  );
  const diskMibPerSecond = medianRate("coldDisk");
  const httpMibPerSecond = medianRate("coldHttp");
  const loopbackMibPerSecond = medianRate("loopback");
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
  printFacts(`Result (${describeLoad()})`, [
    ["HTTP / disk, from disk", percent(httpMibPerSecond / diskMibPerSecond)],
    ...(nginxUrl ? [["nginx / disk, from disk (a reference server)", percent(medianRate("coldNginx") / diskMibPerSecond)] satisfies [string, string]] : []),
    ["HTTP from disk / loopback", percent(httpMibPerSecond / loopbackMibPerSecond)],
    ["loopback / disk (a server with no file to read)", percent(loopbackMibPerSecond / diskMibPerSecond)],
    ["HTTP / disk, from the page cache", percent(medianRate("warmHttp") / medianRate("warmDisk"))],
    ["download URL", "/settings/backups/<id>/download (signed-in session)"],
    ["server peak RSS (next start)", `${serverPeakRssMib.toFixed(0)} MiB`],
  ]);
  console.log(
    JSON.stringify({
      gib,
      disk_limit_mib_s: diskLimitMibPerSecond ?? null,
      disk_mib_s: round(diskMibPerSecond, 1),
      http_mib_s: round(httpMibPerSecond, 1),
      loopback_mib_s: round(loopbackMibPerSecond, 1),
      nginx_mib_s: nginxUrl ? round(medianRate("coldNginx"), 1) : null,
      ratio: round(httpMibPerSecond / diskMibPerSecond, 3),
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
