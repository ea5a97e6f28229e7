import { randomUUID } from "node:crypto";
import { deflateSync } from "node:zlib";
import { inArray } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import {
  comments,
  contacts,
  fileVersions,
  files,
  folderShares,
  folders,
  memberships,
  organizations,
  recipients,
  taskAssignees,
  taskFolders,
  tasks,
  teamMembers,
  teams,
  timeLogs,
  users,
  type Plan,
  type Recipient,
  type Role,
  type Task,
} from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { newUid } from "@/lib/ids";
import { fileVersionKey, storage } from "@/lib/storage";

export const DEMO_PASSWORD = "demo-password";

export const DEMO_ORGANIZATIONS = {
  demoCo: { name: "Demo Co", sid: "DEMOCO01", accountNumber: 9789, plan: "enterprise" },
  otherInc: { name: "Other Inc", sid: "OTHERINC01", accountNumber: 4512, plan: "team" },
  freeLtd: { name: "Free Ltd", sid: "FREELTD01", accountNumber: 3307, plan: "free" },
} as const satisfies Record<string, { name: string; sid: string; accountNumber: number; plan: Plan }>;

export type DemoOrganizationKey = keyof typeof DEMO_ORGANIZATIONS;

export type DemoAccount = { email: string; name: string; organization: DemoOrganizationKey; role: Role };

/** Every account signs in with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS = {
  owner: { email: "owner@demo.test", name: "Olivia Martin", organization: "demoCo", role: "owner" },
  admin: { email: "admin@demo.test", name: "Adam Novak", organization: "demoCo", role: "admin" },
  member: { email: "member@demo.test", name: "Maya Chen", organization: "demoCo", role: "member" },
  designer: { email: "lea.dubois@demo.test", name: "Léa Dubois", organization: "demoCo", role: "member" },
  translator: { email: "kenji.watanabe@demo.test", name: "Kenji Watanabe (渡辺 健二)", organization: "demoCo", role: "member" },
  otherOwner: { email: "other-owner@demo.test", name: "Oscar Reyes", organization: "otherInc", role: "owner" },
  otherAdmin: { email: "other-admin@demo.test", name: "Priya Natarajan", organization: "otherInc", role: "admin" },
  freeOwner: { email: "free-owner@demo.test", name: "Frank Moreau", organization: "freeLtd", role: "owner" },
} as const satisfies Record<string, DemoAccount>;

export type DemoSummary = {
  organizationIds: Record<DemoOrganizationKey, string>;
  accounts: DemoAccount[];
  password: string;
};

/** The demo as already stored, or null when it has not been seeded. */
export async function findDemo(executor: Executor): Promise<DemoSummary | null> {
  const sids = Object.values(DEMO_ORGANIZATIONS).map((organization) => organization.sid);
  const rows = await executor
    .select({ id: organizations.id, sid: organizations.sid })
    .from(organizations)
    .where(inArray(organizations.sid, sids));
  const idOf = (key: DemoOrganizationKey) => rows.find((row) => row.sid === DEMO_ORGANIZATIONS[key].sid)?.id;
  const [demoCo, otherInc, freeLtd] = [idOf("demoCo"), idOf("otherInc"), idOf("freeLtd")];
  if (!demoCo || !otherInc || !freeLtd) return null;
  return summarize({ demoCo, otherInc, freeLtd });
}

/**
 * Loads the demo organizations described in SPEC §6. Blobs are written first (storage is not
 * transactional), then every row goes in one transaction so a failure leaves no half-seeded demo.
 */
export async function seedDemo(executor: Executor): Promise<DemoSummary> {
  const builder = new DemoBuilder(new Date(), await hashPassword(DEMO_PASSWORD));
  const organizationIds = describeDemo(builder);
  const rows = builder.rows;

  const storedVersions = await Promise.all(
    rows.fileVersions.map(async ({ row, organizationId, content }) => {
      const stored = await storage().put(row.storageKey, content);
      return { ...row, sizeBytes: stored.sizeBytes, sha256: stored.sha256 };
    }),
  );

  await executor.transaction(async (tx) => {
    await tx.insert(organizations).values(rows.organizations);
    await tx.insert(users).values(rows.users);
    await tx.insert(memberships).values(rows.memberships);
    await tx.insert(teams).values(rows.teams);
    await tx.insert(teamMembers).values(rows.teamMembers);
    await tx.insert(contacts).values(rows.contacts);
    await tx.insert(folders).values(rows.folders);
    await tx.insert(folderShares).values(rows.folderShares);
    await tx.insert(tasks).values(rows.tasks);
    await tx.insert(taskFolders).values(rows.taskFolders);
    await tx.insert(taskAssignees).values(rows.taskAssignees);
    await tx.insert(timeLogs).values(rows.timeLogs);
    await tx.insert(files).values(rows.files);
    await tx.insert(fileVersions).values(storedVersions);
    await tx.insert(recipients).values(rows.recipients);
    await tx.insert(comments).values(rows.comments);
  });

  return summarize(organizationIds);
}

