import { authenticateApiRequest, presentsAuthorizationHeader } from "@/lib/api/authenticate";
import { apiJson, readJsonBody } from "@/lib/api/json";
import { createApiTokenBodySchema } from "@/lib/api/token-schemas";
import { createApiToken, listCallerApiTokens, toApiTokenView } from "@/lib/api/tokens";
import { AppError } from "@/lib/errors";
import { handleRoute } from "@/lib/http";
import { clientAddress } from "@/lib/client-address";

/** The caller's tokens in their organization, without secrets or hashes. */
export async function GET(request: Request) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const tokens = await listCallerApiTokens({ caller });
    return apiJson({ tokens: tokens.map(toApiTokenView) });
  });
}

/** Creates a token and returns its secret, this once. */
export async function POST(request: Request) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    // A leaked token must not be able to mint more tokens that outlive its revocation.
    if (presentsAuthorizationHeader(request)) {
      throw new AppError("forbidden", "API tokens cannot create tokens. Sign in to Archivist and create one in Settings → API tokens.");
    }
    const { name } = await readJsonBody(request, createApiTokenBodySchema);
    const { token, secret } = await createApiToken({ caller, name, ipAddress: clientAddress(request.headers.get("x-forwarded-for")) });
    return apiJson({ token: secret, id: token.id, name: token.name }, { status: 201 });
  });
}
