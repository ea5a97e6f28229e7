import { authenticateApiRequest } from "@/lib/api/authenticate";
import { toApiBackup } from "@/lib/api/backups";
import { apiJson } from "@/lib/api/json";
import { cancelBackup, getBackup } from "@/lib/backups/service";
import { handleRoute } from "@/lib/http";
import { clientAddress } from "@/lib/client-address";

/** Stops a backup that is being built; its partial archive is removed. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const { id } = await params;
    await cancelBackup({ caller, backupId: id, ipAddress: clientAddress(request.headers.get("x-forwarded-for")) });
    return apiJson({ backup: toApiBackup(await getBackup({ caller, backupId: id })) });
  });
}
