import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { files, fileVersions } from "@/db/schema";

/**
 * Bytes of every version of every file of the organization that is not in the trash: what a backup
 * "with files" would pack, and so what its price is estimated from.
 */
export async function sumOrganizationContentBytes({
  organizationId,
  executor = db,
}: {
  organizationId: string;
  executor?: Executor;
}): Promise<number> {
  const [row] = await executor
    // sum() of a bigint is numeric; as text it reads the same from postgres.js and PGlite, and a
    // Number is exact up to 8 PiB.
    .select({ total: sql<string>`coalesce(sum(${fileVersions.sizeBytes}), 0)::text` })
    .from(fileVersions)
    .innerJoin(files, eq(files.id, fileVersions.fileId))
    .where(and(eq(files.organizationId, organizationId), isNull(files.deletedAt)));
  return Number(row?.total ?? 0);
}
