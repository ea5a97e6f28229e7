import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, EmptyState, PageHeader, buttonClass, formatDateTime } from "@/components/ui";
import { requireCaller } from "@/lib/auth/caller";
import { listOutbox } from "@/lib/email";

export const metadata: Metadata = { title: "Dev outbox" };

export default async function OutboxPage() {
  if (process.env.NODE_ENV === "production") notFound();
  await requireCaller();
  const messages = await listOutbox();
  return (
    <>
      <PageHeader
        title="Dev outbox"
        description="Emails the app sent while no RESEND_API_KEY is set are captured here instead of being delivered. This page does not exist in production."
      />
      <Card title={messages.length > 0 ? `${messages.length} ${messages.length === 1 ? "message" : "messages"}` : undefined}>
        {messages.length === 0 ? (
          <EmptyState title="No emails yet">Emails such as “Your backup is ready” will appear here when the app sends them.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {messages.map((message) => (
              <li key={message.id} className="flex flex-wrap items-center justify-between gap-3 py-3 first:pt-0 last:pb-0">
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900">{message.subject}</p>
                  <p className="truncate text-sm text-slate-600">To {message.to.join(", ")}</p>
                </div>
                <div className="flex items-center gap-4">
                  <span className="whitespace-nowrap text-sm text-slate-500">{formatDateTime(message.createdAt)}</span>
                  <Link href={`/dev/outbox/${message.id}`} className={buttonClass.secondary}>
                    Open<span className="sr-only"> {message.subject}</span>
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
