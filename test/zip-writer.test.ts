import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import type { ArchiveEntryRecord } from "@/db/schema";
import { EntryBody, SegmentWriter, centralDirectory, dosDateTime, shouldCompress, type DeflatedContent } from "@/lib/archive/zip";
import type { ObjectReader } from "@/lib/storage/types";

/** The hand-written ZIP format, checked by independent readers: Info-ZIP unzip, Python's zipfile, jszip. */

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-zip-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
const modifiedAt = new Date("2026-03-04T05:06:08Z");

/**
 * With `chunks`, the content is streamed in pieces of those sizes (the rest in one last piece); with
 * `reader`, the writer reads it into its own buffers, up to `reader` bytes at a time; with
 * `deflatedAhead`, it is deflated beforehand by an EntryBody fed pieces of those sizes (as a spooled
 * data set is) and handed over deflated.
 */
type Entry = { path: string; content: Buffer; compress: boolean; chunks?: number[]; reader?: number; deflatedAhead?: number[] };

const readersLeftOpen = new Set<ObjectReader>();

/** A reader that fills at most `step` bytes per read, so reads end anywhere within the writer's buffers. */
function readerOf(content: Buffer, step: number): ObjectReader {
  let offset = 0;
  const reader: ObjectReader = {
    async readInto(buffer) {
      const copied = content.copy(buffer, 0, offset, Math.min(offset + step, content.length));
      offset += copied;
      return copied;
    },
    async close() {
      readersLeftOpen.delete(reader);
    },
  };
  readersLeftOpen.add(reader);
  return reader;
}

async function* inPieces(content: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let offset = 0;
  for (const size of sizes) {
    yield content.subarray(offset, offset + size);
    offset += size;
  }
  if (offset < content.length) yield content.subarray(offset);
}

/** Deflates `content`, fed in pieces of `sizes`, as the writer's default level does, into memory. */
async function deflateAhead(content: Buffer, sizes: number[], level = 6): Promise<DeflatedContent> {
  const deflated: Buffer[] = [];
  const body = new EntryBody({ level, sink: async (chunk) => deflated.push(Buffer.from(chunk)) });
  for await (const piece of inPieces(content, sizes)) await body.write(piece);
  const sums = await body.end();
  return { ...sums, level, deflated: inPieces(Buffer.concat(deflated), []) };
}

