import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer, text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmptyObjectError, ObjectNotFoundError, ObjectTooLargeError, type ObjectReader, type StorageDriver } from "@/lib/storage/types";

export type StorageUnderTest = {
  driver: StorageDriver;
  /** Everything the backing store holds, finished or not (temporary files, open multipart uploads). */
  leftovers(): Promise<string[]>;
  dispose?(): Promise<void>;
};

export function sha256(bytes: Buffer) {
  return createHash("sha256").update(bytes).digest("hex");
}

export function chunks(count: number, size: number) {
  return Readable.from(
    (function* () {
      for (let index = 0; index < count; index += 1) yield Buffer.alloc(size, index % 256);
    })(),
  );
}

/** A body that yields `prefix` and then breaks off, as a dropped upload connection does. */
export function failingAfter(prefix: Buffer) {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(prefix);
        return;
      }
      this.destroy(new Error("connection reset"));
    },
  });
}

/** What every storage driver promises (lib/storage/types.ts), run against one driver. */
/** Reads everything a reader gives into a buffer of `bufferBytes`, checks it then stays at its end, and closes it. */
async function readAll(reader: ObjectReader, bufferBytes: number): Promise<Buffer> {
  const into = Buffer.alloc(bufferBytes);
  const parts: Buffer[] = [];
  try {
    for (let bytesRead = await reader.readInto(into); bytesRead > 0; bytesRead = await reader.readInto(into)) {
      expect(bytesRead).toBeLessThanOrEqual(into.length);
      parts.push(Buffer.from(into.subarray(0, bytesRead)));
    }
    expect(await reader.readInto(into)).toBe(0);
  } finally {
    await reader.close();
  }
  return Buffer.concat(parts);
}

