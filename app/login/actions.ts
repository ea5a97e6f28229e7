"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { publicAction } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { safeCallbackPath } from "@/lib/safe-redirect";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320, "That email address is too long."),
  password: z.string().min(1, "Enter your password.").max(200, "That password is too long."),
  callbackUrl: z.string().optional(),
});

export const signInAction = publicAction({
  schema: signInSchema,
  async run({ email, password, callbackUrl }) {
    try {
      await signIn("credentials", { email, password, redirectTo: safeCallbackPath(callbackUrl) });
    } catch (error) {
      if (error instanceof AuthError) {
        const tooMany = "code" in error && error.code === "too_many_attempts";
        throw new AppError(
          tooMany ? "cooldown" : "unauthenticated",
          tooMany
            ? "Too many failed attempts for this account. Wait 15 minutes and try again."
            : "Email or password is incorrect.",
        );
      }
      throw error;
    }
  },
});
