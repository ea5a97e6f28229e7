import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { findVisibleFolder, listFolderAncestors, listFolderShares, listVisibleSubfolders } from "@/db/queries/folders";
import { findVisibleTask } from "@/db/queries/tasks";
import { folders } from "@/db/schema";
import { createFolder, loadFolderTree, trashFolder, type FolderTreeNode } from "@/lib/workspace/folders";
import { createTask } from "@/lib/workspace/tasks";
import { demoViewers, expectRefused, folderIdTitled, taskIdTitled, type TestViewer } from "./workspace-fixtures";

let owner: TestViewer, admin: TestViewer, member: TestViewer, designer: TestViewer, otherAdmin: TestViewer;
let marketing: string, websiteRelaunch: string, leadership: string, northwind: string;

beforeAll(async () => {
  ({ owner, admin, member, designer, otherAdmin } = await demoViewers());
  marketing = await folderIdTitled("Marketing");
  websiteRelaunch = await folderIdTitled("Website Relaunch");
  leadership = await folderIdTitled("Leadership – confidential");
  northwind = await folderIdTitled("Project Northwind");
});

function titles(nodes: FolderTreeNode[]): string[] {
  return nodes.flatMap((node) => [node.title, ...titles(node.children)]);
}

function outline(nodes: FolderTreeNode[], depth = 0): string[] {
  return nodes.flatMap((node) => [`${"  ".repeat(depth)}${node.title}`, ...outline(node.children, depth + 1)]);
}

describe("folder tree and visibility", () => {
  it("nests the owner's tree and shows everything not in the trash, private folders included", async () => {
    expect(outline(await loadFolderTree({ viewer: owner }))).toEqual([
      "Leadership – confidential",
      "  Project Northwind",
      "Marketing",
      "  Brand Guidelines 2025",
      "  Website Relaunch",
      "    Copy & translations (Français, 日本語)",
      "    Design assets",
      "      Homepage mockups",
      "Operations",
      "  Q3 Budget",
    ]);
  });

  it("hides the private folder and everything inside it from an admin it is not shared with", async () => {
    const tree = titles(await loadFolderTree({ viewer: admin }));
    expect(tree).toContain("Marketing");
    expect(tree).not.toContain("Leadership – confidential");
    expect(tree).not.toContain("Project Northwind");
    expect(await findVisibleFolder({ viewer: admin, id: leadership })).toBeUndefined();
    expect(await findVisibleFolder({ viewer: admin, id: northwind })).toBeUndefined();
    expect(await findVisibleTask({ viewer: admin, id: await taskIdTitled("Prepare the board deck 🚀") })).toBeUndefined();
  });

  it("shows the private folder and its subfolders to the member it is shared with", async () => {
    const tree = titles(await loadFolderTree({ viewer: member }));
    expect(tree).toEqual(expect.arrayContaining(["Leadership – confidential", "Project Northwind", "Marketing"]));
    expect((await findVisibleFolder({ viewer: member, id: northwind }))?.folder.title).toBe("Project Northwind");
    expect((await listFolderShares({ folderId: leadership })).map((user) => user.email)).toEqual(["member@demo.test"]);
  });

  it("shows nothing of Demo Co to another organization's admin", async () => {
    const tree = titles(await loadFolderTree({ viewer: otherAdmin }));
    expect(tree).toEqual(["Other Inc client accounts", "Other Inc — Globex renewal"]);
    expect(await findVisibleFolder({ viewer: otherAdmin, id: marketing })).toBeUndefined();
  });

  it("leaves trashed folders out of the tree", async () => {
    expect(titles(await loadFolderTree({ viewer: owner }))).not.toContain("Spring campaign 2023");
    expect(await findVisibleFolder({ viewer: owner, id: await folderIdTitled("Spring campaign 2023") })).toBeUndefined();
  });

  it("lists a folder's ancestors root first", async () => {
    const mockups = await folderIdTitled("Homepage mockups");
    const ancestors = await listFolderAncestors({ organizationId: owner.organizationId, folderId: mockups });
    expect(ancestors.map((folder) => folder.title)).toEqual(["Marketing", "Website Relaunch", "Design assets"]);
    expect(await listFolderAncestors({ organizationId: owner.organizationId, folderId: marketing })).toEqual([]);
    expect(await listFolderAncestors({ organizationId: otherAdmin.organizationId, folderId: mockups })).toEqual([]);
  });
});

