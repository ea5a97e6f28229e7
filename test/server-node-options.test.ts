import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { withServerNodeOptions } from "@/scripts/lib/server-node-options";

const MIB = 1024 ** 2;
const REPORT_HEAP_AND_TITLE = `node -p 'JSON.stringify({ heapLimitBytes: require("node:v8").getHeapStatistics().heap_size_limit, title: process.title })'`;
const CALLER_OPTIONS = "--title=archivist-caller";

function report(output: string): { heapLimitBytes: number; title: string } {
  return JSON.parse(output.trim().split("\n").at(-1)!);
}

describe("the server's Node options", () => {
  it("are what `npm start` runs next with, ahead of the caller's own options", () => {
    const startScript = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts.start!;
    const serverCommand = startScript.split("&&").at(-1)!.trim();
    expect(serverCommand).toMatch(/ next start$/);
    const result = spawnSync("sh", ["-c", serverCommand.replace(/next start$/, REPORT_HEAP_AND_TITLE)], {
      env: { ...process.env, NODE_OPTIONS: CALLER_OPTIONS },
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    const started = report(result.stdout);

    const fromScripts = spawnSync("sh", ["-c", REPORT_HEAP_AND_TITLE], { env: withServerNodeOptions({ ...process.env, NODE_OPTIONS: CALLER_OPTIONS }), encoding: "utf8" });
    expect(fromScripts.status, fromScripts.stderr).toBe(0);
    expect(report(fromScripts.stdout)).toEqual(started);
    expect(started.title).toBe("archivist-caller");
  });

  it("cap the old generation at 1 GiB, under Node's default", () => {
    const limitOf = (env: NodeJS.ProcessEnv) => report(spawnSync("sh", ["-c", REPORT_HEAP_AND_TITLE], { env, encoding: "utf8" }).stdout).heapLimitBytes;
    const { NODE_OPTIONS: _callerOptions, ...withoutOptions } = process.env;
    const capped = limitOf(withServerNodeOptions(withoutOptions));
    expect(capped).toBeGreaterThanOrEqual(1024 * MIB);
    expect(capped).toBeLessThan(1200 * MIB);
    expect(limitOf(withoutOptions)).toBeGreaterThan(capped);
  });
});
