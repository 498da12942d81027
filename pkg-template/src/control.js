// Per-call control handed to the wasm core: the core decides when to wait and
// when to send; this object owns what JavaScript does best, the caller's
// AbortSignal and the timers. One attempt runs at a time per call.
import { ConnectionError, TimeoutError } from "./errors.js";

// Why an attempt failed, as endAttempt() tells the wasm (src/wasm/client.rs).
const ABORTED = 1;
const TIMED_OUT = 2;

// One AbortController made ahead, while a request is in flight, for the next
// attempt (of any call): making one (its signal is made on first read) is
// then off the path between a call and its request. Never shared: each
// attempt takes it and leaves null.
let spare = null;
const newController = () => {
  const c = new AbortController();
  void c.signal;
  return c;
};

/** A response's headers as a plain object, names lower-case (a name given twice keeps its last value). */
function plainHeaders(h) {
  const out = {};
  try {
    for (const [k, v] of h) if (typeof v === "string") out[String(k).toLowerCase()] = v;
  } catch {
    // a custom fetch's Response whose headers are not iterable: none
  }
  return out;
}

export class CallControl {
  #signal;
  #onRetry;
  #idempotencyKey;
  #controller = null;
  #timer = undefined;
  #why = 0;
  #headers = undefined;
  #onAbort = null;
  /** The error of the last failed attempt, kept as the `cause` of what is thrown. */
  lastError = undefined;
  /** Set by accept(): the parsed 2xx body, the call's result (the core's envelope then has `data: null`). */
  parsed = false;
  data = undefined;
  /** Set by succeeded(): makes the result's metadata (the call then resolves to "", not an envelope). */
  makeMeta = undefined;

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

  /**
   * Begins an attempt: its fetch init, `{ headers: <a copy of headers>, signal }`
   * (the wasm adds method and body when not a GET), the signal aborted by the
   * caller or after `timeoutMs`.
   * The wasm calls fetch right after this returns; the timer is set in a
   * microtask, which runs once that fetch has sent the request, so setting
   * it (and making the next attempt's controller) overlaps the server's time
   * instead of delaying the request. Microseconds later than the request: a
   * timer's own precision is a millisecond.
   */
  beginAttempt(timeoutMs, headers) {
    const controller = spare ?? newController();
    spare = null;
    this.#controller = controller;
    this.#why = 0;
    const signal = this.#signal;
    const init = { headers: { ...headers }, signal: controller.signal };
    if (signal?.aborted) {
      this.#why = ABORTED;
      controller.abort();
      return init;
    }
    if (signal) {
      this.#onAbort = () => {
        this.#why ||= ABORTED;
        controller.abort();
      };
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    queueMicrotask(() => {
      spare ??= newController();
      if (this.#controller !== controller) return; // the attempt already ended
      this.#timer = setTimeout(() => {
        this.#why ||= TIMED_OUT;
        controller.abort();
      }, Math.max(1, Math.min(timeoutMs, 2147483647)));
    });
    return init;
  }

  /**
   * Every response: keeps its headers (see headers()) and, for a 2xx (`ok`),
   * parses the body once, here, where the result is used: true when it is
   * JSON (an empty body is null) and, for a list, an object with an `items`
   * array. On false the core reads the text and builds the same ApiError as
   * ever ("the response body is not valid JSON ...").
   */
  accept(headers, text, ok, isList) {
    this.#headers = headers;
    if (!ok) return false;
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

  /**
   * The last response's headers as a plain object (names lower-case; a name
   * given twice keeps its last value), or undefined when none came back.
   * Built once, at the end, and only here: the core sees just the few it reads.
   */
  headers() {
    return this.#headers === undefined ? undefined : plainHeaders(this.#headers);
  }

  /**
   * Ends the attempt whose body accept() kept: the call succeeded. The
   * metadata comes as arguments (a rate-limit figure not sent is -1) instead
   * of a JSON envelope; makeMeta() gives it the shape of the envelope's
   * `meta` (src/client/envelope.rs) when the result's `$meta` is first read.
   */
  succeeded(status, attempts, elapsedMs, limit, remaining, reset, post, url) {
    this.endAttempt(undefined);
    const idempotencyKey = this.#idempotencyKey;
    const headers = this.#headers;
    const n = (x) => (x < 0 ? null : x);
    this.makeMeta = () => ({
      status,
      idempotencyKey,
      attempts,
      rateLimit: limit < 0 && remaining < 0 && reset < 0 ? null : { limit: n(limit), remaining: n(remaining), reset: n(reset) },
      headers: plainHeaders(headers),
      method: post ? "POST" : "GET",
      url,
      elapsedMs: Math.max(0, Math.floor(elapsedMs)),
    });
  }

  /** Clears the attempt's timer; says why it failed: ABORTED, TIMED_OUT or 0. */
  endAttempt(error) {
    clearTimeout(this.#timer);
    if (this.#onAbort) this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#onAbort = null;
    this.#controller = null;
    if (error !== undefined) this.lastError = error;
    // A caller's abort that raced a network error still counts as an abort.
    if (error !== undefined && !this.#why && this.#signal?.aborted) this.#why = ABORTED;
    return error === undefined ? 0 : this.#why;
  }
}
