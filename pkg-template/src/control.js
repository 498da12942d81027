// Per-call control handed to the wasm core: the core decides when to wait and
// when to send; this object owns what JavaScript does best, the caller's
// AbortSignal and the timers. One attempt runs at a time per call.
export class CallControl {
  #signal;
  #controller = null;
  #timer = undefined;
  #why = "";
  #onAbort = null;
  /** The error of the last failed attempt, kept as the `cause` of what is thrown. */
  lastError = undefined;

  constructor(signal) {
    this.#signal = signal ?? undefined;
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
