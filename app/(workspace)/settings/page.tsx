import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Badge, Card, PageHeader, DetailList } from "@/components/ui";
import { countMembers } from "@/db/queries/organizations";
import { hasRole, requireCaller } from "@/lib/auth/caller";
import { BackupRestrictionForm } from "./backup-restriction-form";
import { settingsSections } from "./sections";
import { SettingsNav } from "./settings-nav";

export const metadata: Metadata = { title: "Settings" };

const PLAN_LABELS = { free: "Free", team: "Team", enterprise: "Enterprise" } as const;

export default async function SettingsPage() {
  const caller = await requireCaller();
  if (!hasRole(caller, "admin")) forbidden();
  const organization = caller.organization;
  const memberCount = await countMembers({ organizationId: organization.id });
  const details: [string, React.ReactNode][] = [
    ["Name", organization.name],
    ["Account number", <span key="account" className="font-mono">{organization.accountNumber}</span>],
    ["SID", <span key="sid" className="font-mono">{organization.sid}</span>],
    ["Plan", <Badge key="plan" tone={organization.plan === "enterprise" ? "blue" : "gray"}>{PLAN_LABELS[organization.plan]}</Badge>],
    ["Members", memberCount],
  ];
  return (
    <>
      <PageHeader title="Settings" description={`Administration of ${organization.name}.`} />
      <SettingsNav sections={settingsSections(caller)} />

      <Card title="Organization">
        <DetailList rows={details} />
      </Card>

      <Card title="Backup access">
        {organization.plan === "enterprise" ? (
          <BackupRestrictionForm
            enabled={organization.settings.restrictBackupsToOwners === true}
            editable={caller.role === "owner"}
          />
        ) : (
          <p className="text-sm text-slate-600">
            <Badge tone="blue">Enterprise</Badge>{" "}
            Restricting backups to owners is an Enterprise feature. {organization.name} is on the{" "}
            {PLAN_LABELS[organization.plan]} plan.
          </p>
        )}
      </Card>
    </>
  );
}
