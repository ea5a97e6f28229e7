import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/db/connection";
import { comments, folders, memberships, organizations, tasks, timeLogs, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Viewer } from "@/lib/workspace/visibility";

/** The viewer a demo account is in its (only) organization, read from the seeded data. */
export async function viewerFor(email: string): Promise<Viewer & { name: string }> {
  const [row] = await db
    .select({ organizationId: memberships.organizationId, userId: users.id, role: memberships.role, name: users.name })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  if (!row) throw new Error(`No demo account ${email}`);
  return row;
}

export async function organizationIdNamed(name: string): Promise<string> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, name));
  if (!row) throw new Error(`No organization ${name}`);
  return row.id;
}

export async function folderIdTitled(title: string): Promise<string> {
  const [row] = await db.select({ id: folders.id }).from(folders).where(eq(folders.title, title));
  if (!row) throw new Error(`No folder ${title}`);
  return row.id;
}

export async function taskIdTitled(title: string): Promise<string> {
  const [row] = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.title, title));
  if (!row) throw new Error(`No task ${title}`);
  return row.id;
}

/** Row counts of everything these features write, to prove a refused request changed nothing. */
export async function countWorkspaceRows() {
  const count = async (table: typeof folders | typeof tasks | typeof comments | typeof timeLogs) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;
  return {
    folders: await count(folders),
    tasks: await count(tasks),
    comments: await count(comments),
    timeLogs: await count(timeLogs),
    shares: (await db.execute(sql`select count(*)::int as n from folder_shares`))[0]?.n,
    taskFolders: (await db.execute(sql`select count(*)::int as n from task_folders`))[0]?.n,
  };
}

/** Runs a domain call that must be refused with this error code, and checks nothing was written. */
export async function expectRefused(code: AppError["code"], run: () => Promise<unknown>, message?: RegExp) {
  const before = await countWorkspaceRows();
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "the call should have been refused").toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  expect(await countWorkspaceRows()).toEqual(before);
  return error as AppError;
}


export type TestViewer = Awaited<ReturnType<typeof viewerFor>>;

/** The demo accounts these tests act as: Demo Co's owner, admin, member (shared on the private folder) and a designer, plus Other Inc's admin. */
export async function demoViewers() {
  return {
    owner: await viewerFor("owner@demo.test"),
    admin: await viewerFor("admin@demo.test"),
    member: await viewerFor("member@demo.test"),
    designer: await viewerFor("lea.dubois@demo.test"),
    otherAdmin: await viewerFor("other-admin@demo.test"),
  };
}
