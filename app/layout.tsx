import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Archivist", template: "%s · Archivist" },
  description: "Team workspace with complete, verifiable backups.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
