/**
 * Crash test of the backup build (issue: "resumable after a crash"): a build is started in a child
 * process; at the moment it is first killed its database and storage are cloned; the original is
 * then resumed and killed with SIGKILL at random points again and again, the clone resumed once
 * without interruption. Both must end `ready` with byte-identical, valid archives. The storage is a
 * folder or an S3 bucket, whichever the children's environment selects (lib/storage).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import postgres from "postgres";
import { backupArchiveKey } from "../../lib/backups/storage-keys";
import { verifyManifestWithPython } from "./verify-archive";

/** The variables by which lib/env.ts selects and reaches an S3 bucket. */
export type S3Variables = { S3_BUCKET: string; S3_ENDPOINT?: string; S3_REGION?: string; S3_ACCESS_KEY_ID?: string; S3_SECRET_ACCESS_KEY?: string };

/** Where the blobs and archives live: a folder (STORAGE_DIR) or a bucket (S3_*). */
export type CrashTestStorage = { kind: "filesystem"; dir: string } | { kind: "s3"; env: S3Variables };

const S3_VARIABLE_NAMES = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

/** The storage an environment selects, by lib/storage's rule: the bucket when S3_BUCKET is set. */
export function crashTestStorageFromEnv(env: NodeJS.ProcessEnv): CrashTestStorage {
  const bucket = env.S3_BUCKET?.trim();
  if (bucket) {
    const variables = Object.fromEntries(S3_VARIABLE_NAMES.flatMap((name) => (env[name]?.trim() ? [[name, env[name].trim()]] : [])));
    return { kind: "s3", env: { ...variables, S3_BUCKET: bucket } };
  }
  if (!env.STORAGE_DIR) throw new Error("Neither S3_BUCKET nor STORAGE_DIR is set: no storage to crash-test");
  return { kind: "filesystem", dir: env.STORAGE_DIR };
}

/**
 * `base` with its storage variables replaced by the given storage's: an S3_* variable left over from
 * the shell would otherwise send a filesystem run's children to a bucket.
 */
export function storageEnvironment(storage: CrashTestStorage, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const environment = { ...base };
  for (const name of [...S3_VARIABLE_NAMES, "STORAGE_DIR"]) delete environment[name];
  return storage.kind === "filesystem" ? { ...environment, STORAGE_DIR: storage.dir } : { ...environment, ...storage.env };
}

export type CrashTestOptions = {
  /** Server holding the databases, e.g. postgres://postgres@127.0.0.1:5432/postgres. */
  adminUrl: string;
  /** A migrated database with the organization to back up, and the storage of its blobs. */
  databaseName: string;
  storage: CrashTestStorage;
  requesterEmail: string;
  kills: number;
  /** Random kill delays are drawn between these (ms after the child starts). */
  killAfterMs: { min: number; max: number };
  /** Extra environment for the children (batch size, cooldowns). */
  env?: Record<string, string>;
  seed?: number;
  log?: (line: string) => void;
};

export type CrashTestResult = {
  backupId: string;
  kills: { afterMs: number; stepsDone: number; status: string }[];
  interruptedSha256: string;
  referenceSha256: string;
  archiveBytes: number;
  entries: number;
};

const CHILD_SCRIPTS = { request: "test/support/request-backup-in-child.ts", resume: "test/support/resume-inline-runs.ts" };

function databaseUrl(adminUrl: string, name: string) {
  return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
}

function startChild(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
}

/** A small deterministic generator, so a failing run can be repeated with the same kill points. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

async function backupState(sql: postgres.Sql, backupId: string) {
  const [row] = await sql<{ status: string; sha256: string | null; size_bytes: string | null; steps: number | null }[]>`
    select b.status, b.sha256, b.size_bytes, (select jsonb_array_length(r.steps) from inline_runs r where r.event -> 'data' ->> 'backupId' = ${backupId} and r.phase = 'main' order by r.created_at desc limit 1) as steps
    from backups b where b.id = ${backupId}`;
  return row!;
}

async function cloneDatabase(admin: postgres.Sql, source: string, target: string) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.unsafe(`create database "${target}" template "${source}"`);
      return;
    } catch (error) {
      // A killed child's session can take a moment to disappear from the server.
      if (attempt > 50 || !String((error as Error).message).includes("being accessed by other users")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function s3Client(variables: S3Variables) {
  const credentials =
    variables.S3_ACCESS_KEY_ID && variables.S3_SECRET_ACCESS_KEY ? { accessKeyId: variables.S3_ACCESS_KEY_ID, secretAccessKey: variables.S3_SECRET_ACCESS_KEY } : undefined;
  // Path-style addresses and no checksums the server may not know, as lib/storage/s3.ts talks to it.
  return new S3Client({ region: variables.S3_REGION ?? "us-east-1", endpoint: variables.S3_ENDPOINT, credentials, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
}

async function withS3Client<T>(variables: S3Variables, use: (client: S3Client) => Promise<T>): Promise<T> {
  const client = s3Client(variables);
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

/** Where the reference build's copy of `storage` goes; nothing is created yet. */
function referenceStorageFor(storage: CrashTestStorage, workDir: string): CrashTestStorage {
  if (storage.kind === "filesystem") return { kind: "filesystem", dir: path.join(workDir, "reference-storage") };
  // Bucket names are at most 63 characters and, on AWS, unique across all accounts.
  const bucket = `${storage.env.S3_BUCKET.slice(0, 45)}-ref-${randomBytes(6).toString("hex")}`;
  return { kind: "s3", env: { ...storage.env, S3_BUCKET: bucket } };
}

