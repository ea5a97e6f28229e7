import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { auditEvents } from "@/db/schema";

export async function insertAuditEvent({
  organizationId,
  actorId,
  action,
  targetType,
  targetId,
  metadata = {},
  ipAddress,
  executor = db,
}: {
  organizationId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  ipAddress?: string;
  executor?: Executor;
}) {
  const [event] = await executor
    .insert(auditEvents)
    .values({ organizationId, actorId, action, targetType, targetId, metadata, ipAddress })
    .returning();
  return event!;
}

export async function listAuditEvents({
  organizationId,
  action,
  limit = 50,
  executor = db,
}: {
  organizationId: string;
  action?: string;
  limit?: number;
  executor?: Executor;
}) {
  return executor
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, organizationId), action ? eq(auditEvents.action, action) : undefined))
    .orderBy(desc(auditEvents.createdAt))
    .limit(limit);
}