function summarize(organizationIds: Record<DemoOrganizationKey, string>): DemoSummary {
  return { organizationIds, accounts: Object.values(DEMO_ACCOUNTS), password: DEMO_PASSWORD };
}

/** The demo content itself: who works where, and what they made. Returns the organization ids. */
function describeDemo(b: DemoBuilder): Record<DemoOrganizationKey, string> {
  // ─── Demo Co ───────────────────────────────────────────────────────────────────────────────
  const demoCo = b.organization(DEMO_ORGANIZATIONS.demoCo, 400);
  const olivia = b.member(demoCo, DEMO_ACCOUNTS.owner, 400);
  const adam = b.member(demoCo, DEMO_ACCOUNTS.admin, 380);
  const maya = b.member(demoCo, DEMO_ACCOUNTS.member, 300);
  const lea = b.member(demoCo, DEMO_ACCOUNTS.designer, 240);
  const kenji = b.member(demoCo, DEMO_ACCOUNTS.translator, 200);

  b.team(demoCo, "Design", [maya, lea], 230);
  b.team(demoCo, "Engineering & Localisation", [adam, kenji, maya], 190);

  const sofia = b.contact(demoCo, { name: "Sofia Rossi", email: "sofia.rossi@northwind.example", company: "Northwind Traders" });
  const hana = b.contact(demoCo, { name: "Hana Sato (佐藤 花)", email: "hana@sakura-print.example", company: "Sakura Print 株式会社" });
  const daniel = b.contact(demoCo, { name: "Daniel Okafor", email: "daniel.okafor@example.com", company: null });

  const marketing = b.folder(demoCo, {
    title: "Marketing",
    description: "Campaigns, brand and the public website.",
    author: olivia,
    createdDaysAgo: 180,
  });
  const websiteRelaunch = b.folder(demoCo, {
    parent: marketing,
    title: "Website Relaunch",
    description: "New site: faster pages, a clearer story and a fresh homepage hero.",
    author: olivia,
    createdDaysAgo: 90,
    project: { status: "In progress", startInDays: -60, endInDays: 75 },
  });
  const designAssets = b.folder(demoCo, {
    parent: websiteRelaunch,
    title: "Design assets",
    author: maya,
    createdDaysAgo: 85,
  });
  const homepageMockups = b.folder(demoCo, {
    parent: designAssets,
    title: "Homepage mockups",
    description: "Desktop and mobile mockups, newest first.",
    author: lea,
    createdDaysAgo: 70,
  });
  const copyAndTranslations = b.folder(demoCo, {
    parent: websiteRelaunch,
    title: "Copy & translations (Français, 日本語)",
    author: kenji,
    createdDaysAgo: 60,
  });
  const brandGuidelines = b.folder(demoCo, {
    parent: marketing,
    title: "Brand Guidelines 2025",
    description: "Logo, colours and tone of voice.",
    author: maya,
    createdDaysAgo: 150,
    project: { status: "Completed", startInDays: -150, endInDays: -20 },
  });
  const operations = b.folder(demoCo, {
    title: "Operations",
    description: "Budgets, vendors and the office.",
    author: adam,
    createdDaysAgo: 170,
  });
  const q3Budget = b.folder(demoCo, {
    parent: operations,
    title: "Q3 Budget",
    author: adam,
    createdDaysAgo: 50,
    project: { status: "On hold", startInDays: -30, endInDays: 45 },
  });
  const leadership = b.folder(demoCo, {
    title: "Leadership – confidential",
    description: "Board preparation. Shared with Maya only; admins do not see it.",
    author: olivia,
    createdDaysAgo: 40,
    sharedWith: [maya],
  });
  const projectNorthwind = b.folder(demoCo, {
    parent: leadership,
    title: "Project Northwind",
    description: "Acquisition talks with Northwind Traders.",
    author: olivia,
    createdDaysAgo: 38,
    project: { status: "At risk", startInDays: -38, endInDays: 60 },
  });
  const springCampaign = b.folder(demoCo, {
    parent: marketing,
    title: "Spring campaign 2023",
    author: olivia,
    createdDaysAgo: 170,
    deletedDaysAgo: 45,
  });

  const heroTask = b.task(demoCo, {
    title: "Design the new homepage hero",
    descriptionHtml:
      "<p>Refresh the hero section <strong>before</strong> the launch.</p><ul><li>Three variants</li><li>Mobile first</li><li>Accessible contrast (AA)</li></ul>",
    status: "active",
    importance: "high",
    author: olivia,
    folders: [websiteRelaunch, designAssets],
    assignees: [maya, lea],
    createdDaysAgo: 80,
    updatedDaysAgo: 2,
  });
  const referencesTask = b.task(demoCo, {
    parent: heroTask,
    title: "Collect reference sites",
    descriptionHtml: "<p>Five sites we admire, with a note on <em>why</em>.</p>",
    status: "completed",
    importance: "normal",
    author: maya,
    assignees: [lea],
    createdDaysAgo: 78,
    updatedDaysAgo: 70,
  });
  const variantsTask = b.task(demoCo, {
    parent: heroTask,
    title: "Draft three hero variants",
    descriptionHtml: '<p>See <a href="https://example.com/moodboard">the mood board</a>. Keep the logo on the left.</p>',
    status: "active",
    importance: "high",
    author: maya,
    folders: [homepageMockups],
    assignees: [lea],
    createdDaysAgo: 65,
    updatedDaysAgo: 5,
  });
  const translateTask = b.task(demoCo, {
    title: "Translate product pages into Japanese (日本語)",
    descriptionHtml: "<p>Pages: <code>/features</code>, <code>/pricing</code>. Keep « guillemets » out of the Japanese copy.</p>",
    status: "active",
    importance: "normal",
    author: adam,
    folders: [copyAndTranslations],
    assignees: [kenji],
    createdDaysAgo: 55,
    updatedDaysAgo: 1,
  });
  const budgetTask = b.task(demoCo, {
    title: "=SUM(B2:B4) check the Q3 totals",
    descriptionHtml: "<p>The spreadsheet total looked off by €1,200 — re-check the formula.</p>",
    status: "deferred",
    importance: "low",
    author: adam,
    folders: [q3Budget],
    assignees: [adam],
    createdDaysAgo: 45,
    updatedDaysAgo: 30,
  });
  const certificatesTask = b.task(demoCo, {
    title: "Renew TLS certificates",
    descriptionHtml: "<p>Organization-wide chore, in no folder.</p>",
    status: "completed",
    importance: "normal",
    author: adam,
    assignees: [adam],
    createdDaysAgo: 120,
    updatedDaysAgo: 110,
  });
  const boardDeckTask = b.task(demoCo, {
    title: "Prepare the board deck 🚀",
    descriptionHtml: "<p>Numbers for Q3 and the <strong>Northwind</strong> proposal. Confidential.</p>",
    status: "active",
    importance: "high",
    author: olivia,
    folders: [leadership],
    assignees: [maya],
    createdDaysAgo: 35,
    updatedDaysAgo: 3,
  });
  b.task(demoCo, {
    title: "Review brand guideline feedback",
    descriptionHtml: "<p>Feedback from Sofia &amp; Hana, merged into one list.</p>",
    status: "cancelled",
    importance: "normal",
    author: maya,
    folders: [brandGuidelines, websiteRelaunch],
    assignees: [maya, olivia],
    createdDaysAgo: 60,
    updatedDaysAgo: 25,
  });
  b.task(demoCo, {
    title: "Print flyers for the trade fair",
    descriptionHtml: "<p>Cancelled: the fair went online.</p>",
    status: "cancelled",
    importance: "low",
    author: olivia,
    folders: [websiteRelaunch],
    createdDaysAgo: 50,
    updatedDaysAgo: 4,
    deletedDaysAgo: 3,
  });

  b.timeLog(referencesTask, lea, { daysAgo: 75, hours: "2.50", comment: "Shortlist of twelve sites, cut to five." });
  b.timeLog(variantsTask, lea, { daysAgo: 20, hours: "4.00", comment: "Variant A and B." });
  b.timeLog(variantsTask, maya, { daysAgo: 6, hours: "1.25", comment: "Review with Léa — très bien." });
  b.timeLog(heroTask, maya, { daysAgo: 2, hours: "0.75", comment: "" });
  b.timeLog(translateTask, kenji, { daysAgo: 10, hours: "3.00", comment: "料金ページの翻訳" });
  b.timeLog(budgetTask, adam, { daysAgo: 31, hours: "1.00", comment: "=B2+B3 did not include events" });
  b.timeLog(certificatesTask, adam, { daysAgo: 110, hours: "0.50", comment: "Renewed via ACME." });
  b.timeLog(boardDeckTask, maya, { daysAgo: 4, hours: "5.50", comment: "First full draft 📊" });

  const projectBrief = b.file(demoCo, {
    attachedTo: { folder: websiteRelaunch },
    name: "Project brief.pdf",
    contentType: "application/pdf",
    versions: [
      { uploader: olivia, daysAgo: 88, content: buildPdf(["Website Relaunch - Project brief", "Version 1: first draft", "Goals: faster pages and a clearer story."]) },
      { uploader: olivia, daysAgo: 60, content: buildPdf(["Website Relaunch - Project brief", "Version 2: budget added", "Budget: 48,000 EUR. Launch in June."]) },
      { uploader: adam, daysAgo: 30, content: buildPdf(["Website Relaunch - Project brief", "Version 3: approved scope", "Scope frozen after the review on 12 May."]) },
    ],
  });
  const heroImage = b.file(demoCo, {
    attachedTo: { folder: homepageMockups },
    name: "homepage-hero.png",
    contentType: "image/png",
    versions: [
      { uploader: lea, daysAgo: 40, content: heroPng({ sky: [40, 90, 200], sun: [250, 170, 40], sunX: 0.25 }) },
      { uploader: lea, daysAgo: 21, content: heroPng({ sky: [200, 30, 160], sun: [255, 230, 0], sunX: 0.5 }) },
      { uploader: lea, daysAgo: 7, content: heroPng({ sky: [20, 130, 130], sun: [250, 240, 220], sunX: 0.75 }) },
    ],
  });
  const guidelinesPdf = b.file(demoCo, {
    attachedTo: { folder: brandGuidelines },
    name: "brand-guidelines.pdf",
    contentType: "application/pdf",
    versions: [
      { uploader: maya, daysAgo: 100, content: buildPdf(["Brand Guidelines 2025", "Version 1", "Primary colour: deep teal. Typeface: system sans."]) },
      { uploader: maya, daysAgo: 22, content: buildPdf(["Brand Guidelines 2025", "Version 2 (final)", "Primary colour: deep teal. Accent: sunflower."]) },
    ],
  });
  b.file(demoCo, {
    attachedTo: { task: heroTask },
    name: "hero-copy.md",
    contentType: "text/markdown",
    versions: [
      { uploader: maya, daysAgo: 50, content: text("# Homepage hero — copy\n\n**Headline:** Work together, beautifully.\n**Subline:** Plan projects, share files and get approvals in one place.\n") },
      { uploader: maya, daysAgo: 12, content: text("# Homepage hero — copy\n\n**Headline:** Your team's work, in one calm place.\n**Subline:** Plans, files and approvals — finally together. ☕\n") },
    ],
  });
  const translations = b.file(demoCo, {
    attachedTo: { task: translateTask },
    name: "translations-ja.csv",
    contentType: "text/csv",
    versions: [
      { uploader: kenji, daysAgo: 15, content: text("key,en,ja\r\nhero.title,Work together,一緒に働こう\r\nnav.pricing,Pricing,料金\r\n") },
      { uploader: kenji, daysAgo: 9, content: text('key,en,ja\r\nhero.title,Work together,一緒に働こう\r\nhero.subtitle,"Plan, share, approve",計画・共有・承認\r\nnav.pricing,Pricing,料金\r\n') },
    ],
  });
  b.file(demoCo, {
    attachedTo: { folder: q3Budget },
    name: "budget-q3.csv",
    contentType: "text/csv",
    versions: [
      { uploader: adam, daysAgo: 44, content: text("Item,Amount (EUR)\r\nAds,12000\r\nEvents,8000\r\nTotal,=SUM(B2:B3)\r\n") },
      { uploader: adam, daysAgo: 31, content: text("Item,Amount (EUR)\r\nAds,12000\r\nEvents,8000\r\nSoftware,1200\r\nTotal,=SUM(B2:B4)\r\n") },
    ],
  });
  b.file(demoCo, {
    attachedTo: { folder: copyAndTranslations },
    name: "Café menu – été.txt",
    contentType: "text/plain",
    versions: [
      { uploader: kenji, daysAgo: 28, content: text("Menu d'été\nCrème brûlée — 6 €\n抹茶ラテ — 5 €\n🍓 Strawberry tart — 7 €\n") },
      { uploader: lea, daysAgo: 26, content: text("Menu d'été\nCrème brûlée — 6,50 €\n抹茶ラテ — 5 €\n🍓 Strawberry tart — 7 €\n🍋 Lemonade — 3 €\n") },
    ],
  });
  b.file(demoCo, {
    attachedTo: { folder: operations },
    name: "Roadmap 2025/2026.md",
    contentType: "text/markdown",
    versions: [
      { uploader: adam, daysAgo: 140, content: text("# Roadmap 2025/2026\n\n- Q1: new office network\n- Q2: website relaunch\n") },
      { uploader: olivia, daysAgo: 95, content: text("# Roadmap 2025/2026\n\n- Q1: new office network (done)\n- Q2: website relaunch\n- Q3: Japanese market\n") },
    ],
  });
  b.file(demoCo, {
    attachedTo: { folder: projectNorthwind },
    name: "board-notes.txt",
    contentType: "text/plain",
    versions: [
      { uploader: olivia, daysAgo: 37, content: text("Board meeting prep — confidential\n- Northwind acquisition: price range under discussion\n") },
      { uploader: maya, daysAgo: 5, content: text("Board meeting prep — confidential\n- Northwind acquisition: price range under discussion\n- Decision expected in Q4\n") },
    ],
  });
  b.file(demoCo, {
    attachedTo: { task: boardDeckTask },
    name: "board-deck.pdf",
    contentType: "application/pdf",
    versions: [
      { uploader: maya, daysAgo: 8, content: buildPdf(["Board deck - Q3", "Draft 1", "Revenue up 14% quarter on quarter."]) },
      { uploader: maya, daysAgo: 3, content: buildPdf(["Board deck - Q3", "Draft 2", "Revenue up 14% quarter on quarter. Northwind: go."]) },
    ],
  });
  b.file(demoCo, {
    attachedTo: { folder: designAssets },
    name: "logo-draft-old.png",
    contentType: "image/png",
    deletedDaysAgo: 12,
    versions: [
      { uploader: lea, daysAgo: 140, content: checkerPng([230, 230, 230], [30, 30, 30]) },
      { uploader: lea, daysAgo: 130, content: checkerPng([255, 220, 0], [0, 60, 120]) },
    ],
  });

  b.recipient(projectBrief, { user: adam, role: "approver", decision: "approved", decidedDaysAgo: 29 });
  b.recipient(projectBrief, { contact: sofia, role: "reviewer", decision: "changes_requested", decidedDaysAgo: 27 });
  b.recipient(projectBrief, { contact: daniel, role: "reviewer_approver", decision: "pending" });
  b.recipient(heroImage, { user: olivia, role: "approver", decision: "approved", decidedDaysAgo: 6 });
  b.recipient(heroImage, { user: maya, role: "reviewer_approver", decision: "rejected", decidedDaysAgo: 20 });
  b.recipient(heroImage, { contact: hana, role: "reviewer", decision: "pending" });
  b.recipient(guidelinesPdf, { contact: sofia, role: "approver", decision: "approved", decidedDaysAgo: 21 });
  b.recipient(translations, { user: olivia, role: "reviewer", decision: "changes_requested", decidedDaysAgo: 8 });

  const heroFeedback = b.comment(demoCo, {
    on: { taskId: heroTask.id },
    author: olivia,
    body: "Love the direction — can we try a darker background?",
    daysAgo: 18,
  });
  b.reply(heroFeedback, { author: maya, body: "Sure, I'll push a variant tomorrow.", daysAgo: 17.5 });
  const budgetFormula = b.comment(demoCo, {
    on: { taskId: budgetTask.id },
    author: adam,
    body: '=HYPERLINK("https://example.com/q3","Q3 sheet") is the source of truth',
    daysAgo: 33,
  });
  b.reply(budgetFormula, { author: olivia, body: "+1, and @Adam please lock the sheet.", daysAgo: 32 });
  b.comment(demoCo, {
    on: { taskId: translateTask.id },
    author: kenji,
    body: 'She said "ship it", then left.\nSecond line: 翻訳は明日終わります。',
    daysAgo: 9,
  });
  const kickOff = b.comment(demoCo, {
    on: { folderId: websiteRelaunch.id },
    author: olivia,
    body: "Kick-off on Monday 🎉",
    daysAgo: 89,
  });
  b.reply(kickOff, { author: adam, body: "-- agenda is in the project brief, page 1.", daysAgo: 88.5 });
  b.comment(demoCo, {
    on: { folderId: leadership.id },
    author: maya,
    body: "Keep this between us until the board meets.",
    daysAgo: 30,
  });
  const saturation = b.comment(demoCo, {
    on: { fileVersionId: heroImage.version(2).id },
    author: lea,
    body: "The magenta on v2 is far too saturated.",
    daysAgo: 20.5,
  });
  b.reply(saturation, { author: maya, body: "Agreed, fixed in v3.", daysAgo: 7 });
  b.comment(demoCo, {
    on: { fileVersionId: projectBrief.version(3).id },
    author: olivia,
    body: "Approved — merci beaucoup, très clair !",
    daysAgo: 29,
  });
  b.comment(demoCo, {
    on: { taskId: translateTask.id },
    author: kenji,
    body: "Ignore this — wrong thread.",
    daysAgo: 40,
    deletedDaysAgo: 35,
  });
  b.comment(demoCo, {
    on: { folderId: springCampaign.id },
    author: olivia,
    body: "Archived: nothing here is current.",
    daysAgo: 50,
  });

  // ─── Other Inc: enough data of its own to catch cross-organization leaks ──────────────────
  const otherInc = b.organization(DEMO_ORGANIZATIONS.otherInc, 300);
  const oscar = b.member(otherInc, DEMO_ACCOUNTS.otherOwner, 300);
  const priya = b.member(otherInc, DEMO_ACCOUNTS.otherAdmin, 280);
  // Léa freelances for both companies, so the demo has someone who switches organizations.
  b.alsoMember(otherInc, lea, "member", 120);
  b.team(otherInc, "Sales", [oscar, priya], 270);
  const globexContact = b.contact(otherInc, { name: "Hank Scorpio", email: "hank@globex.example", company: "Globex Corporation" });
  const clientAccounts = b.folder(otherInc, {
    title: "Other Inc client accounts",
    author: oscar,
    createdDaysAgo: 200,
  });
  const globexRenewal = b.folder(otherInc, {
    parent: clientAccounts,
    title: "Other Inc — Globex renewal",
    author: priya,
    createdDaysAgo: 60,
    project: { status: "In progress", startInDays: -60, endInDays: 30 },
  });
  const quoteTask = b.task(otherInc, {
    title: "Other Inc: prepare the Globex renewal quote",
    descriptionHtml: "<p>Confidential to Other Inc.</p>",
    status: "active",
    importance: "high",
    author: oscar,
    folders: [globexRenewal],
    assignees: [priya],
    createdDaysAgo: 55,
    updatedDaysAgo: 6,
  });
  b.timeLog(quoteTask, priya, { daysAgo: 6, hours: "2.00", comment: "Pricing table." });
  const quote = b.file(otherInc, {
    attachedTo: { folder: globexRenewal },
    name: "other-inc-globex-quote.txt",
    contentType: "text/plain",
    versions: [
      { uploader: priya, daysAgo: 20, content: text("Other Inc — Globex renewal quote\nSeats: 120\n") },
      { uploader: priya, daysAgo: 6, content: text("Other Inc — Globex renewal quote\nSeats: 150\nDiscount: 8%\n") },
    ],
  });
  b.recipient(quote, { contact: globexContact, role: "approver", decision: "pending" });
  b.comment(otherInc, { on: { taskId: quoteTask.id }, author: oscar, body: "Other Inc only: do not share outside the company.", daysAgo: 5 });

  // ─── Free Ltd: a free plan, for the no-backups path ───────────────────────────────────────
  const freeLtd = b.organization(DEMO_ORGANIZATIONS.freeLtd, 100);
  const frank = b.member(freeLtd, DEMO_ACCOUNTS.freeOwner, 100);
  const gettingStarted = b.folder(freeLtd, { title: "Getting started", author: frank, createdDaysAgo: 99 });
  b.task(freeLtd, {
    title: "Invite the team",
    descriptionHtml: "<p>Add two colleagues.</p>",
    status: "active",
    importance: "normal",
    author: frank,
    folders: [gettingStarted],
    assignees: [frank],
    createdDaysAgo: 99,
    updatedDaysAgo: 99,
  });

  return { demoCo: demoCo.id, otherInc: otherInc.id, freeLtd: freeLtd.id };
}

