import type { Issue } from "./validate.js";
import type { RateLimitInfo } from "./client.js";

export type ErrorCode =
  | "agoralia_error" | "invalid_configuration" | "request_validation_error"
  | "bad_request" | "authentication_error" | "permission_denied" | "not_found" | "conflict"
  | "unprocessable_entity" | "rate_limit_exceeded" | "internal_server_error" | "api_error"
  | "connection_error" | "timeout" | "aborted";

/** Base class of every error the SDK throws. */
export declare class AgoraliaError extends Error {
  readonly code: ErrorCode;
}

/** Options refused by `new Agoralia(...)`. */
export declare class ConfigurationError extends AgoraliaError {}

/** Refused before sending; nothing was sent. */
export declare class RequestValidationError extends AgoraliaError {
  readonly issues: Issue[];
}

/** What API, transport and abort errors share about the call. */
export interface CallErrorInfo {
  /** HTTP status of the last attempt, if one answered. */
  readonly status: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;
  readonly rateLimit: RateLimitInfo | undefined;
  /** Headers of the last response, names lower-case. */
  readonly headers: Record<string, string>;
}

/** A non-2xx answer (or a 2xx that is not the JSON promised). */
export declare class ApiError extends AgoraliaError implements CallErrorInfo {
  readonly status: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly headers: Record<string, string>;
  /** The server's text: `detail`, the joined 422 messages, or the start of a non-JSON body. */
  readonly detail: string;
  /** The parsed error body when it was JSON. */
  readonly body: unknown;
  /** 422 items as issues (path without the leading "body"). */
  readonly issues: Issue[];
  /** The scope a 403 names as missing. */
  readonly requiredScope: string | undefined;
  /** The wait the server asked for, in ms (429, 503). */
  readonly retryAfterMs: number | undefined;
}
/** 400. Each class below has the one status it stands for as its type (a 5xx for InternalServerError). */
export declare class BadRequestError extends ApiError {
  readonly status: 400;
}
/** 401: missing, malformed, expired or revoked key. */
export declare class AuthenticationError extends ApiError {
  readonly status: 401;
}
/** 403: the key lacks a scope; see `requiredScope`. */
export declare class PermissionDeniedError extends ApiError {
  readonly status: 403;
}
/** 404 */
export declare class NotFoundError extends ApiError {
  readonly status: 404;
}
/** 409: an idempotency key re-used with a different body. */
export declare class ConflictError extends ApiError {
  readonly status: 409;
}
/** 422: see `issues`. */
export declare class UnprocessableEntityError extends ApiError {
  readonly status: 422;
}
/** 429 after the retries; see `retryAfterMs` and `rateLimit`. */
export declare class RateLimitError extends ApiError {
  readonly status: 429;
}
/** 5xx after the retries: the status that answered last. */
export declare class InternalServerError extends ApiError {
  readonly status: number;
}

/** No response: network failure, refused or dropped connection. `cause` holds the platform's error. */
export declare class ConnectionError extends AgoraliaError implements CallErrorInfo {
  readonly status: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly headers: Record<string, string>;
}
/** An attempt's timeout or the call's deadline passed. */
export declare class TimeoutError extends ConnectionError {}
/** The caller's AbortSignal fired. */
export declare class AbortError extends AgoraliaError implements CallErrorInfo {
  readonly status: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly headers: Record<string, string>;
}
