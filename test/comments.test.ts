import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { listCommentThread } from "@/db/queries/comments";
import { comments, fileVersions, files } from "@/db/schema";
import { addComment, trashComment } from "@/lib/workspace/comments";
import { demoViewers, expectRefused, folderIdTitled, taskIdTitled, type TestViewer } from "./workspace-fixtures";

let owner: TestViewer, admin: TestViewer, member: TestViewer, designer: TestViewer, otherAdmin: TestViewer;
let websiteRelaunch: string, leadership: string, springCampaign: string, heroTask: string;

beforeAll(async () => {
  ({ owner, admin, member, designer, otherAdmin } = await demoViewers());
  websiteRelaunch = await folderIdTitled("Website Relaunch");
  leadership = await folderIdTitled("Leadership – confidential");
  springCampaign = await folderIdTitled("Spring campaign 2023");
  heroTask = await taskIdTitled("Design the new homepage hero");
});

describe("listCommentThread", () => {
  it("lists a target's comments oldest first with replies nested and author names", async () => {
    const thread = await listCommentThread({ organizationId: owner.organizationId, target: { type: "folder", id: websiteRelaunch } });
    expect(thread).toHaveLength(1);
    expect(thread[0]?.body).toBe("Kick-off on Monday 🎉");
    expect(thread[0]?.author?.name).toBe("Olivia Martin");
    expect(thread[0]?.replies.map((reply) => [reply.author?.name, reply.body])).toEqual([
      ["Adam Novak", "-- agenda is in the project brief, page 1."],
    ]);
  });

  it("leaves trashed comments out", async () => {
    const translate = await taskIdTitled("Translate product pages into Japanese (日本語)");
    const thread = await listCommentThread({ organizationId: owner.organizationId, target: { type: "task", id: translate } });
    expect(thread.map((comment) => comment.body)).not.toContain("Ignore this — wrong thread.");
    expect(thread).toHaveLength(1);
  });

  it("shows nothing of another organization's target", async () => {
    const thread = await listCommentThread({ organizationId: otherAdmin.organizationId, target: { type: "task", id: heroTask } });
    expect(thread).toEqual([]);
  });
});

describe("addComment", () => {
  it("adds a comment and a reply, trimmed, in creation order", async () => {
    const { comment, pagePath } = await addComment({
      viewer: member,
      input: { targetType: "task", targetId: heroTask, body: "  <b>Bold?</b> No: plain text.  " },
    });
    expect(pagePath).toBe(`/tasks/${heroTask}`);
    expect(comment.body).toBe("<b>Bold?</b> No: plain text.");
    expect(comment.authorId).toBe(member.userId);
    await addComment({ viewer: admin, input: { targetType: "task", targetId: heroTask, parentId: comment.id, body: "A reply" } });

    const thread = await listCommentThread({ organizationId: member.organizationId, target: { type: "task", id: heroTask } });
    expect(thread.map((c) => c.body)).toEqual(["Love the direction — can we try a darker background?", "<b>Bold?</b> No: plain text."]);
    expect(thread[1]?.replies.map((reply) => [reply.author?.name, reply.body])).toEqual([["Adam Novak", "A reply"]]);
  });

  it("comments on a file version and points back to the file's page", async () => {
    const [version] = await db
      .select({ id: fileVersions.id, fileId: files.id })
      .from(fileVersions)
      .innerJoin(files, eq(files.id, fileVersions.fileId))
      .where(and(eq(files.name, "homepage-hero.png"), eq(fileVersions.version, 3)));
    const { pagePath } = await addComment({ viewer: designer, input: { targetType: "fileVersion", targetId: version!.id, body: "v3 looks right." } });
    expect(pagePath).toBe(`/files/${version!.fileId}`);
    const thread = await listCommentThread({ organizationId: designer.organizationId, target: { type: "fileVersion", id: version!.id } });
    expect(thread.map((c) => c.body)).toEqual(["v3 looks right."]);
  });

  it("refuses a reply to a reply: replies are one level deep", async () => {
    const [reply] = await db.select().from(comments).where(eq(comments.body, "-- agenda is in the project brief, page 1."));
    await expectRefused(
      "invalid_input",
      () => addComment({ viewer: owner, input: { targetType: "folder", targetId: websiteRelaunch, parentId: reply!.id, body: "Nested?" } }),
      /cannot be replied to/,
    );
  });

  it("refuses a reply whose parent is on another target", async () => {
    const [kickOff] = await db.select().from(comments).where(eq(comments.body, "Kick-off on Monday 🎉"));
    await expectRefused(
      "invalid_input",
      () => addComment({ viewer: owner, input: { targetType: "task", targetId: heroTask, parentId: kickOff!.id, body: "Wrong place" } }),
      /same item/,
    );
  });

  it("refuses a reply to a trashed comment", async () => {
    const [trashed] = await db.select().from(comments).where(eq(comments.body, "Ignore this — wrong thread."));
    await expectRefused("not_found", () =>
      addComment({ viewer: owner, input: { targetType: "task", targetId: trashed!.taskId!, parentId: trashed!.id, body: "Hello?" } }),
    );
  });

  it.each([
    ["an empty body", { targetType: "task", targetId: "HERO", body: "   " }, /Write a comment/],
    ["a body over 5,000 characters", { targetType: "task", targetId: "HERO", body: "x".repeat(5001) }, /at most 5,000/],
    ["an unknown target type", { targetType: "backup", targetId: "HERO", body: "Hi" }, /Choose what/],
    ["a malformed target id", { targetType: "task", targetId: "not-a-uuid", body: "Hi" }, /not found/],
    ["a malformed parent id", { targetType: "task", targetId: "HERO", parentId: "42", body: "Hi" }, /replying to was not found/],
  ])("refuses %s and writes nothing", async (_label, input, message) => {
    const withTarget = { ...input, targetId: input.targetId === "HERO" ? heroTask : input.targetId };
    await expectRefused("invalid_input", () => addComment({ viewer: member, input: withTarget as never }), message);
  });

  it("accepts a body of exactly 5,000 characters", async () => {
    const { comment } = await addComment({ viewer: member, input: { targetType: "task", targetId: heroTask, body: "y".repeat(5000) } });
    expect(comment.body).toHaveLength(5000);
  });

  it("lets only people who can see a private folder comment on it", async () => {
    await expectRefused("not_found", () => addComment({ viewer: admin, input: { targetType: "folder", targetId: leadership, body: "Peek" } }));
    await expectRefused("not_found", () => addComment({ viewer: designer, input: { targetType: "folder", targetId: leadership, body: "Peek" } }));
    await addComment({ viewer: member, input: { targetType: "folder", targetId: leadership, body: "Shared with me" } });
    await addComment({ viewer: owner, input: { targetType: "folder", targetId: leadership, body: "Owners see all" } });
  });

  it("refuses targets of another organization and targets in the trash", async () => {
    await expectRefused("not_found", () => addComment({ viewer: otherAdmin, input: { targetType: "task", targetId: heroTask, body: "Hi" } }));
    await expectRefused("not_found", () => addComment({ viewer: owner, input: { targetType: "folder", targetId: springCampaign, body: "Hi" } }));
    await expectRefused("not_found", () =>
      addComment({ viewer: owner, input: { targetType: "task", targetId: "00000000-0000-4000-8000-000000000000", body: "Hi" } }),
    );
  });
});

