/**
 * Requests a backup as the given user and builds it in this process (the in-process runner), so a
 * test can kill the process mid-build. Prints the backup id as soon as it is requested.
 */
import { listMembershipsForUser } from "@/db/queries/memberships";
import { findUserByEmail } from "@/db/queries/users";
import { waitForInlineRuns } from "@/inngest/inline-runner";
import { requestBackup } from "@/lib/backups/service";

// The caller is assembled from the database here: lib/auth pulls in next-auth's React parts,
// which do not load outside Next.
const email = process.argv[2] ?? "admin@demo.test";
const user = await findUserByEmail({ email });
const [membership] = user ? await listMembershipsForUser({ userId: user.id }) : [];
if (!user || !membership) throw new Error(`No demo account ${email}`);
const caller = {
  user: { id: user.id, name: user.name, email: user.email },
  organization: membership.organization,
  role: membership.role,
  organizations: [{ id: membership.organization.id, name: membership.organization.name, role: membership.role }],
};
const backup = await requestBackup({
  caller,
  input: { name: "Interrupted build", description: "", includeFiles: true, formats: ["json", "csv"], csvEncoding: "utf-8", includeBi: false },
});
console.log(JSON.stringify({ backupId: backup.id }));
await waitForInlineRuns();
process.exit(0);
