// Per-call control handed to the wasm driver (src/wasm/client/driver.rs): the
// core decides when to wait, send and read; this object owns what JavaScript
// does best, the caller's AbortSignal and the timers, and receives the call's
// outcome (finished() or succeeded()). One attempt runs at a time per call.
import { ConnectionError, TimeoutError } from "./errors.js";
import { AttemptEnd } from "./wasm/agoralia.js";

// The most of a body that is not a result the core reads (see accept()).
const MAX_BODY = 1 << 20;
// Why an attempt ended, as endAttempt() tells the wasm: the binding's enum.
const { Failed: FAILED, Aborted: ABORTED, TimedOut: TIMED_OUT } = AttemptEnd;

// Attempt timeouts: one timer for every attempt in flight (module-wide), set
// for the earliest deadline and left set when attempts end, so calls in a row
// set a timer about once per timeout period, not once per call (a setTimeout
// plus clearTimeout per call was measurable over loopback, the code being cold
// after each network wait). It is unref'd: a request in flight keeps the
// process alive by its own I/O, and a timer left set must not.
const inFlight = new Set();
let watchdog;
let armedAt = Infinity;
const now = () => performance.now();

function arm(at) {
  clearTimeout(watchdog);
  armedAt = at;
  watchdog = setTimeout(expire, Math.max(1, Math.min(at - now(), 2147483647)));
  if (typeof watchdog === "object") watchdog?.unref?.();
  else globalThis.Deno?.unrefTimer?.(watchdog);
}

function expire() {
  armedAt = Infinity;
  const t = now() + 1; // a timer may fire up to a millisecond before performance.now() says
  let next = Infinity;
  for (const c of inFlight) {
    if (c.dueAt <= t) {
      inFlight.delete(c);
      c.timedOut();
    } else if (c.dueAt < next) next = c.dueAt;
  }
  if (next !== Infinity) arm(next);
}

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
  /** @type {number} why the attempt in flight ended, once it has: an AttemptEnd */
  #why = FAILED;
  #headers = undefined;
  #onAbort = null;
  /** The error of the last failed attempt, kept as the `cause` of what is thrown. */
  lastError = undefined;
  /** Set by accept(): the parsed 2xx body, the call's result. */
  data = undefined;
  /** Set by accept() when the body is not the result: the text the core reads. */
  body = "";
  /** The wasm's WasmCall, set by WasmClient.begin: next() takes each awaited outcome. */
  run = undefined;
  /** Set by finished(): the call's envelope (JSON text), when it did not succeed through accept(). */
  envelope = undefined;
  /** When the attempt in flight times out (performance.now() ms), for the watchdog. */
  dueAt = Infinity;
  /** Set by succeeded(): makes the result's metadata. */
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
    if (status !== undefined) info.status = status;
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
   */
  beginAttempt(timeoutMs, headers) {
    const controller = new AbortController();
    this.#controller = controller;
    this.#why = FAILED;
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
    this.dueAt = now() + Math.max(1, Math.min(timeoutMs, 2147483647));
    inFlight.add(this);
    if (this.dueAt < armedAt) arm(this.dueAt);
    return init;
  }

  /**
   * Every response's body: keeps the headers (see headers()) and, for a 2xx
   * (`success`), parses the body once, here, where the result is used: true
   * when that is the result, JSON (an empty body is null) and, for a `list`,
   * an object with an `items` array. On false the core reads `body` and builds
   * the ApiError, or "the response body is not valid JSON ..." for a 2xx.
   */
  accept(headers, text, success, list) {
    this.#headers = headers;
    if (success && typeof text === "string") {
      try {
        const data = text.trim() === "" ? null : JSON.parse(text);
        if (!list || (data !== null && typeof data === "object" && Array.isArray(data.items))) {
          this.data = data;
          return true;
        }
      } catch {
        // not JSON: the core says so
      }
    }
    // At most the first MiB: nothing useful in an error needs more, and a
    // huge body would only fill the wasm's memory. "" for a body that is not
    // text (a custom fetch's).
    this.body = typeof text !== "string" ? "" : text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text;
    return false;
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
   * The call succeeded with the body accept() kept; its attempt ends. The
   * metadata comes as arguments (a rate-limit figure not sent is undefined)
   * instead of a JSON envelope; makeMeta() gives it the shape of the
   * envelope's `meta` (src/client/envelope.rs) when the result's `$meta` is
   * first read.
   */
  succeeded(status, attempts, elapsedMs, limit, remaining, reset, post, url) {
    this.endAttempt(undefined);
    const idempotencyKey = this.#idempotencyKey;
    const headers = this.#headers;
    const sent = limit !== undefined || remaining !== undefined || reset !== undefined;
    this.makeMeta = () => ({
      status,
      idempotencyKey,
      attempts,
      rateLimit: sent ? { limit: limit ?? null, remaining: remaining ?? null, reset: reset ?? null } : null,
      headers: plainHeaders(headers),
      method: post ? "POST" : "GET",
      url,
      elapsedMs: Math.max(0, Math.floor(elapsedMs)),
    });
  }

  /** The call ended with this envelope (JSON text): a refusal, an error, or a success the core read. */
  finished(envelope) {
    this.envelope = envelope;
  }

  /** The watchdog: this attempt's `timeoutMs` passed. */
  timedOut() {
    this.#why ||= TIMED_OUT;
    this.#controller?.abort();
  }

  /** Ends the attempt (no more timeout); says why it failed: an AttemptEnd (FAILED when it did not). */
  endAttempt(error) {
    inFlight.delete(this);
    if (this.#onAbort) this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#onAbort = null;
    this.#controller = null;
    if (error !== undefined) this.lastError = error;
    // A caller's abort that raced a network error still counts as an abort.
    if (error !== undefined && !this.#why && this.#signal?.aborted) this.#why = ABORTED;
    return error === undefined ? FAILED : this.#why;
  }
}