describe("trashComment", () => {
  it("lets the author trash their comment, which then disappears with its replies", async () => {
    const { comment } = await addComment({ viewer: designer, input: { targetType: "folder", targetId: websiteRelaunch, body: "Typo" } });
    await addComment({ viewer: member, input: { targetType: "folder", targetId: websiteRelaunch, parentId: comment.id, body: "Reply" } });
    await trashComment({ viewer: designer, input: { commentId: comment.id } });
    const thread = await listCommentThread({ organizationId: designer.organizationId, target: { type: "folder", id: websiteRelaunch } });
    expect(thread.map((c) => c.body)).toEqual(["Kick-off on Monday 🎉"]);
    const [row] = await db.select().from(comments).where(eq(comments.id, comment.id));
    expect(row?.deletedAt).toBeInstanceOf(Date);
  });

  it("refuses a member trashing someone else's comment, and lets an admin do it", async () => {
    const { comment } = await addComment({ viewer: designer, input: { targetType: "task", targetId: heroTask, body: "Mine" } });
    await expectRefused("forbidden", () => trashComment({ viewer: member, input: { commentId: comment.id } }));
    const [untouched] = await db.select().from(comments).where(eq(comments.id, comment.id));
    expect(untouched?.deletedAt).toBeNull();
    await trashComment({ viewer: admin, input: { commentId: comment.id } });
    const [trashed] = await db.select().from(comments).where(eq(comments.id, comment.id));
    expect(trashed?.deletedAt).toBeInstanceOf(Date);
  });

  it("answers not found for comments the caller cannot see or of another organization", async () => {
    const [secret] = await db.select().from(comments).where(eq(comments.body, "Keep this between us until the board meets."));
    await expectRefused("not_found", () => trashComment({ viewer: admin, input: { commentId: secret!.id } }));
    await expectRefused("not_found", () => trashComment({ viewer: otherAdmin, input: { commentId: secret!.id } }));
    await expectRefused("invalid_input", () => trashComment({ viewer: admin, input: { commentId: "nope" } }));
    const [still] = await db.select().from(comments).where(eq(comments.id, secret!.id));
    expect(still?.deletedAt).toBeNull();
  });
});
