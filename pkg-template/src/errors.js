/** Base class of every error the SDK throws. */
export class AgoraliaError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The API answered with a non-2xx status. */
export class ApiError extends AgoraliaError {
  constructor(status, detail) {
    super(`${status}: ${typeof detail === "string" ? detail : "request failed"}`);
    this.status = status;
    this.detail = detail;
  }
}
