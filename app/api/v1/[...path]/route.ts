import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";

/** An unknown /api/v1 address answers in the API's JSON error shape rather than with the app's HTML 404 page. */
function unknownEndpoint() {
  return errorResponse(new AppError("not_found", "There is no such API endpoint. See the README's HTTP API section."));
}

export { unknownEndpoint as GET, unknownEndpoint as POST, unknownEndpoint as PUT, unknownEndpoint as PATCH, unknownEndpoint as DELETE };