describe("createFolder", () => {
  it("creates a top-level project folder visible to the whole organization", async () => {
    const folder = await createFolder({
      viewer: designer,
      input: {
        title: "  Autumn launch  ",
        description: "Everything for the autumn.",
        visibility: "organization",
        isProject: "on",
        projectStatus: "In progress",
        startDate: "2025-09-01",
        endDate: "2025-11-30",
      },
    });
    expect(folder).toMatchObject({
      title: "Autumn launch",
      parentId: null,
      authorId: designer.userId,
      isProject: true,
      projectStatus: "In progress",
      startDate: "2025-09-01",
      endDate: "2025-11-30",
    });
    expect(titles(await loadFolderTree({ viewer: admin }))).toContain("Autumn launch");
  });

  it("keeps project fields empty on a plain folder", async () => {
    const folder = await createFolder({
      viewer: member,
      input: { title: "Notes", visibility: "organization", projectStatus: "At risk", startDate: "2025-01-01" },
    });
    expect(folder).toMatchObject({ isProject: false, projectStatus: null, startDate: null, endDate: null });
  });

  it("shares a private folder with its author and the chosen members only", async () => {
    const folder = await createFolder({
      viewer: admin,
      input: { title: "Salaries", visibility: "private", sharedWith: designer.userId },
    });
    const shared = await listFolderShares({ folderId: folder.id });
    expect(shared.map((user) => user.id).sort()).toEqual([admin.userId, designer.userId].sort());
    expect(await findVisibleFolder({ viewer: admin, id: folder.id })).toBeDefined();
    expect(await findVisibleFolder({ viewer: designer, id: folder.id })).toBeDefined();
    expect(await findVisibleFolder({ viewer: owner, id: folder.id })).toBeDefined();
    expect(await findVisibleFolder({ viewer: member, id: folder.id })).toBeUndefined();
  });

  it("creates a subfolder that inherits its private parent's audience", async () => {
    const child = await createFolder({ viewer: member, input: { parentId: leadership, title: "Minutes", visibility: "organization" } });
    expect(child.parentId).toBe(leadership);
    expect((await listVisibleSubfolders({ viewer: member, folderId: leadership })).map((folder) => folder.title)).toEqual([
      "Minutes",
      "Project Northwind",
    ]);
    expect(await findVisibleFolder({ viewer: admin, id: child.id })).toBeUndefined();
  });

  it.each([
    ["an empty title", { title: "   " }, /Give the folder a title/],
    ["a title over 200 characters", { title: "t".repeat(201) }, /at most 200/],
    ["an unknown visibility", { title: "Ok", visibility: "public" }, /Choose who can see/],
    ["an end date before the start date", { title: "Ok", isProject: true, startDate: "2025-05-02", endDate: "2025-05-01" }, /cannot be before/],
    ["a date that is not a date", { title: "Ok", isProject: true, startDate: "tomorrow" }, /must be a date/],
    ["an unknown project status", { title: "Ok", isProject: true, projectStatus: "Vibes" }, /project status/],
    ["a malformed parent id", { title: "Ok", parentId: "../etc" }, /parent folder was not found/],
    ["a description over 5,000 characters", { title: "Ok", description: "d".repeat(5001) }, /at most 5,000/],
  ])("refuses %s and writes nothing", async (_label, input, message) => {
    await expectRefused("invalid_input", () => createFolder({ viewer: owner, input: input as never }), message);
  });

  it("refuses sharing with someone outside the organization", async () => {
    await expectRefused(
      "invalid_input",
      () => createFolder({ viewer: owner, input: { title: "Leaky", visibility: "private", sharedWith: [member.userId, otherAdmin.userId] } }),
      /members of this organization/,
    );
  });

  it("refuses a parent the caller cannot see, or of another organization", async () => {
    await expectRefused("not_found", () => createFolder({ viewer: admin, input: { title: "Sneaky", parentId: leadership } }));
    await expectRefused("not_found", () => createFolder({ viewer: otherAdmin, input: { title: "Sneaky", parentId: marketing } }));
  });
});

describe("trashFolder", () => {
  it("refuses a member who is not the author, and changes nothing", async () => {
    await expectRefused("forbidden", () => trashFolder({ viewer: designer, input: { folderId: marketing } }));
    const [row] = await db.select().from(folders).where(eq(folders.id, marketing));
    expect(row?.deletedAt).toBeNull();
  });

  it("answers not found for a folder the caller cannot see", async () => {
    await expectRefused("not_found", () => trashFolder({ viewer: admin, input: { folderId: leadership } }));
    await expectRefused("not_found", () => trashFolder({ viewer: otherAdmin, input: { folderId: marketing } }));
  });

  it("lets the author trash their folder, hiding it, its subfolders and their tasks", async () => {
    const parent = await createFolder({ viewer: designer, input: { title: "Scratch" } });
    const child = await createFolder({ viewer: designer, input: { parentId: parent.id, title: "Scratch child" } });
    const task = await createTask({ viewer: designer, input: { folderId: child.id, title: "Scratch task" } });

    const { parentId } = await trashFolder({ viewer: designer, input: { folderId: parent.id } });
    expect(parentId).toBeNull();
    const tree = titles(await loadFolderTree({ viewer: owner }));
    expect(tree).not.toContain("Scratch");
    expect(tree).not.toContain("Scratch child");
    expect(await findVisibleFolder({ viewer: owner, id: child.id })).toBeUndefined();
    expect(await findVisibleTask({ viewer: owner, id: task.id })).toBeUndefined();
    await expectRefused("not_found", () => trashFolder({ viewer: designer, input: { folderId: parent.id } }));
  });

  it("lets an admin trash someone else's folder", async () => {
    const { parentId } = await trashFolder({ viewer: admin, input: { folderId: await folderIdTitled("Design assets") } });
    expect(parentId).toBe(websiteRelaunch);
    expect(titles(await loadFolderTree({ viewer: member }))).not.toContain("Homepage mockups");
  });
});
