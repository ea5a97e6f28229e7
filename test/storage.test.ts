import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FilesystemStorage } from "@/lib/storage/filesystem";
import { describeStorageContract } from "./support/storage-contract";

describeStorageContract("filesystem", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-storage-"));
  return {
    driver: new FilesystemStorage(root),
    leftovers: async () =>
      fs
        .readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))),
    dispose: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
});
