import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RichText } from "@/app/(workspace)/tasks/rich-text";
import { db } from "@/db/connection";
import { findVisibleTask, listFolderTasks, listTaskFolders, listTimeLogs, listVisibleSubtasks } from "@/db/queries/tasks";
import { tasks } from "@/db/schema";
import { parseRichText, richTextToPlainText, safeHref } from "@/lib/workspace/rich-text";
import { createTask, logTime, totalHours, trashTask } from "@/lib/workspace/tasks";
import { demoViewers, expectRefused, folderIdTitled, taskIdTitled, type TestViewer } from "./workspace-fixtures";

const render = (html: string) => renderToStaticMarkup(createElement(RichText, { html }));

describe("rich text descriptions", () => {
  it("keeps the allowed tags and their text", () => {
    expect(parseRichText("<p>Refresh <strong>before</strong> launch.</p><ul><li>One</li><li>Two</li></ul>")).toEqual([
      { type: "element", tag: "p", children: [{ type: "text", text: "Refresh " }, { type: "element", tag: "strong", children: [{ type: "text", text: "before" }] }, { type: "text", text: " launch." }] },
      {
        type: "element",
        tag: "ul",
        children: [
          { type: "element", tag: "li", children: [{ type: "text", text: "One" }] },
          { type: "element", tag: "li", children: [{ type: "text", text: "Two" }] },
        ],
      },
    ]);
  });

  it("drops scripts, styles and embedded documents with their content", () => {
    const html = '<p>a<script>alert(1)</script>b<style>p{}</style>c<iframe src="https://x"></iframe>d<SCRIPT src=x></SCRIPT>e</p>';
    expect(richTextToPlainText(parseRichText(html))).toBe("abcde");
    expect(render(html)).toBe('<div class="space-y-2 break-words text-sm text-slate-800"><p>abcde</p></div>');
  });

  it("unwraps unknown tags, keeps their text and never copies attributes", () => {
    const html = '<div onclick="steal()"><span style="color:red">Hi</span> <img src=x onerror=alert(1)><p class="x" onmouseover="y">there</p></div>';
    const out = render(html);
    expect(out).not.toMatch(/onclick|onerror|onmouseover|style=|<img|<div onclick|class="x"/);
    expect(out).toContain("<p>there</p>");
    expect(richTextToPlainText(parseRichText(html))).toBe("Hi there");
  });

  it("keeps only absolute http(s) links", () => {
    expect(render('<a href="https://example.com/a?b=1&amp;c=2">ok</a>')).toContain(
      '<a class="text-indigo-700 underline" href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow ugc" target="_blank">ok</a>',
    );
    for (const href of ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "jav&#x61;script:alert(1)", "data:text/html,<b>", "//evil.test/x", "/relative", "vbscript:x"]) {
      const out = render(`<a href="${href}">x</a>`);
      expect(out, href).not.toContain("href=");
      expect(out).not.toContain("<a");
      expect(out).toContain(">x</div>");
    }
    expect(safeHref("http://example.com")).toBe("http://example.com/");
    expect(safeHref("mailto:a@b.c")).toBeUndefined();
  });

  it("treats entities and stray brackets as text, which React escapes", () => {
    expect(richTextToPlainText(parseRichText("Sofia &amp; Hana &lt;script&gt; &#233;t&#xE9; 3 < 4"))).toBe("Sofia & Hana <script> été 3 < 4");
    expect(render("&lt;script&gt;alert(1)&lt;/script&gt;")).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(render('<a href="https://x.test" title="a>b">y</a>')).toContain(">y</a>");
  });

  it("maps b and i, drops comments, and repairs nesting the browser would reshape", () => {
    expect(render("<b>B</b><i>I</i><!-- <script>x</script> -->")).toContain("<strong>B</strong><em>I</em>");
    expect(render("<p>one<p>two<ul><li>a<li>b</ul>")).toContain('<p>one</p><p>two</p><ul class="list-disc pl-5"><li>a</li><li>b</li></ul>');
    expect(render("<a href='https://a.test'>1<a href='https://b.test'>2</a>")).toContain(
      '<a class="text-indigo-700 underline" href="https://a.test/" rel="noopener noreferrer nofollow ugc" target="_blank">1</a><a',
    );
    expect(render("<h1>T</h1><pre><code>x &lt; y</code></pre><blockquote>q</blockquote><br>")).toContain(
      '<h1 class="text-lg font-semibold">T</h1><pre class="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs"><code class="rounded bg-slate-100 px-1 font-mono text-xs">x &lt; y</code></pre>',
    );
  });

  it("ignores closing tags that were never opened", () => {
    expect(render("</p></ul>text</strong>")).toContain(">text</div>");
  });
});

