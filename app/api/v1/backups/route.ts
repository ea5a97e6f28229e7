import { authenticateApiRequest } from "@/lib/api/authenticate";
import { toApiBackup } from "@/lib/api/backups";
import { apiJson, readJsonBody } from "@/lib/api/json";
import { backupRequestApiSchema } from "@/lib/backups/request-schema";
import { listBackupsPage, requestBackup } from "@/lib/backups/service";
import { handleRoute } from "@/lib/http";
import { clientAddress } from "@/lib/client-address";

/** The organization's backups, newest first; pass `nextCursor` back as `?cursor=` for the next page. */
export async function GET(request: Request) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const cursor = new URL(request.url).searchParams.get("cursor") || undefined;
    const page = await listBackupsPage({ caller, cursor });
    return apiJson({ backups: page.backups.map(toApiBackup), nextCursor: page.nextCursor });
  });
}

/** Starts a backup; it is built in the background, so poll its URL until it is ready. */
export async function POST(request: Request) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const input = await readJsonBody(request, backupRequestApiSchema);
    const backup = await requestBackup({ caller, input, ipAddress: clientAddress(request.headers.get("x-forwarded-for")) });
    const requester = { id: caller.user.id, name: caller.user.name, email: caller.user.email };
    return apiJson(
      { backup: toApiBackup({ ...backup, requester }) },
      { status: 202, headers: { Location: `/api/v1/backups/${backup.id}` } },
    );
  });
}