// ─── Row builder ──────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

type WithId<T> = T & { id: string };
type OrganizationRow = WithId<typeof organizations.$inferInsert>;
type UserRow = WithId<typeof users.$inferInsert>;
type ContactRow = WithId<typeof contacts.$inferInsert>;
type FolderRow = WithId<typeof folders.$inferInsert>;
type TaskRow = WithId<typeof tasks.$inferInsert>;
type FileRow = WithId<typeof files.$inferInsert>;
type VersionRow = WithId<Omit<typeof fileVersions.$inferInsert, "sizeBytes" | "sha256">>;
type CommentRow = WithId<typeof comments.$inferInsert>;
type CommentTarget = { taskId: string } | { folderId: string } | { fileVersionId: string };

type DemoRows = {
  organizations: OrganizationRow[];
  users: UserRow[];
  memberships: (typeof memberships.$inferInsert)[];
  teams: WithId<typeof teams.$inferInsert>[];
  teamMembers: (typeof teamMembers.$inferInsert)[];
  contacts: ContactRow[];
  folders: FolderRow[];
  folderShares: (typeof folderShares.$inferInsert)[];
  tasks: TaskRow[];
  taskFolders: (typeof taskFolders.$inferInsert)[];
  taskAssignees: (typeof taskAssignees.$inferInsert)[];
  timeLogs: (typeof timeLogs.$inferInsert)[];
  files: FileRow[];
  /** Versions wait for their blob to be stored, which gives them their size and sha256. */
  fileVersions: { row: VersionRow; organizationId: string; content: Uint8Array }[];
  recipients: (typeof recipients.$inferInsert)[];
  comments: CommentRow[];
};