export function describeStorageContract(name: string, open: () => Promise<StorageUnderTest>) {
  describe(`${name} storage contract`, () => {
    let storage: StorageDriver;
    let underTest: StorageUnderTest;

    beforeEach(async () => {
      underTest = await open();
      storage = underTest.driver;
    });
    afterEach(async () => {
      await underTest.dispose?.();
    });

    it("streams a body in, hashing on the way, and reads it back whole or by range", async () => {
      const body = Buffer.from("hello archivist, hello storage");
      const stored = await storage.put("orgs/a/versions/v1", Readable.from([body.subarray(0, 5), body.subarray(5)]));
      expect(stored).toEqual({ sizeBytes: body.length, sha256: sha256(body) });
      expect(await text(await storage.read("orgs/a/versions/v1"))).toBe(body.toString());
      expect(await text(await storage.read("orgs/a/versions/v1", { start: 6, end: 14 }))).toBe("archivist");
      expect(await storage.stat("orgs/a/versions/v1")).toEqual({ sizeBytes: body.length });
    });

    it("opens an object, whole or by range, for reading into the caller's buffer a part at a time, 0 at the end", async () => {
      const body = randomBytes(100_000);
      await storage.put("orgs/a/read-into", Readable.from([body.subarray(0, 30_000), body.subarray(30_000)]));
      expect((await readAll(await storage.openReader("orgs/a/read-into"), 7_000)).equals(body)).toBe(true);
      expect((await readAll(await storage.openReader("orgs/a/read-into", { start: 29_999, end: 44_000 }), 7_000)).equals(body.subarray(29_999, 44_001))).toBe(true);
      expect((await readAll(await storage.openReader("orgs/a/read-into", { start: 99_999, end: 99_999 }), 7_000)).equals(body.subarray(99_999))).toBe(true);
      await expect(storage.openReader("orgs/a/missing")).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it("accepts a web stream and plain bytes as bodies", async () => {
      const web = new Blob([Buffer.from("from a web stream")]).stream();
      expect((await storage.put("orgs/a/web", web)).sizeBytes).toBe(17);
      expect(await text(await storage.read("orgs/a/web"))).toBe("from a web stream");
      await storage.put("orgs/a/bytes", new Uint8Array([1, 2, 3]));
      expect([...(await buffer(await storage.read("orgs/a/bytes")))]).toEqual([1, 2, 3]);
    });

    it("refuses a body over the limit and leaves nothing behind", async () => {
      await expect(storage.put("orgs/a/big", chunks(10, 1024), { maxBytes: 4096 })).rejects.toBeInstanceOf(ObjectTooLargeError);
      expect(await underTest.leftovers()).toEqual([]);
    });

    it("refuses an empty body and leaves nothing behind", async () => {
      await expect(storage.put("orgs/a/empty", Readable.from([]))).rejects.toBeInstanceOf(EmptyObjectError);
      expect(await underTest.leftovers()).toEqual([]);
    });

    it("keeps the previous object when a replacement fails midway", async () => {
      await storage.put("orgs/a/doc", Buffer.from("original"));
      await expect(storage.put("orgs/a/doc", failingAfter(Buffer.from("partial")))).rejects.toThrow("connection reset");
      expect(await text(await storage.read("orgs/a/doc"))).toBe("original");
      expect(await underTest.leftovers()).toEqual(["orgs/a/doc"]);
    });

    it("stores a local file whole, replacing what the key held, and refuses an empty one", async () => {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-put-file-"));
      try {
        const first = path.join(directory, "first");
        fs.writeFileSync(first, "the first segment");
        expect(await storage.putFile("orgs/a/segment", first)).toEqual({ sizeBytes: 17 });
        const second = path.join(directory, "second");
        const body = Buffer.concat([...Array.from({ length: 40 }, (_, index) => Buffer.alloc(64 * 1024, index))]);
        fs.writeFileSync(second, body);
        expect(await storage.putFile("orgs/a/segment", second)).toEqual({ sizeBytes: body.length });
        expect(sha256(await buffer(await storage.read("orgs/a/segment")))).toBe(sha256(body));
        const empty = path.join(directory, "empty");
        fs.writeFileSync(empty, "");
        await expect(storage.putFile("orgs/a/empty", empty)).rejects.toBeInstanceOf(EmptyObjectError);
        expect(await underTest.leftovers()).toEqual(["orgs/a/segment"]);
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    });

    it("reports a missing object plainly and deletes idempotently", async () => {
      await expect(storage.read("orgs/a/missing")).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await storage.stat("orgs/a/missing")).toBeNull();
      await storage.delete("orgs/a/missing");
      await storage.put("orgs/a/present", Buffer.from("x"));
      await storage.delete("orgs/a/present");
      await storage.delete("orgs/a/present");
      expect(await storage.stat("orgs/a/present")).toBeNull();
    });

    it.each(["../escape", "/absolute", "a//b", "a/./b", ""])("rejects the unsafe key %j", async (key) => {
      await expect(storage.put(key, Buffer.from("x"))).rejects.toThrow(/Unsafe storage key/);
    });

    it("composes an object from stored objects and bytes, in order, with its size and sha256", async () => {
      await storage.put("parts/a", Readable.from([Buffer.from("first-")]));
      await storage.put("parts/b", chunks(3, 100_000));
      const tail = Buffer.from("-tail");
      const composed = await storage.compose("whole", [{ key: "parts/a" }, { key: "parts/b" }, { bytes: tail }]);
      const expected = Buffer.concat([Buffer.from("first-"), ...Array.from({ length: 3 }, (_, index) => Buffer.alloc(100_000, index)), tail]);
      expect(composed).toEqual({ sizeBytes: expected.length, sha256: sha256(expected) });
      expect((await buffer(await storage.read("whole"))).equals(expected)).toBe(true);
      await expect(storage.compose("broken", [{ key: "parts/a" }, { key: "parts/missing" }])).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await storage.stat("broken")).toBeNull();
      expect((await underTest.leftovers()).sort()).toEqual(["parts/a", "parts/b", "whole"]);
    });

    it("composes parts of several mebibytes, each byte in place, whatever the sizes of the reads behind it", async () => {
      // Random bytes, so a buffer read into again before its bytes were written would show. Parts of
      // exactly 1 MiB follow one another: each ends with an empty read just after a full one.
      const partBytes = [randomBytes(2.5 * 1024 * 1024), randomBytes(1024 * 1024 + 3), randomBytes(1), ...Array.from({ length: 12 }, () => randomBytes(1024 * 1024))];
      for (const [index, bytes] of partBytes.entries()) await storage.put(`parts/${index}`, bytes);
      const directory = randomBytes(70_000);
      const composed = await storage.compose("whole", [{ key: "parts/0" }, { bytes: directory }, ...[...partBytes.keys()].map((index) => ({ key: `parts/${index}` }))]);
      const expected = Buffer.concat([partBytes[0]!, directory, ...partBytes]);
      expect(composed).toEqual({ sizeBytes: expected.length, sha256: sha256(expected) });
      expect((await buffer(await storage.read("whole"))).equals(expected)).toBe(true);
    });
  });
}
