// Small statistics helpers shared by every section (Node and the browser page).

export function quantile(xs, q) {
  if (!xs.length) return NaN;
  const s = Float64Array.from(xs).sort();
  const i = (s.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
export const median = (xs) => quantile(xs, 0.5);
export const p99 = (xs) => quantile(xs, 0.99);

/**
 * Runs the named async-or-sync functions interleaved: in each round every
 * contender runs once, in an order that alternates (ABBA...), so drift and
 * background noise from the shared machine fall on all of them alike.
 * Returns { name: [ms per run, ...] }.
 */
export async function interleave(contenders, { rounds, warmup = 3 }) {
  const names = Object.keys(contenders);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = -warmup; r < rounds; r++) {
    const order = (r & 1) ? [...names].reverse() : names;
    for (const n of order) {
      const t0 = performance.now();
      const v = contenders[n]();
      if (v && typeof v.then === "function") await v;
      const dt = performance.now() - t0;
      if (r >= 0) out[n].push(dt);
    }
  }
  return out;
}

/** Summary of samples in ms: median and p99. */
export const summary = (xs) => ({ median: median(xs), p99: p99(xs), n: xs.length });
