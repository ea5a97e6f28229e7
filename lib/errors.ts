/** Every error a caller may see, with the HTTP status it maps to. One table, used by actions and routes. */
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  cooldown: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, details: { field?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.code = code;
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = "That item") => new AppError("not_found", `${what} was not found.`);
export const forbidden = (message = "You do not have permission to do this.") => new AppError("forbidden", message);

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Nothing was changed; please try again.";
