import { authenticateApiRequest } from "@/lib/api/authenticate";
import { toApiBackup } from "@/lib/api/backups";
import { apiJson } from "@/lib/api/json";
import { deleteBackup, getBackup } from "@/lib/backups/service";
import { handleRoute } from "@/lib/http";
import { clientAddress } from "@/lib/client-address";

type Context = { params: Promise<{ id: string }> };

/** One backup, with its progress while it is being built. */
export async function GET(request: Request, { params }: Context) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const { id } = await params;
    return apiJson({ backup: toApiBackup(await getBackup({ caller, backupId: id })) });
  });
}

/** Removes the archive from storage at once; the backup stays listed as `deleted`. */
export async function DELETE(request: Request, { params }: Context) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const { id } = await params;
    await deleteBackup({ caller, backupId: id, ipAddress: clientAddress(request.headers.get("x-forwarded-for")) });
    return apiJson({ backup: toApiBackup(await getBackup({ caller, backupId: id })) });
  });
}
