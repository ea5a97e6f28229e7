import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, PageHeader, formatDateTime } from "@/components/ui";
import { requireCaller } from "@/lib/auth/caller";
import { readOutboxMessage } from "@/lib/email";

export const metadata: Metadata = { title: "Dev outbox" };

export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  if (process.env.NODE_ENV === "production") notFound();
  await requireCaller();
  const { id } = await params;
  const message = await readOutboxMessage(id);
  if (!message) notFound();
  return (
    <>
      <PageHeader
        title={message.subject}
        breadcrumbs={[{ href: "/dev/outbox", label: "Dev outbox" }]}
        description={
          <dl className="grid grid-cols-[4rem_1fr] gap-x-2">
            <dt className="font-medium">From</dt>
            <dd>{message.from}</dd>
            <dt className="font-medium">To</dt>
            <dd>{message.to.join(", ")}</dd>
            <dt className="font-medium">Date</dt>
            <dd>{formatDateTime(message.createdAt)}</dd>
          </dl>
        }
      />
      <Card title="HTML">
        {/* sandbox="" gives the message no scripts, forms, navigation or access to this page. */}
        <iframe title={`HTML of “${message.subject}”`} srcDoc={message.html} sandbox="" className="h-[32rem] w-full rounded-md border border-slate-200 bg-white" />
      </Card>
      <Card title="Plain text">
        <pre className="whitespace-pre-wrap break-words font-mono text-sm text-slate-800">{message.text}</pre>
      </Card>
    </>
  );
}
