import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // Lets two builds of one checkout coexist (e.g. a browser-test build beside a developer's).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  // Backup archives are served by a Pages API route, which can send Content-Length and pipe the file
  // (pages/api/internal/backup-download). Its dependencies are bundled as the App Router's are: left
  // to Node at run time, `server-only` throws and next-auth cannot resolve `next/server`.
  bundlePagesRouterDependencies: true,
  // beforeFiles: these two URLs are the Pages route's, whatever app/ holds (app/api/v1/[...path]
  // answers the rest of /api/v1). The proxy still sees the public URL, so a signed-out visitor to
  // the settings one is sent to sign in, as before.
  async rewrites() {
    return {
      beforeFiles: [
        { source: "/settings/backups/:id/download", destination: "/api/internal/backup-download/settings/:id" },
        { source: "/api/v1/backups/:id/download", destination: "/api/internal/backup-download/api/:id" },
      ],
    };
  },
};

export default nextConfig;
