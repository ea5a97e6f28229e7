import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { copyParts } from "@/lib/storage/common";
import { ObjectNotFoundError, type ComposePart, type ObjectReader } from "@/lib/storage/types";

const BUFFER_BYTES = 1000;

/** Stored objects in memory, read at most `readBytes` at a time; counts readers left open. */
function memoryObjects(objects: Map<string, Buffer>, readBytes: number) {
  let open = 0;
  const openReader = async (key: string): Promise<ObjectReader> => {
    const bytes = objects.get(key);
    if (!bytes) throw new ObjectNotFoundError(key);
    open += 1;
    let position = 0;
    return {
      readInto: async (buffer) => {
        const copied = bytes.copy(buffer, 0, position, Math.min(bytes.length, position + readBytes));
        position += copied;
        return copied;
      },
      close: async () => {
        open -= 1;
      },
    };
  };
  return { openReader, openReaders: () => open };
}

/** A write that keeps the bytes only after a while, so a buffer read into again before then shows. */
function slowSink(failOnWrite?: number) {
  const written: Buffer[] = [];
  const write = async (bytes: Buffer) => {
    await sleep(2);
    if (written.length === failOnWrite) throw new Error("disk full");
    written.push(Buffer.from(bytes));
  };
  return { write, written };
}

describe("copyParts", () => {
  it.each([BUFFER_BYTES, 333])("writes every byte of every part in order, with reads of up to %i bytes", async (readBytes) => {
    // Parts of exactly one and two buffers end with an empty read right after a full one.
    const sizes = [BUFFER_BYTES, BUFFER_BYTES, 2 * BUFFER_BYTES, 1, 2_500, BUFFER_BYTES + 1, BUFFER_BYTES, 999];
    const objects = new Map(sizes.map((size, index) => [`parts/${index}`, randomBytes(size)]));
    const between = randomBytes(1_234);
    const parts: ComposePart[] = [...objects.keys()].flatMap((key, index) => (index === 4 ? [{ key }, { bytes: between }] : [{ key }]));
    const expected = Buffer.concat([...objects.values()].flatMap((bytes, index) => (index === 4 ? [bytes, between] : [bytes])));
    const { openReader, openReaders } = memoryObjects(objects, readBytes);
    const sink = slowSink();

    const stored = await copyParts({ parts, openReader, write: sink.write, bufferBytes: BUFFER_BYTES });

    expect(Buffer.concat(sink.written).equals(expected)).toBe(true);
    expect(stored).toEqual({ sizeBytes: expected.length, sha256: createHash("sha256").update(expected).digest("hex") });
    expect(openReaders()).toBe(0);
  });

  it("fails with the write's error, closing the reader it was reading", async () => {
    const objects = new Map([["parts/a", randomBytes(10 * BUFFER_BYTES)]]);
    const { openReader, openReaders } = memoryObjects(objects, BUFFER_BYTES);
    await expect(copyParts({ parts: [{ key: "parts/a" }], openReader, write: slowSink(3).write, bufferBytes: BUFFER_BYTES })).rejects.toThrow("disk full");
    expect(openReaders()).toBe(0);
  });

  it("fails for a missing part once what came before it is written", async () => {
    const objects = new Map([["parts/a", randomBytes(BUFFER_BYTES)]]);
    const { openReader } = memoryObjects(objects, BUFFER_BYTES);
    const sink = slowSink();
    await expect(copyParts({ parts: [{ key: "parts/a" }, { key: "parts/missing" }], openReader, write: sink.write, bufferBytes: BUFFER_BYTES })).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(Buffer.concat(sink.written).equals(objects.get("parts/a")!)).toBe(true);
  });
});