let owner: TestViewer, admin: TestViewer, member: TestViewer, designer: TestViewer, otherAdmin: TestViewer;
let websiteRelaunch: string, leadership: string, heroTask: string, boardDeck: string;

beforeAll(async () => {
  ({ owner, admin, member, designer, otherAdmin } = await demoViewers());
  websiteRelaunch = await folderIdTitled("Website Relaunch");
  leadership = await folderIdTitled("Leadership – confidential");
  heroTask = await taskIdTitled("Design the new homepage hero");
  boardDeck = await taskIdTitled("Prepare the board deck 🚀");
});

describe("task queries", () => {
  it("lists a folder's tasks with assignees, leaving trashed ones out", async () => {
    const list = await listFolderTasks({ viewer: admin, folderId: websiteRelaunch });
    expect(list.map((task) => task.title)).toEqual(["Design the new homepage hero", "Review brand guideline feedback"]);
    expect(list[0]?.assignees.map((user) => user.name)).toEqual(["Léa Dubois", "Maya Chen"]);
  });

  it("shows subtasks and the visible folders of a task", async () => {
    expect((await listVisibleSubtasks({ viewer: admin, taskId: heroTask })).map((task) => task.title)).toEqual([
      "Collect reference sites",
      "Draft three hero variants",
    ]);
    expect((await listTaskFolders({ viewer: admin, taskId: heroTask })).map((folder) => folder.title)).toEqual(["Design assets", "Website Relaunch"]);
  });

  it("hides tasks of a private folder from those it is not shared with", async () => {
    expect(await findVisibleTask({ viewer: admin, id: boardDeck })).toBeUndefined();
    expect(await findVisibleTask({ viewer: otherAdmin, id: boardDeck })).toBeUndefined();
    expect((await findVisibleTask({ viewer: member, id: boardDeck }))?.task.title).toBe("Prepare the board deck 🚀");
    expect((await findVisibleTask({ viewer: owner, id: boardDeck }))?.authorName).toBe("Olivia Martin");
  });

  it("sums logged hours exactly", () => {
    expect(totalHours([{ hours: "0.10" }, { hours: "0.20" }, { hours: "1.25" }])).toBe(1.55);
    expect(totalHours([])).toBe(0);
  });
});

describe("createTask", () => {
  it("creates a task in a folder the caller can see", async () => {
    const task = await createTask({
      viewer: designer,
      input: { folderId: websiteRelaunch, title: "  Write alt texts ", descriptionHtml: "<p>For <em>every</em> image</p>", status: "deferred", importance: "high" },
    });
    expect(task).toMatchObject({ title: "Write alt texts", descriptionHtml: "<p>For <em>every</em> image</p>", status: "deferred", importance: "high", authorId: designer.userId });
    expect((await listFolderTasks({ viewer: admin, folderId: websiteRelaunch })).map((t) => t.title)).toContain("Write alt texts");
  });

  it("creates a subtask, visible wherever its parent is", async () => {
    const subtask = await createTask({ viewer: member, input: { parentTaskId: boardDeck, title: "Check the numbers" } });
    expect(subtask).toMatchObject({ parentTaskId: boardDeck, status: "active", importance: "normal", descriptionHtml: "" });
    expect((await listVisibleSubtasks({ viewer: member, taskId: boardDeck })).map((t) => t.title)).toEqual(["Check the numbers"]);
    expect(await findVisibleTask({ viewer: admin, id: subtask.id })).toBeUndefined();
  });

  it.each([
    ["an empty title", { folderId: "F", title: " " }, /Give the task a title/],
    ["a title over 200 characters", { folderId: "F", title: "t".repeat(201) }, /at most 200/],
    ["an unknown status", { folderId: "F", title: "Ok", status: "done" }, /status from the list/],
    ["an unknown importance", { folderId: "F", title: "Ok", importance: "urgent" }, /importance from the list/],
    ["no folder and no parent task", { title: "Ok" }, /either in a folder or under a parent task/],
    ["both a folder and a parent task", { folderId: "F", parentTaskId: "T", title: "Ok" }, /either in a folder or under a parent task/],
    ["a malformed folder id", { folderId: "1 or 1=1", title: "Ok" }, /folder was not found/],
    ["a description over 50,000 characters", { folderId: "F", title: "Ok", descriptionHtml: "x".repeat(50_001) }, /at most 50,000/],
  ])("refuses %s and writes nothing", async (_label, input, message) => {
    const resolved = Object.fromEntries(
      Object.entries(input).map(([key, value]) => [key, value === "F" ? websiteRelaunch : value === "T" ? heroTask : value]),
    );
    await expectRefused("invalid_input", () => createTask({ viewer: owner, input: resolved as never }), message);
  });

  it("refuses folders and parent tasks the caller cannot see", async () => {
    await expectRefused("not_found", () => createTask({ viewer: admin, input: { folderId: leadership, title: "Peek" } }));
    await expectRefused("not_found", () => createTask({ viewer: admin, input: { parentTaskId: boardDeck, title: "Peek" } }));
    await expectRefused("not_found", () => createTask({ viewer: otherAdmin, input: { folderId: websiteRelaunch, title: "Peek" } }));
  });
});

