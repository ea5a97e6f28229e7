import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Badge, Card, EmptyState, PageHeader, formatDateTime, DataTable } from "@/components/ui";
import { listCallerApiTokens } from "@/lib/api/tokens";
import { hasRole, requireCaller } from "@/lib/auth/caller";
import { env } from "@/lib/env";
import { settingsSections } from "../sections";
import { SettingsNav } from "../settings-nav";
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenForm } from "./revoke-token-form";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const caller = await requireCaller();
  if (!hasRole(caller, "admin")) forbidden();
  const tokens = await listCallerApiTokens({ caller });
  return (
    <>
      <PageHeader title="Settings" description={`Administration of ${caller.organization.name}.`} />
      <SettingsNav sections={settingsSections(caller)} />

      <Card title="Create an API token">
        <div className="mb-4 space-y-2 text-sm text-slate-600">
          <p>
            A personal API token lets a script use the HTTP API as you, in {caller.organization.name}, with the role you have
            at the time of each call. Send it in the Authorization header:
          </p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
            {`curl -H "Authorization: Bearer arch_…" ${env.APP_URL}/api/v1/backups`}
          </pre>
        </div>
        <CreateTokenForm />
      </Card>

      <Card title={`Your tokens (${tokens.length})`}>
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens yet">Tokens you create are listed here, with when they were last used.</EmptyState>
        ) : (
          <DataTable columns={["Name", "Created", "Last used", "Status", { label: "Revoke", srOnly: true, alignRight: true }]}>
                {tokens.map((token) => (
                  <tr key={token.id} className="align-top">
                    <td className="max-w-xs break-words py-3 pr-4 font-medium text-slate-900">{token.name}</td>
                    <td className="whitespace-nowrap py-3 pr-4 text-slate-600">{formatDateTime(token.createdAt)}</td>
                    <td className="whitespace-nowrap py-3 pr-4 text-slate-600">
                      {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Never"}
                    </td>
                    <td className="whitespace-nowrap py-3 pr-4">
                      {token.revokedAt ? (
                        <span className="text-slate-600">
                          <Badge tone="red">Revoked</Badge> {formatDateTime(token.revokedAt)}
                        </span>
                      ) : (
                        <Badge tone="green">Active</Badge>
                      )}
                    </td>
                    <td className="py-3 text-right">{!token.revokedAt && <RevokeTokenForm id={token.id} name={token.name} />}</td>
                  </tr>
                ))}
              </DataTable>
        )}
      </Card>
    </>
  );
}