type Author = { id: string };

/** Collects the demo rows with ids chosen up front, so rows can reference each other before insert. */
class DemoBuilder {
  readonly rows: DemoRows = {
    organizations: [],
    users: [],
    memberships: [],
    teams: [],
    teamMembers: [],
    contacts: [],
    folders: [],
    folderShares: [],
    tasks: [],
    taskFolders: [],
    taskAssignees: [],
    timeLogs: [],
    files: [],
    fileVersions: [],
    recipients: [],
    comments: [],
  };

  constructor(
    private readonly now: Date,
    private readonly passwordHash: string,
  ) {}

  /** Dates are relative to seeding time so the trash's 30-day window and project dates stay meaningful. */
  private daysAgo(days: number): Date {
    return new Date(this.now.getTime() - days * DAY_MS);
  }

  private calendarDate(inDays: number): string {
    return new Date(this.now.getTime() + inDays * DAY_MS).toISOString().slice(0, 10);
  }

  organization(values: { name: string; sid: string; accountNumber: number; plan: Plan }, createdDaysAgo: number) {
    const row: OrganizationRow = { id: randomUUID(), ...values, createdAt: this.daysAgo(createdDaysAgo) };
    this.rows.organizations.push(row);
    return row;
  }

  member(organization: OrganizationRow, account: DemoAccount, joinedDaysAgo: number) {
    const createdAt = this.daysAgo(joinedDaysAgo);
    const row: UserRow = {
      id: randomUUID(),
      uid: newUid(),
      name: account.name,
      email: account.email,
      passwordHash: this.passwordHash,
      createdAt,
    };
    this.rows.users.push(row);
    this.rows.memberships.push({ organizationId: organization.id, userId: row.id, role: account.role, createdAt });
    return row;
  }

