import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { Card, PageHeader, buttonClass } from "@/components/ui";
import { sumOrganizationContentBytes } from "@/db/queries/organization-usage";
import { requireCaller } from "@/lib/auth/caller";
import { canManageBackups } from "@/lib/backups/access";
import { RequestAvailabilityNotice, requestChoices } from "../request-availability";
import { BackupRequestForm } from "./backup-request-form";

export const metadata: Metadata = { title: "Request a backup" };

export default async function NewBackupPage() {
  const caller = await requireCaller();
  if (!canManageBackups(caller)) forbidden();
  const [choices, contentBytes] = await Promise.all([
    requestChoices(caller),
    sumOrganizationContentBytes({ organizationId: caller.organization.id }),
  ]);
  return (
    <>
      <PageHeader
        title="Request a backup"
        description={`An archive of everything in ${caller.organization.name} that is not in the trash. It is built in the background; you get an email when it is ready.`}
        breadcrumbs={[
          { href: "/settings", label: "Settings" },
          { href: "/settings/backups", label: "Backups" },
        ]}
      />
      <div className="mb-6">
        <RequestAvailabilityNotice choices={choices} />
      </div>
      {choices.canRequest ? (
        <Card>
          <BackupRequestForm
            contentBytes={contentBytes}
            includeFilesByDefault={choices.withFiles.allowed}
            offersBi={caller.organization.plan === "enterprise"}
          />
        </Card>
      ) : (
        <Link href="/settings/backups" className={buttonClass.secondary}>
          Back to backups
        </Link>
      )}
    </>
  );
}
