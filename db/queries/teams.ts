import "server-only";
import { asc, eq } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { teamMembers, teams, users } from "@/db/schema";

export type TeamWithMembers = {
  id: string;
  uid: string;
  name: string;
  members: { id: string; name: string; email: string }[];
};

export async function listTeamsWithMembers({
  organizationId,
  executor = db,
}: {
  organizationId: string;
  executor?: Executor;
}): Promise<TeamWithMembers[]> {
  const rows = await executor
    .select({
      id: teams.id,
      uid: teams.uid,
      name: teams.name,
      memberId: users.id,
      memberName: users.name,
      memberEmail: users.email,
    })
    .from(teams)
    .leftJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .leftJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teams.organizationId, organizationId))
    .orderBy(asc(teams.name), asc(teams.id), asc(users.name));
  const byId = new Map<string, TeamWithMembers>();
  for (const row of rows) {
    let team = byId.get(row.id);
    if (!team) {
      team = { id: row.id, uid: row.uid, name: row.name, members: [] };
      byId.set(row.id, team);
    }
    if (row.memberId) team.members.push({ id: row.memberId, name: row.memberName ?? "", email: row.memberEmail ?? "" });
  }
  return [...byId.values()];
}
