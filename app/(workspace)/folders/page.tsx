import { requireCaller } from "@/lib/auth/caller";
import { PageHeader } from "@/components/ui";

export default async function FoldersPage() {
  const caller = await requireCaller();
  return <PageHeader title="Folders" description={caller.organization.name} />;
}
