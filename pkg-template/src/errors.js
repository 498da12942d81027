// Error classes. Every error the SDK throws is an AgoraliaError; API errors
// carry what the server said and the call's metadata. None of them ever holds
// the API key: the key lives only inside the wasm instance, and the core scrubs
// it from error text as a last line of defence.

/** Base class of every error the SDK throws. */
export class AgoraliaError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
    /**
     * Stable machine-readable code, e.g. "not_found", "timeout".
     * @type {import("../types/errors.js").ErrorCode}
     */
    this.code = "agoralia_error";
  }
}

/** Options refused by `new Agoralia(...)` (malformed key, http:// base URL, ...). */
export class ConfigurationError extends AgoraliaError {
  constructor(message) {
    super(message);
    this.code = /** @type {const} */ ("invalid_configuration");
  }
}

/** The request was refused before sending: its body or parameters are invalid. Nothing was sent. */
export class RequestValidationError extends AgoraliaError {
  constructor(message, issues) {
    super(message);
    this.code = /** @type {const} */ ("request_validation_error");
    /** `{ path, code, message, severity }` items, as the validators return them. */
    this.issues = issues;
  }
}

function setMeta(err, meta) {
  err.status = meta?.status ?? undefined;
  err.idempotencyKey = meta?.idempotencyKey ?? undefined;
  err.attempts = meta?.attempts ?? 0;
  err.rateLimit = meta?.rateLimit ?? undefined;
  err.headers = meta?.headers ?? {};
}

/** The API answered with a non-2xx status (or a 2xx that is not the JSON promised). */
export class ApiError extends AgoraliaError {
  /** @type {number | undefined} the one status a subclass stands for (none here) */
  static status = undefined;

  constructor(message, error = {}, meta = {}) {
    super(message);
    this.code = /** @type {import("../types/errors.js").ErrorCode} */ (error.kind ?? "api_error");
    setMeta(this, meta);
    // A subclass that stands for one status (its static `status`) always
    // carries it, even when built by hand with other metadata, so that its
    // type (`status: 404`) is true. The core picks the class from the status,
    // so the two never differ for an error the SDK throws.
    if (new.target.status !== undefined) this.status = new.target.status;
    /** The server's text: `detail`, the joined 422 messages, or the start of a non-JSON body. */
    this.detail = error.detail ?? message;
    /** The parsed error body, when it was JSON. */
    this.body = error.body ?? undefined;
    /** 422 items as `{ path, code, message, severity }`, the leading "body" dropped. */
    this.issues = error.issues ?? [];
    /** The scope a 403 says is missing, e.g. "agents:write". */
    this.requiredScope = error.requiredScope ?? undefined;
    /** How long the server asked to wait (429 and 503), in ms. */
    this.retryAfterMs = error.retryAfterMs ?? undefined;
  }
}

/** 400 */
export class BadRequestError extends ApiError {
  static status = 400;
}
/** 401: missing, malformed, expired or revoked key. */
export class AuthenticationError extends ApiError {
  static status = 401;
}
/** 403: the key lacks a scope; see `requiredScope`. */
export class PermissionDeniedError extends ApiError {
  static status = 403;
}
/** 404 */
export class NotFoundError extends ApiError {
  static status = 404;
}
/** 409: an idempotency key re-used with a different body. */
export class ConflictError extends ApiError {
  static status = 409;
}
/** 422: see `issues`. */
export class UnprocessableEntityError extends ApiError {
  static status = 422;
}
/** 429 after the retries; see `retryAfterMs` and `rateLimit`. */
export class RateLimitError extends ApiError {
  static status = 429;
}
/** 5xx after the retries. */
export class InternalServerError extends ApiError {
  constructor(message, error, meta) {
    super(message, error, meta);
    // Always a number, as typed: the 5xx that answered, or 500 when built by hand without one.
    if (typeof this.status !== "number") this.status = 500;
  }
}

/** No response: the network failed, the connection dropped or was refused. */
export class ConnectionError extends AgoraliaError {
  constructor(message, meta = {}, options) {
    super(message, options);
    this.code = /** @type {import("../types/errors.js").ErrorCode} */ ("connection_error");
    setMeta(this, meta);
  }
}

/** An attempt's `timeoutMs`, or the call's total `deadlineMs`, passed. */
export class TimeoutError extends ConnectionError {
  constructor(message, meta, options) {
    super(message, meta, options);
    this.code = /** @type {const} */ ("timeout");
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends AgoraliaError {
  constructor(message = "The request was aborted", meta = {}, options) {
    super(message, options);
    this.code = /** @type {const} */ ("aborted");
    setMeta(this, meta);
  }
}

const API_CLASSES = {
  bad_request: BadRequestError,
  authentication_error: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  unprocessable_entity: UnprocessableEntityError,
  rate_limit_exceeded: RateLimitError,
  internal_server_error: InternalServerError,
  api_error: ApiError,
};

/** Builds the error for a failed envelope `{ error, meta }` from the wasm core. */
export function errorFromEnvelope({ error, meta }, cause) {
  const options = cause === undefined ? undefined : { cause };
  switch (error.kind) {
    case "connection_error":
      return new ConnectionError(error.message, meta, options);
    case "timeout":
      return new TimeoutError(error.message, meta, options);
    case "aborted":
      return new AbortError(error.message, meta, options);
    case "request_validation_error":
      return new RequestValidationError(
        error.message,
        error.issues.map((i) => ({ ...i, severity: "error" })),
      );
    default: {
      const Class = API_CLASSES[error.kind] ?? ApiError;
      // The core maps a 422's items (src/client/errors.rs); fromServerIssues
      // is the same rule for a caller's own responses, tested to agree.
      const issues = error.issues.map((i) => ({ ...i, severity: "error" }));
      return new Class(error.message, { ...error, issues }, meta);
    }
  }
}
