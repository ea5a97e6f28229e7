import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { assertSafeKey, copyParts, toNodeReadable } from "./common";
import {
  EmptyObjectError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type ByteRange,
  type ComposePart,
  type ObjectReader,
  type StorageBody,
  type StorageDriver,
  type StoredObject,
} from "./types";

const openFile = promisify(fs.open);

async function writeWhole(file: fsp.FileHandle, bytes: Buffer) {
  for (let written = 0; written < bytes.length; ) {
    written += (await file.write(bytes, written, bytes.length - written, null)).bytesWritten;
  }
}

/** Counts and hashes bytes as they pass, failing the stream once the limit is crossed. */
function meter(maxBytes: number | undefined) {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (maxBytes !== undefined && sizeBytes > maxBytes) {
        callback(new ObjectTooLargeError(maxBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { transform, result: (): StoredObject => ({ sizeBytes, sha256: hash.digest("hex") }) };
}

export class FilesystemStorage implements StorageDriver {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, body: StorageBody, options: { maxBytes?: number } = {}): Promise<StoredObject> {
    const finalPath = this.pathOf(key);
    await fsp.mkdir(path.dirname(finalPath), { recursive: true });
    const tempPath = `${finalPath}.${randomUUID()}.partial`;
    const { transform, result } = meter(options.maxBytes);
    try {
      await pipeline(toNodeReadable(body), transform, fs.createWriteStream(tempPath, { flags: "wx" }));
      const stored = result();
      if (stored.sizeBytes === 0) throw new EmptyObjectError();
      await fsp.rename(tempPath, finalPath);
      return stored;
    } catch (error) {
      await fsp.rm(tempPath, { force: true });
      throw error;
    }
  }

  async putFile(key: string, filePath: string): Promise<{ sizeBytes: number }> {
    const finalPath = this.pathOf(key);
    const { size } = await fsp.stat(filePath);
    if (size === 0) throw new EmptyObjectError();
    await fsp.mkdir(path.dirname(finalPath), { recursive: true });
    try {
      // Atomic, and replaces an object stored by an earlier attempt.
      await fsp.rename(filePath, finalPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      return { sizeBytes: (await this.put(key, fs.createReadStream(filePath))).sizeBytes };
    }
    return { sizeBytes: size };
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const filePath = this.pathOf(key);
    const fd = await openFile(filePath, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new ObjectNotFoundError(key);
      throw error;
    });
    // 1 MiB reads, the size downloads read with (lib/workspace/downloads.ts), not the default 64 KiB. A
    // stream on a plain descriptor reads with callbacks, where a FileHandle's stream makes a promise per read.
    return fs.createReadStream(filePath, { fd, highWaterMark: 1024 * 1024, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  async openReader(key: string, range?: ByteRange): Promise<ObjectReader> {
    const handle = await fsp.open(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new ObjectNotFoundError(key);
      throw error;
    });
    let position = range?.start ?? 0;
    const end = range ? range.end + 1 : Number.POSITIVE_INFINITY;
    return {
      readInto: async (buffer) => {
        const length = Math.min(buffer.length, end - position);
        if (length <= 0) return 0;
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        position += bytesRead;
        return bytesRead;
      },
      close: () => handle.close(),
    };
  }

  async stat(key: string) {
    try {
      const stats = await fsp.stat(this.pathOf(key));
      return { sizeBytes: stats.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async compose(key: string, parts: ComposePart[]): Promise<StoredObject> {
    const finalPath = this.pathOf(key);
    await fsp.mkdir(path.dirname(finalPath), { recursive: true });
    const tempPath = `${finalPath}.${randomUUID()}.partial`;
    const output = await fsp.open(tempPath, "wx");
    try {
      const stored = await copyParts({ parts, openReader: (partKey) => this.openReader(partKey), write: (bytes) => writeWhole(output, bytes) });
      await output.close();
      if (stored.sizeBytes === 0) throw new EmptyObjectError();
      await fsp.rename(tempPath, finalPath);
      return stored;
    } catch (error) {
      await output.close().catch(() => undefined);
      await fsp.rm(tempPath, { force: true });
      throw error;
    }
  }

  async delete(key: string) {
    await fsp.rm(this.pathOf(key), { force: true });
  }
}
