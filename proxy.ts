import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret } from "@/lib/env";

const PUBLIC_PATHS = ["/login"];

/**
 * Signed-out visitors to a page are sent to sign-in with the page they asked for, and come back
 * after. The session cookie is only read here, never re-issued: a prefetch still in flight when the
 * user signs out would otherwise set the old session cookie again and undo the sign-out.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))) return NextResponse.next();
  const session = await getToken({ req: request, secret: authSecret(), secureCookie: request.nextUrl.protocol === "https:" });
  if (session) return NextResponse.next();
  const login = new URL("/login", request.nextUrl.origin);
  login.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  // API routes authenticate themselves (session or bearer token) and answer 401 in JSON; leaving them
  // out also lets upload bodies stream straight to their route instead of being buffered here.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
