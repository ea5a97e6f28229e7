import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { findUserByEmail } from "@/db/queries/users";
import { authSecret } from "@/lib/env";
import { authConfig } from "./config";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./password";
import { clearLoginFailures, loginRetryAfterMs, recordLoginFailure } from "./rate-limit";

export class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(200),
});

export const { handlers, auth, signIn, signOut, unstable_update: updateSession } = NextAuth({
  ...authConfig,
  secret: authSecret(),
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        if (loginRetryAfterMs(email) > 0) throw new TooManyAttempts();
        const user = await findUserByEmail({ email });
        const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
        if (!user || !user.passwordHash || !valid) {
          recordLoginFailure(email);
          return null;
        }
        clearLoginFailures(email);
        return { id: user.id, name: user.name, email: user.email };
      },
    }),
  ],
});
