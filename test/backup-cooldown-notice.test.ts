import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor } from "./support/callers";

/** Issue 5, point 6: the Backups page says when the next backup of each kind can be requested. */

let app: Awaited<ReturnType<typeof importApp>>;

async function importApp() {
  const [{ requestBackup }, { waitForInlineRuns }, notice] = await Promise.all([
    import("@/lib/backups/service"),
    import("@/inngest/inline-runner"),
    import("@/app/(workspace)/settings/backups/request-availability"),
  ]);
  return { requestBackup, waitForInlineRuns, ...notice };
}

beforeAll(async () => {
  app = await importApp();
});

const textOf = (html: string) => html.replace(/<[^>]+>/g, "");

describe("the cooldown notice on the Backups page", () => {
  it("names the time the next backup with files is possible, and that a data-only one still is, then when neither is", async () => {
    const admin = await callerFor("other-admin@demo.test");
    const input = { description: "", includeFiles: true, formats: ["json", "csv"] as ("json" | "csv")[], csvEncoding: "utf-8" as const, includeBi: false };
    const notice = async () => textOf(renderToStaticMarkup(createElement(app.RequestAvailabilityNotice, { choices: await app.requestChoices(admin) })));

    expect(await notice()).toBe("");
    await app.requestBackup({ caller: admin, input: { ...input, name: "With files" } });
    await app.waitForInlineRuns();
    expect(await notice()).toMatch(/^The next backup with files can be requested after \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC\. A backup without files can be requested now\.$/);

    await app.requestBackup({ caller: admin, input: { ...input, name: "Data only", includeFiles: false } });
    await app.waitForInlineRuns();
    const both = await notice();
    expect(both).toContain("The next backup with files can be requested after");
    expect(both).toContain("The next backup without files can be requested after");
    expect(both).not.toContain("can be requested now");
  });
});
