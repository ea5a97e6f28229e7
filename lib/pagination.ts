import { AppError } from "@/lib/errors";
import { UUID_PATTERN } from "@/lib/ids";

/** A position in a newest-first list: the last row shown, so pages never skip or repeat a row. */
export type PageCursor = { createdAt: Date; id: string };

function encodePageCursor(row: PageCursor): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

/** A hand-edited or truncated cursor is bad input, not a server error. */
function decodePageCursor(cursor: string): PageCursor {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(createdAt ?? "");
  if (!id || !UUID_PATTERN.test(id) || Number.isNaN(date.getTime())) {
    throw new AppError("invalid_input", "The page cursor is not valid.", { field: "cursor" });
  }
  return { createdAt: date, id };
}

/** Fetches one row more than the page holds to know whether another page follows. */
export async function readPage<Row extends PageCursor>({
  cursor,
  limit,
  fetchRows,
}: {
  cursor?: string;
  limit: number;
  fetchRows: (query: { after?: PageCursor; limit: number }) => Promise<Row[]>;
}): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const rows = await fetchRows({ after: cursor ? decodePageCursor(cursor) : undefined, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
}
