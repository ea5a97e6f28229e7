import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { authSecret } from "@/lib/env";

const { auth } = NextAuth({ ...authConfig, secret: authSecret() });

const PUBLIC_PATHS = ["/login"];

/** Signed-out visitors to a page are sent to sign-in with the page they asked for, and come back after. */
export const proxy = auth((request) => {
  const { pathname, search } = request.nextUrl;
  if (request.auth || PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))) {
    return NextResponse.next();
  }
  const login = new URL("/login", request.nextUrl.origin);
  login.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(login);
});

export const config = {
  // API routes authenticate themselves (session or bearer token) and answer 401 in JSON; leaving them
  // out also lets upload bodies stream straight to their route instead of being buffered here.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