/** Writes the entries split over several segments, then joins them with the central directory. */
async function buildArchive(name: string, segments: Entry[][]): Promise<string> {
  const parts: { file: string; size: number; entries: ArchiveEntryRecord[] }[] = [];
  for (const [index, entries] of segments.entries()) {
    const file = path.join(workDir, `${name}.${index}.seg`);
    const writer = await SegmentWriter.create(file, modifiedAt);
    for (const entry of entries) {
      const { chunks, reader, deflatedAhead } = entry;
      const content = deflatedAhead
        ? () => deflateAhead(entry.content, deflatedAhead)
        : reader
          ? () => readerOf(entry.content, reader)
          : chunks
            ? () => inPieces(entry.content, chunks)
            : entry.content;
      await writer.add({ path: entry.path, content, sizeHint: entry.content.length, compress: entry.compress });
    }
    const { sizeBytes, entries: records } = await writer.close();
    parts.push({ file, size: sizeBytes, entries: records });
  }
  const archive = path.join(workDir, `${name}.zip`);
  const output = fs.openSync(archive, "w");
  let offset = 0;
  const absolute: ArchiveEntryRecord[] = [];
  for (const part of parts) {
    fs.writeSync(output, fs.readFileSync(part.file));
    absolute.push(...part.entries.map((entry) => ({ ...entry, offset: entry.offset + offset })));
    offset += part.size;
  }
  for (const chunk of centralDirectory({ entries: absolute, directoryOffset: offset, modifiedAt })) fs.writeSync(output, chunk);
  fs.closeSync(output);
  return archive;
}

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function pythonListing(archive: string): Record<string, string> {
  const script = "import sys, zipfile, hashlib, json\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))";
  return JSON.parse(execFileSync("python3", ["-c", script, archive], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
}

/** Info-ZIP tests the archive; Python's zipfile and jszip read back every entry's exact bytes. Returns jszip's view. */
async function expectEveryReaderToRead(archive: string, entries: Entry[]): Promise<JSZip> {
  execFileSync("unzip", ["-tq", archive]);
  const python = pythonListing(archive);
  const zip = await JSZip.loadAsync(fs.readFileSync(archive));
  for (const entry of entries) {
    expect(python[entry.path], entry.path).toBe(sha(entry.content));
    expect(sha(await zip.file(entry.path)!.async("nodebuffer")), entry.path).toBe(sha(entry.content));
  }
  return zip;
}

describe("ZIP writer", () => {
  it("writes entries split over segments that unzip, zipfile and jszip all read back exactly", async () => {
    const entries: Entry[] = [
      { path: "ORG/README.txt", content: Buffer.from("hello\r\n".repeat(500)), compress: true },
      { path: "ORG/files/ABC_Café menu – été.txt", content: Buffer.from("crème brûlée, 日本語\n"), compress: true },
      { path: "ORG/files/DEF_image.png", content: randomBytes(300_000), compress: false },
      { path: "ORG/empty.json", content: Buffer.alloc(0), compress: true },
    ];
    const archive = await buildArchive("mixed", [entries.slice(0, 2), entries.slice(2)]);
    const zip = await expectEveryReaderToRead(archive, entries);
    for (const entry of entries) expect(zip.file(entry.path)!.date.toISOString()).toBe("2026-03-04T05:06:08.000Z");
    expect(fs.statSync(archive).size).toBeLessThan(300_000 + 10_000);
  });

  it("is deterministic: the same entries and timestamp give the same bytes", async () => {
    const entries: Entry[] = [
      { path: "a.txt", content: Buffer.from("same text ".repeat(1000)), compress: true },
      { path: "b.bin", content: Buffer.from(randomBytes(1000)), compress: false },
    ];
    const first = fs.readFileSync(await buildArchive("first", [entries]));
    const second = fs.readFileSync(await buildArchive("second", [entries.slice(0, 1), entries.slice(1)]));
    expect(sha(first)).toBe(sha(second));
  });

  it("streams entries cut in pieces of any size, or read into its own buffers, into the same bytes as whole ones", async () => {
    const MIB = 1024 * 1024;
    const text = Buffer.from(Array.from({ length: 120_000 }, (_, index) => `line ${index} of a streamed text\n`).join(""));
    const entries: Entry[] = [
      { path: "first.txt", content: Buffer.from("a few bytes left pending\n"), compress: false },
      { path: "stored.bin", content: randomBytes(3.5 * MIB), compress: false, chunks: [1, 700 * 1024, 1.5 * MIB] },
      { path: "deflated.txt", content: text, compress: true, chunks: [MIB, 5, 3] },
      { path: "whole-mebibytes.bin", content: randomBytes(2 * MIB), compress: false, chunks: [MIB, MIB] },
      { path: "last.txt", content: Buffer.from("end\n"), compress: true, chunks: [1] },
      { path: "read-stored.bin", content: randomBytes(5.5 * MIB), compress: false, reader: 300_000 },
      { path: "read-deflated.txt", content: text, compress: true, reader: 1.5 * MIB },
      { path: "read-empty.txt", content: Buffer.alloc(0), compress: true, reader: MIB },
    ];
    const streamed = await buildArchive("streamed", [entries]);
    expect(readersLeftOpen.size).toBe(0);
    await expectEveryReaderToRead(streamed, entries);
    const whole = await buildArchive("whole", [entries.map(({ chunks: _chunks, reader: _reader, ...entry }) => entry)]);
    expect(sha(fs.readFileSync(streamed))).toBe(sha(fs.readFileSync(whole)));
  });

  it("writes content deflated ahead of its place into the same bytes as the same content deflated in place", async () => {
    const text = Buffer.from(Array.from({ length: 80_000 }, (_, index) => `"${index}","a spooled CSV row"\r\n`).join(""));
    const entries: Entry[] = [
      { path: "streamed.txt", content: text, compress: true, chunks: [70_000, 3] },
      { path: "ahead.txt", content: text, compress: true, deflatedAhead: [1, 250_000, 1_000_000] },
      { path: "ahead-empty.txt", content: Buffer.alloc(0), compress: true, deflatedAhead: [] },
    ];
    const ahead = await buildArchive("ahead", [entries]);
    await expectEveryReaderToRead(ahead, entries);
    const inPlace = await buildArchive("in-place", [entries.map(({ deflatedAhead: _deflatedAhead, ...entry }) => entry)]);
    expect(sha(fs.readFileSync(ahead))).toBe(sha(fs.readFileSync(inPlace)));
  });

  it("refuses content deflated at another level than its entry's, or cut short, rather than write bytes another build would not", async () => {
    const text = Buffer.from("the same text, twice\n".repeat(5_000));
    const writer = await SegmentWriter.create(path.join(workDir, "refused.seg"), modifiedAt);
    try {
      const atLevel1 = await deflateAhead(text, [], 1);
      await expect(writer.add({ path: "level.txt", content: () => atLevel1, sizeHint: text.length, compress: true, level: 9 })).rejects.toThrow("deflated at level 1, not as the entry is written (level 9)");
      const stored = await deflateAhead(text, []);
      await expect(writer.add({ path: "stored.txt", content: () => stored, sizeHint: text.length, compress: false })).rejects.toThrow("not as the entry is written (stored)");
      const whole = await deflateAhead(text, []);
      const shortened = { ...whole, deflated: inPieces(Buffer.alloc(whole.compressedSize - 1), []) };
      await expect(writer.add({ path: "short.txt", content: () => shortened, sizeHint: text.length, compress: true })).rejects.toThrow(`has ${whole.compressedSize - 1} deflated bytes where ${whole.compressedSize} were made`);
    } finally {
      await writer.discard();
    }
  });

  it("switches to ZIP64 end records past 65,535 entries (70,000 here), which every reader accepts", { timeout: 120_000 }, async () => {
    const entries: Entry[] = Array.from({ length: 70_000 }, (_, index) => ({ path: `many/${String(index).padStart(5, "0")}.txt`, content: Buffer.from(`entry ${index}\n`), compress: false }));
    const archive = await buildArchive("many", [entries.slice(0, 35_000), entries.slice(35_000)]);
    execFileSync("unzip", ["-tq", archive]);
    const python = pythonListing(archive);
    expect(Object.keys(python)).toHaveLength(70_000);
    expect(python["many/69999.txt"]).toBe(sha(Buffer.from("entry 69999\n")));
    const zip = await JSZip.loadAsync(fs.readFileSync(archive));
    expect(Object.keys(zip.files)).toHaveLength(70_000);
  });

  it("encodes DOS timestamps and picks compression by content type", () => {
    expect(dosDateTime(new Date("1980-01-01T00:00:00Z"))).toEqual({ time: 0, date: (0 << 9) | (1 << 5) | 1 });
    expect(shouldCompress("text/plain; charset=utf-8")).toBe(true);
    expect(shouldCompress("application/json")).toBe(true);
    expect(shouldCompress("image/svg+xml")).toBe(true);
    for (const stored of ["image/png", "application/pdf", "video/mp4", "application/zip", "application/octet-stream"]) expect(shouldCompress(stored)).toBe(false);
  });
});