  alsoMember(organization: OrganizationRow, user: UserRow, role: Role, joinedDaysAgo: number) {
    this.rows.memberships.push({ organizationId: organization.id, userId: user.id, role, createdAt: this.daysAgo(joinedDaysAgo) });
  }

  team(organization: OrganizationRow, name: string, members: UserRow[], createdDaysAgo: number) {
    const id = randomUUID();
    this.rows.teams.push({ id, uid: newUid(), organizationId: organization.id, name, createdAt: this.daysAgo(createdDaysAgo) });
    this.rows.teamMembers.push(...members.map((member) => ({ teamId: id, userId: member.id })));
  }

  contact(organization: OrganizationRow, values: { name: string; email: string; company: string | null }) {
    const row: ContactRow = { id: randomUUID(), uid: newUid(), organizationId: organization.id, ...values, createdAt: this.daysAgo(150) };
    this.rows.contacts.push(row);
    return row;
  }

  folder(
    organization: OrganizationRow,
    options: {
      title: string;
      description?: string;
      parent?: FolderRow;
      author: Author;
      createdDaysAgo: number;
      project?: { status: string; startInDays: number; endInDays: number };
      /** Makes the folder private, visible to these users (and to owners). */
      sharedWith?: UserRow[];
      deletedDaysAgo?: number;
    },
  ) {
    const createdAt = this.daysAgo(options.createdDaysAgo);
    const row: FolderRow = {
      id: randomUUID(),
      uid: newUid(),
      organizationId: organization.id,
      parentId: options.parent?.id ?? null,
      title: options.title,
      description: options.description ?? "",
      authorId: options.author.id,
      visibility: options.sharedWith ? "private" : "organization",
      isProject: options.project !== undefined,
      projectStatus: options.project?.status ?? null,
      startDate: options.project ? this.calendarDate(options.project.startInDays) : null,
      endDate: options.project ? this.calendarDate(options.project.endInDays) : null,
      createdAt,
      updatedAt: createdAt,
      deletedAt: this.optionalDaysAgo(options.deletedDaysAgo),
    };
    this.rows.folders.push(row);
    this.rows.folderShares.push(...(options.sharedWith ?? []).map((user) => ({ folderId: row.id, userId: user.id })));
    return row;
  }

