export { escapeHtml, renderEmailLayout, type EmailBlock, type RenderedEmail } from "./layout";
export { noticeEmail, type NoticeEmailProps } from "./notice";
export { welcomeToOrganizationEmail, type WelcomeToOrganizationProps } from "./welcome-to-organization";
export { backupReadyEmail, type BackupReadyEmailProps } from "./backup-ready";
export { backupFailedEmail, type BackupFailedEmailProps } from "./backup-failed";
