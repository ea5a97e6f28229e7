import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/connection";
import { comments, fileVersions, files, folders, memberships, organizations, taskFolders, tasks, users, type Task } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { fileVersionKey, storage } from "@/lib/storage";
import { DEMO_PASSWORD } from "./demo";

/**
 * A large organization for load and backup benchmarks. Everything in it — ids, uids, names,
 * timestamps, blob contents — is a pure function of the file count, so two databases seeded with
 * the same count hold the same data and a benchmark can be repeated exactly.
 */

export const SCALE_OWNER_EMAIL = "scale-owner@demo.test";
export const MAX_SCALE_FILES = 10_000_000;

export type ScaleOptions = {
  files: number;
  /** Bytes of every version's blob together, spread unevenly over the versions. Default: 0.5–8 KiB per blob. */
  totalBytes?: number;
  /** Bounds every blob's size (inclusive), with or without a total; benchmarks ask for 256 KiB–64 MiB. */
  blobBytes?: { min: number; max: number };
  /** Exactly this many comments in the organization: discussion threads are added to those drawn with the rows. */
  comments?: number;
};

export type BlobKind = "text" | "csv" | "binary";
/** Enough to regenerate a blob's bytes, so the plan never holds contents. */
export type BlobSpec = { kind: BlobKind; sizeBytes: number; seed: string };

type OrganizationInsert = typeof organizations.$inferInsert & { id: string; sid: string; name: string };
type FolderInsert = typeof folders.$inferInsert & { id: string };
type TaskInsert = typeof tasks.$inferInsert & { id: string };
type FileInsert = typeof files.$inferInsert & { id: string };
type CommentInsert = typeof comments.$inferInsert & { id: string };
export type PlannedVersion = {
  row: Omit<typeof fileVersions.$inferInsert, "sha256"> & { id: string; uid: string; storageKey: string; sizeBytes: number };
  blob: BlobSpec;
};

export type ScaleFileBatch = { files: FileInsert[]; versions: PlannedVersion[]; comments: CommentInsert[] };

export type ScalePlan = {
  organization: OrganizationInsert;
  owner: { id: string; uid: string; name: string; email: string };
  folders: FolderInsert[];
  tasks: TaskInsert[];
  taskFolders: (typeof taskFolders.$inferInsert)[];
  taskComments: CommentInsert[];
  totals: { files: number; versions: number; bytes: number };
  /** Lazy and re-iterable: files, their versions and comments, FILES_PER_BATCH files at a time. */
  fileBatches: Iterable<ScaleFileBatch>;
  /** Lazy and re-iterable: the threads that bring the comments up to `options.comments` (none without it). */
  discussionBatches: Iterable<CommentInsert[]>;
};

export type ScaleSummary = {
  organizationId: string;
  name: string;
  ownerEmail: string;
  files: number;
  versions: number;
  comments: number;
  bytes: number;
};

export class InvalidScaleOptionsError extends Error {}

export class ScaleOrganizationExistsError extends Error {
  constructor(readonly organizationName: string) {
    super(`${organizationName} already exists in this database.`);
  }
}

const FILES_PER_BATCH = 1_000;
const ROWS_PER_INSERT = 1_000;
const PARALLEL_UPLOADS = 32;
const COMMENTS_PER_BATCH = 5_000;
const FILES_PER_FOLDER = 100;
const FILES_PER_TASK = 5;
const DEFAULT_BLOB_BYTES = { min: 512, max: 8 * 1024 };
/** Far above the demo's account numbers, so scale organizations never collide with them. */
const ACCOUNT_NUMBER_BASE = 800_000_000;
const BASE_TIME_MS = Date.UTC(2024, 0, 1);
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

