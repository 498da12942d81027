// The public surface. Modules here never call into wasm at import time: the
// entry (browser.js, node.js, node.cjs) instantiates the module first.
export { Agoralia, getMeta } from "./client.js";
export {
  AgoraliaError,
  ConfigurationError,
  RequestValidationError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  TimeoutError,
  AbortError,
} from "./errors.js";
export * from "./validate-api.js";