  task(
    organization: OrganizationRow,
    options: {
      title: string;
      descriptionHtml: string;
      status: Task["status"];
      importance: Task["importance"];
      author: Author;
      parent?: TaskRow;
      folders?: FolderRow[];
      assignees?: UserRow[];
      createdDaysAgo: number;
      updatedDaysAgo: number;
      deletedDaysAgo?: number;
    },
  ) {
    const row: TaskRow = {
      id: randomUUID(),
      uid: newUid(),
      organizationId: organization.id,
      parentTaskId: options.parent?.id ?? null,
      title: options.title,
      descriptionHtml: options.descriptionHtml,
      status: options.status,
      importance: options.importance,
      authorId: options.author.id,
      createdAt: this.daysAgo(options.createdDaysAgo),
      updatedAt: this.daysAgo(options.updatedDaysAgo),
      deletedAt: this.optionalDaysAgo(options.deletedDaysAgo),
    };
    this.rows.tasks.push(row);
    this.rows.taskFolders.push(...(options.folders ?? []).map((folder) => ({ taskId: row.id, folderId: folder.id })));
    this.rows.taskAssignees.push(...(options.assignees ?? []).map((user) => ({ taskId: row.id, userId: user.id })));
    return row;
  }

  timeLog(task: TaskRow, user: UserRow, entry: { daysAgo: number; hours: string; comment: string }) {
    const loggedAt = this.daysAgo(entry.daysAgo);
    this.rows.timeLogs.push({
      id: randomUUID(),
      uid: newUid(),
      taskId: task.id,
      userId: user.id,
      loggedOn: loggedAt.toISOString().slice(0, 10),
      hours: entry.hours,
      comment: entry.comment,
      createdAt: loggedAt,
    });
  }

