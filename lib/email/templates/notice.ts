import { renderEmailLayout, type EmailBlock, type RenderedEmail } from "./layout";

export type NoticeEmailProps = {
  organizationName: string;
  subject: string;
  heading: string;
  paragraphs: string[];
  details?: [label: string, value: string][];
  action?: { label: string; url: string };
};

/** A general-purpose message to a member of an organization: a heading, some text, facts and one link. */
export function noticeEmail({ organizationName, subject, heading, paragraphs, details, action }: NoticeEmailProps): RenderedEmail {
  const blocks: EmailBlock[] = paragraphs.map((text) => ({ kind: "paragraph", text }));
  if (details && details.length > 0) blocks.push({ kind: "details", rows: details });
  if (action) blocks.push({ kind: "action", ...action });
  return renderEmailLayout({
    subject,
    heading,
    blocks,
    footer: `You received this email because you are a member of ${organizationName} on Archivist.`,
  });
}
