import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { folderShares, folders, memberships, users, type NewFolder } from "@/db/schema";
import { visibleFolderIdsSql, type Viewer } from "@/lib/workspace/visibility";

const isVisibleTo = (viewer: Viewer) => sql`${folders.id} in ${visibleFolderIdsSql(viewer)}`;

const folderSummaryColumns = {
  id: folders.id,
  parentId: folders.parentId,
  title: folders.title,
  visibility: folders.visibility,
  isProject: folders.isProject,
  projectStatus: folders.projectStatus,
  startDate: folders.startDate,
  endDate: folders.endDate,
};

/** Every folder of the organization the viewer may see, flat; the caller nests them by parentId. */
export async function listVisibleFolders({ viewer, executor = db }: { viewer: Viewer; executor?: Executor }) {
  return executor
    .select(folderSummaryColumns)
    .from(folders)
    .where(and(eq(folders.organizationId, viewer.organizationId), isVisibleTo(viewer)))
    .orderBy(asc(folders.title), asc(folders.id));
}

export async function findVisibleFolder({ viewer, id, executor = db }: { viewer: Viewer; id: string; executor?: Executor }) {
  const [row] = await executor
    .select({ folder: folders, authorName: users.name })
    .from(folders)
    .leftJoin(users, eq(users.id, folders.authorId))
    .where(and(eq(folders.id, id), eq(folders.organizationId, viewer.organizationId), isVisibleTo(viewer)))
    .limit(1);
  return row;
}

/** The folders above this one, root first (visibility is inherited, so a visible folder's ancestors are visible). */
export async function listFolderAncestors({
  organizationId,
  folderId,
  executor = db,
}: {
  organizationId: string;
  folderId: string;
  executor?: Executor;
}) {
  const rows = await executor
    .select({ id: folders.id, title: folders.title, parentId: folders.parentId })
    .from(folders)
    .where(
      and(
        eq(folders.organizationId, organizationId),
        sql`${folders.id} in (
          with recursive ancestors as (
            select f.parent_id as id from folders f where f.id = ${folderId}
            union
            select p.parent_id from ancestors a join folders p on p.id = a.id
          )
          select id from ancestors where id is not null
        )`,
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const chain: { id: string; title: string }[] = [];
  let current = rows.find((row) => !rows.some((other) => other.parentId === row.id));
  while (current) {
    chain.unshift({ id: current.id, title: current.title });
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return chain;
}

export async function listVisibleSubfolders({
  viewer,
  folderId,
  executor = db,
}: {
  viewer: Viewer;
  folderId: string;
  executor?: Executor;
}) {
  return executor
    .select(folderSummaryColumns)
    .from(folders)
    .where(and(eq(folders.parentId, folderId), eq(folders.organizationId, viewer.organizationId), isVisibleTo(viewer)))
    .orderBy(asc(folders.title), asc(folders.id));
}

export async function listFolderShares({ folderId, executor = db }: { folderId: string; executor?: Executor }) {
  return executor
    .select({ id: users.id, name: users.name, email: users.email })
    .from(folderShares)
    .innerJoin(users, eq(users.id, folderShares.userId))
    .where(eq(folderShares.folderId, folderId))
    .orderBy(asc(users.name));
}

/** Which of these user ids are members of the organization (a folder may only be shared inside it). */
export async function listMemberIdsAmong({
  organizationId,
  userIds,
  executor = db,
}: {
  organizationId: string;
  userIds: string[];
  executor?: Executor;
}) {
  if (userIds.length === 0) return new Set<string>();
  const rows = await executor
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.userId, userIds)));
  return new Set(rows.map((row) => row.userId));
}

export async function insertFolder({
  values,
  sharedWith,
  executor = db,
}: {
  values: NewFolder;
  sharedWith: string[];
  executor?: Executor;
}) {
  const [folder] = await executor.insert(folders).values(values).returning();
  if (!folder) throw new Error("Folder insert returned no row");
  if (sharedWith.length > 0) {
    await executor.insert(folderShares).values(sharedWith.map((userId) => ({ folderId: folder.id, userId })));
  }
  return folder;
}

export async function markFolderTrashed({ organizationId, id, executor = db }: { organizationId: string; id: string; executor?: Executor }) {
  await executor
    .update(folders)
    .set({ deletedAt: new Date() })
    .where(and(eq(folders.id, id), eq(folders.organizationId, organizationId), isNull(folders.deletedAt)));
}
