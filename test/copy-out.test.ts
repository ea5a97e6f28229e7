import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { describe, expect, it } from "vitest";
import { db, type Executor } from "@/db/connection";
import { CopyFormatError, copyBinaryChunks, copyPages, copyRows, type CopyPage } from "@/db/copy-out";

/** COPY's binary output read as pages (db/copy-out.ts), on PostgreSQL and on PGlite. */

const TEXTS = ["plain", "", "quote \" and backslash \\", "tab\tnew\nline\r", "ünïcödé — 日本語 🎉", "'; drop table users; --"];

/** Rows 1..n: the row number, a text that cycles through TEXTS (null every seventh row) and a long text. */
const sampleQuery = (rows: number) => sql`
  select n::text as number, case when n % 7 = 0 then null else (array[${sql.join(TEXTS.map((text) => sql`${text}`), sql`, `)}])[1 + n % ${TEXTS.length}] end, repeat('x', n % 300) as padding
  from generate_series(1, ${rows}) as n order by n`;

const expectedRow = (n: number) => [String(n), n % 7 === 0 ? null : TEXTS[n % TEXTS.length]!, "x".repeat(n % 300)];

function rowsOf(page: CopyPage): (string | null)[][] {
  return Array.from({ length: page.count }, (_, row) =>
    Array.from({ length: page.fieldCount }, (_, field) => (page.isNull(row, field) ? null : page.buffer(row).toString("utf8", page.start(row, field), page.end(row, field)))),
  );
}

async function readAll(pages: AsyncIterable<CopyPage>) {
  const rows: (string | null)[][] = [];
  const pageSizes: number[] = [];
  for await (const page of pages) {
    pageSizes.push(page.count);
    rows.push(...rowsOf(page));
  }
  return { rows, pageSizes };
}

/** The raw bytes of COPY's binary output of a query, as PostgreSQL sends them. */
async function copyBytes(query: SQL): Promise<Buffer> {
  return db.transaction(async (tx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of copyBinaryChunks(tx, query)) chunks.push(chunk);
    return Buffer.concat(chunks);
  });
}

async function* chunksOf(bytes: Buffer, size: number) {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

describe("copyRows on PostgreSQL", () => {
  it("reads every row and field, nulls and empty texts apart, in pages of at most 1,000 rows", async () => {
    const { rows, pageSizes } = await db.transaction((tx) => readAll(copyRows(tx, sampleQuery(2_345), 3)));
    expect(rows).toEqual(Array.from({ length: 2_345 }, (_, index) => expectedRow(index + 1)));
    expect(pageSizes).toEqual([1_000, 1_000, 345]);
  });

  it("reads nothing from an empty result", async () => {
    const { rows } = await db.transaction((tx) => readAll(copyRows(tx, sql`select 'a'::text where false`, 1)));
    expect(rows).toEqual([]);
  });

  it("leaves the transaction usable when the reader stops early or reads slowly", async () => {
    const answer = await db.transaction(async (tx) => {
      for await (const page of copyRows(tx, sampleQuery(20_000), 3)) {
        expect(page.count).toBe(1_000);
        break;
      }
      // A slow reader makes the driver pause its socket (backpressure) while the COPY ends.
      let read = 0;
      for await (const page of copyRows(tx, sampleQuery(5_000), 3)) {
        read += page.count;
        await sleep(5);
      }
      expect(read).toBe(5_000);
      const [row] = await Promise.race([
        tx.execute<{ answer: number }>(sql`select 42 as answer`),
        sleep(10_000).then(() => {
          throw new Error("The transaction's connection hangs after a COPY.");
        }),
      ]);
      return row?.answer;
    });
    expect(answer).toBe(42);
  });

  it("rolls the transaction back with the query's error when COPY fails", async () => {
    await expect(db.transaction((tx) => readAll(copyRows(tx, sql`select (1 / (n - 500))::text from generate_series(1, 2000) as n`, 1)))).rejects.toThrow(/division by zero/);
    const [row] = await db.execute<{ ok: number }>(sql`select 1 as ok`);
    expect(row?.ok).toBe(1);
  });

  it("writes parameters into the statement as quoted literals", async () => {
    const hostile = "it's a \"test\" \\ ; select 1";
    const { rows } = await db.transaction((tx) => readAll(copyRows(tx, sql`select ${hostile}::text`, 1)));
    expect(rows).toEqual([[hostile]]);
  });
});

describe("copyPages", () => {
  it("parses the same rows however the bytes are cut", async () => {
    const bytes = await copyBytes(sampleQuery(1_200));
    const whole = await readAll(copyPages(chunksOf(bytes, bytes.length), 3));
    expect(whole.rows).toEqual(Array.from({ length: 1_200 }, (_, index) => expectedRow(index + 1)));
    for (const size of [1, 2, 5, 19, 20, 4_096]) {
      expect((await readAll(copyPages(chunksOf(bytes, size), 3))).rows).toEqual(whole.rows);
    }
  });

  it("skips a header extension, even one cut across chunks", async () => {
    const bytes = await copyBytes(sampleQuery(50));
    const extension = Buffer.from("future header data");
    const lengthAt = 15;
    const extended = Buffer.concat([bytes.subarray(0, lengthAt), Buffer.alloc(4), extension, bytes.subarray(lengthAt + 4)]);
    extended.writeInt32BE(extension.length, lengthAt);
    const expected = (await readAll(copyPages(chunksOf(bytes, bytes.length), 3))).rows;
    for (const size of [1, 17, 21, extended.length]) expect((await readAll(copyPages(chunksOf(extended, size), 3))).rows).toEqual(expected);
  });

  it("refuses output cut in the middle of a row, a wrong field count, or no binary signature", async () => {
    const bytes = await copyBytes(sampleQuery(10));
    await expect(readAll(copyPages(chunksOf(bytes.subarray(0, bytes.length - 5), 64), 3))).rejects.toThrow(CopyFormatError);
    await expect(readAll(copyPages(chunksOf(bytes, 64), 2))).rejects.toThrow(/3 fields where 2/);
    await expect(readAll(copyPages(chunksOf(Buffer.from("1\tplain\n\\.\n".padEnd(40, " ")), 64), 1))).rejects.toThrow(/signature/);
  });
});

describe("copyRows on PGlite (the embedded database)", () => {
  it("reads the same rows as on PostgreSQL", async () => {
    const client = new PGlite();
    try {
      const embedded = drizzlePglite(client) as unknown as Executor;
      const { rows } = await (embedded as typeof db).transaction((tx) => readAll(copyRows(tx, sampleQuery(1_500), 3)));
      expect(rows).toEqual(Array.from({ length: 1_500 }, (_, index) => expectedRow(index + 1)));
    } finally {
      await client.close();
    }
  });
});
