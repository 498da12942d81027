// Cursor pagination in JavaScript's idioms. `list()` returns a PageList:
//   await list            -> the first page { items, next_cursor }
//   for await (x of list) -> every item across pages
//   list.pages()          -> every page
//   list.toArray({limit}) -> items up to a required cap
// Every step honours the caller's AbortSignal.
import { AbortError, AgoraliaError, RequestValidationError } from "./errors.js";

export class PageList {
  #fetchPage;
  #cursor;
  #signal;
  #first = null;

  /** @param fetchPage (cursor) => Promise<page>; @param cursor the starting cursor, if any. */
  constructor(fetchPage, cursor, signal) {
    this.#fetchPage = fetchPage;
    this.#cursor = cursor;
    this.#signal = signal;
  }

  #firstPage() {
    // Memoized and created lazily: nothing is sent until the list is awaited or walked.
    return (this.#first ??= this.#fetchPage(this.#cursor));
  }

  then(onFulfilled, onRejected) {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#firstPage().catch(onRejected);
  }

  finally(onFinally) {
    return this.#firstPage().finally(onFinally);
  }

  /** Every page, first to last. Stops when `next_cursor` is null or absent. */
  async *pages() {
    let page = await this.#firstPage();
    const seen = new Set();
    for (;;) {
      yield page;
      const next = page.next_cursor;
      if (next === null || next === undefined || next === "") return;
      const key = String(next);
      // A server that repeats a cursor would make this loop forever.
      if (seen.has(key)) throw new AgoraliaError(`pagination stopped: the server repeated cursor ${key}`);
      seen.add(key);
      if (this.#signal?.aborted) throw new AbortError();
      page = await this.#fetchPage(next);
    }
  }

  /** Every item across pages. */
  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) {
      for (const item of page.items) {
        if (this.#signal?.aborted) throw new AbortError();
        yield item;
      }
    }
  }

  /**
   * Items across pages, at most `limit` of them (required: a list can be huge).
   * @param {{ limit?: number }} [options]
   */
  async toArray({ limit } = {}) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RequestValidationError("toArray needs a { limit } cap: a positive integer", [
        { path: ["limit"], code: "required", message: "toArray({ limit }) needs a positive integer cap", severity: "error" },
      ]);
    }
    const out = [];
    if (out.length >= limit) return out;
    for await (const page of this.pages()) {
      for (const item of page.items) {
        out.push(item);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}