  file(
    organization: OrganizationRow,
    options: {
      attachedTo: { folder: FolderRow } | { task: TaskRow };
      name: string;
      contentType: string;
      versions: { uploader: UserRow; daysAgo: number; content: Uint8Array }[];
      deletedDaysAgo?: number;
    },
  ) {
    const [first] = options.versions;
    if (!first) throw new Error(`Demo file ${options.name} needs at least one version`);
    const row: FileRow = {
      id: randomUUID(),
      uid: newUid(),
      organizationId: organization.id,
      folderId: "folder" in options.attachedTo ? options.attachedTo.folder.id : null,
      taskId: "task" in options.attachedTo ? options.attachedTo.task.id : null,
      name: options.name,
      contentType: options.contentType,
      currentVersion: options.versions.length,
      createdBy: first.uploader.id,
      createdAt: this.daysAgo(first.daysAgo),
      deletedAt: this.optionalDaysAgo(options.deletedDaysAgo),
    };
    this.rows.files.push(row);
    const versions = options.versions.map(({ uploader, daysAgo, content }, index) => {
      const versionUid = newUid();
      const version: VersionRow = {
        id: randomUUID(),
        uid: versionUid,
        fileId: row.id,
        version: index + 1,
        storageKey: fileVersionKey({ organizationId: organization.id, versionUid }),
        uploadedBy: uploader.id,
        uploadedAt: this.daysAgo(daysAgo),
      };
      this.rows.fileVersions.push({ row: version, organizationId: organization.id, content });
      return version;
    });
    return {
      ...row,
      version(number: number): VersionRow {
        const version = versions[number - 1];
        if (!version) throw new Error(`Demo file ${options.name} has no version ${number}`);
        return version;
      },
    };
  }

