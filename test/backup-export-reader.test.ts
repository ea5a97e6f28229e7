import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { copyRows } from "@/db/copy-out";
import { COMMENT_FIELD, COMMENT_FIELD_COUNT, createExportScope, exportCommentsQuery, findExportOrganization, streamRows, withExportReader } from "@/db/queries/backup-export";
import { RowCounter, dataSetEntries } from "@/lib/archive/data-sets";
import { addComment } from "@/lib/workspace/comments";
import { taskIdTitled, viewerFor } from "./workspace-fixtures";

/**
 * The backup reads comments on a second connection (withExportReader): it must see exactly the
 * snapshot transaction's instant, however much is written meanwhile.
 */

async function commentBodies(reader: Parameters<typeof copyRows>[0], organizationId: string) {
  const bodies: string[] = [];
  for await (const page of copyRows(reader, exportCommentsQuery({ organizationId }), COMMENT_FIELD_COUNT)) {
    for (let row = 0; row < page.count; row++) {
      bodies.push(page.buffer(row).toString("utf8", page.start(row, COMMENT_FIELD.body), page.end(row, COMMENT_FIELD.body)));
    }
  }
  return bodies;
}

describe("withExportReader", () => {
  it("reads on another connection that sees the snapshot transaction's instant, not a comment committed since", async () => {
    const owner = await viewerFor("owner@demo.test");
    const taskId = await taskIdTitled("Draft three hero variants");
    const { inSnapshot, onReader, readerConnection, snapshotConnection } = await db.transaction(
      async (tx) => {
        await createExportScope({ viewer: owner, executor: tx });
        const inSnapshot = await commentBodies(tx, owner.organizationId);
        // Committed on another connection of the pool, after the snapshot was taken.
        await addComment({ viewer: owner, input: { targetType: "task", targetId: taskId, parentId: null, body: "Written while the backup ran" } });
        const [snapshotBackend] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        return withExportReader({ viewer: owner, executor: tx }, async (reader) => {
          const [readerBackend] = await reader.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
          return { inSnapshot, onReader: await commentBodies(reader, owner.organizationId), readerConnection: readerBackend?.pid, snapshotConnection: snapshotBackend?.pid };
        });
      },
      { isolationLevel: "repeatable read" },
    );
    expect(readerConnection).not.toBe(snapshotConnection);
    expect(inSnapshot.length).toBeGreaterThan(0);
    expect(onReader).toEqual(inSnapshot);
    expect(onReader).not.toContain("Written while the backup ran");
    const now = await db.transaction(async (tx) => {
      await createExportScope({ viewer: owner, executor: tx });
      return commentBodies(tx, owner.organizationId);
    });
    expect(now).toContain("Written while the backup ran");
  });

  it("ends the comments read that started early when the archive stops before reaching it, so both transactions end", async () => {
    const owner = await viewerFor("owner@demo.test");
    const taskId = await taskIdTitled("Draft three hero variants");
    // Enough comments that their COPY cannot end inside the driver's buffers: it holds its connection until read.
    await db.execute(sql`
      insert into comments (uid, organization_id, author_id, task_id, body)
      select upper(lpad(to_hex(n), 16, '0')), ${owner.organizationId}, ${owner.userId}, ${taskId}, repeat('Padding for a long comment. ', 10)
      from generate_series(1, 20000) as n`);
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-reader-"));
    try {
      const answer = await db.transaction(
        async (tx) => {
          await createExportScope({ viewer: owner, executor: tx });
          const organization = (await findExportOrganization({ organizationId: owner.organizationId, executor: tx }))!;
          return withExportReader({ viewer: owner, executor: tx }, async (reader) => {
            const options = { includeFiles: false, formats: ["json", "csv"], csvEncoding: "utf-8", includeBi: true } as const;
            const dataSets = dataSetEntries({ executor: tx, commentsReader: reader, organization, options: { ...options, formats: [...options.formats] }, counter: new RowCounter(), spoolDir });
            // Only the first entry is written, as when the archive's writing fails early.
            const content = dataSets.entries[0]!.content();
            // The first entry the archive reaches streams its bytes; only later ones come deflated from a spool.
            if ("deflated" in content) throw new Error("The first data set came from a spool.");
            for await (const chunk of content) expect(chunk.length).toBeGreaterThan(0);
            await dataSets.close();
            const [row] = await Promise.race([
              reader.execute<{ answer: number }>(sql`select 42 as answer`),
              sleep(10_000).then(() => {
                throw new Error("The reader's connection hangs after the comments read was closed.");
              }),
            ]);
            return row?.answer;
          });
        },
        { isolationLevel: "repeatable read" },
      );
      expect(answer).toBe(42);
    } finally {
      fs.rmSync(spoolDir, { recursive: true, force: true });
    }
  });
});

describe("streamRows", () => {
  async function batchSizes(query: ReturnType<typeof sql>, rowBytes?: (row: { body: string }) => number) {
    return db.transaction(async (tx) => {
      const sizes: number[] = [];
      for await (const rows of streamRows<{ body: string }>(tx, query, { rowBytes })) sizes.push(rows.length);
      return sizes;
    });
  }

  it("reads a cursor in batches of 1,000 rows", async () => {
    expect(await batchSizes(sql`select 'short' as body from generate_series(1, 2500)`)).toEqual([1000, 1000, 500]);
  });

  it("sizes batches by bytes when rows can be large: one row first, then as many as fit in 1 MiB", async () => {
    const large = sql`select repeat('x', 300000) as body from generate_series(1, 10)`;
    expect(await batchSizes(large, (row) => row.body.length)).toEqual([1, 3, 3, 3]);
    const small = sql`select 'short' as body from generate_series(1, 2500)`;
    expect(await batchSizes(small, (row) => row.body.length)).toEqual([1, 1000, 1000, 499]);
  });
});