async function copyStorage(source: CrashTestStorage, target: CrashTestStorage) {
  if (source.kind === "filesystem" && target.kind === "filesystem") {
    fs.cpSync(source.dir, target.dir, { recursive: true });
    return;
  }
  if (source.kind !== "s3" || target.kind !== "s3") throw new Error(`cannot copy ${source.kind} storage to ${target.kind} storage`);
  const region = target.env.S3_REGION ?? "us-east-1";
  await withS3Client(target.env, async (client) => {
    // Outside us-east-1, AWS requires the region to be named again on creation.
    const location = region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint };
    await client.send(new CreateBucketCommand({ Bucket: target.env.S3_BUCKET, CreateBucketConfiguration: location }));
    // Copied by the server; CopyObject takes objects up to 5 GiB, more than any blob or segment.
    for await (const page of paginateListObjectsV2({ client }, { Bucket: source.env.S3_BUCKET })) {
      for (const { Key } of page.Contents ?? []) {
        await client.send(new CopyObjectCommand({ Bucket: target.env.S3_BUCKET, Key, CopySource: encodeURI(`${source.env.S3_BUCKET}/${Key}`) }));
      }
    }
  });
}

async function removeStorage(storage: CrashTestStorage) {
  if (storage.kind === "filesystem") {
    fs.rmSync(storage.dir, { recursive: true, force: true });
    return;
  }
  const bucket = storage.env.S3_BUCKET;
  await withS3Client(storage.env, async (client) => {
    try {
      // Always the first page again: a continuation token may not survive the deletions it spans.
      for (;;) {
        const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        if (Contents.length === 0) break;
        const { Errors = [] } = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: Contents.map(({ Key }) => ({ Key })) } }));
        if (Errors.length > 0) throw new Error(`could not delete ${Errors.length} objects of bucket ${bucket}: ${Errors[0]?.Code} ${Errors[0]?.Message}`);
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // The run failed before the bucket was made.
      if (!(error instanceof S3ServiceException && error.name === "NoSuchBucket")) throw error;
    }
  });
}

