import type { NextAuthConfig } from "next-auth";

/**
 * The part of the auth setup that touches no database, so the proxy can use it. The full setup
 * (with the Credentials provider) is in ./index.ts.
 */
export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user, trigger, session }) {
      if (user?.id) token.userId = user.id;
      if (trigger === "update" && typeof session?.activeOrganizationId === "string") {
        token.activeOrganizationId = session.activeOrganizationId;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.userId === "string") session.user.id = token.userId;
      session.activeOrganizationId =
        typeof token.activeOrganizationId === "string" ? token.activeOrganizationId : undefined;
      return session;
    },
  },
} satisfies NextAuthConfig;

declare module "next-auth" {
  interface Session {
    activeOrganizationId?: string;
  }
}
