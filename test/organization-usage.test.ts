import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { sumOrganizationContentBytes } from "@/db/queries/organization-usage";
import { fileVersions, files } from "@/db/schema";
import { newUid } from "@/lib/ids";
import { folderIdTitled, organizationIdNamed } from "./workspace-fixtures";

const GIB = 1024 ** 3;

async function addFileWithVersions({ organizationId, folderId, sizes }: { organizationId: string; folderId: string; sizes: number[] }) {
  const [file] = await db
    .insert(files)
    .values({ uid: newUid(), organizationId, folderId, name: "usage-test.bin", contentType: "application/octet-stream", currentVersion: sizes.length })
    .returning();
  await db.insert(fileVersions).values(
    sizes.map((sizeBytes, index) => ({
      uid: newUid(),
      fileId: file!.id,
      version: index + 1,
      sizeBytes,
      sha256: "0".repeat(64),
      storageKey: `usage-test/${file!.id}/${index + 1}`,
    })),
  );
  return file!;
}

describe("sumOrganizationContentBytes", () => {
  it("counts every version of the organization's files, not other organizations' files and not the trash", async () => {
    const demoCo = await organizationIdNamed("Demo Co");
    const otherInc = await organizationIdNamed("Other Inc");
    const demoBefore = await sumOrganizationContentBytes({ organizationId: demoCo });
    const otherBefore = await sumOrganizationContentBytes({ organizationId: otherInc });
    expect(demoBefore).toBeGreaterThan(0);

    // Sizes past 4 GiB in total: the sum must stay exact, not wrap or round.
    const sizes = [3 * GIB + 7, 2 * GIB + 11, 1];
    const file = await addFileWithVersions({ organizationId: demoCo, folderId: await folderIdTitled("Marketing"), sizes });
    expect(await sumOrganizationContentBytes({ organizationId: demoCo })).toBe(demoBefore + 5 * GIB + 19);
    expect(await sumOrganizationContentBytes({ organizationId: otherInc })).toBe(otherBefore);

    await db.update(files).set({ deletedAt: new Date() }).where(eq(files.id, file.id));
    expect(await sumOrganizationContentBytes({ organizationId: demoCo })).toBe(demoBefore);
  });

  it("is 0 for an organization without files", async () => {
    const freeLtd = await organizationIdNamed("Free Ltd");
    await db.delete(files).where(eq(files.organizationId, freeLtd));
    expect(await sumOrganizationContentBytes({ organizationId: freeLtd })).toBe(0);
  });
});
