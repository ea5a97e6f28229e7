import type { Metadata } from "next";
import { Badge, Card, EmptyState, PageHeader, formatDate, DataTable } from "@/components/ui";
import { listContacts } from "@/db/queries/contacts";
import { listMembers } from "@/db/queries/memberships";
import { listTeamsWithMembers } from "@/db/queries/teams";
import type { Role } from "@/db/schema";
import { requireCaller } from "@/lib/auth/caller";
import { RoleForm } from "./role-form";

export const metadata: Metadata = { title: "Members" };

const ROLE_TONES = { owner: "blue", admin: "green", member: "gray" } as const satisfies Record<Role, string>;

function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={ROLE_TONES[role]}>{role[0]!.toUpperCase() + role.slice(1)}</Badge>;
}

export default async function MembersPage() {
  const caller = await requireCaller();
  const organizationId = caller.organization.id;
  const [members, teams, contacts] = await Promise.all([
    listMembers({ organizationId }),
    listTeamsWithMembers({ organizationId }),
    listContacts({ organizationId }),
  ]);
  const canChangeRoles = caller.role === "owner";
  return (
    <>
      <PageHeader
        title="Members"
        description={`People in ${caller.organization.name}, their teams, and the external contacts who review files.`}
      />

      <Card title={`Members (${members.length})`}>
        <DataTable columns={["Name", "Email", "Role", "Joined", canChangeRoles && { label: "Change role", srOnly: true, alignRight: true }]}>
              {members.map((member) => (
                <tr key={member.id} className="align-top">
                  <td className="py-3 pr-4 font-medium text-slate-900">
                    {member.name}
                    {member.id === caller.user.id && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                  </td>
                  <td className="py-3 pr-4 text-slate-600">{member.email}</td>
                  <td className="py-3 pr-4">
                    <RoleBadge role={member.role} />
                  </td>
                  <td className="whitespace-nowrap py-3 pr-4 text-slate-600">{formatDate(member.joinedAt)}</td>
                  {canChangeRoles && (
                    <td className="py-3 text-right">
                      <RoleForm userId={member.id} name={member.name} role={member.role} />
                    </td>
                  )}
                </tr>
              ))}
            </DataTable>
      </Card>

      <Card title={`Teams (${teams.length})`}>
        {teams.length === 0 ? (
          <EmptyState title="No teams yet" />
        ) : (
          <ul className="divide-y divide-slate-100">
            {teams.map((team) => (
              <li key={team.id} className="py-3 first:pt-0 last:pb-0">
                <p className="text-sm font-medium text-slate-900">{team.name}</p>
                {team.members.length === 0 ? (
                  <p className="mt-1 text-sm text-slate-500">No members</p>
                ) : (
                  <ul className="mt-1 flex flex-wrap gap-2">
                    {team.members.map((member) => (
                      <li key={member.id} className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs text-slate-700" title={member.email}>
                        {member.name}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={`Contacts (${contacts.length})`}>
        {contacts.length === 0 ? (
          <EmptyState title="No contacts yet">External reviewers you add to files will be listed here.</EmptyState>
        ) : (
          <DataTable columns={["Name", "Email", "Company"]}>
                {contacts.map((contact) => (
                  <tr key={contact.id}>
                    <td className="py-3 pr-4 font-medium text-slate-900">{contact.name}</td>
                    <td className="py-3 pr-4 text-slate-600">{contact.email}</td>
                    <td className="py-3 pr-4 text-slate-600">{contact.company ?? "—"}</td>
                  </tr>
                ))}
              </DataTable>
        )}
      </Card>
    </>
  );
}