describe("logTime", () => {
  it("records time on a visible task, newest first", async () => {
    const log = await logTime({ viewer: admin, input: { taskId: heroTask, loggedOn: "2030-01-15", hours: "1.5", comment: " Pairing " } });
    expect(log).toMatchObject({ userId: admin.userId, loggedOn: "2030-01-15", hours: "1.50", comment: "Pairing" });
    const logs = await listTimeLogs({ taskId: heroTask });
    expect(logs[0]).toMatchObject({ userName: "Adam Novak", hours: "1.50", comment: "Pairing" });
    expect(totalHours(logs)).toBe(2.25);
  });

  it("accepts the bounds 0.25 and 24 hours", async () => {
    await logTime({ viewer: member, input: { taskId: heroTask, loggedOn: "2025-03-01", hours: "0.25" } });
    await logTime({ viewer: member, input: { taskId: heroTask, loggedOn: "2025-03-02", hours: 24 } });
  });

  it.each([
    ["too few hours", { hours: "0.2" }, /at least 0.25/],
    ["too many hours", { hours: "24.5" }, /more than 24/],
    ["hours that are not a number", { hours: "lots" }, /as a number/],
    ["hours with three decimals", { hours: "1.125" }, /two decimals/],
    ["a date that is not a date", { loggedOn: "2025-02-30" }, /date/],
    ["a date far in the past", { loggedOn: "1899-12-31" }, /between 2000 and 2100/],
    ["a comment over 1,000 characters", { comment: "c".repeat(1001) }, /at most 1,000/],
    ["a malformed task id", { taskId: "abc" }, /task was not found/],
  ])("refuses %s and writes nothing", async (_label, override, message) => {
    const input = { taskId: heroTask, loggedOn: "2025-03-03", hours: "2", ...override };
    await expectRefused("invalid_input", () => logTime({ viewer: owner, input }), message);
  });

  it("refuses tasks the caller cannot see", async () => {
    await expectRefused("not_found", () => logTime({ viewer: admin, input: { taskId: boardDeck, loggedOn: "2025-03-03", hours: "1" } }));
    await expectRefused("not_found", () => logTime({ viewer: otherAdmin, input: { taskId: heroTask, loggedOn: "2025-03-03", hours: "1" } }));
  });
});

describe("trashTask", () => {
  it("refuses a member who is not the author, and changes nothing", async () => {
    await expectRefused("forbidden", () => trashTask({ viewer: designer, input: { taskId: heroTask } }));
    const [row] = await db.select().from(tasks).where(eq(tasks.id, heroTask));
    expect(row?.deletedAt).toBeNull();
  });

  it("lets the author trash a task, hiding it and its subtasks", async () => {
    const parent = await createTask({ viewer: designer, input: { folderId: websiteRelaunch, title: "Temporary" } });
    const child = await createTask({ viewer: designer, input: { parentTaskId: parent.id, title: "Temporary child" } });
    expect(await trashTask({ viewer: designer, input: { taskId: parent.id } })).toEqual({ parentTaskId: null, folderId: websiteRelaunch });
    expect(await findVisibleTask({ viewer: owner, id: parent.id })).toBeUndefined();
    expect(await findVisibleTask({ viewer: owner, id: child.id })).toBeUndefined();
    expect((await listFolderTasks({ viewer: owner, folderId: websiteRelaunch })).map((t) => t.title)).not.toContain("Temporary");
    await expectRefused("not_found", () => trashTask({ viewer: designer, input: { taskId: parent.id } }));
  });

  it("lets an admin trash someone else's task but not one they cannot see", async () => {
    await expectRefused("not_found", () => trashTask({ viewer: admin, input: { taskId: boardDeck } }));
    const variants = await taskIdTitled("Draft three hero variants");
    expect(await trashTask({ viewer: admin, input: { taskId: variants } })).toEqual({ parentTaskId: heroTask, folderId: await folderIdTitled("Homepage mockups") });
    expect((await listVisibleSubtasks({ viewer: owner, taskId: heroTask })).map((t) => t.title)).toEqual(["Collect reference sites"]);
  });
});
