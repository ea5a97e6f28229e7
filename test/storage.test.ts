import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FilesystemStorage } from "@/lib/storage/filesystem";
import { EmptyObjectError, ObjectNotFoundError, ObjectTooLargeError } from "@/lib/storage/types";

let root: string;
let storage: FilesystemStorage;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-storage-"));
  storage = new FilesystemStorage(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

function chunks(count: number, size: number) {
  return Readable.from(
    (function* () {
      for (let index = 0; index < count; index += 1) yield Buffer.alloc(size, index % 256);
    })(),
  );
}

describe("filesystem storage", () => {
  it("streams a body in, hashing on the way, and reads it back whole or by range", async () => {
    const body = Buffer.from("hello archivist, hello storage");
    const stored = await storage.put("orgs/a/versions/v1", Readable.from([body.subarray(0, 5), body.subarray(5)]));
    expect(stored).toEqual({ sizeBytes: body.length, sha256: createHash("sha256").update(body).digest("hex") });
    expect(await text(await storage.read("orgs/a/versions/v1"))).toBe(body.toString());
    expect(await text(await storage.read("orgs/a/versions/v1", { start: 6, end: 14 }))).toBe("archivist");
    expect(await storage.stat("orgs/a/versions/v1")).toEqual({ sizeBytes: body.length });
  });

  it("refuses a body over the limit and leaves nothing behind", async () => {
    await expect(storage.put("orgs/a/big", chunks(10, 1024), { maxBytes: 4096 })).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(listFiles(root)).toEqual([]);
  });

  it("refuses an empty body and leaves nothing behind", async () => {
    await expect(storage.put("orgs/a/empty", Readable.from([]))).rejects.toBeInstanceOf(EmptyObjectError);
    expect(listFiles(root)).toEqual([]);
  });

  it("keeps the previous object when a replacement fails midway", async () => {
    await storage.put("orgs/a/doc", Buffer.from("original"));
    const failing = new Readable({
      read() {
        this.push(Buffer.from("partial"));
        this.destroy(new Error("connection reset"));
      },
    });
    await expect(storage.put("orgs/a/doc", failing)).rejects.toThrow("connection reset");
    expect(await text(await storage.read("orgs/a/doc"))).toBe("original");
    expect(listFiles(root)).toEqual(["doc"]);
  });

  it("reports a missing object plainly and deletes idempotently", async () => {
    await expect(storage.read("orgs/a/missing")).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await storage.stat("orgs/a/missing")).toBeNull();
    await storage.delete("orgs/a/missing");
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
    expect(composed).toEqual({ sizeBytes: expected.length, sha256: createHash("sha256").update(expected).digest("hex") });
    expect(fs.readFileSync(path.join(root, "whole")).equals(expected)).toBe(true);
    await expect(storage.compose("broken", [{ key: "parts/a" }, { key: "parts/missing" }])).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await storage.stat("broken")).toBeNull();
  });
});
