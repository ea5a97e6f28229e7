"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { authorizedAction } from "@/lib/actions";
import { createApiTokenFormSchema, revokeApiTokenFormSchema } from "@/lib/api/token-schemas";
import { createApiToken, revokeApiToken } from "@/lib/api/tokens";
import { clientAddress } from "@/lib/client-address";

async function requestIpAddress() {
  return clientAddress((await headers()).get("x-forwarded-for"));
}

export const createApiTokenAction = authorizedAction({
  schema: createApiTokenFormSchema,
  role: "admin",
  async run({ name }, caller) {
    const { token, secret } = await createApiToken({ caller, name, ipAddress: await requestIpAddress() });
    revalidatePath("/settings/api-tokens");
    return { message: `Created the token “${token.name}”.`, data: { secret } };
  },
});

export const revokeApiTokenAction = authorizedAction({
  schema: revokeApiTokenFormSchema,
  role: "admin",
  async run({ id }, caller) {
    const token = await revokeApiToken({ caller, tokenId: id, ipAddress: await requestIpAddress() });
    revalidatePath("/settings/api-tokens");
    return `Revoked the token “${token.name}”. Scripts using it are refused from now on.`;
  },
});
