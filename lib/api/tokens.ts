import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import {
  findOwnApiToken,
  insertApiToken,
  listApiTokens,
  markApiTokenRevoked,
  type ApiTokenSummary,
} from "@/db/queries/api-tokens";
import { hasRole, type Caller } from "@/lib/auth/caller";
import { AppError } from "@/lib/errors";
import { UUID_PATTERN } from "@/lib/ids";

/** Lets people (and secret scanners) recognise an Archivist token in a script or a leaked log. */
export const API_TOKEN_PREFIX = "arch_";
const SECRET_BYTES = 32;
/** The exact shape every token we issue has: the prefix and 32 random bytes in base64url (43 characters). */
export const API_TOKEN_PATTERN = /^arch_[A-Za-z0-9_-]{43}$/;

export type ApiTokenView = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function generateApiTokenSecret(): string {
  return API_TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString("base64url");
}

/**
 * Tokens are 256 random bits, so a plain SHA-256 is enough (no salt or slow hash needed): only the
 * hash is stored, and a database leak does not hand out working tokens.
 */
export function hashApiTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function toApiTokenView(token: ApiTokenSummary): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a token for the caller in their active organization; the secret is returned here and never again. */
export async function createApiToken({
  caller,
  name,
  ipAddress,
}: {
  caller: Caller;
  name: string;
  ipAddress?: string | null;
}): Promise<{ token: ApiTokenSummary; secret: string }> {
  if (!hasRole(caller, "admin")) throw new AppError("forbidden", "Only owners and admins can create API tokens.");
  const secret = generateApiTokenSecret();
  const token = await db.transaction(async (tx) => {
    const created = await insertApiToken({
      values: {
        organizationId: caller.organization.id,
        userId: caller.user.id,
        name,
        tokenHash: hashApiTokenSecret(secret),
      },
      executor: tx,
    });
    await insertAuditEvent({
      organizationId: caller.organization.id,
      actorId: caller.user.id,
      action: "api_token.created",
      targetType: "api_token",
      targetId: created.id,
      metadata: { name },
      ipAddress: ipAddress ?? undefined,
      executor: tx,
    });
    return created;
  });
  return { token, secret };
}

/** The caller's own tokens in the active organization (also for a demoted admin, so they can revoke them). */
export async function listCallerApiTokens({ caller }: { caller: Caller }): Promise<ApiTokenSummary[]> {
  return listApiTokens({ organizationId: caller.organization.id, userId: caller.user.id });
}

/**
 * Revokes one of the caller's tokens. Revoking an already revoked token succeeds without a second
 * audit event; a token that is not the caller's (or does not exist) is a 404 either way.
 */
export async function revokeApiToken({
  caller,
  tokenId,
  ipAddress,
  now = new Date(),
}: {
  caller: Caller;
  tokenId: string;
  ipAddress?: string | null;
  now?: Date;
}): Promise<ApiTokenSummary> {
  const notFound = new AppError("not_found", "That API token was not found.");
  if (!UUID_PATTERN.test(tokenId)) throw notFound;
  return db.transaction(async (tx) => {
    const owned = { id: tokenId, organizationId: caller.organization.id, userId: caller.user.id, executor: tx };
    const token = await findOwnApiToken(owned);
    if (!token) throw notFound;
    if (token.revokedAt) return token;
    const revoked = await markApiTokenRevoked({ id: token.id, revokedAt: now, executor: tx });
    if (!revoked) return (await findOwnApiToken(owned)) ?? token;
    await insertAuditEvent({
      organizationId: caller.organization.id,
      actorId: caller.user.id,
      action: "api_token.revoked",
      targetType: "api_token",
      targetId: token.id,
      metadata: { name: token.name },
      ipAddress: ipAddress ?? undefined,
      executor: tx,
    });
    return revoked;
  });
}
