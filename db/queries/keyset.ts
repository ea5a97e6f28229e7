import { and, desc, eq, lt, or } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

type KeysetColumns = { createdAt: PgColumn; id: PgColumn };

/** One page of an organization's newest-first list: `limit` rows after `after`. */
export type OrganizationPageQuery = { organizationId: string; limit: number; after?: { createdAt: Date; id: string } };

/**
 * Newest-first keyset pagination on (createdAt, id): rows after the last one shown, so a page never
 * skips or repeats a row when rows are added meanwhile. The id breaks ties between equal timestamps.
 */
export function olderThan(columns: KeysetColumns, after: { createdAt: Date; id: string } | undefined) {
  if (!after) return undefined;
  return or(lt(columns.createdAt, after.createdAt), and(eq(columns.createdAt, after.createdAt), lt(columns.id, after.id)));
}

export const newestFirst = (columns: KeysetColumns) => [desc(columns.createdAt), desc(columns.id)];
