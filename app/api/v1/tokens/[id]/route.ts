import { authenticateApiRequest } from "@/lib/api/authenticate";
import { apiJson } from "@/lib/api/json";
import { revokeApiToken, toApiTokenView } from "@/lib/api/tokens";
import { handleRoute } from "@/lib/http";
import { clientAddress } from "@/lib/client-address";

/** Revokes one of the caller's tokens; it stops working at once. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const { id } = await params;
    const token = await revokeApiToken({ caller, tokenId: id, ipAddress: clientAddress(request.headers.get("x-forwarded-for")) });
    return apiJson({ token: toApiTokenView(token) });
  });
}
