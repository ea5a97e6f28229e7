import { noticeEmail } from "./notice";
import type { RenderedEmail } from "./layout";

export type WelcomeToOrganizationProps = {
  recipientName: string;
  organizationName: string;
  role: "owner" | "admin" | "member";
  invitedBy: string;
  signInUrl: string;
};

export function welcomeToOrganizationEmail({
  recipientName,
  organizationName,
  role,
  invitedBy,
  signInUrl,
}: WelcomeToOrganizationProps): RenderedEmail {
  return noticeEmail({
    organizationName,
    subject: `You have joined ${organizationName} on Archivist`,
    heading: `Welcome to ${organizationName}`,
    paragraphs: [
      `Hello ${recipientName},`,
      `${invitedBy} added you to ${organizationName} as ${role === "member" ? "a" : "an"} ${role}. Sign in to see its folders, tasks and files.`,
    ],
    action: { label: "Open Archivist", url: signInUrl },
  });
}
