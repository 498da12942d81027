// Per-call control handed to the wasm core: the core decides when to wait and
// when to send; this object owns what JavaScript does best, the caller's
// AbortSignal and the timers. One attempt runs at a time per call.
import { ConnectionError, TimeoutError } from "./errors.js";

export class CallControl {
  #signal;
  #onRetry;
  #idempotencyKey;
  #controller = null;
  #timer = undefined;
  #why = "";
  #onAbort = null;
  /** The error of the last failed attempt, kept as the `cause` of what is thrown. */
  lastError = undefined;
  /** Set by accept(): the parsed 2xx body, the call's result (the core's envelope then has `data: null`). */
  parsed = false;
  data = undefined;

  constructor(signal, onRetry, idempotencyKey) {
    this.#signal = signal ?? undefined;
    this.#onRetry = onRetry;
    this.#idempotencyKey = idempotencyKey ?? null;
  }

  /**
   * Before a retry's wait: calls the `onRetry` hook with what failed. The hook
   * only observes: what it throws (or an async hook rejects with) is ignored, so
   * a bug in logging never fails a call that would have succeeded; to stop
   * retrying, abort the call's signal.
   */
  willRetry(attempt, delayMs, reason, status, method, url) {
    const hook = this.#onRetry;
    if (typeof hook !== "function") return;
    const info = { attempt, delayMs, reason, method, url, idempotencyKey: this.#idempotencyKey };
    if (status) info.status = status;
    else {
      const why = `${method} ${url} failed`;
      info.error = reason === "timeout"
        ? new TimeoutError(`Request timed out: ${why}`, { attempts: attempt, method, url }, { cause: this.lastError })
        : new ConnectionError(`Connection error: ${why}`, { attempts: attempt, method, url }, { cause: this.lastError });
    }
    try {
      const r = hook(info);
      if (r && typeof r.then === "function") r.then(undefined, () => {});
    } catch {
      // ignored: see above
    }
  }

  /** Resolves true after `ms`, or false as soon as the caller aborts. */
  sleep(ms) {
    const signal = this.#signal;
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** A signal for one attempt: aborted by the caller or after `timeoutMs`. */
  beginAttempt(timeoutMs) {
    const controller = new AbortController();
    this.#controller = controller;
    this.#why = "";
    const signal = this.#signal;
    if (signal?.aborted) {
      this.#why = "abort";
      controller.abort();
      return controller.signal;
    }
    this.#onAbort = () => {
      this.#why ||= "abort";
      controller.abort();
    };
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#why ||= "timeout";
      controller.abort();
    }, Math.max(1, Math.min(timeoutMs, 2147483647)));
    return controller.signal;
  }

  /**
   * A 2xx body, parsed once, here, where the result is used: true when it is
   * JSON (an empty body is null) and, for a list, an object with an `items`
   * array. On false the core reads the text and builds the same ApiError as
   * ever ("the response body is not valid JSON ...").
   */
  accept(text, isList) {
    let data;
    try {
      data = text.trim() === "" ? null : JSON.parse(text);
    } catch {
      return false;
    }
    if (isList && !(data !== null && typeof data === "object" && Array.isArray(data.items))) return false;
    this.data = data;
    this.parsed = true;
    return true;
  }

  /** Clears the attempt's timer; says why it failed: "abort", "timeout" or "". */
  endAttempt(error) {
    clearTimeout(this.#timer);
    if (this.#onAbort) this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#onAbort = null;
    this.#controller = null;
    if (error !== undefined) this.lastError = error;
    // A caller's abort that raced a network error still counts as an abort.
    if (error !== undefined && !this.#why && this.#signal?.aborted) this.#why = "abort";
    return error === undefined ? "" : this.#why;
  }
}