/** unzip -t, every manifest sha256 (Python's zipfile), the archive's sha256, size and entries. */
function verifyArchiveFile(file: string) {
  execFileSync("unzip", ["-tq", file], { maxBuffer: 64 * 1024 * 1024 });
  const hash = createHash("sha256");
  const descriptor = fs.openSync(file, "r");
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  for (let read; (read = fs.readSync(descriptor, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
  fs.closeSync(descriptor);
  const entries = execFileSync("unzip", ["-Z1", file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim().split("\n");
  verifyManifestWithPython(file);
  return { sha256: hash.digest("hex"), bytes: fs.statSync(file).size, entries: entries.length, duplicateEntries: entries.length - new Set(entries).size };
}

/** Verifies the backup's archive where it lies, or, from a bucket, in a temporary download. */
async function verifyArchive(storage: CrashTestStorage, backupId: string, workDir: string) {
  const key = backupArchiveKey(backupId);
  if (storage.kind === "filesystem") return verifyArchiveFile(path.join(storage.dir, ...key.split("/")));
  const file = path.join(workDir, `${storage.env.S3_BUCKET}.zip`);
  try {
    await withS3Client(storage.env, async (client) => {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: storage.env.S3_BUCKET, Key: key }));
      if (!(Body instanceof Readable)) throw new Error(`the archive ${key} in bucket ${storage.env.S3_BUCKET} came back without a readable body`);
      await pipeline(Body, fs.createWriteStream(file));
    });
    return verifyArchiveFile(file);
  } finally {
    // Archives of the large crash test are gigabytes; the second must not need room for the first.
    fs.rmSync(file, { force: true });
  }
}

export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestResult> {
  const log = options.log ?? (() => {});
  const next = random(options.seed ?? Date.now());
  const admin = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  const cloneName = `${options.databaseName}_ref`;
  // The reference's folder storage, the outboxes and downloaded archives.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-crash-harness-"));
  const referenceStorage = referenceStorageFor(options.storage, workDir);
  const envFor = (name: string, storage: CrashTestStorage): NodeJS.ProcessEnv => ({
    ...storageEnvironment(storage, { ...process.env, ...options.env }),
    DATABASE_URL: databaseUrl(options.adminUrl, name),
    OUTBOX_DIR: path.join(workDir, `outbox-${name}`),
    // A killed build cannot remove its temporary segment files: they go in the work folder, removed at the end.
    TMPDIR: workDir,
  });
  const original = postgres(databaseUrl(options.adminUrl, options.databaseName), { max: 1, onnotice: () => {} });
  let reference: postgres.Sql | undefined;
  try {
    // 1. Start the build and kill it the first time, at a random point after its snapshot.
    const requester = startChild(CHILD_SCRIPTS.request, [options.requesterEmail], envFor(options.databaseName, options.storage));
    let output = "";
    requester.stdout!.on("data", (chunk) => (output += chunk));
    requester.stderr!.on("data", (chunk) => (output += chunk));
    const backupId = await new Promise<string>((resolve, reject) => {
      requester.stdout!.on("data", () => {
        const line = output.split("\n").find((candidate) => candidate.startsWith('{"backupId"'));
        if (line) resolve((JSON.parse(line) as { backupId: string }).backupId);
      });
      requester.once("exit", () => reject(new Error(`the build could not be requested:\n${output}`)));
    });
    for (;;) {
      const state = await backupState(original, backupId);
      if (state.status !== "in_progress") throw new Error(`the build ended (${state.status}) before it could be interrupted; use smaller batches or more data`);
      if ((state.steps ?? 0) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, next() * options.killAfterMs.min));
    requester.kill("SIGKILL");
    await exited(requester);
    const kills: CrashTestResult["kills"] = [];
    const first = await backupState(original, backupId);
    kills.push({ afterMs: 0, stepsDone: first.steps ?? 0, status: first.status });
    log(`killed the first build after ${first.steps} steps; cloning its database and storage`);

    // 2. The same state twice: the clone is resumed once, without interruption, as the reference.
    await original.end({ timeout: 5 });
    await cloneDatabase(admin, options.databaseName, cloneName);
    await copyStorage(options.storage, referenceStorage);

    // 3. The original is resumed and killed at random points until it finishes or the kills run out.
    const interrupted = postgres(databaseUrl(options.adminUrl, options.databaseName), { max: 1, onnotice: () => {} });
    try {
      for (let kill = 1; kill < options.kills; kill += 1) {
        const child = startChild(CHILD_SCRIPTS.resume, [], envFor(options.databaseName, options.storage));
        const afterMs = Math.round(options.killAfterMs.min + next() * (options.killAfterMs.max - options.killAfterMs.min));
        const finished = await Promise.race([exited(child).then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), afterMs))]);
        if (!finished) {
          child.kill("SIGKILL");
          await exited(child);
        }
        const state = await backupState(interrupted, backupId);
        kills.push({ afterMs: finished ? -1 : afterMs, stepsDone: state.steps ?? 0, status: state.status });
        log(`resume ${kill}: ${finished ? "ran to the end" : `killed after ${afterMs} ms`} at ${state.steps} steps (${state.status})`);
        if (state.status !== "in_progress") break;
      }
      const last = await backupState(interrupted, backupId);
      if (last.status === "in_progress") {
        const child = startChild(CHILD_SCRIPTS.resume, [], envFor(options.databaseName, options.storage));
        await exited(child);
      }
      const final = await backupState(interrupted, backupId);
      if (final.status !== "ready") throw new Error(`the interrupted build ended ${final.status}`);
    } finally {
      await interrupted.end({ timeout: 5 });
    }

    const referenceChild = startChild(CHILD_SCRIPTS.resume, [], envFor(cloneName, referenceStorage));
    await exited(referenceChild);
    reference = postgres(databaseUrl(options.adminUrl, cloneName), { max: 1, onnotice: () => {} });
    const referenceState = await backupState(reference, backupId);
    if (referenceState.status !== "ready") throw new Error(`the reference build ended ${referenceState.status}`);

    const interruptedArchive = await verifyArchive(options.storage, backupId, workDir);
    const referenceArchive = await verifyArchive(referenceStorage, backupId, workDir);
    if (interruptedArchive.duplicateEntries > 0) throw new Error(`the interrupted archive repeats ${interruptedArchive.duplicateEntries} entries`);
    return {
      backupId,
      kills,
      interruptedSha256: interruptedArchive.sha256,
      referenceSha256: referenceArchive.sha256,
      archiveBytes: interruptedArchive.bytes,
      entries: interruptedArchive.entries,
    };
  } finally {
    await reference?.end({ timeout: 5 });
    await original.end({ timeout: 5 }).catch(() => undefined);
    await admin.unsafe(`drop database if exists "${cloneName}" with (force)`).catch(() => undefined);
    await admin.end({ timeout: 5 });
    // Not thrown: it would hide the error that ended the run, if one did.
    await removeStorage(referenceStorage).catch((error: unknown) => log(`could not remove the reference storage: ${String(error)}`));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