const AREAS = ["Finance", "Marketing", "Research", "Sales", "Support", "Legal", "Design", "Operations"];
const WORDS = [
  "budget", "review", "draft", "client", "launch", "quarter", "report", "design", "proposal", "invoice",
  "contract", "schedule", "roadmap", "feedback", "meeting", "summary", "analysis", "forecast", "campaign",
  "release", "audit", "survey", "brief", "plan", "notes", "update", "policy", "timeline", "vendor", "metrics",
];
const PROJECT_STATUSES = ["In progress", "At risk", "On hold", "Completed"];
const TASK_STATUSES: Task["status"][] = ["active", "active", "active", "completed", "deferred", "cancelled"];
const IMPORTANCES: Task["importance"][] = ["low", "normal", "normal", "high"];
const COMMENT_BODIES = [
  "Looks good to me.",
  "Can you double-check the numbers?",
  "Updated after our call.",
  "Approved.",
  "Please add the appendix.",
  "=SUM(A1:A9) is off by one",
  "Merci, c'est parfait !",
  "了解しました。",
  "Ship it 🚀",
];
const REPLY_BODIES = ["Done.", "Thanks!", "Will do tomorrow.", "Fixed in the next version.", "+1"];
const BLOB_TYPES: Record<BlobKind, { extension: string; contentType: string }> = {
  text: { extension: "txt", contentType: "text/plain" },
  csv: { extension: "csv", contentType: "text/csv" },
  binary: { extension: "bin", contentType: "application/octet-stream" },
};

// ─── Deterministic randomness ─────────────────────────────────────────────────────────────────

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/**
 * Everything one row needs to be reproducible: its uuid, its uid and a PRNG seed, all hashed from a
 * label naming the row. Each row seeds its own PRNG, so any row (or blob) can be regenerated alone.
 */
type Identity = { id: string; uid: string; seed: number; key: string };