  recipient(
    file: FileRow,
    options: ({ user: UserRow } | { contact: ContactRow }) & {
      role: Recipient["role"];
      decision: Recipient["decision"];
      decidedDaysAgo?: number;
    },
  ) {
    this.rows.recipients.push({
      id: randomUUID(),
      uid: newUid(),
      fileId: file.id,
      userId: "user" in options ? options.user.id : null,
      contactId: "contact" in options ? options.contact.id : null,
      role: options.role,
      decision: options.decision,
      decidedAt: this.optionalDaysAgo(options.decidedDaysAgo),
      createdAt: file.createdAt,
    });
  }

  comment(
    organization: OrganizationRow,
    options: { on: CommentTarget; author: UserRow; body: string; daysAgo: number; deletedDaysAgo?: number },
  ) {
    return this.pushComment({
      organizationId: organization.id,
      ...options.on,
      parentId: null,
      authorId: options.author.id,
      body: options.body,
      createdAt: this.daysAgo(options.daysAgo),
      deletedAt: this.optionalDaysAgo(options.deletedDaysAgo),
    });
  }

  /** A reply sits on the same task, folder or file version as the comment it answers. */
  reply(parent: CommentRow, options: { author: UserRow; body: string; daysAgo: number }) {
    return this.pushComment({
      organizationId: parent.organizationId,
      taskId: parent.taskId ?? null,
      folderId: parent.folderId ?? null,
      fileVersionId: parent.fileVersionId ?? null,
      parentId: parent.id,
      authorId: options.author.id,
      body: options.body,
      createdAt: this.daysAgo(options.daysAgo),
    });
  }

  private pushComment(values: Omit<CommentRow, "id" | "uid">) {
    const row: CommentRow = { id: randomUUID(), uid: newUid(), ...values };
    this.rows.comments.push(row);
    return row;
  }

  private optionalDaysAgo(days: number | undefined): Date | null {
    return days === undefined ? null : this.daysAgo(days);
  }
}

// ─── Sample file contents, generated without dependencies ─────────────────────────────────────

function text(content: string): Uint8Array {
  return Buffer.from(content, "utf8");
}

/** A one-page PDF 1.4 with one line of Helvetica per entry and a byte-exact cross-reference table. */
export function buildPdf(lines: readonly string[]): Buffer {
  for (const line of lines) {
    // The standard Type 1 font has no encoding set up here, so only printable ASCII renders reliably.
    if (!/^[\x20-\x7e]*$/.test(line)) throw new Error(`PDF text must be printable ASCII: ${line}`);
  }
  const textOperators = lines.map((line) => `(${line.replace(/[\\()]/g, "\\$&")}) Tj T*`).join("\n");
  const contentStream = `BT\n/F1 16 Tf\n22 TL\n72 720 Td\n${textOperators}\nET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${contentStream.length} >>\nstream\n${contentStream}\nendstream`,
  ];
  // The second line's high bytes tell tools the file is binary; latin1 keeps one byte per character.
  let document = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(document.length);
    document += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = document.length;
  document += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  document += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  document += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(document, "latin1");
}

type Rgb = readonly [number, number, number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGB, non-interlaced PNG with every pixel painted by `pixel`. */
export function buildPng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const stride = 1 + width * 3;
  const scanlines = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    // Each scanline starts with its filter type; 0 ("None") is always valid.
    scanlines[y * stride] = 0;
    for (let x = 0; x < width; x++) scanlines.set(pixel(x, y), y * stride + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(scanlines)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, checksum]);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value;
});

/** CRC-32 (ISO-HDLC, as PNG and ZIP use it); zlib.crc32 only exists from Node 20.15. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A landscape mockup: a vertical sky gradient with a sun, so each version looks different. */
function heroPng({ sky, sun, sunX }: { sky: Rgb; sun: Rgb; sunX: number }): Buffer {
  const width = 120;
  const height = 80;
  const [sunCentreX, sunCentreY, sunRadius] = [width * sunX, height * 0.4, 12];
  return buildPng(width, height, (x, y) => {
    if ((x - sunCentreX) ** 2 + (y - sunCentreY) ** 2 <= sunRadius ** 2) return sun;
    if (y > height * 0.75) return [34, 110, 60];
    const fadeTowardsWhite = (channel: number) => Math.round(channel + (255 - channel) * (y / height));
    return [fadeTowardsWhite(sky[0]), fadeTowardsWhite(sky[1]), fadeTowardsWhite(sky[2])];
  });
}

function checkerPng(light: Rgb, dark: Rgb): Buffer {
  return buildPng(64, 64, (x, y) => ((Math.floor(x / 8) + Math.floor(y / 8)) % 2 === 0 ? light : dark));
}
