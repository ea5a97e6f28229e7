import "server-only";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { apiTokens } from "@/db/schema";

/** Everything about a token except its hash, which never leaves the queries that need it. */
const publicColumns = {
  id: apiTokens.id,
  organizationId: apiTokens.organizationId,
  userId: apiTokens.userId,
  name: apiTokens.name,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export type ApiTokenSummary = {
  id: string;
  organizationId: string;
  userId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export async function insertApiToken({
  values,
  executor = db,
}: {
  values: { organizationId: string; userId: string; name: string; tokenHash: string };
  executor?: Executor;
}): Promise<ApiTokenSummary> {
  const [token] = await executor.insert(apiTokens).values(values).returning(publicColumns);
  return token!;
}

/** A user's tokens in one organization, newest first. */
export async function listApiTokens({
  organizationId,
  userId,
  executor = db,
}: {
  organizationId: string;
  userId: string;
  executor?: Executor;
}): Promise<ApiTokenSummary[]> {
  return executor
    .select(publicColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.organizationId, organizationId), eq(apiTokens.userId, userId)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** The token a presented secret hashes to, unless it has been revoked. */
export async function findUsableApiTokenByHash({
  tokenHash,
  executor = db,
}: {
  tokenHash: string;
  executor?: Executor;
}): Promise<ApiTokenSummary | undefined> {
  const [token] = await executor
    .select(publicColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  return token;
}

/** One of a user's tokens in one organization; another user's token is simply not found. */
export async function findOwnApiToken({
  id,
  organizationId,
  userId,
  executor = db,
}: {
  id: string;
  organizationId: string;
  userId: string;
  executor?: Executor;
}): Promise<ApiTokenSummary | undefined> {
  const [token] = await executor
    .select(publicColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.organizationId, organizationId), eq(apiTokens.userId, userId)))
    .limit(1);
  return token;
}

/** Sets revokedAt once; undefined when the token was already revoked (someone else won). */
export async function markApiTokenRevoked({
  id,
  revokedAt,
  executor = db,
}: {
  id: string;
  revokedAt: Date;
  executor?: Executor;
}): Promise<ApiTokenSummary | undefined> {
  const [token] = await executor
    .update(apiTokens)
    .set({ revokedAt })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning(publicColumns);
  return token;
}

/**
 * Records that a token was used, at most once per `granularityMs`: a script polling every second
 * would otherwise turn every read into a write.
 */
export async function recordApiTokenUse({
  id,
  usedAt,
  granularityMs,
  executor = db,
}: {
  id: string;
  usedAt: Date;
  granularityMs: number;
  executor?: Executor;
}) {
  await executor
    .update(apiTokens)
    .set({ lastUsedAt: usedAt })
    .where(
      and(
        eq(apiTokens.id, id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(usedAt.getTime() - granularityMs))),
      ),
    );
}