function identity(label: string): Identity {
  const digest = createHash("sha256").update(`archivist-scale/${label}`).digest();
  const uuid = Buffer.from(digest.subarray(16, 32));
  uuid[6] = (uuid[6]! & 0x0f) | 0x80; // UUID version 8: application-defined
  uuid[8] = (uuid[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = uuid.toString("hex");
  return {
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    uid: digest.subarray(0, 8).toString("hex").toUpperCase(),
    seed: digest.readUInt32BE(8),
    key: digest.toString("hex"),
  };
}

function minutesAfterBase(minutes: number): Date {
  return new Date(BASE_TIME_MS + minutes * MINUTE_MS);
}

// ─── The plan ─────────────────────────────────────────────────────────────────────────────────

type VersionShape = { weight: number; defaultSizeBytes: number };

const MAX_WEIGHT = 1_000;

/** Drawn first from a file's PRNG, so the census and the batches see the same versions. */
function drawVersionShapes(random: Random): VersionShape[] {
  return Array.from({ length: integer(random, 1, 3) }, () => ({
    // Cubed, so a few versions get most of a fixed total, as real workspaces have a few large files.
    weight: 1 + Math.floor(random() ** 3 * MAX_WEIGHT),
    defaultSizeBytes: integer(random, DEFAULT_BLOB_BYTES.min, DEFAULT_BLOB_BYTES.max),
  }));
}

function fileIdentity(fileCount: number, index: number) {
  return identity(`${fileCount}/file/${index}`);
}

function versionShapesOf(fileCount: number, index: number): VersionShape[] {
  return drawVersionShapes(mulberry32(fileIdentity(fileCount, index).seed));
}

type Census = { versions: number; weight: number; maxWeight: number; defaultBytes: number; rangedBytes: number };

function takeCensus(fileCount: number, sizeInRange: ((shape: VersionShape) => number) | undefined): Census {
  const census: Census = { versions: 0, weight: 0, maxWeight: 0, defaultBytes: 0, rangedBytes: 0 };
  for (let index = 0; index < fileCount; index++) {
    for (const shape of versionShapesOf(fileCount, index)) {
      census.versions += 1;
      census.weight += shape.weight;
      census.maxWeight = Math.max(census.maxWeight, shape.weight);
      census.defaultBytes += shape.defaultSizeBytes;
      if (sizeInRange) census.rangedBytes += sizeInRange(shape);
    }
  }
  return census;
}

/** Without a total, a range maps each version's weight onto it, so a few versions come out large. */
function rangeSizer({ min, max }: { min: number; max: number }) {
  return (shape: VersionShape) => min + Math.floor(((max - min) * (shape.weight - 1)) / (MAX_WEIGHT - 1));
}

/**
 * Sizes each version in plan order. With a total, version k gets the minimum plus its share of the
 * rest by cumulative weight, so the sizes add up to the total exactly (BigInt: totals pass 2^53 / weight).
 */
function totalSizer(totalBytes: number, minBytes: number, census: Census) {
  const spread = BigInt(totalBytes - census.versions * minBytes);
  const totalWeight = BigInt(census.weight);
  let cumulativeWeight = 0n;
  return (shape: VersionShape) => {
    const before = (spread * cumulativeWeight) / totalWeight;
    cumulativeWeight += BigInt(shape.weight);
    return minBytes + Number((spread * cumulativeWeight) / totalWeight - before);
  };
}

function validateBlobBytes(blobBytes: ScaleOptions["blobBytes"]) {
  if (blobBytes === undefined) return;
  const { min, max } = blobBytes;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 1 || max < min) {
    throw new InvalidScaleOptionsError(`The blob size range must be whole numbers of bytes with 1 <= min <= max, not ${min}–${max}.`);
  }
}

/** A share by weight is at most ceil(spread × weight / total weight), so this bounds the largest blob. */
function validateTotalBytes(totalBytes: number, minBytes: number, maxBytes: number | undefined, census: Census, fileCount: number) {
  const floor = census.versions * minBytes;
  if (!Number.isSafeInteger(totalBytes) || totalBytes < floor) {
    throw new InvalidScaleOptionsError(`totalBytes must be an integer of at least ${floor} (${minBytes} byte${minBytes === 1 ? "" : "s"} per version), not ${totalBytes}.`);
  }
  if (maxBytes === undefined) return;
  const spread = BigInt(totalBytes - floor);
  const totalWeight = BigInt(census.weight);
  const largest = minBytes + Number((spread * BigInt(census.maxWeight) + totalWeight - 1n) / totalWeight);
  if (largest > maxBytes) {
    throw new InvalidScaleOptionsError(
      `With ${fileCount} files (${census.versions} versions), ${totalBytes} bytes would put up to ${largest} bytes in one version, ` +
        `above the maximum of ${maxBytes}: use more files or a smaller total.`,
    );
  }
}

export function planScale(options: ScaleOptions): ScalePlan {
  const fileCount = options.files;
  if (!Number.isSafeInteger(fileCount) || fileCount < 1 || fileCount > MAX_SCALE_FILES) {
    throw new InvalidScaleOptionsError(`The number of files must be an integer from 1 to ${MAX_SCALE_FILES}, not ${fileCount}.`);
  }
  const { totalBytes, blobBytes } = options;
  validateBlobBytes(blobBytes);
  const sizeInRange = blobBytes && totalBytes === undefined ? rangeSizer(blobBytes) : undefined;
  const census = takeCensus(fileCount, sizeInRange);
  if (totalBytes !== undefined) validateTotalBytes(totalBytes, blobBytes?.min ?? 1, blobBytes?.max, census, fileCount);
  const createSizer = () => {
    if (totalBytes !== undefined) return totalSizer(totalBytes, blobBytes?.min ?? 1, census);
    return sizeInRange ?? ((shape: VersionShape) => shape.defaultSizeBytes);
  };

  const organizationIdentity = identity(`${fileCount}/organization`);
  const organization: OrganizationInsert = {
    id: organizationIdentity.id,
    accountNumber: ACCOUNT_NUMBER_BASE + fileCount,
    sid: `SCALE${fileCount}`,
    name: `Scale Org ${fileCount}`,
    plan: "enterprise",
    createdAt: minutesAfterBase(0),
  };
  const ownerIdentity = identity("owner");
  const owner = { id: ownerIdentity.id, uid: ownerIdentity.uid, name: "Sam Scale", email: SCALE_OWNER_EMAIL };
  const context = { fileCount, organizationId: organization.id, ownerId: owner.id };

  const plannedFolders = planFolders(context);
  const { plannedTasks, links, taskComments } = planTasks(context, plannedFolders);
  const fileBatches: Iterable<ScaleFileBatch> = {
    *[Symbol.iterator]() {
      const sizeOf = createSizer();
      for (let start = 0; start < fileCount; start += FILES_PER_BATCH) {
        const batch: ScaleFileBatch = { files: [], versions: [], comments: [] };
        for (let index = start; index < Math.min(fileCount, start + FILES_PER_BATCH); index++) {
          planFile(context, index, plannedFolders, plannedTasks, sizeOf, batch);
        }
        yield batch;
      }
    },
  };
  const discussionComments = options.comments === undefined ? 0 : options.comments - countDrawnComments(options.comments, taskComments, fileBatches);

  return {
    organization,
    owner,
    folders: plannedFolders,
    tasks: plannedTasks,
    taskFolders: links,
    taskComments,
    totals: { files: fileCount, versions: census.versions, bytes: totalBytes ?? (sizeInRange ? census.rangedBytes : census.defaultBytes) },
    fileBatches,
    discussionBatches: {
      *[Symbol.iterator]() {
        for (let start = 0; start < discussionComments; start += COMMENTS_PER_BATCH) {
          const batch: CommentInsert[] = [];
          for (let index = start; index < Math.min(discussionComments, start + COMMENTS_PER_BATCH); index++) {
            batch.push(planDiscussionComment(context, index, plannedTasks));
          }
          yield batch;
        }
      },
    },
  };
}

/** The comments drawn with tasks and file versions, which a requested comment count includes. */
function countDrawnComments(requested: number, taskComments: CommentInsert[], fileBatches: Iterable<ScaleFileBatch>): number {
  let drawn = taskComments.length;
  for (const batch of fileBatches) drawn += batch.comments.length;
  if (!Number.isSafeInteger(requested) || requested < drawn) {
    throw new InvalidScaleOptionsError(`The comment count must be a whole number of at least ${drawn} (the comments drawn with the rows), not ${requested}.`);
  }
  return drawn;
}

type PlanContext = { fileCount: number; organizationId: string; ownerId: string };

function planFolders({ fileCount, organizationId, ownerId }: PlanContext): FolderInsert[] {
  const count = Math.ceil(fileCount / FILES_PER_FOLDER);
  const rootCount = Math.ceil(count / 10);
  const planned: FolderInsert[] = [];
  for (let index = 0; index < count; index++) {
    const { id, uid, seed } = identity(`${fileCount}/folder/${index}`);
    const random = mulberry32(seed);
    const parent = index < rootCount ? undefined : planned[integer(random, 0, index - 1)];
    const isProject = random() < 0.2;
    const startDay = integer(random, 0, 200);
    const createdAt = minutesAfterBase(index);
    planned.push({
      id,
      uid,
      organizationId,
      parentId: parent?.id ?? null,
      title: `${pick(random, AREAS)} ${pick(random, WORDS)} ${index + 1}`,
      description: `Folder ${index + 1} of the scale organization.`,
      authorId: ownerId,
      isProject,
      projectStatus: isProject ? pick(random, PROJECT_STATUSES) : null,
      startDate: isProject ? minutesAfterBase(startDay * DAY_MINUTES).toISOString().slice(0, 10) : null,
      endDate: isProject ? minutesAfterBase((startDay + integer(random, 14, 180)) * DAY_MINUTES).toISOString().slice(0, 10) : null,
      createdAt,
      updatedAt: createdAt,
    });
  }
  return planned;
}

function planTasks({ fileCount, organizationId, ownerId }: PlanContext, plannedFolders: FolderInsert[]) {
  const plannedTasks: TaskInsert[] = [];
  const links: (typeof taskFolders.$inferInsert)[] = [];
  const taskComments: CommentInsert[] = [];
  const count = Math.ceil(fileCount / FILES_PER_TASK);
  for (let index = 0; index < count; index++) {
    const { id, uid, seed } = identity(`${fileCount}/task/${index}`);
    const random = mulberry32(seed);
    const parent = index > 0 && random() < 0.2 ? plannedTasks[integer(random, 0, index - 1)] : undefined;
    const createdAt = minutesAfterBase(DAY_MINUTES + index);
    plannedTasks.push({
      id,
      uid,
      organizationId,
      parentTaskId: parent?.id ?? null,
      title: `${pick(random, WORDS)} ${pick(random, WORDS)} #${index + 1}`,
      descriptionHtml: `<p>Task ${index + 1}: ${pick(random, WORDS)} and ${pick(random, WORDS)}.</p>`,
      status: pick(random, TASK_STATUSES),
      importance: pick(random, IMPORTANCES),
      authorId: ownerId,
      createdAt,
      updatedAt: createdAt,
    });
    // Subtasks live in their parent's folders, as in Wrike.
    if (!parent) links.push({ taskId: id, folderId: plannedFolders[integer(random, 0, plannedFolders.length - 1)]!.id });
    planComments(random, `${fileCount}/task/${index}`, { organizationId, authorId: ownerId, taskId: id }, createdAt, 0.3, taskComments);
  }
  return { plannedTasks, links, taskComments };
}

function planFile(
  { fileCount, organizationId, ownerId }: PlanContext,
  index: number,
  plannedFolders: FolderInsert[],
  plannedTasks: TaskInsert[],
  sizeOf: (shape: VersionShape) => number,
  batch: ScaleFileBatch,
) {
  const { id, uid, seed } = fileIdentity(fileCount, index);
  const random = mulberry32(seed);
  const shapes = drawVersionShapes(random);
  const roll = random();
  const kind: BlobKind = roll < 0.4 ? "text" : roll < 0.6 ? "csv" : "binary";
  const onTask = random() < 0.3;
  const createdAt = minutesAfterBase(2 * DAY_MINUTES + index);
  batch.files.push({
    id,
    uid,
    organizationId,
    folderId: onTask ? null : plannedFolders[integer(random, 0, plannedFolders.length - 1)]!.id,
    taskId: onTask ? plannedTasks[integer(random, 0, plannedTasks.length - 1)]!.id : null,
    name: `${pick(random, WORDS)}-${pick(random, WORDS)}-${index + 1}.${BLOB_TYPES[kind].extension}`,
    contentType: BLOB_TYPES[kind].contentType,
    currentVersion: shapes.length,
    createdBy: ownerId,
    createdAt,
  });
  shapes.forEach((shape, position) => {
    const label = `${fileCount}/file/${index}/version/${position + 1}`;
    const version = identity(label);
    const sizeBytes = sizeOf(shape);
    const uploadedAt = new Date(createdAt.getTime() + (position * DAY_MINUTES + integer(random, 0, 600)) * MINUTE_MS);
    batch.versions.push({
      row: {
        id: version.id,
        uid: version.uid,
        fileId: id,
        version: position + 1,
        sizeBytes,
        storageKey: fileVersionKey({ organizationId, versionUid: version.uid }),
        uploadedBy: ownerId,
        uploadedAt,
      },
      blob: { kind, sizeBytes, seed: version.key },
    });
    planComments(random, label, { organizationId, authorId: ownerId, fileVersionId: version.id }, uploadedAt, 0.25, batch.comments);
  });
}

/** Maybe a comment on the target, and maybe a reply to it. */
function planComments(
  random: Random,
  label: string,
  target: Pick<CommentInsert, "organizationId" | "authorId" | "taskId" | "fileVersionId">,
  after: Date,
  probability: number,
  into: CommentInsert[],
) {
  if (random() >= probability) return;
  const comment = identity(`${label}/comment`);
  const commentedAt = new Date(after.getTime() + integer(random, 5, 600) * MINUTE_MS);
  into.push({ ...target, id: comment.id, uid: comment.uid, body: pick(random, COMMENT_BODIES), createdAt: commentedAt });
  if (random() >= 0.4) return;
  const reply = identity(`${label}/reply`);
  into.push({
    ...target,
    id: reply.id,
    uid: reply.uid,
    parentId: comment.id,
    body: pick(random, REPLY_BODIES),
    createdAt: new Date(commentedAt.getTime() + integer(random, 5, 600) * MINUTE_MS),
  });
}

const DISCUSSION_THREAD_LENGTH = 3;

/**
 * Discussion comment k belongs to thread k / 3: the first opens it on a file version (three times in
 * four) or a task, the next two reply to it. Targets are recomputed from their labels, so the plan
 * never holds the list of versions. They come after every drawn row, so no comment predates its target.
 */
function planDiscussionComment({ fileCount, organizationId, ownerId }: PlanContext, index: number, plannedTasks: TaskInsert[]): CommentInsert {
  const thread = Math.floor(index / DISCUSSION_THREAD_LENGTH);
  const position = index % DISCUSSION_THREAD_LENGTH;
  const threadLabel = `${fileCount}/discussion/${thread}`;
  const random = mulberry32(identity(threadLabel).seed);
  let target: Pick<CommentInsert, "taskId" | "fileVersionId">;
  if (random() < 0.75) {
    const fileIndex = integer(random, 0, fileCount - 1);
    const version = integer(random, 1, versionShapesOf(fileCount, fileIndex).length);
    target = { fileVersionId: identity(`${fileCount}/file/${fileIndex}/version/${version}`).id };
  } else {
    target = { taskId: plannedTasks[integer(random, 0, plannedTasks.length - 1)]!.id };
  }
  const { id, uid, seed } = identity(`${threadLabel}/${position}`);
  const ownRandom = mulberry32(seed);
  const afterEveryDrawnRow = 6 * DAY_MINUTES + fileCount;
  return {
    ...target,
    id,
    uid,
    organizationId,
    authorId: ownerId,
    parentId: position === 0 ? null : identity(`${threadLabel}/0`).id,
    body: position === 0 ? pick(ownRandom, COMMENT_BODIES) : pick(ownRandom, REPLY_BODIES),
    createdAt: minutesAfterBase(afterEveryDrawnRow + index),
  };
}

// ─── Blob contents ────────────────────────────────────────────────────────────────────────────

const CHUNK_BYTES = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

/** The blob's bytes, chunk by chunk, so a blob of any size streams in constant memory. */
export function* blobChunks(blob: BlobSpec): Generator<Buffer> {
  if (blob.kind === "binary") yield* keystreamChunks(blob);
  else yield* textChunks(blob, blob.kind === "csv" ? csvLine : proseLine);
}

/** AES-CTR over zeros: a seedable, fast source of incompressible bytes (GiB/s, unlike a JS PRNG). */
function* keystreamChunks({ sizeBytes, seed }: BlobSpec): Generator<Buffer> {
  const cipher = createCipheriv("aes-256-ctr", Buffer.from(seed, "hex"), Buffer.alloc(16));
  for (let remaining = sizeBytes; remaining > 0; remaining -= CHUNK_BYTES) {
    yield cipher.update(ZEROS.subarray(0, Math.min(remaining, CHUNK_BYTES)));
  }
}

/**
 * Text blobs are lines drawn by the blob's PRNG from a fixed pool: as compressible as real notes and
 * exports, and fast to produce, since each line costs one draw and one copy.
 */
function* textChunks({ sizeBytes, seed }: BlobSpec, nextLine: (random: Random, lineNumber: number) => Buffer): Generator<Buffer> {
  const random = mulberry32(Number.parseInt(seed.slice(0, 8), 16));
  let lineNumber = 0;
  let carry: Buffer = Buffer.alloc(0);
  for (let remaining = sizeBytes; remaining > 0; ) {
    const chunk = Buffer.allocUnsafe(Math.min(remaining, CHUNK_BYTES));
    let filled = carry.copy(chunk);
    carry = carry.subarray(filled);
    while (filled < chunk.length) {
      const line = nextLine(random, lineNumber++);
      const copied = line.copy(chunk, filled);
      filled += copied;
      if (copied < line.length) carry = line.subarray(copied);
    }
    yield chunk;
    remaining -= chunk.length;
  }
}

const LINE_POOL_SIZE = 4_096;
/** The pool is the same for every N; only which lines a blob draws depends on the blob's seed. */
const LINE_POOL_SEED = 0x5ca1e;

function linePool(line: (random: Random) => string): Buffer[] {
  const random = mulberry32(LINE_POOL_SEED);
  return Array.from({ length: LINE_POOL_SIZE }, () => Buffer.from(line(random), "latin1"));
}

const PROSE_LINES = linePool((random) => {
  const sentence = Array.from({ length: integer(random, 6, 14) }, () => pick(random, WORDS)).join(" ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.\n`;
});

const CSV_HEADER = Buffer.from("account,region,amount,note\r\n", "latin1");
const CSV_RECORDS = linePool((random) => {
  const amount = (integer(random, 100, 9_999_999) / 100).toFixed(2);
  return `ACC-${integer(random, 1000, 9999)},${pick(random, AREAS)},${amount},${pick(random, WORDS)} ${pick(random, WORDS)}\r\n`;
});

function proseLine(random: Random): Buffer {
  return pick(random, PROSE_LINES);
}

function csvLine(random: Random, lineNumber: number): Buffer {
  return lineNumber === 0 ? CSV_HEADER : pick(random, CSV_RECORDS);
}

// ─── Writing it ───────────────────────────────────────────────────────────────────────────────

/**
 * Adds the scale organization in one transaction (a failed run leaves no rows; its blobs are
 * rewritten at the same keys next time). Blobs are streamed to storage one batch ahead of their rows.
 */
export async function seedScale(
  executor: Executor,
  options: ScaleOptions & { onProgress?: (filesDone: number, filesTotal: number) => void },
): Promise<ScaleSummary> {
  const summary = await insertScale(executor, planScale(options), options.onProgress);
  // As PostgreSQL's manual advises after a bulk load: without statistics the planner picks plans for
  // empty tables until autovacuum comes round (never, where it is off, as on the CI machine).
  await executor.execute(sql`analyze`);
  return summary;
}

function insertScale(executor: Executor, plan: ScalePlan, onProgress?: (filesDone: number, filesTotal: number) => void): Promise<ScaleSummary> {
  return executor.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.sid, plan.organization.sid));
    if (existing) throw new ScaleOrganizationExistsError(plan.organization.name);

    await ensureOwner(tx, plan.owner);
    await tx.insert(organizations).values(plan.organization);
    await tx
      .insert(memberships)
      .values({ organizationId: plan.organization.id, userId: plan.owner.id, role: "owner", createdAt: plan.organization.createdAt });
    await insertInChunks(tx, folders, plan.folders);
    await insertInChunks(tx, tasks, plan.tasks);
    await insertInChunks(tx, taskFolders, plan.taskFolders);
    await insertInChunks(tx, comments, plan.taskComments);

    let filesDone = 0;
    let commentCount = plan.taskComments.length;
    for (const batch of plan.fileBatches) {
      const hashes = await storeBlobs(batch.versions);
      await insertInChunks(tx, files, batch.files);
      await insertInChunks(
        tx,
        fileVersions,
        batch.versions.map(({ row }, index) => ({ ...row, sha256: hashes[index]! })),
      );
      await insertInChunks(tx, comments, batch.comments);
      filesDone += batch.files.length;
      commentCount += batch.comments.length;
      onProgress?.(filesDone, plan.totals.files);
    }
    for (const batch of plan.discussionBatches) {
      await insertInChunks(tx, comments, batch);
      commentCount += batch.length;
    }

    return {
      organizationId: plan.organization.id,
      name: plan.organization.name,
      ownerEmail: plan.owner.email,
      files: plan.totals.files,
      versions: plan.totals.versions,
      comments: commentCount,
      bytes: plan.totals.bytes,
    };
  });
}

