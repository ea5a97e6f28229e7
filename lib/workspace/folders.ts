import "server-only";
import { z } from "zod";
import { db } from "@/db/connection";
import { findVisibleFolder, insertFolder, listMemberIdsAmong, listVisibleFolders, markFolderTrashed } from "@/db/queries/folders";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { newUid } from "@/lib/ids";
import { PROJECT_STATUSES } from "./options";
import { blankAsNull, checkboxField, optionalText, parseInput } from "./parse-input";
import type { Viewer } from "./visibility";


const optionalDate = (label: string) => blankAsNull(z.iso.date(`${label} must be a date.`));

const userIdList = z
  .union([z.uuid("Choose people from the list."), z.array(z.uuid("Choose people from the list."))])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? [...new Set(value)] : [value]));

export const createFolderSchema = z
  .object({
    parentId: blankAsNull(z.uuid("The parent folder was not found.")),
    title: z
      .string("Give the folder a title.")
      .trim()
      .min(1, "Give the folder a title.")
      .max(200, "A title can be at most 200 characters."),
    description: optionalText(5_000, "The description"),
    visibility: z.enum(["organization", "private"], "Choose who can see the folder.").default("organization"),
    sharedWith: userIdList,
    isProject: checkboxField,
    projectStatus: blankAsNull(z.enum(PROJECT_STATUSES, "Choose a project status from the list.")),
    startDate: optionalDate("The start date"),
    endDate: optionalDate("The end date"),
  })
  .refine((input) => !(input.startDate && input.endDate && input.endDate < input.startDate), {
    message: "The end date cannot be before the start date.",
    path: ["endDate"],
  });

export const trashFolderSchema = z.object({ folderId: z.uuid("That folder was not found.") });

export type FolderTreeNode = Awaited<ReturnType<typeof listVisibleFolders>>[number] & { children: FolderTreeNode[] };

/** The viewer's visible folders nested by parent; roots are folders without a (visible) parent. */
export async function loadFolderTree({ viewer }: { viewer: Viewer }): Promise<FolderTreeNode[]> {
  const rows = await listVisibleFolders({ viewer });
  const nodes = new Map<string, FolderTreeNode>(rows.map((row) => [row.id, { ...row, children: [] }]));
  const roots: FolderTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/**
 * Creates a folder (top-level, or inside a folder the viewer can see). A private folder is always
 * shared with its author too, or they would lose sight of what they just made.
 */
export async function createFolder({ viewer, input }: { viewer: Viewer; input: z.input<typeof createFolderSchema> }) {
  const data = parseInput(createFolderSchema, input);
  if (data.parentId && !(await findVisibleFolder({ viewer, id: data.parentId }))) throw notFound("The parent folder");
  const sharedWith = data.visibility === "private" ? [...new Set([viewer.userId, ...data.sharedWith])] : [];
  const members = await listMemberIdsAmong({ organizationId: viewer.organizationId, userIds: sharedWith });
  if (sharedWith.some((userId) => !members.has(userId))) {
    throw new AppError("invalid_input", "A folder can only be shared with members of this organization.", { field: "sharedWith" });
  }
  return db.transaction((executor) =>
    insertFolder({
      executor,
      sharedWith,
      values: {
        uid: newUid(),
        organizationId: viewer.organizationId,
        parentId: data.parentId,
        title: data.title,
        description: data.description,
        authorId: viewer.userId,
        visibility: data.visibility,
        isProject: data.isProject,
        projectStatus: data.isProject ? (data.projectStatus ?? "Not started") : null,
        startDate: data.isProject ? data.startDate : null,
        endDate: data.isProject ? data.endDate : null,
      },
    }),
  );
}

export function canTrashItem(viewer: Pick<Viewer, "userId" | "role">, item: { authorId: string | null }): boolean {
  return viewer.role === "owner" || viewer.role === "admin" || item.authorId === viewer.userId;
}

/** Moves a folder (and so everything in it) to the trash: its author may, and so may admins and owners. */
export async function trashFolder({ viewer, input }: { viewer: Viewer; input: z.input<typeof trashFolderSchema> }) {
  const { folderId } = parseInput(trashFolderSchema, input);
  const found = await findVisibleFolder({ viewer, id: folderId });
  if (!found) throw notFound("That folder");
  if (!canTrashItem(viewer, found.folder)) throw forbidden("Only the folder's author or an administrator can move it to the trash.");
  await markFolderTrashed({ organizationId: viewer.organizationId, id: folderId });
  return { parentId: found.folder.parentId };
}
