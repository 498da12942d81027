export declare class AgoraliaError extends Error {}
export declare class ApiError extends AgoraliaError {
  readonly status: number;
  readonly detail: unknown;
}