/** Every scale organization shares one owner account, created by the first of them. */
async function ensureOwner(executor: Executor, owner: ScalePlan["owner"]) {
  const [existing] = await executor
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, owner.email.toLowerCase()));
  if (!existing) {
    await executor.insert(users).values({ ...owner, passwordHash: await hashPassword(DEMO_PASSWORD), createdAt: minutesAfterBase(0) });
  } else if (existing.id !== owner.id) {
    throw new Error(`${owner.email} already exists but was not created by the scale seed; use a database without it.`);
  }
}

async function storeBlobs(versions: PlannedVersion[]): Promise<string[]> {
  const hashes: string[] = new Array(versions.length);
  let next = 0;
  async function uploadUntilDone() {
    for (let index = next++; index < versions.length; index = next++) {
      const { row, blob } = versions[index]!;
      const stored = await storage().put(row.storageKey, Readable.from(blobChunks(blob)));
      if (stored.sizeBytes !== blob.sizeBytes) {
        throw new Error(`Blob ${row.uid} came out at ${stored.sizeBytes} bytes instead of ${blob.sizeBytes}`);
      }
      hashes[index] = stored.sha256;
    }
  }
  await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, uploadUntilDone));
  return hashes;
}

async function insertInChunks<TTable extends PgTable>(executor: Executor, table: TTable, rows: PgInsertValue<TTable>[]) {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await executor.insert(table).values(rows.slice(start, start + ROWS_PER_INSERT));
  }
}
