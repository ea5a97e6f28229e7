/**
 * The process whose build the benchmarks measure (scripts/bench/support.ts starts it): requests a
 * backup with files as the organization's owner and lets the in-process runner drive the real
 * build-backup function to the end, then prints one JSON line with its timings and peak memory.
 *
 * Usage: node --import tsx --conditions=react-server scripts/bench/build-backup-child.ts <owner email> <organization sid>
 */
import fs from "node:fs";
import { closeDatabase } from "@/db/connection";
import { listMembershipsForUser } from "@/db/queries/memberships";
import { findUserByEmail } from "@/db/queries/users";
import { waitForInlineRuns } from "@/inngest/inline-runner";
import { requestBackup } from "@/lib/backups/service";

function statusMib(field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(fs.readFileSync("/proc/self/status", "utf8"));
  if (!match) throw new Error(`/proc/self/status has no ${field}`);
  return Number(match[1]) / 1024;
}

const [ownerEmail, organizationSid] = process.argv.slice(2);
if (!ownerEmail || !organizationSid) throw new Error("Usage: build-backup-child.ts <owner email> <organization sid>");

// The caller is assembled from the database: lib/auth pulls in next-auth's React parts, which do
// not load outside Next.
const user = await findUserByEmail({ email: ownerEmail });
const membership = user ? (await listMembershipsForUser({ userId: user.id })).find((candidate) => candidate.organization.sid === organizationSid) : undefined;
if (!user || !membership) throw new Error(`${ownerEmail} is not a member of the organization ${organizationSid}.`);
const caller = {
  user: { id: user.id, name: user.name, email: user.email },
  organization: membership.organization,
  role: membership.role,
  organizations: [{ id: membership.organization.id, name: membership.organization.name, role: membership.role }],
};

const rssBeforeBuildMib = statusMib("VmRSS");
const cpuBefore = process.cpuUsage();
const startedAtMs = Date.now();
const backup = await requestBackup({
  caller,
  input: { name: "Benchmark", description: "", includeFiles: true, formats: ["json", "csv"], csvEncoding: "utf-8", includeBi: false },
});
await waitForInlineRuns();
const finishedAtMs = Date.now();
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    backupId: backup.id,
    startedAtMs,
    finishedAtMs,
    peakRssMib: statusMib("VmHWM"),
    rssBeforeBuildMib,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }),
);
await closeDatabase();
