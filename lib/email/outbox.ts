import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";

export type OutboxMessage = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  createdAt: string;
};

export type OutboxSummary = Pick<OutboxMessage, "id" | "to" | "subject" | "createdAt">;

// "20250102T030405678Z-1a2b3c4d": the time first, so names sort in the order messages were written.
const ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;
const LIST_LIMIT = 200;

function outboxDir() {
  return path.resolve(env.OUTBOX_DIR);
}

function newMessageId(now: Date) {
  return `${now.toISOString().replace(/[-:.]/g, "")}-${randomBytes(4).toString("hex")}`;
}

/** Writes the message in one piece (temp file, then rename), so a reader never sees half of one. */
export async function writeOutboxMessage(
  message: Omit<OutboxMessage, "id" | "createdAt">,
  now: Date = new Date(),
): Promise<string> {
  const dir = outboxDir();
  await fs.mkdir(dir, { recursive: true });
  const id = newMessageId(now);
  const record: OutboxMessage = { id, ...message, createdAt: now.toISOString() };
  const finalPath = path.join(dir, `${id}.json`);
  const tempPath = `${finalPath}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.writeFile(tempPath, JSON.stringify(record, null, 2), { flag: "wx" });
    await fs.rename(tempPath, finalPath);
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  return id;
}

/** The newest captured messages first. */
export async function listOutbox(): Promise<OutboxSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(outboxDir());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const ids = names
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .filter((id) => ID_PATTERN.test(id))
    .sort()
    .reverse()
    .slice(0, LIST_LIMIT);
  const messages = await Promise.all(ids.map((id) => readOutboxMessage(id)));
  return messages
    .filter((message): message is OutboxMessage => message !== null)
    .map(({ id, to, subject, createdAt }) => ({ id, to, subject, createdAt }));
}

/** One captured message, or null for an unknown or malformed id (ids come from URLs). */
export async function readOutboxMessage(id: string): Promise<OutboxMessage | null> {
  if (!ID_PATTERN.test(id)) return null;
  try {
    return JSON.parse(await fs.readFile(path.join(outboxDir(), `${id}.json`), "utf8")) as OutboxMessage;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return null;
    throw error;
  }
}
